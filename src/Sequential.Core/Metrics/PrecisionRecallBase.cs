using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// What <see cref="Precision"/> and <see cref="Recall"/> share (Keras's two classes keep the same state): the confusion
/// counts per threshold, with <c>topK</c> and <c>classId</c> as Keras's <c>update_confusion_matrix_variables</c> takes
/// them; each derived metric says which ratio of the counts it reports.
/// </summary>
public abstract class PrecisionRecallBase : Metric
{
    private readonly ConfusionHistogram _histogram;

    /// <summary>Creates the metric (see <see cref="Precision"/> and <see cref="Recall"/> for the arguments).</summary>
    /// <param name="thresholds">Thresholds in [0, 1], or null for 0.5 (−1e10 with <paramref name="topK"/>); with several,
    /// the result has one value per threshold.</param>
    /// <param name="topK">Count only each sample's k largest predictions as positive.</param>
    /// <param name="classId">Count only this class (a column of the last axis).</param>
    /// <param name="name">The key in logs and History.</param>
    /// <exception cref="ArgumentException">A threshold is outside [0, 1].</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="topK"/> is below 1 or <paramref name="classId"/> negative.</exception>
    protected PrecisionRecallBase(IReadOnlyList<double>? thresholds, int? topK, int? classId, string name) : base(name)
    {
        if (topK is int k) ArgumentOutOfRangeException.ThrowIfLessThan(k, 1, nameof(topK));
        if (classId is int id) ArgumentOutOfRangeException.ThrowIfNegative(id, nameof(classId));
        Thresholds = thresholds;
        TopK = topK;
        ClassId = classId;
        double[] values = thresholds is not null
            ? ConfusionHistogram.CheckThresholds(thresholds, nameof(thresholds))
            : [topK is null ? 0.5 : ConfusionHistogram.NegativeInfinity];
        _histogram = new ConfusionHistogram(name, values, ConfusionHistogram.IsEvenlyDistributed(values), topK: topK, classId: classId);
    }

    /// <summary>The thresholds as given (null for the default).</summary>
    public IReadOnlyList<double>? Thresholds { get; }

    /// <summary>Only each sample's k largest predictions count as positive, or null.</summary>
    public int? TopK { get; }

    /// <summary>The class counted, or null for all.</summary>
    public int? ClassId { get; }

    /// <inheritdoc/>
    public override MetricDirection Direction => MetricDirection.Up;

    /// <inheritdoc/>
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight) => _histogram.Update(yTrue, yPred, sampleWeight);

    /// <inheritdoc/>
    /// <returns>A scalar for one threshold, else one value per threshold; 0 where nothing was counted.</returns>
    public override Tensor Result()
    {
        var (tp, fp, _, fn) = _histogram.Counts();
        var result = Ratio(tp, fp, fn);
        return _histogram.Count == 1 ? result[0] : result;
    }

    /// <summary>The reported ratio of the counts per threshold.</summary>
    /// <param name="truePositives">True positives per threshold.</param>
    /// <param name="falsePositives">False positives per threshold.</param>
    /// <param name="falseNegatives">False negatives per threshold.</param>
    /// <returns>One value per threshold.</returns>
    protected abstract Tensor Ratio(Tensor truePositives, Tensor falsePositives, Tensor falseNegatives);

    /// <inheritdoc/>
    public override void ResetState() => _histogram.Reset();

    /// <inheritdoc/>
    internal override ConfusionHistogram Histogram => _histogram;
}
