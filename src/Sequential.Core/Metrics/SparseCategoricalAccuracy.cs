using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// How often the predicted class (arg-max of the output) equals an integer label (Keras's
/// <c>keras.metrics.SparseCategoricalAccuracy</c>). Labels may have shape [N] or [N, 1].
/// </summary>
public sealed class SparseCategoricalAccuracy : Mean
{
    /// <summary>Creates the metric.</summary>
    /// <param name="name">The key in logs and History.</param>
    public SparseCategoricalAccuracy(string name = "sparse_categorical_accuracy") : base(name) { }

    /// <inheritdoc/>
    public override void UpdateState(Tensor yTrue, Tensor yPred)
    {
        using var scope = NewDisposeScope();
        if (yTrue.dim() == yPred.dim() && yTrue.shape[^1] == 1) yTrue = yTrue.squeeze(-1);
        if (yTrue.dtype != ScalarType.Int64) yTrue = yTrue.to_type(ScalarType.Int64);
        AddSamples(yPred.detach().argmax(-1).eq(yTrue));
    }
}
