using static TorchSharp.torch;

namespace Sequential.Losses;

/// <summary>
/// The squared hinge loss, <c>mean(max(1 - yTrue * yPred, 0)^2)</c> over the last axis, averaged over the batch. Targets are
/// -1 or 1; when every target of a batch is 0 or 1 they are mapped to -1 and 1 first, as Keras does (Keras's <c>keras.losses.SquaredHinge</c>, string <c>"squared_hinge"</c>).
/// </summary>
/// <example>
/// <code>
/// model.Compile(optimizer: "adam", loss: "squared_hinge");
/// </code>
/// </example>
public sealed class SquaredHinge : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="reduction">How <see cref="Loss.Call(Tensor, Tensor, Tensor?)"/> reduces the per-sample values:
    /// <c>"sum_over_batch_size"</c> (default), <c>"sum"</c>, <c>"none"</c>, <c>"mean"</c> or <c>"mean_with_sample_weight"</c>.</param>
    /// <param name="name">The loss's name.</param>
    /// <exception cref="ArgumentException"><paramref name="reduction"/> is unknown.</exception>
    public SquaredHinge(string? reduction = "sum_over_batch_size", string name = "squared_hinge") : base(name, reduction) { }

    /// <inheritdoc/>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = TargetChecks.ElementwisePair(Name, yTrue, yPred);
        return TargetChecks.MeanOverLastAxis((1.0 - TargetChecks.HingeLabels(yTrue) * yPred).clamp_min(0).square());
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The target shape differs from the output shape.</exception>
    public override void Validate(Tensor yTrue, long[] outputShape) => TargetChecks.CheckOutputShape(Name, yTrue, outputShape);
}
