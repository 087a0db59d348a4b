using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// The hinge metric (Keras's <c>keras.metrics.Hinge</c>, string <c>"hinge"</c>): per sample mean(max(1 − y·ŷ, 0)) over the last axis; labels that are all 0 or 1 are read as −1 and 1.
/// </summary>
public sealed class Hinge : MeanMetricWrapper
{
    /// <summary>Creates the metric.</summary>
    /// <param name="name">The key in logs and History.</param>
    public Hinge(string name = "hinge") : base(name) { }

    /// <inheritdoc/>
    public override MetricDirection Direction => MetricDirection.Down;

    /// <inheritdoc/>
    /// <returns>The mean hinge over the last axis.</returns>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred) => MetricFunctions.Hinge(yTrue, yPred);
}
