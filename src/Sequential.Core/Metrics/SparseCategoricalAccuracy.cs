using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// How often the predicted class (arg-max of the output) equals an integer label (Keras's
/// <c>keras.metrics.SparseCategoricalAccuracy</c>). Labels may have shape [N] or [N, 1].
/// </summary>
public sealed class SparseCategoricalAccuracy : MeanMetricWrapper
{
    /// <summary>Creates the metric.</summary>
    /// <param name="name">The key in logs and History.</param>
    public SparseCategoricalAccuracy(string name = "sparse_categorical_accuracy") : base(name) { }

    /// <inheritdoc/>
    public override MetricDirection Direction => MetricDirection.Up;

    /// <inheritdoc/>
    /// <returns>1 where the arg-max of the output is the label, else 0: shape [N].</returns>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred)
    {
        if (yTrue.dim() == yPred.dim() && yTrue.shape[^1] == 1) yTrue = yTrue.squeeze(-1);
        if (yTrue.dtype != ScalarType.Int64) yTrue = yTrue.to_type(ScalarType.Int64);
        return yPred.argmax(-1).eq(yTrue);
    }
}
