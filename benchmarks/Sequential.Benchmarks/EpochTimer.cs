using System.Diagnostics;
using Sequential.Callbacks;

namespace Sequential.Benchmarks;

/// <summary>Times each epoch of Fit from OnEpochBegin to OnEpochEnd, on the wall clock and in CPU time.</summary>
internal sealed class EpochTimer : Callback
{
    private readonly Stopwatch _clock = new();
    private (double User, double System, long MinorFaults) _atBegin;

    public List<double> Seconds { get; } = [];

    /// <summary>The process's CPU time (all its threads, user and system) per epoch: unlike the wall clock, it does
    /// not count the time other processes on a busy machine hold the cores.</summary>
    public List<double> CpuSeconds { get; } = [];

    /// <summary>The system (kernel) part of <see cref="CpuSeconds"/>.</summary>
    public List<double> SystemSeconds { get; } = [];

    /// <summary>Minor page faults per epoch (memory the kernel had to map in).</summary>
    public List<long> PageFaults { get; } = [];

    public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        _atBegin = CpuClock.Read();
        _clock.Restart();
    }

    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        Seconds.Add(_clock.Elapsed.TotalSeconds);
        var now = CpuClock.Read();
        CpuSeconds.Add(now.User + now.System - _atBegin.User - _atBegin.System);
        SystemSeconds.Add(now.System - _atBegin.System);
        PageFaults.Add(now.MinorFaults - _atBegin.MinorFaults);
    }
}
