using Sequential.Callbacks;
using static Sequential.Core.Tests.Callbacks.CallbackTestModels;

namespace Sequential.Core.Tests.Callbacks;

public class EarlyStoppingTests
{
    /// Drives the callback as Fit would, over a scripted sequence; returns the epoch after which it stopped (or null).
    private static int? Run(EarlyStopping callback, Model model, string key, double[] values, Action<int>? beforeEpochEnd = null)
    {
        callback.SetModel(model);
        model.StopTraining = false;
        callback.OnTrainBegin(Logs());
        int? stoppedAfter = null;
        for (int epoch = 0; epoch < values.Length; epoch++)
        {
            beforeEpochEnd?.Invoke(epoch);
            callback.OnEpochEnd(epoch, Logs((key, values[epoch])));
            if (model.StopTraining) { stoppedAfter = epoch; break; }
        }
        callback.OnTrainEnd(Logs());
        return stoppedAfter;
    }

    [Test]
    public void StopsAtTheEpochKerasStopsAt()
    {
        // Keras: per watched epoch wait += 1; an improvement sets best and wait = 0 and returns; otherwise stop when
        // wait >= patience and epoch > 0. val_loss [1.0, 0.9, 0.95, 0.96, 0.97], patience 2:
        // e0: best None -> improvement, best 1.0, wait 0. e1: 0.9 < 1.0, best 0.9, wait 0.
        // e2: wait 1, 0.95 no improvement, 1 < 2. e3: wait 2, 0.96 no improvement, 2 >= 2 -> stop after epoch 3.
        using var model = Linear();
        var callback = new EarlyStopping(monitor: "val_loss", patience: 2);
        Assert.That(Run(callback, model, "val_loss", [1.0, 0.9, 0.95, 0.96, 0.97]), Is.EqualTo(3));
        Assert.That(callback.StoppedEpoch, Is.EqualTo(3));
        Assert.That(callback.Best, Is.EqualTo(0.9));
        Assert.That(callback.BestEpoch, Is.EqualTo(1));
    }

    [Test]
    public void AutoModeMaximizesAccuracyAndMinDeltaCounts()
    {
        // val_accuracy -> max. minDelta 0.01, patience 1: e0 best 0.5; e1 0.6 - 0.01 > 0.5, best 0.6, wait 0;
        // e2 wait 1, 0.605 - 0.01 = 0.595 is not > 0.6 -> 1 >= 1 -> stop after epoch 2.
        using var model = Linear();
        var callback = new EarlyStopping(monitor: "val_accuracy", minDelta: -0.01, patience: 1); // sign of minDelta ignored
        Assert.That(Run(callback, model, "val_accuracy", [0.5, 0.6, 0.605, 0.61]), Is.EqualTo(2));
    }

    [Test]
    public void BaselineKeepsTheWaitCounterRunningUntilBeaten()
    {
        // baseline 0.5, patience 2, val_loss [0.8, 0.7, 0.6, 0.65]: e0..e2 improve on the best (return before the
        // stop check) but never beat the baseline, so wait is not reset: 1, 2, 3; e3 wait 4, no improvement -> stop.
        // Without a baseline the counter would be 1 at e3, and training would go on.
        using var model = Linear();
        Assert.That(Run(new EarlyStopping(patience: 2, baseline: 0.5), model, "val_loss", [0.8, 0.7, 0.6, 0.65]), Is.EqualTo(3));
        Assert.That(Run(new EarlyStopping(patience: 2), model, "val_loss", [0.8, 0.7, 0.6, 0.65]), Is.Null);
    }

    [Test]
    public void StartFromEpochIgnoresTheWarmUp()
    {
        // patience 0, loss rising. Without warm-up: e0 best, e1 wait 1 >= 0 -> stop after 1.
        // startFromEpoch 2: e0, e1 ignored; e2 becomes the best; e3 no improvement -> stop after 3.
        using var model = Linear();
        Assert.That(Run(new EarlyStopping(monitor: "loss"), model, "loss", [1, 2, 3, 4, 5]), Is.EqualTo(1));
        Assert.That(Run(new EarlyStopping(monitor: "loss", startFromEpoch: 2), model, "loss", [1, 2, 3, 4, 5]), Is.EqualTo(3));
    }

    [Test]
    public void RestoresTheBestWeightsAtTheEnd()
    {
        // The kernel is set to epoch + 1 before each epoch end; epoch 1 (kernel 2) has the best val_loss.
        using var model = Linear();
        var callback = new EarlyStopping(patience: 2, restoreBestWeights: true);
        int? stopped = Run(callback, model, "val_loss", [1.0, 0.5, 0.9, 0.95, 0.97], epoch => SetKernel(model, epoch + 1));
        Assert.That(stopped, Is.EqualTo(3));
        Assert.That(Kernel(model), Is.EqualTo(2.0));
    }

