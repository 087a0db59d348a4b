using Sequential.Callbacks;
using Sequential.Core.Tests.Persistence;
using Sequential.Layers;
using Sequential.Optimizers;
using static Sequential.Core.Tests.Callbacks.CallbackTestModels;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Callbacks;

/// Keras 3's TensorBoard callback (src/Sequential.Core/Callbacks/TensorBoard.cs), checked by reading the event files back.
public class TensorBoardTests
{
    private string _dir = "";

    [SetUp]
    public void CreateFolder() => _dir = TestModels.TempDir();

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_dir, recursive: true);

    private static SequentialModel LinearWithMae(double learningRate = 0.01)
    {
        var model = new SequentialModel(new Dense(1, useBias: false, kernelInitializer: "ones", inputShape: [1]));
        model.Compile(optimizer: new SGD(learningRate: learningRate), loss: "mse", metrics: ["mae"], device: "cpu");
        return model;
    }

    [Test]
    public void EpochMetricsGoToTrainAndValidationAsKerasNamesThem()
    {
        using var model = LinearWithMae();
        var (x, y) = Line(8);
        var history = model.Fit(x, y, epochs: 2, batchSize: 2, verbose: 0, shuffle: false, validationSplit: 0.5,
            callbacks: [new TensorBoard(logDir: _dir)]);
        var values = EventFiles.Values(_dir);

        Assert.That(Directory.GetDirectories(_dir).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { "train", "validation" }));
        foreach (var run in new[] { "train", "validation" })
        {
            var files = EventFiles.In(Path.Combine(_dir, run));
            Assert.That(files, Has.Length.EqualTo(1), run);
            Assert.That(EventFiles.Read(files[0])[0].FileVersion, Is.EqualTo("brain.Event:2"), "TensorBoard's first record");
        }
        Assert.That(values.Where(v => v.Run == "train").Select(v => v.Tag).Distinct().Order(),
            Is.EqualTo(new[] { "epoch_learning_rate", "epoch_loss", "epoch_mae" }));
        Assert.That(values.Where(v => v.Run == "validation").Select(v => v.Tag).Distinct().Order(),
            Is.EqualTo(new[] { "epoch_loss", "epoch_mae", "evaluation_loss_vs_iterations", "evaluation_mae_vs_iterations" }));
        Assert.That(EventFiles.Scalars(values, "train", "epoch_loss"),
            Is.EqualTo(new[] { (0L, (float)history["loss"][0]), (1L, (float)history["loss"][1]) }));
        Assert.That(EventFiles.Scalars(values, "train", "epoch_mae"),
            Is.EqualTo(new[] { (0L, (float)history["mae"][0]), (1L, (float)history["mae"][1]) }));
        Assert.That(EventFiles.Scalars(values, "train", "epoch_learning_rate"), Is.EqualTo(new[] { (0L, 0.01f), (1L, 0.01f) }));
        Assert.That(EventFiles.Scalars(values, "validation", "epoch_loss"),
            Is.EqualTo(new[] { (0L, (float)history["val_loss"][0]), (1L, (float)history["val_loss"][1]) }));
        // 4 training samples in batches of 2: the optimizer has made 2 steps after epoch 0 and 4 after epoch 1.
        Assert.That(EventFiles.Scalars(values, "validation", "evaluation_loss_vs_iterations"),
            Is.EqualTo(new[] { (2L, (float)history["val_loss"][0]), (4L, (float)history["val_loss"][1]) }));
        Assert.That(values.Any(v => v.Tag.StartsWith("batch_") || v.Summary.Histo is not null), Is.False, "updateFreq \"epoch\", no histograms");
        // Wall times of the records are Unix seconds (TensorBoard's relative time axis).
        double now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var recordTimes = EventFiles.Read(EventFiles.In(Path.Combine(_dir, "train"))[0]).Where(e => e.Summary is not null).Select(e => e.WallTime);
        Assert.That(recordTimes, Is.All.InRange(now - 600, now + 1));
    }

    [Test]
    public void TheReadersChecksumIsCrc32C()
    {
        // The check value of CRC-32C (RFC 3720, B.4): "123456789" -> 0xE3069283.
        Assert.That(EventFiles.Crc32C("123456789"u8), Is.EqualTo(0xE3069283u));
    }

    [Test]
    public void LearningRateIsTheOptimizersAtEachEpoch()
    {
        using var model = LinearWithMae();
        var (x, y) = Line(4);
        model.Fit(x, y, epochs: 3, batchSize: 4, verbose: 0,
            callbacks: [new LearningRateScheduler((epoch, _) => 0.1 / (epoch + 1)), new TensorBoard(logDir: _dir)]);
        Assert.That(EventFiles.Scalars(EventFiles.Values(_dir), "train", "epoch_learning_rate"),
            Is.EqualTo(new[] { (0L, 0.1f), (1L, 0.05f), (2L, (float)(0.1 / 3)) }));
    }

    [TestCase(2, new long[] { 2, 4, 6, 8 })]
    [TestCase("batch", new long[] { 1, 2, 3, 4, 5, 6, 7, 8 })]
    public void UpdateFreqWritesRunningMetricsEveryNBatchesCountedAcrossEpochs(object updateFreq, long[] steps)
    {
        using var model = LinearWithMae();
        var (x, y) = Line(8);
        var running = new List<double>();
        var probe = new LambdaCallback(onTrainBatchEnd: (_, logs) => running.Add(logs["loss"]));
        model.Fit(x, y, epochs: 2, batchSize: 2, verbose: 0, shuffle: false, callbacks: [probe, new TensorBoard(logDir: _dir, updateFreq: updateFreq)]);
        var values = EventFiles.Values(_dir);
        Assert.That(EventFiles.Scalars(values, "train", "batch_loss"),
            Is.EqualTo(steps.Select(s => (s, (float)running[(int)s - 1])).ToArray()));
        Assert.That(EventFiles.Scalars(values, "train", "batch_mae").Select(s => s.step), Is.EqualTo(steps));
        Assert.That(values.Where(v => v.Run == "validation"), Is.Empty, "no validation, so no validation run");
    }

    [Test]
    public void HistogramsOfEveryWeightEveryHistogramFreqEpochs()
    {
        using var model = new SequentialModel(new Dense(3, inputShape: [2]));
        model.Compile(optimizer: new SGD(learningRate: 0.1), loss: "mse", device: "cpu");
        var x = tensor(new float[] { 1, 2, 3, 4, 5, 6 }).reshape(3, 2);
        var y = tensor(new float[] { 1, 0, 1, 0, 1, 0, 1, 0, 1 }).reshape(3, 3);
        var kernels = new List<float[]>();
        var probe = new LambdaCallback(onEpochEnd: (_, _) =>
            kernels.Add(model.GetWeights()[0].reshape(-1).data<float>().ToArray()));
        model.Fit(x, y, epochs: 3, batchSize: 3, verbose: 0, callbacks: [probe, new TensorBoard(logDir: _dir, histogramFreq: 2)]);

        var histograms = EventFiles.Values(_dir).Where(v => v.Summary.Histo is not null).ToList();
        Assert.That(histograms.Select(h => (h.Run, h.Tag, h.Step)), Is.EqualTo(new[]
        {
            ("train", "sequential/dense/kernel/histogram", 0L), ("train", "sequential/dense/bias/histogram", 0L),
            ("train", "sequential/dense/kernel/histogram", 2L), ("train", "sequential/dense/bias/histogram", 2L),
        }));
        foreach (var (histogram, epoch) in new[] { (histograms[0], 0), (histograms[2], 2) })
        {
            var kernel = kernels[epoch];
            var h = histogram.Summary.Histo;
            Assert.That(h.Num, Is.EqualTo(6));
            Assert.That(h.Sum, Is.EqualTo(kernel.Sum(v => (double)v)).Within(1e-5));
            Assert.That(h.Min, Is.EqualTo(kernel.Min()).Within(1e-6));
            Assert.That(h.Max, Is.EqualTo(kernel.Max()).Within(1e-6));
            Assert.That(h.Bucket.Sum(), Is.EqualTo(6), "every value in a bucket");
            Assert.That(h.BucketLimit, Has.Count.EqualTo(h.Bucket.Count));
        }
        Assert.That(histograms.Any(v => v.Tag.EndsWith("/image")), Is.False);
    }

    [Test]
    public void WriteImagesWritesVectorsAsColumnsAndMatricesWide()
    {
        using var model = new SequentialModel(new Dense(3, inputShape: [2]));
        model.Compile(optimizer: new SGD(learningRate: 0.1), loss: "mse", device: "cpu");
        var x = tensor(new float[] { 1, 2 }).reshape(1, 2);
        model.Fit(x, zeros(1, 3), epochs: 1, verbose: 0, callbacks: [new TensorBoard(logDir: _dir, histogramFreq: 1, writeImages: true)]);
        var images = EventFiles.Values(_dir).Where(v => v.Summary.Image is not null).ToDictionary(v => v.Tag, v => v.Summary.Image);
        Assert.That(images.Keys, Is.EquivalentTo(new[] { "sequential/dense/kernel/image", "sequential/dense/bias/image" }));
        // The kernel is 2 inputs x 3 units: an image 2 high and 3 wide, as Keras turns a matrix; the bias a 3 x 1 column.
        Assert.That((images["sequential/dense/kernel/image"].Height, images["sequential/dense/kernel/image"].Width), Is.EqualTo((2, 3)));
        Assert.That((images["sequential/dense/bias/image"].Height, images["sequential/dense/bias/image"].Width), Is.EqualTo((3, 1)));
        var png = images["sequential/dense/kernel/image"].EncodedImageString.ToByteArray();
        Assert.That(png.Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "a PNG");
    }

    [Test]
    public void EvaluateWritesItsResultsAtTheOptimizersIterations()
    {
        using var model = LinearWithMae();
        var (x, y) = Line(4);
        model.Fit(x, y, epochs: 3, batchSize: 2, verbose: 0);
        var result = model.Evaluate(x, y, verbose: 0, callbacks: [new TensorBoard(logDir: _dir)]);
        var values = EventFiles.Values(_dir);
        Assert.That(EventFiles.Scalars(values, "validation", "evaluation_loss_vs_iterations"), Is.EqualTo(new[] { (6L, (float)result["loss"]) }));
        Assert.That(EventFiles.Scalars(values, "validation", "evaluation_mae_vs_iterations"), Is.EqualTo(new[] { (6L, (float)result["mae"]) }));
        Assert.That(EventFiles.In(Path.Combine(_dir, "train")), Is.Empty, "Keras creates no train file for an evaluation");
    }

    [Test]
    public void RecordsAreOnDiskAsSoonAsLoggedAndEachFitStartsANewFile()
    {
        using var model = LinearWithMae();
        var (x, y) = Line(4);
        var board = new TensorBoard(logDir: _dir);
        var seenDuringFit = new List<string>();
        // Runs after the TensorBoard in the same hook: what a crash at this point would leave on disk.
        var reader = new LambdaCallback(onEpochEnd: (_, _) =>
            seenDuringFit.AddRange(EventFiles.Values(_dir).Select(v => $"{v.Tag}@{v.Step}")));
        var error = Assert.Throws<InvalidOperationException>(() => model.Fit(x, y, epochs: 3, verbose: 0,
            callbacks: [board, reader, new LambdaCallback(onEpochEnd: (_, _) => throw new InvalidOperationException("stop"))]));
        Assert.That(error!.Message, Is.EqualTo("stop"));
        Assert.That(seenDuringFit, Is.EquivalentTo(new[] { "epoch_loss@0", "epoch_mae@0", "epoch_learning_rate@0" }));

        model.Fit(x, y, epochs: 1, verbose: 0, callbacks: [board]);
        Assert.That(EventFiles.In(Path.Combine(_dir, "train")), Has.Length.EqualTo(2), "a new file per Fit, as Keras's writers");
    }

    [Test]
    public void EmptyEpochLogsWriteNothingButTheHistograms()
    {
        // Keras's _log_epoch_metrics returns at once for empty logs (a custom step returning none); histograms still follow.
        using var model = LinearWithMae();
        model.Build([1]);
        var board = new TensorBoard(logDir: _dir, histogramFreq: 1);
        board.SetModel(model);
        board.OnEpochEnd(0, new Dictionary<string, double>());
        var values = EventFiles.Values(_dir);
        Assert.That(values.Select(v => v.Tag), Is.EqualTo(new[] { "sequential/dense/kernel/histogram" }));
    }

    [Test]
    public void ArgumentsAreCheckedAsKerasDoes()
    {
        var profile = Assert.Throws<ArgumentException>(() => new TensorBoard(_dir, profileBatch: 2));
        Assert.That(profile!.Message, Does.StartWith("Profiling is not available with TorchSharp; TensorBoard profileBatch must be 0, got 2."));
        var frequency = Assert.Throws<ArgumentException>(() => new TensorBoard(_dir, updateFreq: "sometimes"));
        Assert.That(frequency!.Message, Does.StartWith("TensorBoard updateFreq must be \"epoch\", \"batch\" or a positive number of batches; got sometimes."));
        Assert.Throws<ArgumentException>(() => new TensorBoard(_dir, updateFreq: 0));
        var histogram = Assert.Throws<ArgumentOutOfRangeException>(() => new TensorBoard(_dir, histogramFreq: -1));
        Assert.That(histogram!.Message, Does.StartWith("TensorBoard histogramFreq must be 0 (no histograms) or a positive number of epochs; got -1."));
        Assert.Throws<ArgumentException>(() => new TensorBoard(" "));
        Assert.That(new TensorBoard(_dir, updateFreq: 1000L).UpdateFreq, Is.EqualTo(1000L));
    }

    [Test]
    public void StepsPerSecondAreLoggedWhenAsked()
    {
        using var model = LinearWithMae();
        var (x, y) = Line(4);
        model.Fit(x, y, epochs: 2, batchSize: 2, verbose: 0, callbacks: [new TensorBoard(logDir: _dir, writeStepsPerSecond: true, updateFreq: "batch")]);
        var values = EventFiles.Values(_dir);
        Assert.That(EventFiles.Scalars(values, "train", "epoch_steps_per_second").Select(s => s.step), Is.EqualTo(new[] { 0L, 1L }));
        Assert.That(EventFiles.Scalars(values, "train", "batch_steps_per_second").Select(s => s.step), Is.EqualTo(new[] { 1L, 2L, 3L, 4L }));
        Assert.That(values.Where(v => v.Tag.EndsWith("steps_per_second")).All(v => v.Summary.SimpleValue > 0), Is.True);
    }

    [Test]
    public void NonFiniteWeightsStillGetAHistogramAndDoNotStopFit()
    {
        using var model = new SequentialModel(new Dense(3, inputShape: [2]));
        model.Compile(optimizer: new SGD(learningRate: 0.1), loss: "mse", device: "cpu");
        model.Build([2]);
        using (no_grad())
        {
            var kernel = model.parameters().First();
            kernel[0, 0] = float.NaN;
            kernel[0, 1] = float.PositiveInfinity;
        }
        var x = tensor(new float[] { 1, 2 }).reshape(1, 2);
        var history = model.Fit(x, zeros(1, 3), epochs: 1, verbose: 0, callbacks: [new TensorBoard(logDir: _dir, histogramFreq: 1, writeImages: true)]);
        Assert.That(history["loss"][0], Is.NaN);
        var kernelHistogram = EventFiles.Values(_dir).Single(v => v.Tag == "sequential/dense/kernel/histogram").Summary.Histo;
        Assert.That(kernelHistogram.Num, Is.EqualTo(6));
        Assert.That(kernelHistogram.Min, Is.NaN);
    }
}
