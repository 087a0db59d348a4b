using static TorchSharp.torch;

namespace Sequential.Losses;

/// <summary>
/// The Kullback-Leibler divergence, <c>sum(yTrue * log(yTrue / yPred))</c> over the last axis, averaged over the batch;
/// both are clipped to [1e-7, 1] first, as in Keras (Keras's <c>keras.losses.KLDivergence</c>, strings <c>"kl_divergence"</c> and <c>"kld"</c>).
/// </summary>
/// <example>
/// <code>
/// model.Compile(optimizer: "adam", loss: "kld");
/// </code>
/// </example>
public sealed class KLDivergence : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="reduction">How <see cref="Loss.Call(Tensor, Tensor, Tensor?)"/> reduces the per-sample values:
    /// <c>"sum_over_batch_size"</c> (default), <c>"sum"</c>, <c>"none"</c>, <c>"mean"</c> or <c>"mean_with_sample_weight"</c>.</param>
    /// <param name="name">The loss's name.</param>
    /// <exception cref="ArgumentException"><paramref name="reduction"/> is unknown.</exception>
    public KLDivergence(string? reduction = "sum_over_batch_size", string name = "kl_divergence") : base(name, reduction) { }

    /// <inheritdoc/>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = TargetChecks.ElementwisePair(Name, yTrue, yPred);
        yTrue = yTrue.clamp(TargetChecks.Epsilon, 1);
        yPred = yPred.clamp(TargetChecks.Epsilon, 1);
        var elementwise = yTrue * (yTrue / yPred).log();
        return elementwise.dim() <= 1 ? elementwise : elementwise.sum(-1);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The target shape differs from the output shape.</exception>
    public override void Validate(Tensor yTrue, long[] outputShape) => TargetChecks.CheckOutputShape(Name, yTrue, outputShape);
}
