using Sequential.Callbacks;
using Sequential.Layers;
using Sequential.Optimizers;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Optimizers;

/// The optimizer features inside Fit, Save and Load: schedules (Keras's test_fit_lr_correctness), the learning_rate
/// History entry, EMA finalization at the end of Fit, and weight-decay exclusion by a model's weight names.
public class OptimizerTrainingTests
{
    /// Keras's test_fit_lr_correctness model: Dense(2) with ones, Adam on ExponentialDecay(0.05, 1, 0.9), MSE.
    private static SequentialModel KerasScheduleModel()
    {
        var model = new SequentialModel(new Dense(2, kernelInitializer: "ones", biasInitializer: "ones", inputShape: [2]));
        model.Compile(optimizer: new Adam(learningRate: new ExponentialDecay(initialLearningRate: 0.05, decaySteps: 1, decayRate: 0.9)),
            loss: "mse", device: "cpu");
        return model;
    }

    private static (Tensor x, Tensor y) KerasScheduleData()
    {
        var x = arange(32, dtype: ScalarType.Float32).reshape(16, 2);
        return (x, x.clone());
    }

    private static readonly double[] KerasLosses = [230.79457092285156, 128.30319213867188, 79.33648681640625];

    [Test]
    public void Fit_WithSchedule_MatchesKerasLosses_AndLogsTheLearningRate()
    {
        using var model = KerasScheduleModel();
        var (x, y) = KerasScheduleData();
        var history = model.Fit(x, y, epochs: 3, batchSize: 4, shuffle: false, verbose: 0);
        Assert.That(model.Optimizer!.Iterations, Is.EqualTo(4 * 3));
        for (int i = 0; i < 3; i++) Assert.That(history["loss"][i], Is.EqualTo(KerasLosses[i]).Within(5e-5 * KerasLosses[i]), $"epoch {i}");
        // The rate the next step will use, after 4, 8 and 12 steps.
        Assert.That(history["learning_rate"], Is.EqualTo(new[] { 0.05 * Math.Pow(0.9, 4), 0.05 * Math.Pow(0.9, 8), 0.05 * Math.Pow(0.9, 12) })
            .Within(1e-15));
    }

    [Test]
    public void Fit_WithoutSchedule_LogsNoLearningRate()
    {
        using var model = Callbacks.CallbackTestModels.Linear();
        var (x, y) = Callbacks.CallbackTestModels.Line(4);
        Assert.That(model.Fit(x, y, epochs: 1, verbose: 0).Keys, Does.Not.Contain("learning_rate"));
    }

