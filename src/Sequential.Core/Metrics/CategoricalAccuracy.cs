using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// How often the predicted class (arg-max of the output) equals the class of a one-hot target (Keras's
/// <c>keras.metrics.CategoricalAccuracy</c>). For integer labels use <see cref="SparseCategoricalAccuracy"/>.
/// </summary>
public sealed class CategoricalAccuracy : Mean
{
    /// <summary>Creates the metric.</summary>
    /// <param name="name">The key in logs and History.</param>
    public CategoricalAccuracy(string name = "categorical_accuracy") : base(name) { }

    /// <inheritdoc/>
    public override void UpdateState(Tensor yTrue, Tensor yPred)
    {
        using var scope = NewDisposeScope();
        AddSamples(yTrue.argmax(-1).eq(yPred.detach().argmax(-1)));
    }
}
