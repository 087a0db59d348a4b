using Sequential.Losses;
using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// The mean squared error as a metric (Keras's <c>keras.metrics.MeanSquaredError</c>, strings <c>"mean_squared_error"</c> and
/// <c>"mse"</c>): per sample the mean over the last axis, then the mean over all samples seen since the last reset.
/// </summary>
/// <remarks>Not to be confused with the loss <see cref="Losses.MeanSquaredError"/>, which averages one batch.</remarks>
public sealed class MeanSquaredError : Mean
{
    /// <summary>Creates the metric.</summary>
    /// <param name="name">The key in logs and History.</param>
    public MeanSquaredError(string name = "mean_squared_error") : base(name) { }

    /// <inheritdoc/>
    public override void UpdateState(Tensor yTrue, Tensor yPred)
    {
        using var scope = NewDisposeScope();
        (yTrue, yPred) = TargetChecks.MatchRank(yTrue, yPred.detach());
        AddSamples((yPred - TargetChecks.AsDtypeOf(yTrue, yPred)).square());
    }
}
