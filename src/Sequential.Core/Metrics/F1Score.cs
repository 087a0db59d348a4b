namespace Sequential.Metrics;

/// <summary>
/// The F1 score, the harmonic mean of precision and recall (Keras's <c>keras.metrics.F1Score</c>, string
/// <c>"f1_score"</c>): <see cref="FBetaScore"/> with β = 1.
/// </summary>
/// <example>
/// <code>
/// model.Compile(optimizer: "adam", loss: "binary_crossentropy", metrics: [new F1Score(average: "micro", threshold: 0.5)]);
/// </code>
/// </example>
public sealed class F1Score : FBetaScore
{
    /// <summary>Creates the metric.</summary>
    /// <param name="average">null (one score per class), <c>"micro"</c>, <c>"macro"</c> or <c>"weighted"</c>.</param>
    /// <param name="threshold">Predictions above it are positive, in (0, 1]; null for each sample's largest.</param>
    /// <param name="name">The key in logs and History.</param>
    /// <exception cref="ArgumentException">An unknown average or a threshold outside (0, 1].</exception>
    public F1Score(string? average = null, double? threshold = null, string name = "f1_score") : base(average, 1.0, threshold, name) { }
}
