namespace Sequential.Benchmarks;

/// <summary>The summary statistics the harness reports.</summary>
internal static class Statistics
{
    /// <summary>The median (the mean of the two middle values for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>
    /// An approximate 95% confidence interval for the median that assumes nothing about the distribution: the order
    /// statistics n/2 -+ 0.98 sqrt(n) (the binomial(n, 1/2) count below the median, in its normal approximation).
    /// Widens to the whole range for small n.
    /// </summary>
    public static (double Low, double High) MedianInterval(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        int k = Math.Max(0, (int)Math.Floor(sorted.Length / 2.0 - 0.98 * Math.Sqrt(sorted.Length)));
        return (sorted[k], sorted[sorted.Length - 1 - k]);
    }
}
