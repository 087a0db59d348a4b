using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// Base of <see cref="TruePositives"/>, <see cref="FalsePositives"/>, <see cref="TrueNegatives"/> and
/// <see cref="FalseNegatives"/> (Keras's <c>_ConfusionMatrixConditionCount</c>): a prediction is positive when it is
/// greater than the threshold, a label when it is not 0; each entry counts with its sample weight.
/// </summary>
/// <remarks>The counts stay on the device; see <see cref="Precision"/> for how batches are counted without a copy to the
/// host.</remarks>
public abstract class ConfusionMatrixCount : Metric
{
    private readonly ConfusionHistogram _histogram;

    /// <summary>Creates the counter.</summary>
    /// <param name="thresholds">Thresholds in [0, 1], or null for 0.5; with several, <see cref="Result"/> has one count
    /// per threshold.</param>
    /// <param name="name">The key in logs and History.</param>
    /// <exception cref="ArgumentException">A threshold is outside [0, 1].</exception>
    protected ConfusionMatrixCount(IReadOnlyList<double>? thresholds, string name) : base(name)
    {
        Thresholds = thresholds;
        double[] values = thresholds is null ? [0.5] : ConfusionHistogram.CheckThresholds(thresholds, nameof(thresholds));
        _histogram = new ConfusionHistogram(name, values, ConfusionHistogram.IsEvenlyDistributed(values));
    }

    /// <summary>The thresholds as given (null for the default 0.5).</summary>
    public IReadOnlyList<double>? Thresholds { get; }

    /// <summary>Picks this counter's entry from the four counts.</summary>
    private protected abstract Tensor Select(Tensor truePositives, Tensor falsePositives, Tensor trueNegatives, Tensor falseNegatives);

    /// <inheritdoc/>
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight) => _histogram.Update(yTrue, yPred, sampleWeight);

    /// <inheritdoc/>
    /// <returns>The weighted count: a scalar for one threshold, else one per threshold.</returns>
    public override Tensor Result()
    {
        var (tp, fp, tn, fn) = _histogram.Counts();
        var counts = Select(tp, fp, tn, fn);
        return _histogram.Count == 1 ? counts[0] : counts;
    }

    /// <inheritdoc/>
    public override void ResetState() => _histogram.Reset();

    /// <inheritdoc/>
    internal override ConfusionHistogram Histogram => _histogram;
}
