using static TorchSharp.torch;

namespace Sequential.Losses;

/// <summary>
/// <c>100 * mean(|yTrue - yPred| / max(|yTrue|, 1e-7))</c> over the last axis, averaged over the batch (Keras's <c>keras.losses.MeanAbsolutePercentageError</c>, strings <c>"mean_absolute_percentage_error"</c> and <c>"mape"</c>).
/// </summary>
/// <example>
/// <code>
/// model.Compile(optimizer: "adam", loss: "mape");
/// </code>
/// </example>
public sealed class MeanAbsolutePercentageError : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="reduction">How <see cref="Loss.Call(Tensor, Tensor, Tensor?)"/> reduces the per-sample values:
    /// <c>"sum_over_batch_size"</c> (default), <c>"sum"</c>, <c>"none"</c>, <c>"mean"</c> or <c>"mean_with_sample_weight"</c>.</param>
    /// <param name="name">The loss's name.</param>
    /// <exception cref="ArgumentException"><paramref name="reduction"/> is unknown.</exception>
    public MeanAbsolutePercentageError(string? reduction = "sum_over_batch_size", string name = "mean_absolute_percentage_error") : base(name, reduction) { }

    /// <inheritdoc/>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = TargetChecks.ElementwisePair(Name, yTrue, yPred);
        var diff = ((yTrue - yPred) / yTrue.abs().clamp_min(TargetChecks.Epsilon)).abs();
        return TargetChecks.MeanOverLastAxis(diff) * 100.0;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The target shape differs from the output shape.</exception>
    public override void Validate(Tensor yTrue, long[] outputShape) => TargetChecks.CheckOutputShape(Name, yTrue, outputShape);
}
