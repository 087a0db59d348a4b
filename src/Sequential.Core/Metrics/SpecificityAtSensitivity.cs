using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// Keras's <c>keras.metrics.SpecificityAtSensitivity</c>: the best specificity (TN / (TN + FP)) among thresholds whose sensitivity (TP / (TP + FN)) is at least <see cref="Sensitivity"/>, over
/// <see cref="SensitivitySpecificityBase.NumThresholds"/> evenly spaced thresholds in [0, 1]; 0 when no threshold qualifies.
/// </summary>
/// <example>
/// <code>
/// model.Compile(optimizer: "adam", loss: "binary_crossentropy", metrics: [new SpecificityAtSensitivity(sensitivity: 0.8)]);
/// </code>
/// </example>
public sealed class SpecificityAtSensitivity : SensitivitySpecificityBase
{
    /// <summary>Creates the metric.</summary>
    /// <param name="sensitivity">The sensitivity to hold at least, in [0, 1].</param>
    /// <param name="numThresholds">How many thresholds to evaluate (1 means just 0.5).</param>
    /// <param name="classId">Count only this class (a column of the last axis), or null.</param>
    /// <param name="name">The key in logs and History.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sensitivity"/> is outside [0, 1], or
    /// <paramref name="numThresholds"/> below 1.</exception>
    public SpecificityAtSensitivity(double sensitivity, int numThresholds = 200, int? classId = null, string name = "specificity_at_sensitivity")
        : base(sensitivity, nameof(sensitivity), numThresholds, classId, name) => Sensitivity = sensitivity;

    /// <summary>The sensitivity held at least.</summary>
    public double Sensitivity { get; }

    /// <inheritdoc/>
    /// <returns>A float64 scalar on the metric's device.</returns>
    public override Tensor Result()
    {
        var (tp, fp, tn, fn) = Counts();
        return MaxUnderConstraint(Sensitivities(tp, fn), Specificities(tn, fp));
    }
}
