using static TorchSharp.torch;

namespace Sequential.Losses;

/// <summary>
/// The categorical hinge loss, <c>max(neg - pos + 1, 0)</c> with <c>pos = sum(yTrue * yPred)</c> and
/// <c>neg = max((1 - yTrue) * yPred)</c> over the last axis; for one-hot targets (Keras's <c>keras.losses.CategoricalHinge</c>, string <c>"categorical_hinge"</c>).
/// </summary>
/// <example>
/// <code>
/// model.Compile(optimizer: "adam", loss: "categorical_hinge");
/// </code>
/// </example>
public sealed class CategoricalHinge : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="reduction">How <see cref="Loss.Call(Tensor, Tensor, Tensor?)"/> reduces the per-sample values:
    /// <c>"sum_over_batch_size"</c> (default), <c>"sum"</c>, <c>"none"</c>, <c>"mean"</c> or <c>"mean_with_sample_weight"</c>.</param>
    /// <param name="name">The loss's name.</param>
    /// <exception cref="ArgumentException"><paramref name="reduction"/> is unknown.</exception>
    public CategoricalHinge(string? reduction = "sum_over_batch_size", string name = "categorical_hinge") : base(name, reduction) { }

    /// <inheritdoc/>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = TargetChecks.ElementwisePair(Name, yTrue, yPred);
        var pos = (yTrue * yPred).sum(-1);
        var neg = ((1.0 - yTrue) * yPred).amax(-1);
        return (neg - pos + 1.0).clamp_min(0);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The target shape differs from the output shape.</exception>
    public override void Validate(Tensor yTrue, long[] outputShape) => TargetChecks.CheckOutputShape(Name, yTrue, outputShape);
}
