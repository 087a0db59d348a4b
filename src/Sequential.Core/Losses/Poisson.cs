using static TorchSharp.torch;

namespace Sequential.Losses;

/// <summary>
/// The Poisson loss, <c>mean(yPred - yTrue * log(yPred + 1e-7))</c> over the last axis, averaged over the batch; for
/// count targets with a positive (e.g. exponential) output (Keras's <c>keras.losses.Poisson</c>, string <c>"poisson"</c>).
/// </summary>
/// <example>
/// <code>
/// model.Compile(optimizer: "adam", loss: "poisson");
/// </code>
/// </example>
public sealed class Poisson : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="reduction">How <see cref="Loss.Call(Tensor, Tensor, Tensor?)"/> reduces the per-sample values:
    /// <c>"sum_over_batch_size"</c> (default), <c>"sum"</c>, <c>"none"</c>, <c>"mean"</c> or <c>"mean_with_sample_weight"</c>.</param>
    /// <param name="name">The loss's name.</param>
    /// <exception cref="ArgumentException"><paramref name="reduction"/> is unknown.</exception>
    public Poisson(string? reduction = "sum_over_batch_size", string name = "poisson") : base(name, reduction) { }

    /// <inheritdoc/>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = TargetChecks.ElementwisePair(Name, yTrue, yPred);
        return TargetChecks.MeanOverLastAxis(yPred - yTrue * (yPred + TargetChecks.Epsilon).log());
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The target shape differs from the output shape.</exception>
    public override void Validate(Tensor yTrue, long[] outputShape) => TargetChecks.CheckOutputShape(Name, yTrue, outputShape);
}
