using Sequential.Metrics;

namespace Sequential.Callbacks;

/// <summary>
/// Base class for callbacks that watch one logged quantity and act when it improves or stops improving (Keras 3's
/// <c>keras.callbacks.MonitorCallback</c>): <see cref="EarlyStopping"/>, <see cref="ReduceLROnPlateau"/> and
/// <see cref="ModelCheckpoint"/> share its reading of <see cref="Mode"/>, <see cref="MinDelta"/> and
/// <see cref="Baseline"/>, so the same arguments mean the same thing in all three.
/// </summary>
/// <remarks>
/// <para><b>Mode.</b> <c>"min"</c>, <c>"max"</c> or <c>"auto"</c>, in any case (as every string this library
/// accepts); anything else throws <see cref="ArgumentException"/> where Keras warns and falls back to auto.</para>
/// <para><b>Auto.</b> Decided on first use, in Keras 3's order, from the monitored name without its <c>val_</c>
/// prefix: (1) <c>loss</c>, or a per-output loss <c>*_loss</c>, is minimized; (2) a compiled metric of that
/// name (<see cref="Model.Metrics"/>) goes the way it declares, <see cref="Metrics.Metric.Direction"/> (Keras's
/// <c>_direction</c>: <c>AUC</c> and the accuracies up, <c>MeanSquaredError</c> down, a custom metric as it says); (3) otherwise the name itself, or its last part
/// after an output prefix (<c>kind_accuracy</c>), is looked up among the names of Keras's built-in metrics, ignoring
/// case as metric strings do: the accuracies, <c>acc</c>, <c>auc</c>, <c>precision</c>, <c>recall</c>,
/// <c>f1_score</c>, <c>r2_score</c>, ... are maximized; <c>mse</c>, <c>mae</c>, the cross-entropies, the hinges, ...
/// are minimized. A name none of these resolves throws <see cref="InvalidOperationException"/> asking for
/// <c>mode: "min"</c> or <c>"max"</c>, as Keras 3 raises; Keras 2's rule (maximize when the name contains
/// <c>acc</c>, else minimize) silently minimized names like <c>val_precision</c>.</para>
/// <para><b>MinDelta.</b> Its sign is ignored (Keras's <c>abs(min_delta)</c>); a value counts as an improvement on
/// a reference only when it is better by more than <see cref="MinDelta"/>: <c>current - MinDelta &gt; reference</c>
/// when maximizing, <c>current + MinDelta &lt; reference</c> when minimizing.</para>
/// <para><b>Missing monitor.</b> <see cref="GetMonitorValue"/> warns on standard error, naming the available
/// keys, and returns null; each distinct warning is printed once per callback, as Python's <c>warnings</c> does.</para>
/// </remarks>
/// <example>
/// <code>
/// // Stop when the learning curve of a custom quantity flattens.
/// class StopOnPlateau(string monitor) : MonitorCallback(monitor, mode: "max", minDelta: 0.01)
/// {
///     public override void OnEpochEnd(int epoch, IReadOnlyDictionary&lt;string, double&gt; logs)
///     {
///         if (GetMonitorValue(logs) is not { } current) return;
///         if (IsImprovement(current, Best)) Best = current;
///         else Model!.StopTraining = true;
///     }
/// }
/// </code>
/// </example>
public abstract class MonitorCallback : Callback
{
    private const string ValidationPrefix = "val_";

