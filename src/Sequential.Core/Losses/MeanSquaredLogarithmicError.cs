using static TorchSharp.torch;

namespace Sequential.Losses;

/// <summary>
/// <c>mean((log(max(yPred, 1e-7) + 1) - log(max(yTrue, 1e-7) + 1))^2)</c> over the last axis, averaged over the batch;
/// values at or below 0 count as 1e-7, as in Keras (Keras's <c>keras.losses.MeanSquaredLogarithmicError</c>, strings <c>"mean_squared_logarithmic_error"</c> and <c>"msle"</c>).
/// </summary>
/// <example>
/// <code>
/// model.Compile(optimizer: "adam", loss: "msle");
/// </code>
/// </example>
public sealed class MeanSquaredLogarithmicError : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="reduction">How <see cref="Loss.Call(Tensor, Tensor, Tensor?)"/> reduces the per-sample values:
    /// <c>"sum_over_batch_size"</c> (default), <c>"sum"</c>, <c>"none"</c>, <c>"mean"</c> or <c>"mean_with_sample_weight"</c>.</param>
    /// <param name="name">The loss's name.</param>
    /// <exception cref="ArgumentException"><paramref name="reduction"/> is unknown.</exception>
    public MeanSquaredLogarithmicError(string? reduction = "sum_over_batch_size", string name = "mean_squared_logarithmic_error") : base(name, reduction) { }

    /// <inheritdoc/>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = TargetChecks.ElementwisePair(Name, yTrue, yPred);
        var first = yPred.clamp_min(TargetChecks.Epsilon).log1p();
        var second = yTrue.clamp_min(TargetChecks.Epsilon).log1p();
        return TargetChecks.MeanOverLastAxis((first - second).square());
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The target shape differs from the output shape.</exception>
    public override void Validate(Tensor yTrue, long[] outputShape) => TargetChecks.CheckOutputShape(Name, yTrue, outputShape);
}
