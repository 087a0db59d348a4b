using Sequential.Callbacks;
using Sequential.Core.Tests.Models;
using Sequential.Layers;
using Sequential.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Training;

/// <summary>The training loop as callbacks see it: hook order, indices, Params, stopping, logs.</summary>
public class TrainerTests
{
    private static SequentialModel Compiled()
    {
        var model = new SequentialModel(new Dense(4, activation: "relu", inputShape: [2]), new Dense(2));
        model.Compile(optimizer: "adam", loss: new SparseCategoricalCrossentropy(fromLogits: true), metrics: ["accuracy"], device: "cpu");
        return model;
    }

    private sealed class StepsSeenAtBatchBegin : Callback
    {
        public List<long> Iterations { get; } = [];
        public override void OnTrainBatchBegin(int batch, IReadOnlyDictionary<string, double> logs) => Iterations.Add(Model!.Optimizer!.Iterations);
    }

    [Test]
    public void Fit_CallsBatchBegin_BeforeTheBatchIsTrained()
    {
        // Keras calls on_train_batch_begin before the step, so a callback can still change that batch's training
        // (a per-batch learning rate, say): at batch i, exactly i optimizer steps have been taken.
        RandomSeed.Set(12);
        var (x, y) = ModelTestData.Blobs(30);
        var model = Compiled();
        var seen = new StepsSeenAtBatchBegin();
        model.Fit(x, y, batchSize: 10, epochs: 1, verbose: 0, callbacks: [seen]);
        Assert.That(seen.Iterations, Is.EqualTo(new long[] { 0, 1, 2 }));
    }

    [Test]
    public void Fit_CallsHooksInKerasOrder()
    {
        RandomSeed.Set(11);
        var (x, y) = ModelTestData.Blobs(30);
        var (xv, yv) = ModelTestData.Blobs(4, seed: 2);
        var model = Compiled();
        var recorder = new RecordingCallback();
        model.Fit(x, y, batchSize: 10, epochs: 2, validationData: (xv, yv), verbose: 0, callbacks: [recorder]);

        var epoch = new Func<int, string[]>(e =>
        [
            $"epoch_begin {e}",
            "batch_begin 0", "batch_end 0", "batch_begin 1", "batch_end 1", "batch_begin 2", "batch_end 2",
            "test_begin", "test_batch_begin 0", "test_batch_end 0", "test_end",
            $"epoch_end {e}",
        ]);
        string[] expected = ["train_begin", .. epoch(0), .. epoch(1), "train_end"];
        Assert.That(recorder.Calls, Is.EqualTo(expected));
        Assert.That(recorder.ModelsSeen, Is.EqualTo(new Model[] { model }));
        Assert.That(recorder.ParamsSeen[0]["epochs"], Is.EqualTo(2));
        Assert.That(recorder.ParamsSeen[0]["steps"], Is.EqualTo(3));
        Assert.That(recorder.ParamsSeen[0]["verbose"], Is.EqualTo(0));
    }

    [Test]
    public void Fit_WithoutValidation_CallsNoTestHooks()
    {
        var (x, y) = ModelTestData.Blobs(20);
        var recorder = new RecordingCallback();
        Compiled().Fit(x, y, batchSize: 10, epochs: 1, verbose: 0, callbacks: [recorder]);
        Assert.That(recorder.Calls, Is.EqualTo(new[]
        {
            "train_begin", "epoch_begin 0", "batch_begin 0", "batch_end 0", "batch_begin 1", "batch_end 1", "epoch_end 0", "train_end",
        }));
    }

    [Test]
    public void Fit_InitialEpoch_NumbersEpochsFromIt()
    {
        var (x, y) = ModelTestData.Blobs(20);
        var recorder = new RecordingCallback();
        var history = Compiled().Fit(x, y, batchSize: 20, epochs: 4, initialEpoch: 2, verbose: 0, callbacks: [recorder]);
        Assert.That(history.Epochs, Is.EqualTo(new[] { 2, 3 }));
        Assert.That(recorder.Calls.Where(c => c.StartsWith("epoch_end")), Is.EqualTo(new[] { "epoch_end 2", "epoch_end 3" }));
    }

    [Test]
    public void StopTraining_InOnEpochEnd_EndsAfterThatEpoch()
    {
        var (x, y) = ModelTestData.Blobs(20);
        var model = Compiled();
        var recorder = new RecordingCallback();
        var history = model.Fit(x, y, batchSize: 10, epochs: 5, verbose: 0,
            callbacks: [new StopAt(epoch: 0), recorder]);
        Assert.That(history.Epochs, Is.EqualTo(new[] { 0 }));
        Assert.That(history["loss"], Has.Count.EqualTo(1));
        Assert.That(recorder.Calls[^2..], Is.EqualTo(new[] { "epoch_end 0", "train_end" }));

        // The flag is reset by the next Fit, which trains all its epochs.
        var again = model.Fit(x, y, batchSize: 10, epochs: 2, verbose: 0);
        Assert.That(again.Epochs, Is.EqualTo(new[] { 0, 1 }));
    }

