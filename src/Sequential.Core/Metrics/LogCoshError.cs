using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// The logarithm of the hyperbolic cosine of the error as a metric (Keras's <c>keras.metrics.LogCoshError</c>, string <c>"log_cosh_error"</c>; logged as <c>logcosh</c> by default, as Keras names it): per sample mean(log(cosh(ŷ − y))) over the last axis.
/// </summary>
public sealed class LogCoshError : MeanMetricWrapper
{
    /// <summary>Creates the metric.</summary>
    /// <param name="name">The key in logs and History.</param>
    public LogCoshError(string name = "logcosh") : base(name) { }

    /// <inheritdoc/>
    public override MetricDirection Direction => MetricDirection.Down;

    /// <inheritdoc/>
    /// <returns>The mean log-cosh of the error over the last axis.</returns>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred) => MetricFunctions.LogCosh(yTrue, yPred);
}
