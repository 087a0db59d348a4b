using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// The Kullback-Leibler divergence as a metric (Keras's <c>keras.metrics.KLDivergence</c>, string <c>"kl_divergence"</c>): per sample Σ y·log(y/ŷ) over the last axis, both clipped to [1e-7, 1].
/// </summary>
public sealed class KLDivergence : MeanMetricWrapper
{
    /// <summary>Creates the metric.</summary>
    /// <param name="name">The key in logs and History.</param>
    public KLDivergence(string name = "kl_divergence") : base(name) { }

    /// <inheritdoc/>
    public override MetricDirection Direction => MetricDirection.Down;

    /// <inheritdoc/>
    /// <returns>The divergence of each sample.</returns>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred) => MetricFunctions.KLDivergence(yTrue, yPred);
}
