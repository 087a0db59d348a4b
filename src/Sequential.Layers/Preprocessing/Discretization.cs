using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Buckets continuous values into integer bin indices by fixed boundaries (Keras's <c>Discretization</c> with
/// <c>bin_boundaries</c> and <c>output_mode="int"</c>): with boundaries <c>[b0, b1, ..., bk-1]</c> a value x gets the
/// number of boundaries &lt;= x, so the bins are <c>(-inf, b0)</c>, <c>[b0, b1)</c>, ..., <c>[bk-1, +inf)</c>.
/// </summary>
/// <remarks>
/// The output is int64, as in Keras; follow it with <see cref="CategoryEncoding"/> (<c>numTokens: boundaries + 1</c>)
/// to feed dense layers. Learning the boundaries from data (Keras's <c>adapt</c> with <c>num_bins</c>) and the
/// one-hot output modes are not implemented.
/// </remarks>
/// <example>
/// <code>
/// // Keras: layers.Discretization(bin_boundaries=[0., 1., 2.])([[-1.5, 1.0, 3.4, .5], [0.0, 3.0, 1.3, 0.0]])
/// //        -> [[0, 2, 3, 1], [1, 3, 2, 1]]
/// var model = new SequentialModel(new Discretization([0.0, 1.0, 2.0]), new CategoryEncoding(4, outputMode: "one_hot"),
///     new Flatten(), new Dense(1, activation: "sigmoid"));
/// </code>
/// </example>
public sealed class Discretization : Layer
{
    private readonly double[] _boundaries;

    /// <summary>Creates a Discretization layer.</summary>
    /// <param name="binBoundaries">Bin boundaries, strictly increasing, at least one.</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default discretization, ...</param>
    /// <exception cref="ArgumentException">No boundaries, or boundaries not strictly increasing (or NaN).</exception>
    public Discretization(IReadOnlyList<double> binBoundaries, long[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        ArgumentNullException.ThrowIfNull(binBoundaries);
        if (binBoundaries.Count == 0)
            throw new ArgumentException("binBoundaries needs at least one boundary, e.g. [0.0, 1.0].", nameof(binBoundaries));
        for (int i = 0; i < binBoundaries.Count; i++)
            if (double.IsNaN(binBoundaries[i]) || (i > 0 && !(binBoundaries[i] > binBoundaries[i - 1])))
                throw new ArgumentException(
                    $"binBoundaries must be strictly increasing numbers; got [{string.Join(", ", binBoundaries)}].", nameof(binBoundaries));
        _boundaries = [.. binBoundaries];
    }

    /// <summary>The bin boundaries.</summary>
    public IReadOnlyList<double> BinBoundaries => _boundaries;

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) => (long[])inputShape.Clone();

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        // Compared in float32 as Keras does (TensorFlow's Bucketize takes float boundaries): a float32 input of 0.7f lands in
        // the bin that starts at 0.7, which a float64 comparison with 0.7 would not do.
        using var boundaries = tensor(_boundaries.Select(b => (float)b).ToArray(), ScalarType.Float32, x.device);
        return bucketize(x.dtype == ScalarType.Float32 ? x : x.to_type(ScalarType.Float32), boundaries, right: true);
    }
}
