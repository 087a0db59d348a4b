using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// The categorical hinge metric (Keras's <c>keras.metrics.CategoricalHinge</c>, string <c>"categorical_hinge"</c>): per sample max(max((1 − y)·ŷ) − Σ y·ŷ + 1, 0) for one-hot targets.
/// </summary>
public sealed class CategoricalHinge : MeanMetricWrapper
{
    /// <summary>Creates the metric.</summary>
    /// <param name="name">The key in logs and History.</param>
    public CategoricalHinge(string name = "categorical_hinge") : base(name) { }

    /// <inheritdoc/>
    public override MetricDirection Direction => MetricDirection.Down;

    /// <inheritdoc/>
    /// <returns>One value per sample.</returns>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred) => MetricFunctions.CategoricalHinge(yTrue, yPred);
}
