using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// Keras's <c>keras.metrics.RecallAtPrecision</c>: the best recall (TP / (TP + FN)) among thresholds whose precision (TP / (TP + FP)) is at least <see cref="Precision"/>, over
/// <see cref="SensitivitySpecificityBase.NumThresholds"/> evenly spaced thresholds in [0, 1]; 0 when no threshold qualifies.
/// </summary>
/// <example>
/// <code>
/// model.Compile(optimizer: "adam", loss: "binary_crossentropy", metrics: [new RecallAtPrecision(precision: 0.8)]);
/// </code>
/// </example>
public sealed class RecallAtPrecision : SensitivitySpecificityBase
{
    /// <summary>Creates the metric.</summary>
    /// <param name="precision">The precision to hold at least, in [0, 1].</param>
    /// <param name="numThresholds">How many thresholds to evaluate (1 means just 0.5).</param>
    /// <param name="classId">Count only this class (a column of the last axis), or null.</param>
    /// <param name="name">The key in logs and History.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="precision"/> is outside [0, 1], or
    /// <paramref name="numThresholds"/> below 1.</exception>
    public RecallAtPrecision(double precision, int numThresholds = 200, int? classId = null, string name = "recall_at_precision")
        : base(precision, nameof(precision), numThresholds, classId, name) => Precision = precision;

    /// <summary>The precision held at least.</summary>
    public double Precision { get; }

    /// <inheritdoc/>
    /// <returns>A float64 scalar on the metric's device.</returns>
    public override Tensor Result()
    {
        var (tp, fp, tn, fn) = Counts();
        return MaxUnderConstraint(Precisions(tp, fp), Sensitivities(tp, fn));
    }
}
