using Sequential.Losses;
using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// The mean absolute error as a metric (Keras's <c>keras.metrics.MeanAbsoluteError</c>, strings <c>"mean_absolute_error"</c> and
/// <c>"mae"</c>): per sample the mean over the last axis, then the mean over all samples seen since the last reset.
/// </summary>
/// <remarks>Not to be confused with the loss <see cref="Losses.MeanAbsoluteError"/>, which averages one batch.</remarks>
public sealed class MeanAbsoluteError : Mean
{
    /// <summary>Creates the metric.</summary>
    /// <param name="name">The key in logs and History.</param>
    public MeanAbsoluteError(string name = "mean_absolute_error") : base(name) { }

    /// <inheritdoc/>
    public override void UpdateState(Tensor yTrue, Tensor yPred)
    {
        using var scope = NewDisposeScope();
        (yTrue, yPred) = TargetChecks.MatchRank(yTrue, yPred.detach());
        AddSamples((yPred - TargetChecks.AsDtypeOf(yTrue, yPred)).abs());
    }
}
