using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// How often predictions equal labels exactly (Keras's <c>keras.metrics.Accuracy</c>): for predictions that are already
/// class ids or rounded values. The string <c>"accuracy"</c> in <c>Compile</c> means binary, categorical or sparse
/// categorical accuracy instead, chosen from the shapes (as in Keras); this class is what <c>new Accuracy()</c> gives.
/// </summary>
public sealed class Accuracy : MeanMetricWrapper
{
    /// <summary>Creates the metric.</summary>
    /// <param name="name">The key in logs and History.</param>
    public Accuracy(string name = "accuracy") : base(name) { }

    /// <inheritdoc/>
    public override MetricDirection Direction => MetricDirection.Up;

    /// <inheritdoc/>
    /// <returns>1 where the prediction equals the label, else 0, per element.</returns>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = MetricFunctions.Floats(yTrue, yPred);
        return yTrue.eq(yPred);
    }
}
