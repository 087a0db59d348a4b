using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// The sparse categorical cross-entropy as a metric (Keras's <c>keras.metrics.SparseCategoricalCrossentropy</c>, string
/// <c>"sparse_categorical_crossentropy"</c>): the per-sample values of the loss
/// <see cref="Losses.SparseCategoricalCrossentropy"/> for integer labels, averaged over every sample since the last reset.
/// </summary>
public sealed class SparseCategoricalCrossentropy : MeanMetricWrapper
{
    private readonly Losses.SparseCategoricalCrossentropy _function;

    /// <summary>Creates the metric.</summary>
    /// <param name="name">The key in logs and History.</param>
    /// <param name="fromLogits">Whether predictions are logits rather than probabilities.</param>
    public SparseCategoricalCrossentropy(string name = "sparse_categorical_crossentropy", bool fromLogits = false) : base(name)
    {
        _function = new Losses.SparseCategoricalCrossentropy(fromLogits);
        FromLogits = fromLogits;
    }

    /// <summary>Whether predictions are logits.</summary>
    public bool FromLogits { get; }

    /// <inheritdoc/>
    public override MetricDirection Direction => MetricDirection.Down;

    /// <inheritdoc/>
    /// <returns>The loss's per-sample cross-entropy.</returns>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred) => _function.ComputeValues(yTrue, yPred);
}
