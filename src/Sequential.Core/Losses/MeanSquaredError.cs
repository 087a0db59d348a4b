using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

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
    public MeanSquaredError() : base("mean_squared_error") { }

    /// <inheritdoc/>
    public override Tensor Call(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = TargetChecks.MatchRank(yTrue, yPred);
        TargetChecks.CheckBatchShapes(Name, yTrue, yPred);
        yTrue = TargetChecks.AsDtypeOf(yTrue, yPred);
        return mse_loss(yPred, yTrue);
    }

    /// <inheritdoc/>
    public override Tensor CallPerSample(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = TargetChecks.MatchRank(yTrue, yPred);
        TargetChecks.CheckBatchShapes(Name, yTrue, yPred);
        yTrue = TargetChecks.AsDtypeOf(yTrue, yPred);
        return TargetChecks.PerSampleMean((yPred - yTrue).square());
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The target shape differs from the output shape.</exception>
    public override void Validate(Tensor yTrue, long[] outputShape) => TargetChecks.CheckOutputShape(Name, yTrue, outputShape);
}
