using System.Diagnostics;
using Sequential.Callbacks;

namespace Sequential.Benchmarks;

/// <summary>Times each epoch of Fit from OnEpochBegin to OnEpochEnd.</summary>
internal sealed class EpochTimer : Callback
{
    private readonly Stopwatch _clock = new();

    public List<double> Seconds { get; } = [];

    public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, double> logs) => _clock.Restart();

    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs) => Seconds.Add(_clock.Elapsed.TotalSeconds);
}
