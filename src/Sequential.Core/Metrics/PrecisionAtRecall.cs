using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// Keras's <c>keras.metrics.PrecisionAtRecall</c>: the best precision (TP / (TP + FP)) among thresholds whose recall (TP / (TP + FN)) is at least <see cref="Recall"/>, over
/// <see cref="SensitivitySpecificityBase.NumThresholds"/> evenly spaced thresholds in [0, 1]; 0 when no threshold qualifies.
/// </summary>
/// <example>
/// <code>
/// model.Compile(optimizer: "adam", loss: "binary_crossentropy", metrics: [new PrecisionAtRecall(recall: 0.8)]);
/// </code>
/// </example>
public sealed class PrecisionAtRecall : SensitivitySpecificityBase
{
    /// <summary>Creates the metric.</summary>
    /// <param name="recall">The recall to hold at least, in [0, 1].</param>
    /// <param name="numThresholds">How many thresholds to evaluate (1 means just 0.5).</param>
    /// <param name="classId">Count only this class (a column of the last axis), or null.</param>
    /// <param name="name">The key in logs and History.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="recall"/> is outside [0, 1], or
    /// <paramref name="numThresholds"/> below 1.</exception>
    public PrecisionAtRecall(double recall, int numThresholds = 200, int? classId = null, string name = "precision_at_recall")
        : base(recall, nameof(recall), numThresholds, classId, name) => Recall = recall;

    /// <summary>The recall held at least.</summary>
    public double Recall { get; }

    /// <inheritdoc/>
    /// <returns>A float64 scalar on the metric's device.</returns>
    public override Tensor Result()
    {
        var (tp, fp, tn, fn) = Counts();
        return MaxUnderConstraint(Sensitivities(tp, fn), Precisions(tp, fp));
    }
}
