using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sequential.Layers;

/// <summary>
/// Encodes integer category indices in [0, numTokens) as float vectors of length <c>numTokens</c>
/// (Keras's <c>CategoryEncoding</c>).
/// </summary>
/// <remarks>
/// Shapes as in Keras, per sample: <c>"one_hot"</c> turns <c>[1]</c> into <c>[numTokens]</c> and <c>[k]</c> into
/// <c>[k, numTokens]</c>; <c>"multi_hot"</c> (1 where an index occurs) and <c>"count"</c> (how often it occurs) reduce the
/// last axis: <c>[..., k]</c> becomes <c>[..., numTokens]</c>. Inputs may be any numeric dtype (<c>Fit</c> passes float32);
/// values must be whole numbers in range, which is checked on every batch as Keras does in eager mode.
/// </remarks>
/// <example>
/// <code>
/// // Keras: layers.CategoryEncoding(num_tokens=4, output_mode="one_hot")
/// var encode = new CategoryEncoding(4, outputMode: "one_hot");
/// var model = new SequentialModel(encode, new Dense(1, activation: "sigmoid"));   // input: [N, 1] indices
/// </code>
/// </example>
public sealed class CategoryEncoding : Layer
{
    private static readonly string[] OutputModes = ["multi_hot", "one_hot", "count"];

    /// <summary>Creates a CategoryEncoding layer.</summary>
    /// <param name="numTokens">The number of categories; inputs are in [0, numTokens).</param>
    /// <param name="outputMode"><c>"multi_hot"</c> (default), <c>"one_hot"</c> or <c>"count"</c>.</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default category_encoding, ...</param>
    /// <exception cref="ArgumentException">numTokens is not positive or the output mode is unknown.</exception>
    public CategoryEncoding(int numTokens, string outputMode = "multi_hot", long[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        ArgumentNullException.ThrowIfNull(outputMode);
        if (numTokens <= 0)
            throw new ArgumentOutOfRangeException(nameof(numTokens), numTokens, $"numTokens must be a positive number of categories; got {numTokens}.");
        OutputMode = outputMode.ToLowerInvariant();
        if (!OutputModes.Contains(OutputMode))
            throw new ArgumentException(
                $"Unknown outputMode \"{outputMode}\" for CategoryEncoding; accepted: {string.Join(", ", OutputModes.Select(m => $"\"{m}\""))}.",
                nameof(outputMode));
        NumTokens = numTokens;
    }

    /// <summary>The number of categories.</summary>
    public int NumTokens { get; }

    /// <summary>The output mode, lower case.</summary>
    public string OutputMode { get; }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        if (inputShape.Length == 0) return [NumTokens];
        if (OutputMode == "one_hot" && inputShape[^1] != 1) return [.. inputShape, NumTokens];
        return [.. inputShape[..^1], NumTokens];
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        if (x.is_floating_point() && (x != x.floor()).any().item<bool>())
            throw new ArgumentException(
                $"Layer \"{Name}\" (CategoryEncoding) needs whole-number category indices; the input has fractional values.");
        var indices = x.to_type(ScalarType.Int64);
        long min = indices.min().item<long>(), max = indices.max().item<long>();
        if (min < 0 || max >= NumTokens)
            throw new ArgumentException(
                $"Layer \"{Name}\" (CategoryEncoding) expects indices in [0, {NumTokens}) (numTokens {NumTokens}); received {(min < 0 ? min : max)}.");
        bool perSampleScalar = x.dim() == 1;
        if (perSampleScalar) indices = indices.unsqueeze(-1);
        var hot = F.one_hot(indices, NumTokens).to_type(ScalarType.Float32);   // [..., k, numTokens]
        if (OutputMode == "one_hot")
            return indices.shape[^1] == 1 ? hot.squeeze(-2) : hot;
        return OutputMode == "count" ? hot.sum(-2) : hot.amax(-2);
    }
}
