using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sequential.Losses;

/// <summary>
/// The negative cosine similarity, <c>-sum(l2_normalize(yTrue) * l2_normalize(yPred))</c> along <see cref="Axis"/>
/// (Keras's <c>keras.losses.CosineSimilarity</c>, string <c>"cosine_similarity"</c>): -1 for vectors pointing the same
/// way, 0 for orthogonal ones, 1 for opposite ones, so minimising it aligns predictions with targets. A zero vector
/// has similarity 0 with everything.
/// </summary>
/// <example>
/// <code>
/// model.Compile(optimizer: "adam", loss: new CosineSimilarity(axis: -1));
/// </code>
/// </example>
public sealed class CosineSimilarity : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="axis">The axis along which the similarity is computed; -1 (the default) is the last one.</param>
    /// <param name="reduction">How <see cref="Loss.Call(Tensor, Tensor, Tensor?)"/> reduces the per-sample values:
    /// <c>"sum_over_batch_size"</c> (default), <c>"sum"</c>, <c>"none"</c>, <c>"mean"</c> or <c>"mean_with_sample_weight"</c>.</param>
    /// <param name="name">The loss's name.</param>
    /// <exception cref="ArgumentException"><paramref name="reduction"/> is unknown.</exception>
    public CosineSimilarity(int axis = -1, string? reduction = "sum_over_batch_size", string name = "cosine_similarity")
        : base(name, reduction) => Axis = axis;

    /// <summary>The axis along which the similarity is computed (-1: the last).</summary>
    public int Axis { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The shapes differ, or <see cref="Axis"/> is not an axis of the predictions.</exception>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = TargetChecks.ElementwisePair(Name, yTrue, yPred);
        int axis = TargetChecks.Axis(Name, Axis, yPred.dim());
        return (F.normalize(yTrue, p: 2, dim: axis) * F.normalize(yPred, p: 2, dim: axis)).sum(axis).neg();
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The target shape differs from the output shape.</exception>
    public override void Validate(Tensor yTrue, long[] outputShape) => TargetChecks.CheckOutputShape(Name, yTrue, outputShape);
}
