using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// The (weighted) number of negative labels predicted negative (Keras's <c>keras.metrics.TrueNegatives</c>, string <c>"true_negatives"</c>): a prediction is
/// positive when it is greater than the threshold (0.5 by default), a label when it is not 0.
/// </summary>
/// <example>
/// <code>
/// var m = new TrueNegatives();
/// m.UpdateState(tensor(new float[] { 0, 1, 1, 1 }), tensor(new float[] { 1, 0, 1, 1 }));
/// double count = m.Value();
/// </code>
/// </example>
public sealed class TrueNegatives : ConfusionMatrixCount
{
    /// <summary>Creates the metric.</summary>
    /// <param name="thresholds">Thresholds in [0, 1], or null for 0.5; with several, the result has one count per threshold.</param>
    /// <param name="name">The key in logs and History.</param>
    /// <exception cref="ArgumentException">A threshold is outside [0, 1].</exception>
    public TrueNegatives(IReadOnlyList<double>? thresholds = null, string name = "true_negatives") : base(thresholds, name) { }

    private protected override Tensor Select(Tensor truePositives, Tensor falsePositives, Tensor trueNegatives, Tensor falseNegatives) =>
        trueNegatives;
}
