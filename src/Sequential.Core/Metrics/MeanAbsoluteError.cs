using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// The mean absolute error as a metric (Keras's <c>keras.metrics.MeanAbsoluteError</c>, strings <c>"mean_absolute_error"</c> and
/// <c>"mae"</c>): per sample the mean over the last axis, then the mean over all samples seen since the last reset.
/// </summary>
/// <remarks>Not to be confused with the loss <see cref="Losses.MeanAbsoluteError"/>, which averages one batch.</remarks>
public sealed class MeanAbsoluteError : MeanMetricWrapper
{
    // The loss's per-sample function, as Keras's metric wraps the loss function (a loss holds no tensors: shareable).
    private static readonly Losses.MeanAbsoluteError Function = new();

    /// <summary>Creates the metric.</summary>
    /// <param name="name">The key in logs and History.</param>
    public MeanAbsoluteError(string name = "mean_absolute_error") : base(name) { }

    /// <inheritdoc/>
    public override MetricDirection Direction => MetricDirection.Down;

    /// <inheritdoc/>
    /// <returns>The loss's per-sample values: the mean absolute error over the last axis.</returns>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred) => Function.ComputeValues(yTrue, yPred);
}
