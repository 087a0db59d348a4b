using Sequential.Callbacks;
using static Sequential.Core.Tests.Callbacks.CallbackTestModels;

namespace Sequential.Core.Tests.Callbacks;

public class ReduceLROnPlateauTests
{
    /// Feeds a constant val_loss; returns the learning rate after each epoch and the learning_rate logged each epoch.
    private static (double[] after, double[] logged) Run(ReduceLROnPlateau callback, int epochs)
    {
        using var model = Linear(learningRate: 1.0);
        callback.SetModel(model);
        callback.OnTrainBegin(Logs());
        var after = new double[epochs];
        var logged = new double[epochs];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var logs = Logs(("val_loss", 1.0));
            callback.OnEpochEnd(epoch, logs);
            after[epoch] = model.Optimizer!.LearningRate;
            logged[epoch] = logs["learning_rate"];
        }
        return (after, logged);
    }

    [Test]
    public void LowersByFactorAfterPatienceEpochs()
    {
        // e0 improves on +inf; e1 wait 1; e2 wait 2 >= 2 -> lr * 0.5, wait 0; e3 wait 1; e4 -> 0.25; e5 wait 1.
        var (after, logged) = Run(new ReduceLROnPlateau(factor: 0.5, patience: 2), 6);
        Assert.That(after, Is.EqualTo(new[] { 1.0, 1.0, 0.5, 0.5, 0.25, 0.25 }));
        // Keras logs the rate the epoch trained with, read before the reduction.
        Assert.That(logged, Is.EqualTo(new[] { 1.0, 1.0, 1.0, 0.5, 0.5, 0.25 }));
    }

    [Test]
    public void RestsDuringCooldown()
    {
        // patience 1, cooldown 2: e1 reduces (cooldown 2); e2 cooldown -> 1; e3 cooldown -> 0, then wait 1 -> reduce;
        // e4 cooldown -> 1; e5 cooldown -> 0, wait 1 -> reduce.
        var (after, _) = Run(new ReduceLROnPlateau(factor: 0.5, patience: 1, cooldown: 2), 6);
        Assert.That(after, Is.EqualTo(new[] { 1.0, 0.5, 0.5, 0.25, 0.25, 0.125 }));
    }

    [Test]
    public void NeverGoesBelowMinLr()
    {
        // 1.0 -> 0.1 -> max(0.01, 0.05) = 0.05, then 0.05 is not above float32(0.05), so it stays.
        var (after, _) = Run(new ReduceLROnPlateau(factor: 0.1, patience: 1, minLr: 0.05), 5);
        Assert.That(after[1], Is.EqualTo(0.1).Within(1e-12));
        Assert.That(after[2..], Is.All.EqualTo(0.05));
    }

    [Test]
    public void ReachesTheOptimizerDuringFit()
    {
        using var model = Linear(learningRate: 0.01);
        var (x, y) = Line(4);
        var history = model.Fit(x, y, epochs: 3, batchSize: 4, verbose: 0, shuffle: false,
            callbacks: [new ReduceLROnPlateau(monitor: "loss", factor: 0.5, patience: 0, minDelta: 1e9)]);
        // minDelta so large that nothing counts as an improvement after the first epoch: e1 and e2 halve the rate.
        Assert.That(history["learning_rate"], Is.EqualTo(new[] { 0.01, 0.01, 0.005 }).Within(1e-12));
        Assert.That(model.Optimizer!.LearningRate, Is.EqualTo(0.0025).Within(1e-12)); // halved again after the last epoch
    }

    [Test]
    public void OnTrainBeginClearsTheLastRun()
    {
        // Keras test_state_reset_across_fit_calls: best None, wait 0, cooldown_counter 0.
        var callback = new ReduceLROnPlateau(monitor: "val_loss", factor: 0.5, patience: 1, minDelta: 0, cooldown: 2);
        Run(callback, 3);
        Assert.That((callback.Best, callback.CooldownCounter), Is.EqualTo((1.0, 1)));
        callback.OnTrainBegin(Logs());
        Assert.That(callback.Best, Is.Null);
        Assert.That((callback.Wait, callback.CooldownCounter), Is.EqualTo((0, 0)));
    }

    [Test]
    public void VerboseMessagePrintsTheRateAsPythonDoes()
    {
        // Keras: f"... reducing learning rate to {new_lr}." -> Python's str(float): 1e-05, not .NET's 1E-05.
        var previous = Console.Out;
        var text = new StringWriter();
        Console.SetOut(text);
        try
        {
            using var model = Linear(learningRate: 1e-4);
            var callback = new ReduceLROnPlateau(monitor: "val_loss", factor: 0.1, patience: 0, verbose: 1);
            callback.SetModel(model);
            callback.OnTrainBegin(Logs());
            callback.OnEpochEnd(0, Logs(("val_loss", 1.0)));
            callback.OnEpochEnd(1, Logs(("val_loss", 1.0)));
        }
        finally
        {
            Console.SetOut(previous);
        }
        Assert.That(text.ToString(), Does.Contain("Epoch 2: ReduceLROnPlateau reducing learning rate to 1e-05."));
    }

    [Test]
    public void RejectsAFactorOfOneOrMore() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(factor: 1.0));
}
