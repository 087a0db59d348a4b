using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// The mean squared logarithmic error as a metric (Keras's <c>keras.metrics.MeanSquaredLogarithmicError</c>, strings <c>"mean_squared_logarithmic_error"</c> and <c>"msle"</c>): per sample mean((log(1 + max(ŷ, ε)) − log(1 + max(y, ε)))²) over the last axis.
/// </summary>
public sealed class MeanSquaredLogarithmicError : MeanMetricWrapper
{
    /// <summary>Creates the metric.</summary>
    /// <param name="name">The key in logs and History.</param>
    public MeanSquaredLogarithmicError(string name = "mean_squared_logarithmic_error") : base(name) { }

    /// <inheritdoc/>
    public override MetricDirection Direction => MetricDirection.Down;

    /// <inheritdoc/>
    /// <returns>The mean squared difference of the logs over the last axis.</returns>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred) => MetricFunctions.MeanSquaredLogarithmicError(yTrue, yPred);
}
