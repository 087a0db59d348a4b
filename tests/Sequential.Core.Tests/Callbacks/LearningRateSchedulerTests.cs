using Sequential.Callbacks;
using static Sequential.Core.Tests.Callbacks.CallbackTestModels;

namespace Sequential.Core.Tests.Callbacks;

public class LearningRateSchedulerTests
{
    [Test]
    public void SetsTheScheduledRateAtEachEpochBegin()
    {
        using var model = Linear(learningRate: 0.3);
        var (x, y) = Line(4);
        var seen = new List<double>();
        var scheduler = new LearningRateScheduler((epoch, lr) => epoch == 0 ? 0.1 : lr * 0.5);
        var probe = new LambdaCallback(onTrainBatchBegin: (_, _) =>
            seen.Add(model.Optimizer!.LearningRate));
        var history = model.Fit(x, y, epochs: 3, batchSize: 4, verbose: 0, shuffle: false, callbacks: [scheduler, probe]);
        Assert.That(seen, Is.EqualTo(new[] { 0.1, 0.05, 0.025 }));
        Assert.That(history["learning_rate"], Is.EqualTo(new[] { 0.1, 0.05, 0.025 }));
    }

    [Test]
    public void ScheduleGetsTheEpochAndTheCurrentRate()
    {
        using var model = Linear(learningRate: 0.3);
        var calls = new List<(int, double)>();
        var scheduler = new LearningRateScheduler((epoch, lr) => { calls.Add((epoch, lr)); return lr / 3; });
        scheduler.SetModel(model);
        scheduler.OnEpochBegin(4, Logs());
        Assert.That(calls, Is.EqualTo(new[] { (4, 0.3) }));
        Assert.That(model.Optimizer!.LearningRate, Is.EqualTo(0.1).Within(1e-15));
    }

    [Test]
    public void RejectsANonPositiveRate()
    {
        using var model = Linear();
        var scheduler = new LearningRateScheduler((_, _) => 0);
        scheduler.SetModel(model);
        Assert.Throws<ArgumentOutOfRangeException>(() => scheduler.OnEpochBegin(0, Logs()));
    }
}
