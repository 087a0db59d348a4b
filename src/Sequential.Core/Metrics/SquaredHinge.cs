using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// The squared hinge metric (Keras's <c>keras.metrics.SquaredHinge</c>, string <c>"squared_hinge"</c>): per sample mean(max(1 − y·ŷ, 0)²) over the last axis; labels that are all 0 or 1 are read as −1 and 1.
/// </summary>
public sealed class SquaredHinge : MeanMetricWrapper
{
    /// <summary>Creates the metric.</summary>
    /// <param name="name">The key in logs and History.</param>
    public SquaredHinge(string name = "squared_hinge") : base(name) { }

    /// <inheritdoc/>
    public override MetricDirection Direction => MetricDirection.Down;

    /// <inheritdoc/>
    /// <returns>The mean squared hinge over the last axis.</returns>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred) => MetricFunctions.SquaredHinge(yTrue, yPred);
}
