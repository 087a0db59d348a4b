using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Data.Analysis;

namespace Sequential.Core.Tests;

public class HistoryTests
{
    private static readonly Dictionary<string, double> Empty = [];

    private string _folder = "";

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "sequential-history-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    /// <summary>Drives the hooks in the order Fit calls them, with logs in Keras's order (loss first).</summary>
    private static void Train(History history, params Dictionary<string, double>[] epochLogs)
    {
        history.OnTrainBegin(Empty);
        for (int epoch = 0; epoch < epochLogs.Length; epoch++)
        {
            history.OnEpochBegin(epoch, Empty);
            history.OnTrainBatchEnd(0, new Dictionary<string, double> { ["loss"] = 99 });
            history.OnEpochEnd(epoch, epochLogs[epoch]);
        }
        history.OnTrainEnd(epochLogs.Length > 0 ? epochLogs[^1] : Empty);
    }

    private static Dictionary<string, double> Logs(double loss, double accuracy, double valLoss, double valAccuracy) =>
        new() { ["loss"] = loss, ["accuracy"] = accuracy, ["val_loss"] = valLoss, ["val_accuracy"] = valAccuracy };

    private static History ThreeEpochs()
    {
        var history = new History();
        Train(history,
            Logs(0.9, 0.6, 0.8, 0.65),
            Logs(0.5, 0.8, 0.55, 0.78),
            Logs(0.3, 0.9, 0.45, 0.83));
        return history;
    }

    [Test]
    public void OnEpochEnd_RecordsOneValuePerEpochPerKey()
    {
        var history = ThreeEpochs();

        Assert.That(history["loss"], Is.EqualTo(new[] { 0.9, 0.5, 0.3 }));
        Assert.That(history["accuracy"], Is.EqualTo(new[] { 0.6, 0.8, 0.9 }));
        Assert.That(history["val_loss"], Is.EqualTo(new[] { 0.8, 0.55, 0.45 }));
        Assert.That(history["val_accuracy"], Is.EqualTo(new[] { 0.65, 0.78, 0.83 }));
        Assert.That(history.Epochs, Is.EqualTo(new[] { 0, 1, 2 }));
        Assert.That(history.Keys, Is.EqualTo(new[] { "loss", "accuracy", "val_loss", "val_accuracy" }));
        Assert.That(history.Values["val_accuracy"], Is.EqualTo(new[] { 0.65, 0.78, 0.83 }));
        Assert.That(history.Values.Keys, Is.EquivalentTo(history.Keys));
    }

    [Test]
    public void ReturnedCurves_AreReadOnly()
    {
        var history = ThreeEpochs();

        Assert.That(history["loss"], Is.Not.InstanceOf<List<double>>());
        Assert.That(history.Epochs, Is.Not.InstanceOf<List<int>>());
        Assert.That(history.Values, Is.Not.InstanceOf<Dictionary<string, IReadOnlyList<double>>>());
        Assert.Throws<NotSupportedException>(() => ((IList<double>)history["loss"]).Add(1));
    }

    [Test]
    public void TrainingAgain_KeepsAppendingValuesAndEpochs()
    {
        var history = ThreeEpochs();

        Train(history, Logs(0.2, 0.95, 0.4, 0.84));

        Assert.That(history["loss"], Is.EqualTo(new[] { 0.9, 0.5, 0.3, 0.2 }));
        Assert.That(history.Epochs, Is.EqualTo(new[] { 0, 1, 2, 0 }));
    }

    [Test]
    public void ContainsKey_IsTrueOnlyForLoggedKeys()
    {
        var history = ThreeEpochs();

        Assert.That(history.ContainsKey("val_loss"), Is.True);
        Assert.That(history.ContainsKey("val_acc"), Is.False);
        Assert.That(history.ContainsKey("Loss"), Is.False, "keys are case-sensitive, as in Keras");
    }

    [Test]
    public void Indexer_UnknownKey_ThrowsListingAvailableKeys()
    {
        var history = ThreeEpochs();

        var error = Assert.Throws<KeyNotFoundException>(() => _ = history["val_acc"]);

        Assert.That(error!.Message,
            Is.EqualTo("History has no key 'val_acc'. Available: accuracy, loss, val_accuracy, val_loss."));
    }

