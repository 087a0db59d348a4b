using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// The mean absolute percentage error as a metric (Keras's <c>keras.metrics.MeanAbsolutePercentageError</c>, strings <c>"mean_absolute_percentage_error"</c> and <c>"mape"</c>): per sample 100 · mean(|(y − ŷ) / max(|y|, 1e-7)|) over the last axis, averaged over every sample since the last reset.
/// </summary>
public sealed class MeanAbsolutePercentageError : MeanMetricWrapper
{
    /// <summary>Creates the metric.</summary>
    /// <param name="name">The key in logs and History.</param>
    public MeanAbsolutePercentageError(string name = "mean_absolute_percentage_error") : base(name) { }

    /// <inheritdoc/>
    public override MetricDirection Direction => MetricDirection.Down;

    /// <inheritdoc/>
    /// <returns>100 times the mean relative error over the last axis.</returns>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred) => MetricFunctions.MeanAbsolutePercentageError(yTrue, yPred);
}
