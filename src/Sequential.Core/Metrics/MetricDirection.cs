namespace Sequential.Metrics;

/// <summary>
/// Which way a metric improves (Keras 3's <c>Metric._direction</c>, <c>"up"</c> or <c>"down"</c>): monitoring callbacks
/// in <c>mode: "auto"</c> (<see cref="Callbacks.EarlyStopping"/>, <see cref="Callbacks.ModelCheckpoint"/>,
/// <see cref="Callbacks.ReduceLROnPlateau"/>) read it from <see cref="Metric.Direction"/>.
/// </summary>
public enum MetricDirection
{
    /// <summary>The metric does not say (Keras's <c>None</c>, e.g. <see cref="Mean"/> and <see cref="Sum"/>).</summary>
    Unknown,

    /// <summary>Higher is better: accuracies, AUC, precision, recall, F-scores, IoU, R².</summary>
    Up,

    /// <summary>Lower is better: errors, hinges, cross-entropies, divergences.</summary>
    Down,
}
