using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// How often the predicted class (arg-max of the output) equals the class of a one-hot target (Keras's
/// <c>keras.metrics.CategoricalAccuracy</c>). For integer labels use <see cref="SparseCategoricalAccuracy"/>.
/// </summary>
public sealed class CategoricalAccuracy : MeanMetricWrapper
{
    /// <summary>Creates the metric.</summary>
    /// <param name="name">The key in logs and History.</param>
    public CategoricalAccuracy(string name = "categorical_accuracy") : base(name) { }

    /// <inheritdoc/>
    public override MetricDirection Direction => MetricDirection.Up;

    /// <inheritdoc/>
    /// <returns>1 where the arg-max of the output is the arg-max of the target, else 0: shape [N].</returns>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred) => yTrue.argmax(-1).eq(yPred.argmax(-1));
}
