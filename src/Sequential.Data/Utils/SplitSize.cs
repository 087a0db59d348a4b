using System.Globalization;

namespace Sequential.Data;

/// <summary>
/// The size of one side of <see cref="Utils.SplitDataset(Dataset, SplitSize?, SplitSize?, bool, int?)"/>, as Keras reads
/// <c>left_size</c>/<c>right_size</c>: an integer is a number of samples, a floating-point number a fraction of them.
/// Integers and doubles convert implicitly, so <c>leftSize: 800</c> and <c>leftSize: 0.8</c> read as in Keras.
/// </summary>
/// <example><code>var (train, test) = SplitDataset(ds, leftSize: 0.8);   // or leftSize: 800</code></example>
public readonly struct SplitSize
{
    private SplitSize(long? count, double? fraction)
    {
        Count = count;
        Fraction = fraction;
    }

    /// <summary>A number of samples (Keras's integer size).</summary>
    /// <param name="count">The number of samples.</param>
    /// <example><code>SplitDataset(ds, leftSize: 800);   // Keras: left_size=800</code></example>
    public static implicit operator SplitSize(long count) => new(count, null);

    /// <summary>A fraction of the samples (Keras's float size), in (0, 1).</summary>
    /// <param name="fraction">The fraction.</param>
    /// <example><code>SplitDataset(ds, leftSize: 0.8);   // Keras: left_size=0.8</code></example>
    public static implicit operator SplitSize(double fraction) => new(null, fraction);

    /// <summary>The number of samples, when the size is one; else null.</summary>
    /// <example><code>SplitSize size = 800; Console.WriteLine(size.Count);   // 800</code></example>
    public long? Count { get; }

    /// <summary>The fraction of the samples, when the size is one; else null.</summary>
    /// <example><code>SplitSize size = 0.8; Console.WriteLine(size.Fraction);   // 0.8</code></example>
    public double? Fraction { get; }

    /// <summary>Zero, as an integer or a fraction (Keras's <c>size == 0</c>).</summary>
    internal bool IsZero => Count == 0 || Fraction == 0;

    /// <summary>The size as given: <c>800</c> or <c>0.8</c>.</summary>
    /// <returns>The text.</returns>
    /// <example><code>Console.WriteLine((SplitSize)0.25);   // 0.25</code></example>
    public override string ToString() => Count is long count
        ? count.ToString(CultureInfo.InvariantCulture)
        : Fraction.GetValueOrDefault().ToString("R", CultureInfo.InvariantCulture);
}
