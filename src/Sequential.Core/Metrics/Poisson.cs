using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// The Poisson metric (Keras's <c>keras.metrics.Poisson</c>, string <c>"poisson"</c>): per sample mean(ŷ − y·log(ŷ + 1e-7)) over the last axis.
/// </summary>
public sealed class Poisson : MeanMetricWrapper
{
    /// <summary>Creates the metric.</summary>
    /// <param name="name">The key in logs and History.</param>
    public Poisson(string name = "poisson") : base(name) { }

    /// <inheritdoc/>
    public override MetricDirection Direction => MetricDirection.Down;

    /// <inheritdoc/>
    /// <returns>The mean Poisson deviance term over the last axis.</returns>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred) => MetricFunctions.Poisson(yTrue, yPred);
}
