using System.Diagnostics;
using Sequential.Callbacks;

namespace Sequential.Benchmarks;

/// <summary>Times each epoch of Fit from OnEpochBegin to OnEpochEnd, on the wall clock and in CPU time.</summary>
internal sealed class EpochTimer : Callback
{
    private readonly Stopwatch _clock = new();
    private double _cpuAtBegin;

    public List<double> Seconds { get; } = [];

    /// <summary>The process's CPU time (all its threads, user and system) per epoch: unlike the wall clock, it does
    /// not count the time other processes on a busy machine hold the cores.</summary>
    public List<double> CpuSeconds { get; } = [];

    public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        _cpuAtBegin = CpuClock.Seconds();
        _clock.Restart();
    }

    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        Seconds.Add(_clock.Elapsed.TotalSeconds);
        CpuSeconds.Add(CpuClock.Seconds() - _cpuAtBegin);
    }
}