    [Test]
    public void SaveLoad_ContinuesTheScheduleAtTheSavedStep()
    {
        // One epoch, save, load, two more epochs: the same losses as three epochs in one go (Keras's numbers).
        var path = Path.Combine(Path.GetTempPath(), $"schedule-{Guid.NewGuid():N}.seqmodel");
        try
        {
            using (var model = KerasScheduleModel())
            {
                var (x, y) = KerasScheduleData();
                model.Fit(x, y, epochs: 1, batchSize: 4, shuffle: false, verbose: 0);
                model.Save(path);
            }
            using var loaded = SequentialModel.Load(path);
            var schedule = loaded.Optimizer!.Schedule as ExponentialDecay;
            Assert.That(schedule, Is.Not.Null, "the schedule is saved with the optimizer");
            Assert.That((schedule!.InitialLearningRate, schedule.DecaySteps, schedule.DecayRate), Is.EqualTo((0.05, 1L, 0.9)));
            Assert.That(loaded.Optimizer.Iterations, Is.EqualTo(4));
            Assert.That(loaded.Optimizer.LearningRate, Is.EqualTo(0.05 * Math.Pow(0.9, 4)).Within(1e-15));
            var (x2, y2) = KerasScheduleData();
            var history = loaded.Fit(x2, y2, epochs: 2, batchSize: 4, shuffle: false, verbose: 0);
            for (int i = 0; i < 2; i++)
                Assert.That(history["loss"][i], Is.EqualTo(KerasLosses[i + 1]).Within(5e-5 * KerasLosses[i + 1]), $"epoch {i + 1}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// Records the kernel after every batch.
    private sealed class KernelRecorder : Callback
    {
        public List<double> Kernels { get; } = [];

        public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) =>
            Kernels.Add(Callbacks.CallbackTestModels.Kernel((SequentialModel)Model!));
    }

    [Test]
    public void Fit_WithEma_EndsWithTheMovingAverageOfTheWeights()
    {
        using var model = new SequentialModel(new Dense(1, useBias: false, kernelInitializer: "ones", inputShape: [1]));
        model.Compile(optimizer: new SGD(learningRate: 0.01, useEma: true, emaMomentum: 0.6), loss: "mse", device: "cpu");
        var (x, y) = Callbacks.CallbackTestModels.Line(8);
        var recorder = new KernelRecorder();
        model.Fit(x, y, epochs: 2, batchSize: 2, shuffle: false, verbose: 0, callbacks: [recorder]);
        // Keras's EMA of the weights after each step: the first step copies them, then 0.6·average + 0.4·w.
        double average = recorder.Kernels[0];
        foreach (var w in recorder.Kernels.Skip(1)) average = 0.6 * average + 0.4 * w;
        Assert.That(recorder.Kernels, Has.Count.EqualTo(8));
        Assert.That(recorder.Kernels[^1], Is.Not.EqualTo(average).Within(1e-4), "the test needs the average to differ from the last weights");
        Assert.That(Callbacks.CallbackTestModels.Kernel(model), Is.EqualTo(average).Within(1e-6));
    }

    [Test]
    public void ExcludeFromWeightDecay_MatchesTheModelsWeightNames()
    {
        // Kernel and bias start at 1; gradients of zero leave only the decay: 1 - 0.5·1 for the kernel, the bias stays.
        using var model = new SequentialModel(new Dense(1, kernelInitializer: "ones", biasInitializer: "ones", inputShape: [1]));
        var sgd = new SGD(learningRate: 1.0, weightDecay: 0.5);
        sgd.ExcludeFromWeightDecay(varNames: ["bias"]);
        model.Compile(optimizer: sgd, loss: "mse", device: "cpu");
        model.Predict(ones(1, 1), verbose: 0); // builds the model and binds the optimizer
        var weights = model.TrainableWeights;
        sgd.ApplyGradients(weights.Select(w => ((Tensor?)zeros_like(w), w)));
        var named = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.item<float>());
        Assert.That(named.Single(p => p.Key.Contains("kernel")).Value, Is.EqualTo(0.5f));
        Assert.That(named.Single(p => p.Key.Contains("bias")).Value, Is.EqualTo(1f));
    }

    [Test]
    public void SaveLoad_MidAccumulation_ContinuesAsOneRun()
    {
        // 3 batches per epoch with accumulation over 2: the save falls between the two halves of an update. The loaded
        // model must hold the accumulated gradient, the raw step count (for the schedule) and the update count (for
        // Adam's bias correction), so that a second epoch ends where two epochs in one run do.
        var x = linspace(-1, 1, 12).reshape(12, 1);
        var y = 3 * x - 1;
        SequentialModel Make()
        {
            var model = new SequentialModel(new Dense(1, kernelInitializer: "ones", inputShape: [1]));
            model.Compile(optimizer: new Adam(learningRate: new InverseTimeDecay(0.1, 1, 0.5), gradientAccumulationSteps: 2), loss: "mse", device: "cpu");
            return model;
        }
        using var whole = Make();
        whole.Fit(x, y, epochs: 2, batchSize: 4, shuffle: false, verbose: 0);

        var path = Path.Combine(Path.GetTempPath(), $"accumulation-{Guid.NewGuid():N}.seqmodel");
        try
        {
            using (var first = Make())
            {
                first.Fit(x, y, epochs: 1, batchSize: 4, shuffle: false, verbose: 0);
                Assert.That((first.Optimizer!.Iterations, first.Optimizer.LearningRate), Is.EqualTo((1L, 0.1 / (1 + 0.5 * 3))));
                first.Save(path);
            }
            using var loaded = SequentialModel.Load(path);
            Assert.That((loaded.Optimizer!.Iterations, loaded.Optimizer.LearningRate), Is.EqualTo((1L, 0.1 / (1 + 0.5 * 3))));
            loaded.Fit(x, y, epochs: 1, batchSize: 4, shuffle: false, verbose: 0);
            Assert.That(loaded.Optimizer.Iterations, Is.EqualTo(3));
            foreach (var (a, b) in whole.parameters().Zip(loaded.parameters()))
                Assert.That(b.data<float>().ToArray(), Is.EqualTo(a.data<float>().ToArray()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// Throws at a given global batch, as a crash would.
    private sealed class Crash(int atBatch) : Callback
    {
        private int _seen;

        public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs)
        {
            if (++_seen == atBatch) throw new IOException("simulated crash");
        }
    }

    [Test]
    public void BackupAndRestore_WithScheduleAccumulationAndEma_ResumesToTheUninterruptedWeights()
    {
        // 6 batches per epoch, backups every 4 batches, crash after batch 11: the run resumes from the backup after batch 8,
        // which lies inside an accumulated update (8 = 2·3 + 2). Only the final weights are compared: the EMA is copied
        // in once, at the end of the completed Fit.
        string dir = Persistence.TestModels.TempDir();
        try
        {
            SequentialModel Train(string? backup, int? crashAt)
            {
                var (x, y) = Persistence.TestModels.Data(samples: 48);
                RandomSeed.Set(42);
                var model = new SequentialModel(new Dense(10, activation: "relu", inputShape: [6]), new Dense(3));
                model.Compile(optimizer: new Adam(learningRate: new CosineDecay(0.0, 10, warmupTarget: 0.02, warmupSteps: 3), useEma: true,
                        emaMomentum: 0.8, gradientAccumulationSteps: 3),
                    loss: new Sequential.Losses.SparseCategoricalCrossentropy(fromLogits: true), device: "cpu");
                var callbacks = new List<Callback>();
                if (backup is not null) callbacks.Add(new BackupAndRestore(backup, saveFreq: 4));
                if (crashAt is { } at) callbacks.Add(new Crash(at));
                model.Fit(x, y, epochs: 2, batchSize: 8, verbose: 0, callbacks: callbacks);
                return model;
            }
            using var expected = Train(null, null);
            string backup = Path.Combine(dir, "backup");
            Assert.Throws<IOException>(() => Train(backup, 11));
            using var resumed = Train(backup, null);
            Assert.That(resumed.Optimizer!.Iterations, Is.EqualTo(4));
            var e = Persistence.TestModels.Weights(expected);
            var a = Persistence.TestModels.Weights(resumed);
            foreach (var key in e.Keys) Assert.That(a[key], Is.EqualTo(e[key]), key);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
