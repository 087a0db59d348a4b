using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// Precision (Keras's <c>keras.metrics.Precision</c>, string <c>"precision"</c>): TP / (TP + FP), the share of the predictions called positive whose label is positive (0 when none is called positive).
/// A prediction is positive when it is greater than the threshold (0.5 by default), a label when it is not 0.
/// </summary>
/// <remarks>
/// <para>With <c>topK</c>, only each sample's k largest predictions can be positive (the default threshold is then
/// Keras's −1e10, so exactly those k are); with <c>classId</c>, only that column of the last axis is counted (one class
/// of a multi-class output). Both follow Keras's <c>update_confusion_matrix_variables</c>.</para>
/// <para>The true positives and false positives stay on the device as a histogram per threshold (binned in groups of
/// batches, see <see cref="AUC"/>); nothing is copied to the host until a value is read.</para>
/// </remarks>
/// <example>
/// <code>
/// model.Compile(optimizer: "adam", loss: "binary_crossentropy", metrics: ["precision", new Precision(thresholds: [0.3], name: "precision_at_0.3")]);
/// var perClass = new Precision(classId: 2);       // one class of a softmax output
/// </code>
/// </example>
public sealed class Precision : PrecisionRecallBase
{
    /// <summary>Creates the metric.</summary>
    /// <param name="thresholds">Thresholds in [0, 1], or null for 0.5 (−1e10 with <paramref name="topK"/>); with several,
    /// the result has one value per threshold.</param>
    /// <param name="topK">Count only each sample's k largest predictions as positive.</param>
    /// <param name="classId">Count only this class (a column of the last axis).</param>
    /// <param name="name">The key in logs and History.</param>
    /// <exception cref="ArgumentException">A threshold is outside [0, 1].</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="topK"/> is below 1 or <paramref name="classId"/> negative.</exception>
    public Precision(IReadOnlyList<double>? thresholds = null, int? topK = null, int? classId = null, string name = "precision")
        : base(thresholds, topK, classId, name)
    {
    }

    /// <inheritdoc/>
    protected override Tensor Ratio(Tensor truePositives, Tensor falsePositives, Tensor falseNegatives) =>
        ConfusionMath.DivideNoNan(truePositives, truePositives + falsePositives);
}
