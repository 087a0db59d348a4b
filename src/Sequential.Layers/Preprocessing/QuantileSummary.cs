namespace Sequential.Layers;

/// <summary>
/// Keras's approximate quantiles for <see cref="Discretization"/>'s <c>adapt</c> (<c>summarize</c>,
/// <c>merge_summaries</c>, <c>compress_summary</c>, <c>get_bin_boundaries</c> in <c>discretization.py</c>), with numpy's
/// float32 and float64 steps kept, so that adapted boundaries equal Keras's.
/// </summary>
/// <remarks>
/// A summary is two rows: values and their weights. numpy's <c>argsort</c> in <c>merge_summaries</c> is not stable; here
/// equal values keep their order (new batch first), which can differ from Keras only when equal values carry different
/// weights.
/// </remarks>
internal sealed class QuantileSummary
{
    private float[] _values = [];
    private float[] _weights = [];

    /// <summary>Keras's <c>update_state</c>: summarizes a batch and merges it into the running summary.</summary>
    public void Update(float[] data, double epsilon)
    {
        var (values, weights) = Summarize(data, epsilon);
        // merge_summaries(new, old): concatenate, sort by value, compress.
        var merged = values.Zip(weights).Concat(_values.Zip(_weights)).OrderBy(p => p.First).ToArray();
        (_values, _weights) = Compress([.. merged.Select(p => p.First)], [.. merged.Select(p => p.Second)], epsilon);
    }

    /// <summary>Whether any value was summarized.</summary>
    public bool IsEmpty => _values.Length == 0;

    /// <summary>Keras's <c>get_bin_boundaries(summary, num_bins)</c>: all but the last value of the summary compressed to 1/numBins.</summary>
    public double[] BinBoundaries(int numBins)
    {
        var (values, _) = Compress(_values, _weights, 1.0 / numBins);
        return [.. values.Take(values.Length - 1).Select(v => (double)v)];
    }

    private static (float[] Values, float[] Weights) Summarize(float[] data, double epsilon)
    {
        var values = (float[])data.Clone();
        Array.Sort(values);
        int elements = values.Length;
        double numBuckets = 1.0 / epsilon;
        double increment = elements / numBuckets;
        double step = Math.Max(increment, 1);
        double start = step - 1;
        int first = (int)start, stride = (int)step;
        var boundaries = new List<float>();
        for (long i = first; i < elements; i += stride) boundaries.Add(values[i]);
        float weight = (float)step;   // np.ones_like(float32) * step stays float32
        return ([.. boundaries], [.. Enumerable.Repeat(weight, boundaries.Count)]);
    }

    private static (float[] Values, float[] Weights) Compress(float[] values, float[] weights, double epsilon)
    {
        if (values.Length * epsilon < 1) return (values, weights);
        // percents = epsilon + np.arange(0.0, 1.0, epsilon): ceil(1 / epsilon) values i * epsilon.
        int count = (int)Math.Ceiling(1.0 / epsilon);
        var percents = new double[count];
        for (int i = 0; i < count; i++) percents[i] = epsilon + i * epsilon;
        // cum_weights = summary[1].cumsum() in float32; cum_weight_percents = cum_weights / cum_weights[-1] in float32.
        var cumWeights = new float[weights.Length];
        float running = 0;
        for (int i = 0; i < weights.Length; i++) cumWeights[i] = running += weights[i];
        var cumPercents = cumWeights.Select(w => (double)(w / cumWeights[^1])).ToArray();
        var newBins = Interp(percents, cumPercents, [.. values.Select(v => (double)v)]);
        var newCum = Interp(percents, cumPercents, [.. cumWeights.Select(v => (double)v)]);
        var newWeights = new double[count];
        for (int i = 0; i < count; i++) newWeights[i] = newCum[i] - (i == 0 ? 0 : newCum[i - 1]);
        return ([.. newBins.Select(v => (float)v)], [.. newWeights.Select(v => (float)v)]);
    }

    /// <summary>numpy's <c>interp</c> (compiled_base.c): linear interpolation, clamped to the end values.</summary>
    private static double[] Interp(double[] x, double[] xp, double[] fp)
    {
        var result = new double[x.Length];
        int n = xp.Length;
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i];
            if (double.IsNaN(v)) { result[i] = v; continue; }
            if (n == 1) { result[i] = v < xp[0] ? fp[0] : v > xp[0] ? fp[0] : fp[0]; continue; }
            if (v < xp[0]) { result[i] = fp[0]; continue; }
            if (v > xp[n - 1]) { result[i] = fp[n - 1]; continue; }
            // The last j with xp[j] <= v.
            int lo = 0, hi = n - 1;
            while (lo < hi)
            {
                int mid = (lo + hi + 1) / 2;
                if (xp[mid] <= v) lo = mid; else hi = mid - 1;
            }
            int j = lo;
            if (j == n - 1 || xp[j] == v) { result[i] = fp[j]; continue; }
            double slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
            double r = slope * (v - xp[j]) + fp[j];
            if (double.IsNaN(r))
            {
                r = slope * (v - xp[j + 1]) + fp[j + 1];
                if (double.IsNaN(r) && fp[j] == fp[j + 1]) r = fp[j];
            }
            result[i] = r;
        }
        return result;
    }
}
