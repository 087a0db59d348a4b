namespace Sequential.Callbacks;

/// <summary>Adds values to epoch logs, as Keras callbacks do by assigning into <c>logs</c>.</summary>
internal static class EpochLogs
{
    /// <summary>Sets <paramref name="key"/> in <paramref name="logs"/> when they can be written.</summary>
    /// <remarks>The training loop passes a mutable dictionary to <c>OnEpochEnd</c>, so callbacks after this one
    /// (History, CSVLogger when listed later) see the value; read-only logs are left alone.</remarks>
    public static void Set(IReadOnlyDictionary<string, double> logs, string key, double value)
    {
        if (logs is IDictionary<string, double> { IsReadOnly: false } writable) writable[key] = value;
    }
}
