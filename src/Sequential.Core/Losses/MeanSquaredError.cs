using static TorchSharp.torch;

namespace Sequential.Losses;

/// <summary>
/// The mean of squared errors, <c>mean((yTrue - yPred)^2)</c> over the last axis, averaged over the batch (Keras's <c>keras.losses.MeanSquaredError</c>, strings <c>"mean_squared_error"</c> and
/// <c>"mse"</c>); typical for regression with a linear output unit.
/// </summary>
/// <remarks>Targets of shape [N] meet an output of shape [N, 1] as in Keras (no broadcasting to [N, N]).</remarks>
/// <example>
/// <code>
/// model.Compile(optimizer: "adam", loss: new MeanSquaredError());   // or loss: "mse"
/// </code>
/// </example>
public sealed class MeanSquaredError : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="reduction">How <see cref="Loss.Call(Tensor, Tensor, Tensor?)"/> reduces the per-sample values:
    /// <c>"sum_over_batch_size"</c> (default), <c>"sum"</c>, <c>"none"</c>, <c>"mean"</c> or <c>"mean_with_sample_weight"</c>.</param>
    /// <param name="name">The loss's name.</param>
    /// <exception cref="ArgumentException"><paramref name="reduction"/> is unknown.</exception>
    public MeanSquaredError(string? reduction = "sum_over_batch_size", string name = "mean_squared_error") : base(name, reduction) { }

    /// <inheritdoc/>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = TargetChecks.ElementwisePair(Name, yTrue, yPred);
        return TargetChecks.MeanOverLastAxis((yPred - yTrue).square());
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The target shape differs from the output shape.</exception>
    public override void Validate(Tensor yTrue, long[] outputShape) => TargetChecks.CheckOutputShape(Name, yTrue, outputShape);
}
