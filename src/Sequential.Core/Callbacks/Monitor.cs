namespace Sequential.Callbacks;

/// <summary>
/// What the monitoring callbacks (<see cref="EarlyStopping"/>, <see cref="ReduceLROnPlateau"/>) share: the
/// direction of a monitored quantity and Keras's warning when it is missing from the logs.
/// </summary>
internal static class Monitor
{
    /// <summary>
    /// True when larger is better. <c>"min"</c>/<c>"max"</c> decide; <c>"auto"</c> picks max for names containing
    /// <c>acc</c> (accuracy, val_acc, ...) or <c>auc</c>, min otherwise (losses, errors).
    /// </summary>
    public static bool Maximizes(string monitor, string mode, string callback) => mode.ToLowerInvariant() switch
    {
        "min" => false,
        "max" => true,
        "auto" => monitor.Contains("acc", StringComparison.OrdinalIgnoreCase) || monitor.Contains("auc", StringComparison.OrdinalIgnoreCase),
        _ => throw new ArgumentException($"{callback}: mode '{mode}' is unknown; use \"auto\", \"min\" or \"max\".", nameof(mode)),
    };

    /// <summary>Reads the monitored value, or warns (as Keras's <c>warnings.warn</c>) and returns null.</summary>
    public static double? Read(IReadOnlyDictionary<string, double> logs, string monitor, string what)
    {
        if (logs.TryGetValue(monitor, out double value)) return value;
        Console.Error.WriteLine(
            $"Warning: {what} is conditioned on metric `{monitor}` which is not available. " +
            $"Available metrics are: {string.Join(",", logs.Keys)}");
        return null;
    }

    /// <summary>Adds <paramref name="key"/> to epoch logs, as Keras callbacks do by mutating <c>logs</c>.</summary>
    /// <remarks>The training loop passes a mutable dictionary to <c>OnEpochEnd</c>, so callbacks after this one
    /// (History, CSVLogger when listed later) see the value; read-only logs are left alone.</remarks>
    public static void Log(IReadOnlyDictionary<string, double> logs, string key, double value)
    {
        if (logs is IDictionary<string, double> { IsReadOnly: false } writable) writable[key] = value;
    }
}
