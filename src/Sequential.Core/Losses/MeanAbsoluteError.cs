using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

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
    public MeanAbsoluteError() : base("mean_absolute_error") { }

    /// <inheritdoc/>
    public override Tensor Call(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = TargetChecks.MatchRank(yTrue, yPred);
        TargetChecks.CheckBatchShapes(Name, yTrue, yPred);
        yTrue = TargetChecks.AsDtypeOf(yTrue, yPred);
        return l1_loss(yPred, yTrue);
    }

    /// <inheritdoc/>
    public override Tensor CallPerSample(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = TargetChecks.MatchRank(yTrue, yPred);
        TargetChecks.CheckBatchShapes(Name, yTrue, yPred);
        yTrue = TargetChecks.AsDtypeOf(yTrue, yPred);
        return TargetChecks.PerSampleMean((yPred - yTrue).abs());
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The target shape differs from the output shape.</exception>
    public override void Validate(Tensor yTrue, long[] outputShape) => TargetChecks.CheckOutputShape(Name, yTrue, outputShape);
}
