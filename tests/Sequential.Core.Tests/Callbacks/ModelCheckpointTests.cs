using Sequential.Callbacks;
using Sequential.Core.Tests.Persistence;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Callbacks;

public class ModelCheckpointTests
{
    private string _dir = "";

    [SetUp]
    public void CreateFolder() => _dir = TestModels.TempDir();

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_dir, recursive: true);

    private static Dictionary<string, double> Logs(params (string key, double value)[] values) => values.ToDictionary(v => v.key, v => v.value);

    // Expected strings are what Python's str.format gives for the same template and values (as Keras formats them).
    [TestCase("weights.{epoch:02d}-{val_loss:.2f}.seqmodel", 0, 0.41234, "weights.01-0.41.seqmodel")]
    [TestCase("model_{epoch}.seqmodel", 2, 0.5, "model_3.seqmodel")]
    [TestCase("{val_loss}", 0, 0.5, "0.5")]
    [TestCase("{val_loss}", 0, 0.30000000000000004, "0.30000000000000004")]
    [TestCase("{val_loss}", 0, 1e-05, "1e-05")]
    [TestCase("{val_loss}", 0, 123.0, "123.0")]
    [TestCase("{val_loss:.3e}", 0, 0.000125, "1.250e-04")]
    [TestCase("{val_loss:g}", 0, 0.0001, "0.0001")]
    [TestCase("{val_loss:g}", 0, 1e-05, "1e-05")]
    [TestCase("{val_loss:g}", 0, 123456789.0, "1.23457e+08")]
    [TestCase("{val_loss:.4}", 0, 0.123456, "0.1235")]
    [TestCase("{val_loss:.1%}", 0, 0.256, "25.6%")]
    [TestCase("{val_loss:,.2f}", 0, 12345.678, "12,345.68")]
    [TestCase("{val_loss:08.3f}", 0, -3.14159, "-003.142")]
    [TestCase("{val_loss:+.1f}", 0, 2.0, "+2.0")]
    [TestCase("{epoch:>4}|", 0, 0.0, "   1|")]
    [TestCase("{epoch:<4}|", 0, 0.0, "1   |")]
    [TestCase("{epoch:*^5}", 0, 0.0, "**1**")]
    [TestCase("{epoch:.2f}", 0, 0.0, "1.00")]
    [TestCase("{{epoch}}-{epoch:03d}", 6, 0.0, "{epoch}-007")]
    public void FilepathIsFormattedAsKerasFormatsIt(string template, int epoch, double valLoss, string expected)
    {
        var checkpoint = new ModelCheckpoint(template);
        Assert.That(checkpoint.FormatFilepath(epoch, null, Logs(("loss", 1.0), ("val_loss", valLoss))), Is.EqualTo(expected));
    }

    [Test]
    public void BatchPlaceholderIsOneBased()
    {
        var checkpoint = new ModelCheckpoint("m-{epoch}-{batch:03d}.seqmodel", saveFreq: 5);
        Assert.That(checkpoint.FormatFilepath(1, 4, Logs(("loss", 1.0))), Is.EqualTo("m-2-005.seqmodel"));
    }

    [Test]
    public void UnknownPlaceholderNamesItAndTheAvailableKeys()
    {
        var checkpoint = new ModelCheckpoint("m-{val_acc:.2f}.seqmodel");
        var e = Assert.Throws<ArgumentException>(() => checkpoint.FormatFilepath(0, null, Logs(("loss", 1.0), ("val_loss", 2.0))));
        Assert.That(e!.Message, Does.Contain("val_acc").And.Contain("val_loss"));
    }

    [Test]
    public void IntegerCodeOnAFloatFailsAsInPython()
    {
        var checkpoint = new ModelCheckpoint("m-{val_loss:d}.seqmodel");
        Assert.Throws<ArgumentException>(() => checkpoint.FormatFilepath(0, null, Logs(("val_loss", 2.0))));
    }

    [Test]
    public void SaveBestOnlyKeepsOnlyImprovementsInMinMode()
    {
        var model = TestModels.Mlp();
        var checkpoint = new ModelCheckpoint(Path.Combine(_dir, "ck-{epoch:02d}-{val_loss:.2f}.seqmodel"), saveBestOnly: true);
        checkpoint.SetModel(model);
        double[] losses = [0.5, 0.6, 0.4, 0.45];
        for (int epoch = 0; epoch < losses.Length; epoch++)
            checkpoint.OnEpochEnd(epoch, Logs(("loss", 1.0), ("val_loss", losses[epoch])));

        Assert.That(Directory.GetFiles(_dir).Select(Path.GetFileName).Order(),
            Is.EqualTo(new[] { "ck-01-0.50.seqmodel", "ck-03-0.40.seqmodel" }));
        Assert.That(checkpoint.Best, Is.EqualTo(0.4));
    }

    [Test]
    public void SaveBestOnlyWithOnePathHoldsTheBestEpochsWeights()
    {
        var model = TestModels.Mlp();
        string path = Path.Combine(_dir, "best.seqmodel");
        var checkpoint = new ModelCheckpoint(path, monitor: "val_accuracy", saveBestOnly: true); // auto -> max
        checkpoint.SetModel(model);
        double[] accuracies = [0.2, 0.7, 0.5];
        for (int epoch = 0; epoch < accuracies.Length; epoch++)
        {
            using (no_grad()) model.Layers[0].Weights[0].fill_(epoch + 1);
            checkpoint.OnEpochEnd(epoch, Logs(("val_accuracy", accuracies[epoch])));
        }

        var best = SequentialModel.Load(path);
        Assert.That(TestModels.Flat(best.Layers[0].Weights[0]).Distinct(), Is.EqualTo(new[] { 2f }));
    }

    [Test]
    public void MaxModeAndInitialThreshold()
    {
        var model = TestModels.Mlp();
        var checkpoint = new ModelCheckpoint(Path.Combine(_dir, "m{epoch}.seqmodel"), monitor: "loss", mode: "max",
            saveBestOnly: true, initialValueThreshold: 0.55);
        checkpoint.SetModel(model);
        double[] values = [0.5, 0.6, 0.58, 0.9];
        for (int epoch = 0; epoch < values.Length; epoch++)
            checkpoint.OnEpochEnd(epoch, Logs(("loss", values[epoch])));
        Assert.That(Directory.GetFiles(_dir).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { "m2.seqmodel", "m4.seqmodel" }));
    }

    [Test]
    public void SaveBestOnlyWithoutTheMonitorWarnsAndSavesAnyway()
    {
        // Keras model_checkpoint_test Case 5: monitor="unknown", save_best_only=True, mode="min" -> a UserWarning and
        // the file exists (_should_save_model returns True when the monitor is missing).
        var model = TestModels.Mlp();
        string path = Path.Combine(_dir, "ck.seqmodel");
        var checkpoint = new ModelCheckpoint(path, monitor: "unknown", saveBestOnly: true, mode: "min");
        checkpoint.SetModel(model);
        var previous = Console.Error;
        var error = new StringWriter();
        Console.SetError(error);
        try
        {
            checkpoint.OnEpochEnd(0, Logs(("loss", 1.0), ("val_loss", 0.5)));
        }
        finally
        {
            Console.SetError(previous);
        }
        Assert.That(File.Exists(path), Is.True);
        Assert.That(error.ToString(), Does.Contain(
            "Saving only the best model is conditioned on metric `unknown` which is not available. Available metrics are: loss,val_loss"));
        Assert.That(checkpoint.Best, Is.Null);
    }

    [Test]
    public void WithoutSaveBestOnlyAnUnresolvableMonitorIsNoError()
    {
        // The monitor only matters for saveBestOnly; Keras would still raise on "auto" for an unknown name.
        var model = TestModels.Mlp();
        var checkpoint = new ModelCheckpoint(Path.Combine(_dir, "e{epoch}.seqmodel"), monitor: "throughput");
        checkpoint.SetModel(model);
        checkpoint.OnEpochEnd(0, Logs(("loss", 1.0), ("throughput", 9.0)));
        Assert.That(File.Exists(Path.Combine(_dir, "e1.seqmodel")), Is.True);
        Assert.That(checkpoint.Maximizes, Is.Null);
    }

    // Keras model_checkpoint_test Cases 11 to 15: initial_value_threshold is the best value to beat.
    [TestCase("max", "val_acc", -0.01, 0.5, true)]
    [TestCase("auto", "val_loss", null, 0.5, true)]
    [TestCase("min", "val_loss", 0.0, 0.5, false)]
    [TestCase("auto", "val_loss", 0.0, 0.5, false)]
    [TestCase("auto", "val_auc", 1.0, 0.8, false)]
    public void InitialValueThresholdIsTheValueToBeat(string mode, string monitor, double? threshold, double value, bool saved)
    {
        var model = TestModels.Mlp();
        string path = Path.Combine(_dir, "ck.seqmodel");
        var checkpoint = new ModelCheckpoint(path, monitor: monitor, saveBestOnly: true, mode: mode, initialValueThreshold: threshold);
        Assert.That(checkpoint.Best, Is.EqualTo(threshold));
        Assert.That(checkpoint.Baseline, Is.EqualTo(threshold));
        checkpoint.SetModel(model);
        checkpoint.OnEpochEnd(0, Logs(("loss", 1.0), (monitor, value)));
        Assert.That(File.Exists(path), Is.EqualTo(saved));
    }

    [Test]
    public void SavesEveryEpochDuringFit()
    {
        var (x, y) = TestModels.Data();
        var model = TestModels.Mlp();
        model.Fit(x, y, epochs: 3, batchSize: 16, verbose: 0, validationSplit: 0.25,
            callbacks: [new ModelCheckpoint(Path.Combine(_dir, "e{epoch}.seqmodel"))]);
        Assert.That(Directory.GetFiles(_dir).Select(Path.GetFileName).Order(),
            Is.EqualTo(new[] { "e1.seqmodel", "e2.seqmodel", "e3.seqmodel" }));
        var last = SequentialModel.Load(Path.Combine(_dir, "e3.seqmodel"));
        Assert.That(TestModels.Weights(last), Is.EqualTo(TestModels.Weights(model)));
    }

    [Test]
    public void SaveFreqInBatchesAndWeightsOnly()
    {
        var (x, y) = TestModels.Data(samples: 64);
        var model = TestModels.Mlp();
        model.Fit(x, y, epochs: 2, batchSize: 16, verbose: 0, // 4 batches per epoch
            callbacks: [new ModelCheckpoint(Path.Combine(_dir, "b-{epoch}-{batch}.safetensors"), saveWeightsOnly: true, saveFreq: 2)]);
        Assert.That(Directory.GetFiles(_dir).Select(Path.GetFileName).Order(),
            Is.EqualTo(new[] { "b-1-2.safetensors", "b-1-4.safetensors", "b-2-2.safetensors", "b-2-4.safetensors" }));
        var copy = TestModels.Mlp();
        copy.LoadWeights(Path.Combine(_dir, "b-2-4.safetensors"));
        Assert.That(TestModels.Weights(copy), Is.EqualTo(TestModels.Weights(model)));
    }

    [Test]
    public void BadArgumentsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new ModelCheckpoint("m.seqmodel", mode: "biggest"));
        Assert.That(Assert.Throws<ArgumentException>(() => new ModelCheckpoint("m.seqmodel", saveFreq: "batch"))!.Message,
            Does.StartWith("ModelCheckpoint saveFreq must be \"epoch\" or a positive number of batches; got batch."));
        Assert.Throws<ArgumentException>(() => new ModelCheckpoint("m.seqmodel", saveFreq: 0));
        Assert.That(Assert.Throws<ArgumentException>(() => new BackupAndRestore("backup", saveFreq: 2.5))!.Message,
            Does.StartWith("BackupAndRestore saveFreq must be \"epoch\" or a positive number of batches; got 2.5."));
        Assert.That(new BackupAndRestore("backup", saveFreq: 3L).SaveFreq, Is.EqualTo(3L));
    }
}
