using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// The mean squared error as a metric (Keras's <c>keras.metrics.MeanSquaredError</c>, strings <c>"mean_squared_error"</c> and
/// <c>"mse"</c>): per sample the mean over the last axis, then the mean over all samples seen since the last reset.
/// </summary>
/// <remarks>Not to be confused with the loss <see cref="Losses.MeanSquaredError"/>, which averages one batch.</remarks>
public sealed class MeanSquaredError : MeanMetricWrapper
{
    // The loss's per-sample function, as Keras's metric wraps the loss function (a loss holds no tensors: shareable).
    private static readonly Losses.MeanSquaredError Function = new();

    /// <summary>Creates the metric.</summary>
    /// <param name="name">The key in logs and History.</param>
    public MeanSquaredError(string name = "mean_squared_error") : base(name) { }

    /// <inheritdoc/>
    public override MetricDirection Direction => MetricDirection.Down;

    /// <inheritdoc/>
    /// <returns>The loss's per-sample values: the mean squared error over the last axis.</returns>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred) => Function.ComputeValues(yTrue, yPred);
}