    [Test]
    public void StopTraining_InOnTrainBatchEnd_EndsTheEpochEarlyAndSkipsValidation()
    {
        var (x, y) = ModelTestData.Blobs(50);
        var recorder = new RecordingCallback();
        var history = Compiled().Fit(x, y, batchSize: 10, epochs: 3, validationSplit: 0.2, verbose: 0,
            callbacks: [new StopAtBatch(1), recorder]);
        Assert.That(recorder.CountPrefix("batch_end"), Is.EqualTo(2));
        Assert.That(recorder.Count("test_begin"), Is.EqualTo(0));
        Assert.That(history.Epochs, Is.EqualTo(new[] { 0 }));
    }

    [Test]
    public void OnTrainBatchEnd_LogsHoldRunningLoss()
    {
        RandomSeed.Set(12);
        var (x, y) = ModelTestData.Blobs(40);
        var recorder = new RecordingCallback();
        var history = Compiled().Fit(x, y, batchSize: 10, epochs: 1, shuffle: false, verbose: 0, callbacks: [recorder]);
        Assert.That(recorder.BatchLosses, Has.Count.EqualTo(4));
        Assert.That(recorder.BatchLosses, Is.All.GreaterThan(0).And.All.Not.NaN);
        // The last batch's running mean is the epoch's loss: both average every sample of the epoch.
        Assert.That(recorder.BatchLosses[^1], Is.EqualTo(history["loss"][0]).Within(1e-6));
    }

    [Test]
    public void Evaluate_CallsTestHooksWithSteps()
    {
        var (x, y) = ModelTestData.Blobs(25);
        var recorder = new RecordingCallback();
        var model = Compiled();
        model.Evaluate(x, y, batchSize: 10, verbose: 0, callbacks: [recorder]);
        Assert.That(recorder.Calls, Is.EqualTo(new[]
        {
            "test_begin", "test_batch_begin 0", "test_batch_end 0", "test_batch_begin 1", "test_batch_end 1",
            "test_batch_begin 2", "test_batch_end 2", "test_end",
        }));
        Assert.That(recorder.ParamsSeen[0]["steps"], Is.EqualTo(3));
    }

    [Test]
    public void Predict_CallsPredictHooks()
    {
        var recorder = new RecordingCallback();
        using var output = Compiled().Predict(zeros(5, 2), batchSize: 2, verbose: 0, callbacks: [recorder]);
        Assert.That(recorder.Calls, Is.EqualTo(new[]
        {
            "predict_begin", "predict_batch_begin 0", "predict_batch_end 0", "predict_batch_begin 1", "predict_batch_end 1",
            "predict_batch_begin 2", "predict_batch_end 2", "predict_end",
        }));
        Assert.That(recorder.ParamsSeen[0]["steps"], Is.EqualTo(3));
    }

    [Test]
    public void Fit_LeavesModelInEvalMode_AndEvaluateRestoresMode()
    {
        var (x, y) = ModelTestData.Blobs(20);
        var model = Compiled();
        model.Fit(x, y, epochs: 1, verbose: 0);
        Assert.That(model.training, Is.False);
        model.train();
        model.Evaluate(x, y, verbose: 0);
        Assert.That(model.training, Is.True);
    }

    [Test]
    public void Fit_WithProgressBar_TrainsToo()
    {
        // verbose 2 prints through Console; the run must give the same History keys as a silent one.
        var (x, y) = ModelTestData.Blobs(20);
        var previous = Console.Out;
        var text = new StringWriter();
        Console.SetOut(text);
        History history;
        try
        {
            history = Compiled().Fit(x, y, batchSize: 10, epochs: 2, verbose: 2);
        }
        finally
        {
            Console.SetOut(previous);
        }
        var lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(4));
        Assert.That(lines[0].TrimEnd(), Is.EqualTo("Epoch 1/2"));
        Assert.That(lines[1], Does.Match(@"^2/2 - \d+s - \d+(us|ms|s)/step - accuracy: \d\.\d{4} - loss: \d\.\d{4}\r?$"));
        Assert.That(lines[2].TrimEnd(), Is.EqualTo("Epoch 2/2"));
        Assert.That(history.Epochs, Is.EqualTo(new[] { 0, 1 }));
    }

    private sealed class StopAt(int epoch) : Callback
    {
        public override void OnEpochEnd(int e, IReadOnlyDictionary<string, double> logs)
        {
            if (e == epoch) Model!.StopTraining = true;
        }
    }

    private sealed class StopAtBatch(int batch) : Callback
    {
        public override void OnTrainBatchEnd(int b, IReadOnlyDictionary<string, double> logs)
        {
            if (b == batch) Model!.StopTraining = true;
        }
    }
}
