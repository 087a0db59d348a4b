using static TorchSharp.torch;

namespace Sequential.Losses;

/// <summary>
/// The mean of absolute errors, <c>mean(abs(yTrue - yPred))</c> over the last axis, averaged over the batch (Keras's <c>keras.losses.MeanAbsoluteError</c>, strings <c>"mean_absolute_error"</c> and
/// <c>"mae"</c>); typical for regression that is robust to outliers.
/// </summary>
/// <remarks>Targets of shape [N] meet an output of shape [N, 1] as in Keras (no broadcasting to [N, N]).</remarks>
/// <example>
/// <code>
/// model.Compile(optimizer: "adam", loss: new MeanAbsoluteError());   // or loss: "mae"
/// </code>
/// </example>
public sealed class MeanAbsoluteError : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="reduction">How <see cref="Loss.Call(Tensor, Tensor, Tensor?)"/> reduces the per-sample values:
    /// <c>"sum_over_batch_size"</c> (default), <c>"sum"</c>, <c>"none"</c>, <c>"mean"</c> or <c>"mean_with_sample_weight"</c>.</param>
    /// <param name="name">The loss's name.</param>
    /// <exception cref="ArgumentException"><paramref name="reduction"/> is unknown.</exception>
    public MeanAbsoluteError(string? reduction = "sum_over_batch_size", string name = "mean_absolute_error") : base(name, reduction) { }

    /// <inheritdoc/>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = TargetChecks.ElementwisePair(Name, yTrue, yPred);
        return TargetChecks.MeanOverLastAxis((yPred - yTrue).abs());
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The target shape differs from the output shape.</exception>
    public override void Validate(Tensor yTrue, long[] outputShape) => TargetChecks.CheckOutputShape(Name, yTrue, outputShape);
}
