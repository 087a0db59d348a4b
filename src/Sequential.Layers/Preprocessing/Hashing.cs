using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Hashes categorical values into <c>numBins</c> bins (Keras's <c>Hashing</c>), with Keras's hash functions so that a
/// value lands in the same bin as in Keras: FarmHash64 (TensorFlow's <c>Fingerprint64</c>), or SipHash64 keyed by
/// <c>salt</c>. Integers are hashed as their decimal text, floats first truncated to integers, as Keras does.
/// </summary>
/// <remarks>
/// A layer for integer tensors inside models (<see cref="Layer.Apply(Tensor, bool, Tensor?)"/>) and, for strings, a host-side
/// <see cref="Apply(IReadOnlyList{string})"/> (tensors cannot hold strings; Keras's guides hash strings in the
/// <c>tf.data</c> pipeline). <c>outputMode</c> <c>"int"</c> gives int64 bins; <c>"one_hot"</c>, <c>"multi_hot"</c> and
/// <c>"count"</c> float32 encodings <c>numBins</c> wide. With a <c>maskValue</c>, bin 0 is kept for it and the other values
/// hash into the remaining <c>numBins - 1</c> bins.
/// </remarks>
/// <example>
/// <code>
/// // Keras: layers.Hashing(num_bins=3)([["A"], ["B"], ["C"], ["D"], ["E"]]) -> [[1], [0], [1], [1], [2]]
/// Tensor bins = new Hashing(3).Apply(["A", "B", "C", "D", "E"]);   // [1, 0, 1, 1, 2]
/// var model = new SequentialModel(new Hashing(64, outputMode: "one_hot", inputShape: [1]), new Dense(1));
/// </code>
/// </example>
public sealed class Hashing : Layer
{
    private static readonly string[] OutputModes = ["int", "one_hot", "multi_hot", "count"];
    private readonly (long, long)? _salt;

    /// <summary>Creates a Hashing layer.</summary>
    /// <param name="numBins">The number of bins, counting the mask bin when <paramref name="maskValue"/> is set.</param>
    /// <param name="maskValue">A value (integers: their decimal text) that goes to bin 0; null for none.</param>
    /// <param name="salt">One integer (used twice) or two: hash with SipHash64 keyed by them; null: FarmHash64.</param>
    /// <param name="outputMode"><c>"int"</c> (default), <c>"one_hot"</c>, <c>"multi_hot"</c> or <c>"count"</c>.</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default hashing, ...</param>
    /// <exception cref="ArgumentException">numBins is not positive, the salt has not 1 or 2 values, or the output mode is unknown
    /// (Keras's messages).</exception>
    public Hashing(int numBins, string? maskValue = null, IReadOnlyList<long>? salt = null, string outputMode = "int",
        long[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        if (numBins <= 0)
            throw new ArgumentOutOfRangeException(nameof(numBins), numBins,
                $"The numBins for Hashing cannot be None or non-positive values. Received: numBins={numBins}.");
        OutputMode = LookupArguments.OutputMode("Hashing", outputMode, OutputModes);
        _salt = LookupArguments.Salt("Hashing", salt);
        NumBins = numBins;
        MaskValue = maskValue;
    }

    /// <summary>The number of bins.</summary>
    public int NumBins { get; }

    /// <summary>The value that goes to bin 0, or null.</summary>
    public string? MaskValue { get; }

    /// <summary>The SipHash key (two integers), or null for FarmHash64.</summary>
    public IReadOnlyList<long>? Salt => _salt is { } s ? [s.Item1, s.Item2] : null;

    /// <summary>The output mode, lower case.</summary>
    public string OutputMode { get; }

    /// <inheritdoc/>
    /// <remarks>Null: integer inputs keep their dtype (float inputs are truncated to integers, as in Keras).</remarks>
    public override ScalarType? InputDtype => null;

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) => CategoricalEncoder.OutputShape(inputShape, OutputMode, NumBins);

    /// <summary>Hashes strings, one per sample (Keras's <c>layer(strings)</c>).</summary>
    /// <param name="values">The strings.</param>
    /// <returns><c>int</c>: int64 <c>[N]</c> bins; other modes: float32 <c>[N, numBins]</c>.</returns>
    /// <exception cref="ArgumentException">A value is null.</exception>
    public Tensor Apply(IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var bins = new long[values.Count];
        for (int i = 0; i < bins.Length; i++)
            bins[i] = Bin(values[i] ?? throw new ArgumentException($"Value {i} is null; fill missing values first.", nameof(values)));
        var ids = tensor(bins, [bins.LongLength]);
        if (OutputMode == "int") return ids;
        using (ids) return CategoricalEncoder.Encode(ids, OutputMode, NumBins);
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        if (x.dtype == ScalarType.Bool || x.is_complex())
            throw new ArgumentException($"Layer \"{Name}\" (Hashing) hashes integers or strings; got dtype {x.dtype}.");
        using var scope = NewDisposeScope();
        // Keras: floats are cast to int64 (truncation), then every value is hashed as its decimal text.
        var values = x.cpu().to_type(ScalarType.Int64).contiguous().data<long>().ToArray();
        var bins = new long[values.Length];
        var cache = new Dictionary<long, long>();
        for (int i = 0; i < values.Length; i++)
        {
            if (!cache.TryGetValue(values[i], out bins[i])) cache[values[i]] = bins[i] = Bin(KerasHash.Text(values[i]));
        }
        var ids = tensor(bins, x.shape).to(x.device);
        return CategoricalEncoder.Encode(ids, OutputMode, NumBins).MoveToOuterDisposeScope();
    }

    /// <summary>The bin of one value's text: Keras's <c>_hash_values_to_bins</c>.</summary>
    private long Bin(string text)
    {
        if (MaskValue is null || NumBins == 1) return KerasHash.Bucket(text, NumBins, _salt);
        return text == MaskValue ? 0 : 1 + KerasHash.Bucket(text, NumBins - 1, _salt);
    }
}
