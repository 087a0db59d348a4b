using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// Base of the metrics that hold one rate at a minimum and report the best other rate over
/// <see cref="NumThresholds"/> evenly spaced thresholds (Keras's <c>SensitivitySpecificityBase</c>):
/// <see cref="SensitivityAtSpecificity"/>, <see cref="SpecificityAtSensitivity"/>, <see cref="PrecisionAtRecall"/>,
/// <see cref="RecallAtPrecision"/>.
/// </summary>
/// <remarks>The four counts per threshold stay on the device as one histogram (see <see cref="Precision"/>).</remarks>
public abstract class SensitivitySpecificityBase : Metric
{
    private readonly ConfusionHistogram _histogram;
    private readonly double _value;

    /// <summary>Creates the metric.</summary>
    /// <param name="value">The rate to hold at least (in [0, 1]).</param>
    /// <param name="argument">The name of that argument, for the message.</param>
    /// <param name="numThresholds">How many thresholds: 0, 1/(n−1), ..., 1 (just 0.5 when 1).</param>
    /// <param name="classId">Count only this class (a column of the last axis), or null.</param>
    /// <param name="name">The key in logs and History.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is outside [0, 1], or
    /// <paramref name="numThresholds"/> below 1.</exception>
    protected SensitivitySpecificityBase(double value, string argument, int numThresholds, int? classId, string name) : base(name)
    {
        if (!(value >= 0 && value <= 1))
            throw new ArgumentOutOfRangeException(argument, value, $"Argument `{argument}` must be in the range [0, 1].");
        if (numThresholds <= 0)
            throw new ArgumentOutOfRangeException(nameof(numThresholds), numThresholds, "Argument `numThresholds` must be an integer > 0.");
        if (classId is int id) ArgumentOutOfRangeException.ThrowIfNegative(id, nameof(classId));
        _value = value;
        NumThresholds = numThresholds;
        ClassId = classId;
        double[] thresholds = numThresholds == 1 ? [0.5] : [.. Enumerable.Range(0, numThresholds).Select(i => i == numThresholds - 1 ? 1.0 : i * 1.0 / (numThresholds - 1))];
        _histogram = new ConfusionHistogram(name, thresholds, evenly: numThresholds > 1, classId: classId);
    }

    /// <summary>How many thresholds are evaluated.</summary>
    public int NumThresholds { get; }

    /// <summary>The class counted, or null for all.</summary>
    public int? ClassId { get; }

    /// <inheritdoc/>
    public override MetricDirection Direction => MetricDirection.Up;

    /// <inheritdoc/>
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight) => _histogram.Update(yTrue, yPred, sampleWeight);

    /// <inheritdoc/>
    public override void ResetState() => _histogram.Reset();

    /// <inheritdoc/>
    internal override ConfusionHistogram Histogram => _histogram;

    /// <summary>The four counts per threshold (float64 on the device).</summary>
    private protected (Tensor TruePositives, Tensor FalsePositives, Tensor TrueNegatives, Tensor FalseNegatives) Counts() => _histogram.Counts();

    /// <summary>Sensitivity (recall) per threshold: TP / (TP + FN).</summary>
    private protected static Tensor Sensitivities(Tensor tp, Tensor fn) => ConfusionMath.DivideNoNan(tp, tp + fn);

    /// <summary>Specificity per threshold: TN / (TN + FP).</summary>
    private protected static Tensor Specificities(Tensor tn, Tensor fp) => ConfusionMath.DivideNoNan(tn, tn + fp);

    /// <summary>Precision per threshold: TP / (TP + FP).</summary>
    private protected static Tensor Precisions(Tensor tp, Tensor fp) => ConfusionMath.DivideNoNan(tp, tp + fp);

    /// <summary>Keras's <c>_find_max_under_constraint</c>: the largest <paramref name="dependent"/> among thresholds where
    /// <paramref name="constrained"/> is at least the value held, 0 when none is.</summary>
    private protected Tensor MaxUnderConstraint(Tensor constrained, Tensor dependent) =>
        where(constrained.ge(_value), dependent, zeros_like(dependent)).amax(0).clamp_min(0);
}
