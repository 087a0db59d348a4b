using System.Globalization;
using Sequential.Callbacks;
using static Sequential.Core.Tests.Callbacks.CallbackTestModels;

namespace Sequential.Core.Tests.Callbacks;

public class CSVLoggerTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("csvlogger-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void WritesKerasFormatMatchingHistory()
    {
        using var model = Linear();
        var (x, y) = Line(8);
        string path = Path.Combine(_folder, "log.csv");
        var history = model.Fit(x, y, epochs: 2, batchSize: 4, verbose: 0, shuffle: false, validationSplit: 0.5,
            callbacks: [new CSVLogger(path)]);
        string F(string key, int epoch) => PythonFormat.Str(history[key][epoch]);
        string expected =
            "epoch,loss,val_loss\r\n" +
            $"0,{F("loss", 0)},{F("val_loss", 0)}\r\n" +
            $"1,{F("loss", 1)},{F("val_loss", 1)}\r\n";
        Assert.That(File.ReadAllText(path), Is.EqualTo(expected));
        // The numbers parse back to exactly the History values.
        var row = File.ReadAllLines(path)[2].Split(',');
        Assert.That(double.Parse(row[1], CultureInfo.InvariantCulture), Is.EqualTo(history["loss"][1]));
        Assert.That(double.Parse(row[2], CultureInfo.InvariantCulture), Is.EqualTo(history["val_loss"][1]));
        Assert.That(Directory.GetFiles(_folder), Has.Length.EqualTo(1), "no temporary file is left behind");
    }

    [Test]
    public void AppendContinuesWithoutRepeatingTheHeader()
    {
        string path = Path.Combine(_folder, "log.csv");
        Drive(new CSVLogger(path), [0.5, 0.25]);
        Drive(new CSVLogger(path, append: true), [0.125]);
        Assert.That(File.ReadAllText(path), Is.EqualTo(
            "epoch,loss,val_loss\r\n0,0.5,NA\r\n1,0.25,NA\r\n0,0.125,NA\r\n"));
    }

    [Test]
    public void WithoutAppendTheFileIsReplaced()
    {
        string path = Path.Combine(_folder, "log.csv");
        Drive(new CSVLogger(path), [0.5, 0.25]);
        Drive(new CSVLogger(path, separator: ";"), [1]);
        Assert.That(File.ReadAllText(path), Is.EqualTo("epoch;loss;val_loss\r\n0;1.0;NA\r\n"));
    }

    [Test]
    public void ValidationEveryOtherEpochLeavesNA()
    {
        // Keras fixes the columns at the first epoch; without val_ keys there it adds val_ + each key.
        string path = Path.Combine(_folder, "log.csv");
        var logger = new CSVLogger(path);
        logger.OnTrainBegin(Logs());
        logger.OnEpochEnd(0, Logs(("loss", 0.5), ("accuracy", 0.75)));
        logger.OnEpochEnd(1, Logs(("loss", 0.25), ("accuracy", 1), ("val_loss", 0.5), ("val_accuracy", 0.5)));
        logger.OnTrainEnd(Logs());
        Assert.That(File.ReadAllText(path), Is.EqualTo(
            "epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.75,0.5,NA,NA\r\n1,1.0,0.25,0.5,0.5\r\n"));
    }

    private static void Drive(CSVLogger logger, double[] losses)
    {
        logger.OnTrainBegin(Logs());
        for (int epoch = 0; epoch < losses.Length; epoch++) logger.OnEpochEnd(epoch, Logs(("loss", losses[epoch])));
        logger.OnTrainEnd(Logs());
    }
}