    [Test]
    public void RestoresAlsoWhenTrainingWasNotStopped()
    {
        using var model = Linear();
        var callback = new EarlyStopping(patience: 10, restoreBestWeights: true);
        Assert.That(Run(callback, model, "val_loss", [1.0, 0.5, 0.9], epoch => SetKernel(model, epoch + 1)), Is.Null);
        Assert.That(Kernel(model), Is.EqualTo(2.0));
    }

    [Test]
    public void MissingMonitorWarnsWithTheAvailableKeysInsteadOfThrowing()
    {
        using var model = Linear();
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.That(Run(new EarlyStopping(monitor: "val_loss"), model, "loss", [1, 2, 3]), Is.Null);
        }
        finally
        {
            Console.SetError(previous);
        }
        Assert.That(error.ToString(), Does.Contain("`val_loss` which is not available").And.Contain("Available metrics are: loss"));
    }

    [Test]
    public void StopsFitEarlyAndHistoryHasTheEpochsRun()
    {
        // A learning rate of 0 is not allowed; 1e-12 keeps the loss constant, so with patience 1 Fit stops after epoch 1.
        using var model = Linear(learningRate: 1e-12);
        var (x, y) = Line(4);
        var history = model.Fit(x, y, epochs: 10, batchSize: 4, verbose: 0, shuffle: false,
            callbacks: [new EarlyStopping(monitor: "loss", patience: 1, minDelta: 1e-3)]);
        Assert.That(history.Epochs, Is.EqualTo(new[] { 0, 1 }));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void PatienceAsKerasTestsIt(int patience)
    {
        // Keras early_stopping_test.test_early_stopping_patience: stopped_epoch == max(patience, 1) + 2.
        using var model = Linear();
        var callback = new EarlyStopping(monitor: "loss", patience: patience);
        Run(callback, model, "loss", [10.0, 9.0, 8.0, 9.0, 8.9, 8.8, 8.7, 8.6, 8.5]);
        Assert.That(callback.StoppedEpoch, Is.EqualTo(Math.Max(patience, 1) + 2));
    }

    [Test]
    public void OnTrainBeginClearsTheLastRun()
    {
        // Keras test_state_reset_across_fit_calls: best None, wait 0, stopped_epoch 0, best_epoch 0.
        using var model = Linear();
        var callback = new EarlyStopping(monitor: "loss", patience: 1, baseline: 0.05);
        Run(callback, model, "loss", [0.5, 0.1, 0.2, 0.3]);
        Assert.That((callback.Best, callback.StoppedEpoch), Is.EqualTo((0.1, 2)));
        callback.OnTrainBegin(Logs());
        Assert.That(callback.Best, Is.Null);
        Assert.That((callback.Wait, callback.StoppedEpoch, callback.BestEpoch), Is.EqualTo((0, 0, 0)));
        Assert.That(callback.Baseline, Is.EqualTo(0.05));
    }

    [Test]
    public void RestoresTheBestEpochWhenNoneBeatsTheBaseline()
    {
        // Keras test_early_stopping_final_weights_when_restoring_model_weights, second part: baseline 0.5, patience 5,
        // val_loss [0.9, 0.8, 0.7, 0.71, 0.72, 0.73]: no epoch beats the baseline, so training stops after 5 epochs
        // and the weights of epoch 2 (the best, 0.7) come back. The kernel holds the epoch index.
        using var model = Linear();
        var callback = new EarlyStopping(monitor: "val_loss", patience: 5, baseline: 0.5, restoreBestWeights: true);
        int? stopped = Run(callback, model, "val_loss", [0.9, 0.8, 0.7, 0.71, 0.72, 0.73], epoch => SetKernel(model, epoch));
        Assert.That(stopped, Is.EqualTo(4)); // 5 epochs trained
        Assert.That(Kernel(model), Is.EqualTo(2.0));
    }

    [Test]
    public void RestoresTheBestEpochWhenAnotherCallbackStops()
    {
        // Third part of the same Keras test: another callback stops training at epoch 3; epoch 2's weights come back.
        using var model = Linear();
        var callback = new EarlyStopping(monitor: "val_loss", patience: 5, baseline: 0.5, restoreBestWeights: true);
        double[] losses = [0.9, 0.8, 0.7, 0.71, 0.72, 0.73];
        callback.SetModel(model);
        model.StopTraining = false;
        callback.OnTrainBegin(Logs());
        int trained = 0;
        for (int epoch = 0; epoch < losses.Length; epoch++)
        {
            trained++;
            SetKernel(model, epoch);
            callback.OnEpochEnd(epoch, Logs(("val_loss", losses[epoch])));
            if (epoch == 3) model.StopTraining = true;
            if (model.StopTraining) break;
        }
        callback.OnTrainEnd(Logs());
        Assert.That(trained, Is.EqualTo(4));
        Assert.That(Kernel(model), Is.EqualTo(2.0));
    }

    [Test]
    public void RejectsAnUnknownMode() =>
        Assert.Throws<ArgumentException>(() => new EarlyStopping(mode: "maximum"));
}