    // Keras 3's metrics and the direction each declares (_direction "up" = true), by their default names and the
    // string aliases keras.metrics.get accepts.
    private static readonly Dictionary<string, bool> KerasMetricMaximizes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["accuracy"] = true, ["acc"] = true, ["binary_accuracy"] = true, ["categorical_accuracy"] = true,
        ["sparse_categorical_accuracy"] = true, ["top_k_categorical_accuracy"] = true,
        ["sparse_top_k_categorical_accuracy"] = true, ["auc"] = true, ["precision"] = true, ["recall"] = true,
        ["precision_at_recall"] = true, ["recall_at_precision"] = true, ["sensitivity_at_specificity"] = true,
        ["specificity_at_sensitivity"] = true, ["f1_score"] = true, ["fbeta_score"] = true, ["r2_score"] = true,
        ["cosine_similarity"] = true, ["pearson_correlation"] = true, ["concordance_correlation"] = true,
        ["iou"] = true, ["mean_iou"] = true, ["binary_iou"] = true, ["one_hot_iou"] = true, ["one_hot_mean_iou"] = true,
        ["io_u"] = true, ["mean_io_u"] = true, ["binary_io_u"] = true, ["one_hot_io_u"] = true, ["one_hot_mean_io_u"] = true,
        ["f_beta_score"] = true, ["kld"] = false,
        ["mean_squared_error"] = false, ["mse"] = false, ["mean_absolute_error"] = false, ["mae"] = false,
        ["mean_absolute_percentage_error"] = false, ["mape"] = false, ["mean_squared_logarithmic_error"] = false,
        ["msle"] = false, ["root_mean_squared_error"] = false, ["logcosh"] = false, ["log_cosh_error"] = false,
        ["hinge"] = false, ["squared_hinge"] = false, ["categorical_hinge"] = false, ["binary_crossentropy"] = false,
        ["bce"] = false, ["categorical_crossentropy"] = false, ["sparse_categorical_crossentropy"] = false,
        ["kl_divergence"] = false, ["poisson"] = false,
    };

    private string? _lastWarning;

    /// <summary>Sets up the monitor (Keras's <c>MonitorCallback.__init__</c>).</summary>
    /// <param name="monitor">The log key to watch, exactly as logged: <c>val_loss</c>, <c>val_accuracy</c>, ...</param>
    /// <param name="mode"><c>"auto"</c>, <c>"min"</c> or <c>"max"</c>, any case.</param>
    /// <param name="baseline">The value to beat: the initial <see cref="Best"/>, or null to start from the first
    /// value seen.</param>
    /// <param name="minDelta">The margin by which a value must beat the reference to count as an improvement; the
    /// sign is ignored.</param>
    /// <exception cref="ArgumentException">An empty <paramref name="monitor"/>, an unknown <paramref name="mode"/>
    /// (the message lists the accepted ones), or a NaN <paramref name="minDelta"/>.</exception>
    protected MonitorCallback(string monitor = "val_loss", string mode = "auto", double? baseline = null, double minDelta = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(monitor);
        ArgumentNullException.ThrowIfNull(mode);
        if (double.IsNaN(minDelta))
            throw new ArgumentException($"{GetType().Name} minDelta is NaN; pass a number such as 0 or 1e-4.", nameof(minDelta));
        Mode = mode.ToLowerInvariant() switch
        {
            "auto" => "auto",
            "min" => "min",
            "max" => "max",
            _ => throw new ArgumentException(
                $"{GetType().Name} mode '{mode}' is unknown; use \"auto\", \"min\" or \"max\" (any case).", nameof(mode)),
        };
        Monitor = monitor;
        MinDelta = Math.Abs(minDelta);
        Baseline = baseline;
        Best = baseline;
        Maximizes = Mode switch { "min" => false, "max" => true, _ => null };
    }

    /// <summary>The log key watched.</summary>
    public string Monitor { get; }

    /// <summary><c>"auto"</c>, <c>"min"</c> or <c>"max"</c> (lower case, whatever case was passed).</summary>
    public string Mode { get; }

    /// <summary>The margin an improvement must exceed; never negative.</summary>
    public double MinDelta { get; }

    /// <summary>The value the monitor must beat, or null: the initial <see cref="Best"/>.</summary>
    public double? Baseline { get; }

    /// <summary>The best value seen so far (Keras's <c>best</c>), or null before the first one.</summary>
    public double? Best { get; protected set; }

    /// <summary>True when larger values are better, false when smaller are; null while <c>"auto"</c> has not been
    /// resolved yet (it is on the first <see cref="ResolveMode"/> or <see cref="IsImprovement"/>).</summary>
    public bool? Maximizes { get; private set; }

    /// <summary>
    /// Decides the direction of <c>"auto"</c> (Keras's <c>_set_monitor_op</c>); call it at the start of
    /// <c>OnEpochEnd</c>, when the model's metrics exist. Does nothing once decided.
    /// </summary>
    /// <exception cref="InvalidOperationException">The direction of <see cref="Monitor"/> cannot be inferred; the
    /// message says to pass <c>mode: "min"</c> or <c>mode: "max"</c>.</exception>
    protected void ResolveMode()
    {
        if (Maximizes is not null) return;
        string name = Monitor.StartsWith(ValidationPrefix, StringComparison.Ordinal) ? Monitor[ValidationPrefix.Length..] : Monitor;
        Maximizes = DirectionOf(name, Model) ?? throw new InvalidOperationException(
            $"{GetType().Name} received monitor: \"{Monitor}\", but cannot tell whether `{name}` should be maximized or " +
            "minimized: it is not a loss, and neither a compiled metric nor a Keras metric of that name says. " +
            "Pass mode: \"max\" to keep the highest value, or mode: \"min\" to keep the lowest.");
    }

    /// <summary>Whether <paramref name="current"/> beats <paramref name="reference"/> by more than
    /// <see cref="MinDelta"/> in the monitored direction (Keras's <c>_is_improvement</c>); anything beats null.</summary>
    /// <param name="current">The value just observed.</param>
    /// <param name="reference">The value to beat (usually <see cref="Best"/>, or <see cref="Baseline"/>).</param>
    /// <returns><see langword="true"/> for an improvement.</returns>
    /// <exception cref="InvalidOperationException">As <see cref="ResolveMode"/>.</exception>
    protected bool IsImprovement(double current, double? reference)
    {
        if (reference is null) return true;
        ResolveMode();
        // Keras: monitor_op(current - min_delta, reference) with min_delta negated when minimizing.
        return Maximizes == true ? current - MinDelta > reference.Value : current + MinDelta < reference.Value;
    }

    /// <summary>
    /// The monitored value from <paramref name="logs"/>, or null after a warning on standard error that names the
    /// available keys (<c>"Early stopping is conditioned on metric `val_loss` which is not available. Available
    /// metrics are: loss"</c>); each distinct warning is printed once.
    /// </summary>
    /// <param name="logs">The epoch's (or batch's) logs.</param>
    /// <returns>The value, or null when the logs lack <see cref="Monitor"/>.</returns>
    protected double? GetMonitorValue(IReadOnlyDictionary<string, double> logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        if (logs.TryGetValue(Monitor, out double value)) return value;
        string warning = $"Warning: {MonitorPurpose} is conditioned on metric `{Monitor}` which is not available. " +
                         $"Available metrics are: {string.Join(",", logs.Keys)}";
        if (warning != _lastWarning) Console.Error.WriteLine(warning);
        _lastWarning = warning;
        return null;
    }

    /// <summary>What the monitor decides, opening the missing-metric warning (<c>"Early stopping"</c>); by default
    /// the class name.</summary>
    protected virtual string MonitorPurpose => GetType().Name;

    private static bool? DirectionOf(string name, Model? model)
    {
        if (name == "loss" || name.EndsWith("_loss", StringComparison.Ordinal)) return false;
        var metric = model?.Metrics.FirstOrDefault(m => m.Name == name);
        if (metric?.Direction is MetricDirection.Up or MetricDirection.Down) return metric.Direction == MetricDirection.Up;
        if (KerasMetricMaximizes.TryGetValue(name, out bool byName)) return byName;
        // A multi-output model prefixes the output's name: kind_accuracy, price_mae.
        for (int i = name.IndexOf('_'); i >= 0; i = name.IndexOf('_', i + 1))
            if (KerasMetricMaximizes.TryGetValue(name[(i + 1)..], out bool bySuffix)) return bySuffix;
        return null;
    }
}
