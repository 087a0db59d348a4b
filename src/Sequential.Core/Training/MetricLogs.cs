using System.Collections;
using Sequential.Metrics;

namespace Sequential.Training;

/// <summary>
/// Logs backed by live metrics: a value is copied from the device only when a callback reads it, so
/// batch-level hooks cost nothing unless they look.
/// </summary>
internal sealed class MetricLogs(IReadOnlyList<(string Key, Metric Metric)> metrics) : IReadOnlyDictionary<string, double>
{
    public double this[string key] => Find(key)?.Value()
        ?? throw new KeyNotFoundException($"No metric '{key}' in the logs. Available: {string.Join(", ", Keys)}.");

    public IEnumerable<string> Keys => metrics.Select(m => m.Key);

    public IEnumerable<double> Values => metrics.Select(m => m.Metric.Value());

    public int Count => metrics.Count;

    public bool ContainsKey(string key) => Find(key) is not null;

    public bool TryGetValue(string key, out double value)
    {
        var metric = Find(key);
        value = metric?.Value() ?? 0;
        return metric is not null;
    }

    public IEnumerator<KeyValuePair<string, double>> GetEnumerator() =>
        metrics.Select(m => new KeyValuePair<string, double>(m.Key, m.Metric.Value())).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private Metric? Find(string key) => metrics.FirstOrDefault(m => m.Key == key).Metric;
}
