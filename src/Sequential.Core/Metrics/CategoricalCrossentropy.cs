using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// The categorical cross-entropy as a metric (Keras's <c>keras.metrics.CategoricalCrossentropy</c>, string
/// <c>"categorical_crossentropy"</c>): the per-sample values of the loss <see cref="Losses.CategoricalCrossentropy"/>, averaged over
/// every sample since the last reset (the loss averages one batch).
/// </summary>
public sealed class CategoricalCrossentropy : MeanMetricWrapper
{
    private readonly Losses.CategoricalCrossentropy _function;

    /// <summary>Creates the metric.</summary>
    /// <param name="name">The key in logs and History.</param>
    /// <param name="fromLogits">Whether predictions are logits rather than probabilities.</param>
    /// <param name="labelSmoothing">Smoothing of the targets, in [0, 1], as the loss applies it.</param>
    public CategoricalCrossentropy(string name = "categorical_crossentropy", bool fromLogits = false, double labelSmoothing = 0) : base(name)
    {
        _function = new Losses.CategoricalCrossentropy(fromLogits, labelSmoothing);
        FromLogits = fromLogits;
        LabelSmoothing = labelSmoothing;
    }

    /// <summary>Whether predictions are logits.</summary>
    public bool FromLogits { get; }

    /// <summary>The smoothing of the targets.</summary>
    public double LabelSmoothing { get; }

    /// <inheritdoc/>
    public override MetricDirection Direction => MetricDirection.Down;

    /// <inheritdoc/>
    /// <returns>The loss's per-sample cross-entropy.</returns>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred) => _function.ComputeValues(yTrue, yPred);
}