    [Test]
    public void Indexer_BeforeAnyEpoch_SaysNothingWasRecorded()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => _ = new History()["loss"]);

        Assert.That(error!.Message, Does.Contain("'loss'").And.Contain("no epoch has ended yet"));
    }

    [Test]
    public void Plot_WritesPngOfRequestedSize()
    {
        var history = ThreeEpochs();
        string path = Path.Combine(_folder, "plots", "accuracy.png");

        history.Plot(path, "accuracy", width: 640, height: 480);

        byte[] png = File.ReadAllBytes(path);
        Assert.That(png.Take(8), Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }));
        Assert.That(System.Text.Encoding.ASCII.GetString(png, 12, 4), Is.EqualTo("IHDR"));
        Assert.That(BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)), Is.EqualTo(640));
        Assert.That(BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)), Is.EqualTo(480));
        Assert.That(png, Has.Length.GreaterThan(5_000), "a real chart, not an empty image");
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(path)!), Is.EqualTo(new[] { path }), "no temporary file left");
    }

    [Test]
    public void Plot_DefaultsToLossAt800x600_AndReplacesAnExistingFile()
    {
        var history = ThreeEpochs();
        string path = Path.Combine(_folder, "loss.png");
        File.WriteAllText(path, "old");

        history.Plot(path);

        byte[] png = File.ReadAllBytes(path);
        Assert.That(BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)), Is.EqualTo(800));
        Assert.That(BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)), Is.EqualTo(600));
    }

    [Test]
    public void Plot_WithoutValidationCurve_StillDrawsTrainingCurve()
    {
        var history = new History();
        Train(history, new Dictionary<string, double> { ["loss"] = 1.0 }, new Dictionary<string, double> { ["loss"] = 0.5 });
        string path = Path.Combine(_folder, "loss.png");

        history.Plot(path, "loss", 320, 200);

        Assert.That(BinaryPrimitives.ReadInt32BigEndian(File.ReadAllBytes(path).AsSpan(16, 4)), Is.EqualTo(320));
    }

    [Test]
    public void Plot_UnknownMetric_ThrowsListingKeysAndWritesNothing()
    {
        var history = ThreeEpochs();
        string path = Path.Combine(_folder, "acc.png");

        var error = Assert.Throws<KeyNotFoundException>(() => history.Plot(path, "acc"));

        Assert.That(error!.Message, Is.EqualTo("History has no key 'acc'. Available: accuracy, loss, val_accuracy, val_loss."));
        Assert.That(File.Exists(path), Is.False);
    }

    [Test]
    public void Plot_NonPngPath_ThrowsArgumentExceptionNamingThePath()
    {
        var history = ThreeEpochs();
        string path = Path.Combine(_folder, "accuracy.jpg");

        var error = Assert.Throws<ArgumentException>(() => history.Plot(path, "accuracy"));

        Assert.That(error!.Message, Does.Contain(path).And.Contain(".png"));
        Assert.That(error.ParamName, Is.EqualTo("path"));
        Assert.That(File.Exists(path), Is.False);
    }

    [Test]
    public void SaveCsv_WritesHeaderAndRoundTrippableInvariantValues()
    {
        var history = new History();
        Train(history, Logs(1.0 / 3, 0.5, 0.1, 0.25), Logs(0.2, 2.0 / 3, 1e-20, 1));
        string path = Path.Combine(_folder, "logs", "history.csv");

        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");   // decimal comma must not leak into the file
        try
        {
            history.SaveCsv(path);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }

        Assert.That(File.ReadAllText(path), Is.EqualTo(
            "epoch,accuracy,loss,val_accuracy,val_loss\n" +
            "0,0.5,0.3333333333333333,0.25,0.1\n" +
            "1,0.6666666666666666,0.2,1.0,1e-20\n"));
        string[] row = File.ReadAllLines(path)[1].Split(',');
        Assert.That(double.Parse(row[2], CultureInfo.InvariantCulture), Is.EqualTo(1.0 / 3));
    }

    [Test]
    public void SaveCsv_WritesEveryNumberAsCSVLoggerDoes()
    {
        // One History, written by SaveCsv and by a CSVLogger fed the same epochs: the number cells must be the same
        // text (Python's str(float), as Keras's CSVLogger writes them). Line ends differ by design (\n vs csv's \r\n).
        double[] values = [0.1, 1e-05, 1234567.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity,
            1000000000000000.5, 1e16, -0.0, 2.0 / 3];
        var history = new History();
        string loggerPath = Path.Combine(_folder, "logger.csv");
        var logger = new Sequential.Callbacks.CSVLogger(loggerPath);
        logger.OnTrainBegin(Empty);
        var epochs = values.Select((v, i) => new Dictionary<string, double> { ["loss"] = v, ["val_loss"] = values[^(i + 1)] }).ToArray();
        for (int epoch = 0; epoch < epochs.Length; epoch++) logger.OnEpochEnd(epoch, epochs[epoch]);
        Train(history, epochs);
        string historyPath = Path.Combine(_folder, "history.csv");
        history.SaveCsv(historyPath);

        string[] fromHistory = File.ReadAllText(historyPath).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string[] fromLogger = File.ReadAllText(loggerPath).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(fromHistory, Is.EqualTo(fromLogger));
        // What Python prints for each value (checked with python3: str(v) for v in values).
        Assert.That(fromHistory.Skip(1).Select(line => line.Split(',')[1]), Is.EqualTo(new[]
            { "0.1", "1e-05", "1234567.0", "nan", "inf", "-inf", "1000000000000000.5", "1e+16", "-0.0", "0.6666666666666666" }));
    }

    [Test]
    public void SaveCsv_UsesSeparatorAndMarksEpochsWithoutAKeyAsNA()
    {
        // Validation every second epoch (Keras's validation_freq=2): val_loss exists for epoch 1 only.
        var history = new History();
        Train(history,
            new Dictionary<string, double> { ["loss"] = 0.5 },
            new Dictionary<string, double> { ["loss"] = 0.25, ["val_loss"] = 0.75 });
        string path = Path.Combine(_folder, "history.tsv");

        history.SaveCsv(path, '\t');

        Assert.That(File.ReadAllText(path), Is.EqualTo("epoch\tloss\tval_loss\n0\t0.5\tNA\n1\t0.25\t0.75\n"));
        Assert.That(history["val_loss"], Is.EqualTo(new[] { 0.75 }));
    }

    [Test]
    public void SaveCsv_SeparatorThatCanAppearInNumbers_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => ThreeEpochs().SaveCsv(Path.Combine(_folder, "h.csv"), '.'));

        Assert.That(error!.ParamName, Is.EqualTo("separator"));
    }

    [Test]
    public void ToDataFrame_HasEpochThenSortedDoubleColumns()
    {
        var frame = ThreeEpochs().ToDataFrame();

        Assert.That(frame.Columns.Select(c => c.Name),
            Is.EqualTo(new[] { "epoch", "accuracy", "loss", "val_accuracy", "val_loss" }));
        Assert.That(frame.Columns["epoch"].DataType, Is.EqualTo(typeof(int)));
        Assert.That(frame.Columns.Skip(1).Select(c => c.DataType), Is.All.EqualTo(typeof(double)));
        Assert.That(frame.Rows, Has.Count.EqualTo(3));
        Assert.That(frame.Columns["epoch"].Cast<int?>(), Is.EqualTo(new int?[] { 0, 1, 2 }));
        Assert.That(frame.Columns["loss"].Cast<double?>(), Is.EqualTo(new double?[] { 0.9, 0.5, 0.3 }));
        Assert.That(frame.Columns["val_accuracy"].Cast<double?>(), Is.EqualTo(new double?[] { 0.65, 0.78, 0.83 }));
    }

    [Test]
    public void ToDataFrame_EpochWithoutAKey_HoldsNull()
    {
        var history = new History();
        Train(history,
            new Dictionary<string, double> { ["loss"] = 0.5 },
            new Dictionary<string, double> { ["loss"] = 0.25, ["val_loss"] = 0.75 });

        var frame = history.ToDataFrame();

        Assert.That(frame.Columns["val_loss"].Cast<double?>(), Is.EqualTo(new double?[] { null, 0.75 }));
        Assert.That(frame.Columns["val_loss"].NullCount, Is.EqualTo(1));
    }
}
