using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// Keras's <c>keras.metrics.SensitivityAtSpecificity</c>: the best sensitivity (recall, TP / (TP + FN)) among thresholds whose specificity (TN / (TN + FP)) is at least <see cref="Specificity"/>, over
/// <see cref="SensitivitySpecificityBase.NumThresholds"/> evenly spaced thresholds in [0, 1]; 0 when no threshold qualifies.
/// </summary>
/// <example>
/// <code>
/// model.Compile(optimizer: "adam", loss: "binary_crossentropy", metrics: [new SensitivityAtSpecificity(specificity: 0.8)]);
/// </code>
/// </example>
public sealed class SensitivityAtSpecificity : SensitivitySpecificityBase
{
    /// <summary>Creates the metric.</summary>
    /// <param name="specificity">The specificity to hold at least, in [0, 1].</param>
    /// <param name="numThresholds">How many thresholds to evaluate (1 means just 0.5).</param>
    /// <param name="classId">Count only this class (a column of the last axis), or null.</param>
    /// <param name="name">The key in logs and History.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="specificity"/> is outside [0, 1], or
    /// <paramref name="numThresholds"/> below 1.</exception>
    public SensitivityAtSpecificity(double specificity, int numThresholds = 200, int? classId = null, string name = "sensitivity_at_specificity")
        : base(specificity, nameof(specificity), numThresholds, classId, name) => Specificity = specificity;

    /// <summary>The specificity held at least.</summary>
    public double Specificity { get; }

    /// <inheritdoc/>
    /// <returns>A float64 scalar on the metric's device.</returns>
    public override Tensor Result()
    {
        var (tp, fp, tn, fn) = Counts();
        return MaxUnderConstraint(Specificities(tn, fp), Sensitivities(tp, fn));
    }
}
