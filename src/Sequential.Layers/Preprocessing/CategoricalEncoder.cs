using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sequential.Layers;

/// <summary>
/// Keras's <c>numerical_utils.encode_categorical_inputs</c>, shared by the lookup, hashing and discretization layers:
/// integer indices in [0, depth) become <c>one_hot</c>, <c>multi_hot</c>, <c>count</c> or <c>tf_idf</c> vectors.
/// </summary>
/// <remarks>
/// Indices outside [0, depth) (a masked token in a non-int mode, which Keras maps to int64's maximum) contribute
/// nothing, as TensorFlow's <c>one_hot</c> and <c>bincount</c> drop them. A batch of scalars <c>[N]</c> is read as
/// <c>[N, 1]</c> (one value per sample), as in <see cref="CategoryEncoding"/>.
/// </remarks>
internal static class CategoricalEncoder
{
    /// <summary>The output modes that encode (every mode but <c>int</c>).</summary>
    public static readonly string[] EncodingModes = ["one_hot", "multi_hot", "count", "tf_idf"];

    /// <summary>The per-sample output shape of an encoding for a per-sample input shape.</summary>
    public static long[] OutputShape(long[] inputShape, string mode, long depth)
    {
        if (mode == "int") return (long[])inputShape.Clone();
        if (inputShape.Length == 0) return [depth];
        if (mode == "one_hot" && inputShape[^1] != 1) return [.. inputShape, depth];
        return [.. inputShape[..^1], depth];
    }

    /// <summary>Encodes a batch of int64 indices, <c>[N, ...]</c>, as float32.</summary>
    /// <param name="indices">Int64 indices.</param>
    /// <param name="mode">The output mode; <c>int</c> returns the indices.</param>
    /// <param name="depth">The width of the encoding.</param>
    /// <param name="idfWeights">For <c>tf_idf</c>: float32 <c>[depth]</c> weights.</param>
    /// <returns>The encoded batch.</returns>
    public static Tensor Encode(Tensor indices, string mode, long depth, Tensor? idfWeights = null)
    {
        if (mode == "int") return indices;
        using var scope = NewDisposeScope();
        if (indices.dim() <= 1) indices = indices.reshape(-1, 1);
        if (mode == "one_hot" && indices.shape[^1] == 1) indices = indices.squeeze(-1);
        var valid = indices.ge(0).logical_and(indices.lt(depth));
        var hot = F.one_hot(where(valid, indices, zeros_like(indices)), depth).to_type(ScalarType.Float32) * valid.unsqueeze(-1);
        Tensor result = mode switch
        {
            "one_hot" => hot,
            "multi_hot" => hot.amax(-2),
            _ => hot.sum(-2),
        };
        if (mode == "tf_idf") result = result * idfWeights!.to(result.device);
        return result.MoveToOuterDisposeScope();
    }
}
