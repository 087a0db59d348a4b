using System.Collections;
using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Crosses categorical features with the hashing trick (Keras's <c>HashedCrossing</c>): the values of two or more
/// features in a sample are combined into one of <c>numBins</c> bins, <c>hash(concatenate(features)) % numBins</c>, with
/// TensorFlow's <c>tf.sparse.cross_hashed</c> arithmetic (strings fingerprinted with FarmHash64, integers taken as they
/// are, combined with <c>FingerprintCat64</c> from Keras's default key), so a cross lands in the same bin as in Keras.
/// </summary>
/// <remarks>
/// Inputs are integer tensors of equal shape <c>[N]</c> or <c>[N, 1]</c> (in a functional model: the outputs of lookup or
/// hashing layers); <see cref="Apply(IList[])"/> crosses host arrays of strings and integers. <c>outputMode</c>
/// <c>"int"</c> gives int64 bins shaped like the inputs; <c>"one_hot"</c> float32 <c>[N, numBins]</c>.
/// </remarks>
/// <example>
/// <code>
/// // Keras: layers.HashedCrossing(num_bins=5)((np.array(["A", "B", "A", "B", "A"]), np.array([101, 101, 101, 102, 102])))
/// //        -> [1, 4, 1, 1, 3]
/// Tensor bins = new HashedCrossing(5).Apply(new[] { "A", "B", "A", "B", "A" }, new long[] { 101, 101, 101, 102, 102 });
/// </code>
/// </example>
public sealed class HashedCrossing : Layer
{
    /// <summary>TensorFlow's <c>_DEFAULT_HASH_KEY</c> for <c>tf.sparse.cross_hashed</c>.</summary>
    private const ulong DefaultHashKey = 0xDECAFCAFFEUL;

    private static readonly string[] OutputModes = ["int", "one_hot"];

    /// <summary>Creates a HashedCrossing layer.</summary>
    /// <param name="numBins">The number of bins, positive.</param>
    /// <param name="outputMode"><c>"int"</c> (default) or <c>"one_hot"</c>.</param>
    /// <param name="name">Layer name; default hashed_crossing, ...</param>
    /// <exception cref="ArgumentException">numBins is not positive, or the output mode is unknown.</exception>
    public HashedCrossing(int numBins, string outputMode = "int", string? name = null)
        : base(name)
    {
        if (numBins <= 0)
            throw new ArgumentOutOfRangeException(nameof(numBins), numBins, $"numBins for HashedCrossing must be positive. Received: numBins={numBins}.");
        NumBins = numBins;
        OutputMode = LookupArguments.OutputMode("HashedCrossing", outputMode, OutputModes);
    }

    /// <summary>The number of bins.</summary>
    public int NumBins { get; }

    /// <summary>The output mode, lower case.</summary>
    public string OutputMode { get; }

    /// <inheritdoc/>
    public override ScalarType? InputDtype => null;

    /// <inheritdoc/>
    protected override bool TakesSeveralInputs => true;

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) =>
        throw new ArgumentException($"HashedCrossing should be called on a list or tuple of at least two inputs; layer \"{Name}\" got one.");

    /// <inheritdoc/>
    public override long[] ComputeOutputShapeForInputs(IReadOnlyList<long[]> inputShapes)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        CheckShapes(inputShapes);
        return OutputMode == "int" ? (long[])inputShapes[0].Clone() : [NumBins];
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training) =>
        throw new ArgumentException($"HashedCrossing should be called on a list or tuple of at least two inputs; layer \"{Name}\" got one.");

    /// <inheritdoc/>
    protected override Tensor Call(IReadOnlyList<Tensor> inputs, bool training)
    {
        CheckShapes([.. inputs.Select(t => t.shape.Length == 0 ? Array.Empty<long>() : t.shape[1..])]);
        var columns = new List<ulong[]>();
        foreach (var input in inputs)
        {
            if (!IsInteger(input.dtype))
                throw new ArgumentException(
                    $"All HashedCrossing inputs should have an integer or string dtype; layer \"{Name}\" received {input.dtype}.");
            using var values = input.cpu().to_type(ScalarType.Int64).contiguous();
            columns.Add([.. values.data<long>().ToArray().Select(v => (ulong)v)]);
        }
        return Encode(Cross(columns), inputs[0].shape, inputs[0].device);
    }

    /// <summary>Crosses host columns (Keras's <c>layer((feat1, feat2, ...))</c>): string arrays and integer arrays, one value per sample.</summary>
    /// <param name="features">Two or more arrays of equal length: <c>string[]</c>, <c>long[]</c> or <c>int[]</c> (any integer type).</param>
    /// <returns><c>int</c>: int64 <c>[N]</c> bins; <c>one_hot</c>: float32 <c>[N, numBins]</c>.</returns>
    /// <exception cref="ArgumentException">Fewer than two features, different lengths, nulls, or an element type that is neither
    /// string nor integer.</exception>
    public Tensor Apply(params IList[] features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Length < 2)
            throw new ArgumentException($"HashedCrossing should be called on at least two inputs. Received: {features.Length}.", nameof(features));
        int count = features[0]?.Count ?? throw new ArgumentException("A feature is null.", nameof(features));
        var columns = new List<ulong[]>();
        foreach (var feature in features)
        {
            if (feature is null || feature.Count != count)
                throw new ArgumentException(
                    $"All HashedCrossing inputs should have equal shape; got lengths {string.Join(", ", features.Select(f => f?.Count.ToString() ?? "null"))}.",
                    nameof(features));
            var column = new ulong[count];
            for (int i = 0; i < count; i++)
            {
                column[i] = feature[i] switch
                {
                    string s => KerasHash.Fingerprint64(s),
                    long or int or short or sbyte or byte or ushort or uint => (ulong)Convert.ToInt64(feature[i], System.Globalization.CultureInfo.InvariantCulture),
                    null => throw new ArgumentException($"Value {i} of a HashedCrossing input is null; fill missing values first.", nameof(features)),
                    var other => throw new ArgumentException(
                        $"All HashedCrossing inputs should have an integer or string dtype. Received a {other.GetType().Name}.", nameof(features)),
                };
            }
            columns.Add(column);
        }
        return Encode(Cross(columns), [count], CPU);
    }

    /// <summary>TensorFlow's HashCrosser: <c>FingerprintCat64</c> from the default key over the features, modulo the bins.</summary>
    private long[] Cross(List<ulong[]> columns)
    {
        var bins = new long[columns[0].Length];
        for (int row = 0; row < bins.Length; row++)
        {
            ulong hash = DefaultHashKey;
            foreach (var column in columns) hash = KerasHash.FingerprintCat64(hash, column[row]);
            bins[row] = (long)(hash % (ulong)NumBins);
        }
        return bins;
    }

    private Tensor Encode(long[] bins, long[] shape, Device device)
    {
        var ids = tensor(bins, shape).to(device);
        if (OutputMode == "int") return ids;
        using (ids) return CategoricalEncoder.Encode(ids, "one_hot", NumBins);
    }

    private void CheckShapes(IReadOnlyList<long[]> shapes)
    {
        if (shapes.Count < 2)
            throw new ArgumentException($"HashedCrossing should be called on at least two inputs; layer \"{Name}\" received {shapes.Count}.");
        var first = shapes[0];
        if (first.Length > 1 || (first.Length == 1 && first[0] != 1))
            throw new ArgumentException(
                $"All HashedCrossing inputs should have shape (), (batch_size) or (batch_size, 1); layer \"{Name}\" received per-sample shape {Shapes.Format(first)}.");
        if (shapes.Any(s => !s.SequenceEqual(first)))
            throw new ArgumentException(
                $"All HashedCrossing inputs should have equal shape; layer \"{Name}\" received {string.Join(", ", shapes.Select(Shapes.Format))}.");
    }

    private static bool IsInteger(ScalarType dtype) =>
        dtype is ScalarType.Int64 or ScalarType.Int32 or ScalarType.Int16 or ScalarType.Int8 or ScalarType.Byte;
}
