using Microsoft.Data.Analysis;
using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Buckets continuous values into bins (Keras's <c>Discretization</c>): with boundaries <c>[b0, ..., bk-1]</c> a value x
/// gets the number of boundaries &lt;= x, so the bins are <c>(-inf, b0)</c>, <c>[b0, b1)</c>, ..., <c>[bk-1, +inf)</c>.
/// The boundaries are given (<c>binBoundaries</c>) or learned from data as approximate quantiles (<c>numBins</c> and
/// <see cref="Adapt(Tensor)"/>, Keras's algorithm, so the same data gives Keras's boundaries).
/// </summary>
/// <remarks>
/// <c>outputMode</c> <c>"int"</c> gives int64 bin indices (Keras 3 gives int32); <c>"one_hot"</c>, <c>"multi_hot"</c> and
/// <c>"count"</c> float32 encodings <c>boundaries + 1</c> wide. Values are compared in float32, as in Keras. Adapted
/// boundaries are saved as the layer's <c>binBoundaries</c>, so a loaded model buckets the same way.
/// </remarks>
/// <example>
/// <code>
/// // Keras: layers.Discretization(bin_boundaries=[0., 1., 2.])([[-1.5, 1.0, 3.4, .5], [0.0, 3.0, 1.3, 0.0]])
/// //        -> [[0, 2, 3, 1], [1, 3, 2, 1]]
/// var fixedBins = new Discretization([0.0, 1.0, 2.0]);
///
/// // Keras: layer = layers.Discretization(num_bins=4, epsilon=0.01); layer.adapt(data)
/// var learned = new Discretization(numBins: 4, outputMode: "one_hot");
/// learned.Adapt(xTrain);
/// </code>
/// </example>
public sealed class Discretization : Layer
{
    private static readonly string[] OutputModes = ["int", "one_hot", "multi_hot", "count"];

    private double[]? _boundaries;
    private bool _adapted;

    /// <summary>Creates a Discretization layer.</summary>
    /// <param name="binBoundaries">Bin boundaries, in increasing order; or null with <paramref name="numBins"/>.</param>
    /// <param name="numBins">The number of bins to learn with <c>Adapt</c>; or null with <paramref name="binBoundaries"/>.</param>
    /// <param name="epsilon">The error tolerance of the learned quantiles (Keras's default 0.01).</param>
    /// <param name="outputMode"><c>"int"</c> (default), <c>"one_hot"</c>, <c>"multi_hot"</c> or <c>"count"</c>.</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default discretization, ...</param>
    /// <exception cref="ArgumentException">Both or neither of binBoundaries and numBins, decreasing or NaN boundaries, a negative
    /// numBins, a non-positive epsilon, or an unknown output mode (Keras's messages).</exception>
    public Discretization(IReadOnlyList<double>? binBoundaries = null, int? numBins = null, double epsilon = 0.01,
        string outputMode = "int", long[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        OutputMode = LookupArguments.OutputMode("Discretization", outputMode, OutputModes);
        if (numBins is < 0)
            throw new ArgumentOutOfRangeException(nameof(numBins), numBins, $"numBins must be greater than or equal to 0. Received: numBins={numBins}.");
        if (numBins is not null && binBoundaries is not null)
            throw new ArgumentException(
                $"Both numBins and binBoundaries should not be set. Received: numBins={numBins} and binBoundaries=[{string.Join(", ", binBoundaries)}].");
        if (numBins is null && binBoundaries is null)
            throw new ArgumentException("You need to set either numBins or binBoundaries.");
        if (!(epsilon > 0))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"epsilon must be a positive tolerance, e.g. 0.01; got {epsilon}.");
        if (binBoundaries is not null)
        {
            for (int i = 0; i < binBoundaries.Count; i++)
                if (double.IsNaN(binBoundaries[i]) || (i > 0 && binBoundaries[i] < binBoundaries[i - 1]))
                    throw new ArgumentException(
                        $"binBoundaries must be numbers in increasing order; got [{string.Join(", ", binBoundaries)}].", nameof(binBoundaries));
            _boundaries = [.. binBoundaries];
        }
        NumBins = numBins;
        Epsilon = epsilon;
    }

    /// <summary>The bin boundaries (given or adapted), or null before <c>Adapt</c>.</summary>
    public IReadOnlyList<double>? BinBoundaries => _boundaries;

    /// <summary>The number of bins to learn, or null when the boundaries were given.</summary>
    public int? NumBins { get; }

    /// <summary>The error tolerance of the learned quantiles.</summary>
    public double Epsilon { get; }

    /// <summary>The output mode, lower case.</summary>
    public string OutputMode { get; }

    /// <inheritdoc/>
    /// <remarks>After <c>Adapt</c>, the learned boundaries are saved as <c>bin_boundaries</c> (and <c>num_bins</c> as null), so
    /// the loaded layer buckets as the adapted one did; Keras's <c>from_config</c> reaches the same end.</remarks>
    public override IReadOnlyDictionary<string, object?> GetConfig()
    {
        var config = new Dictionary<string, object?>(base.GetConfig());
        if (_adapted) config["num_bins"] = null;
        return config;
    }

    /// <summary>Learns <see cref="NumBins"/> - 1 boundaries from a batch of values (Keras's <c>adapt</c> on an array).</summary>
    /// <param name="data">The values, any shape.</param>
    /// <exception cref="InvalidOperationException">The layer was given boundaries.</exception>
    /// <exception cref="ArgumentException">No values, or NaN or infinite values.</exception>
    public void Adapt(Tensor data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Adapt([data]);
    }

    /// <summary>Learns the boundaries from batches (Keras's <c>adapt</c> on a dataset or an iterable of batches).</summary>
    /// <param name="batches">The batches, each any shape.</param>
    /// <exception cref="InvalidOperationException">The layer was given boundaries.</exception>
    /// <exception cref="ArgumentException">No values, or NaN or infinite values.</exception>
    public void Adapt(IEnumerable<Tensor> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        if (NumBins is null)
            throw new InvalidOperationException(
                $"Cannot adapt layer \"{Name}\" (Discretization): it was initialized with binBoundaries; use numBins instead.");
        var summary = new QuantileSummary();
        foreach (var batch in batches)
        {
            using var scope = NewDisposeScope();
            var values = batch.to_type(ScalarType.Float32).cpu().contiguous();
            NonFinite.Check(values, "Adapt data", nameof(batches), "remove or fill them first");
            if (values.numel() > 0) summary.Update(values.data<float>().ToArray(), Epsilon);
        }
        if (summary.IsEmpty)
            throw new ArgumentException($"Adapt of layer \"{Name}\" (Discretization) needs at least one value; the data had none.", nameof(batches));
        _boundaries = summary.BinBoundaries(NumBins.Value);
        _adapted = true;
    }

    /// <summary>Learns the boundaries from a numeric column of a DataFrame.</summary>
    /// <param name="data">The rows to learn from, usually the training frame only.</param>
    /// <param name="column">The column's name.</param>
    /// <exception cref="ArgumentException">The column is missing, not numeric, or has nulls.</exception>
    public void Adapt(DataFrame data, string column)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(column);
        using var x = data.ToTensor([column]);
        Adapt(x);
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) => CategoricalEncoder.OutputShape(inputShape, OutputMode, Depth);

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        if (_boundaries is null)
            throw new InvalidOperationException(
                $"Layer \"{Name}\" (Discretization): you need to either pass the binBoundaries argument at construction time or call " +
                "Adapt(data) before you can start using it.");
        // Compared in float32 as Keras does (np.digitize / bucketize with float32 boundaries): a float32 input of 0.7f lands in
        // the bin that starts at 0.7, which a float64 comparison with 0.7 would not do.
        using var scope = NewDisposeScope();
        var boundaries = tensor(_boundaries.Select(b => (float)b).ToArray(), ScalarType.Float32, x.device);
        var indices = bucketize(x.dtype == ScalarType.Float32 ? x : x.to_type(ScalarType.Float32), boundaries, right: true);
        return CategoricalEncoder.Encode(indices, OutputMode, _boundaries.Length + 1).MoveToOuterDisposeScope();
    }

    /// <summary>Keras's depth: boundaries + 1 once known, else numBins.</summary>
    private long Depth => _boundaries is { } b ? b.Length + 1 : NumBins ?? 1;
}
