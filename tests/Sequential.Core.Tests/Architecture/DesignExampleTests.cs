using Sequential.Callbacks;
using Sequential.Data;
using Sequential.Layers;
using Sequential.Losses;
using Sequential.Optimizers;
using SkiaSharp;
using TorchSharp;

namespace Sequential.Core.Tests.Architecture;

/// <summary>
/// The API by example in DESIGN.md is the public contract: these lines are copied from it (only the data and image sizes,
/// epochs and paths are cut down), so a renamed method or argument breaks this build.
/// </summary>
public class DesignExampleTests
{
    private string _dir = "";

    [SetUp]
    public void MakeDir() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "seq-design-" + Guid.NewGuid().ToString("N")[..8]));

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    private sealed class PrintLoss : Callback
    {
        public List<string> Lines { get; } = [];
        public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
            => Lines.Add($"epoch {epoch}: loss {logs["loss"]:F4}");   // epoch is 0-based, as in Keras
    }

    [Test]
    public void TheMnistPartRunsAsWritten()
    {
        var ((xTrain, yTrain), (xTest, yTest)) = Mnist.LoadData();
        (xTrain, yTrain, xTest, yTest) = (xTrain[..640], yTrain[..640], xTest[..300], yTest[..300]);

        var model = new SequentialModel(
            new Flatten(inputShape: [28, 28]),
            new Dense(128, activation: "relu"),
            new Dropout(0.2),
            new Dense(10));
        model.Add(new Activation("softmax"));     // Add/Pop also exist
        model.Pop();

        model.Compile(
            optimizer: "adam",                                        // or new Adam(learningRate: 1e-3)
            loss: new SparseCategoricalCrossentropy(fromLogits: true), // or "sparse_categorical_crossentropy"
            metrics: ["accuracy"]);

        string summary = model.Summary();
        History history = model.Fit(xTrain / 255f, yTrain,
            epochs: 2, batchSize: 32, validationSplit: 0.1, verbose: 0);
        IReadOnlyList<double> acc = history["val_accuracy"];           // keys exactly as Keras names them
        history.Plot(Path.Combine(_dir, "accuracy.png"), "accuracy");   // ScottPlot: train + val curves, PNG
        var table = history.ToDataFrame();                             // Microsoft.Data.Analysis

        IReadOnlyDictionary<string, double> result = model.Evaluate(xTest / 255f, yTest, verbose: 0);
        torch.Tensor probabilities = model.Predict(xTest / 255f, batchSize: 256, verbose: 0);

        var printer = new PrintLoss();
        RandomSeed.Set(42);
        model.Fit(xTrain / 255f, yTrain, epochs: 1, verbose: 0,
            callbacks: [printer, new BackupAndRestore(backupDir: Path.Combine(_dir, "backup")),
                        new LambdaCallback(onEpochEnd: (epoch, logs) => { /* ... */ })]);

        Assert.Multiple(() =>
        {
            Assert.That(summary, Does.Contain("101,770"));
            Assert.That(acc, Has.Count.EqualTo(2));
            Assert.That(table.Rows.Count, Is.EqualTo(2));
            Assert.That(File.Exists(Path.Combine(_dir, "accuracy.png")), Is.True);
            Assert.That(result.Keys, Is.EquivalentTo(new[] { "loss", "accuracy" }));
            Assert.That(probabilities.shape, Is.EqualTo(new long[] { 300, 10 }));
            Assert.That(printer.Lines, Has.Count.EqualTo(1).And.Some.StartsWith("epoch 0: loss "));
        });
    }

    [Test]
    public void TheImagePartRunsAsWritten()
    {
        foreach (var split in new[] { "train", "validation" })
            foreach (var (cls, color) in new[] { ("cats", SKColors.Orange), ("dogs", SKColors.SteelBlue) })
                for (int i = 0; i < 3; i++)
                    WriteJpeg(Path.Combine(_dir, "data", split, cls, $"{cls}.{i}.jpg"), 200, 160, color);
        string trainDir = Path.Combine(_dir, "data", "train"), validationDir = Path.Combine(_dir, "data", "validation");

        var trainGen = new ImageDataGenerator(rescale: 1f / 255, rotationRange: 40, widthShiftRange: 0.2,
            heightShiftRange: 0.2, shearRange: 0.2, zoomRange: 0.2, horizontalFlip: true);
        var train = trainGen.FlowFromDirectory(trainDir, targetSize: (48, 48), batchSize: 20,
            classMode: ClassMode.Binary);
        var val = new ImageDataGenerator(rescale: 1f / 255).FlowFromDirectory(validationDir,
            targetSize: (48, 48), batchSize: 20, classMode: ClassMode.Binary);

        var cnn = new SequentialModel(
            new Conv2D(32, (3, 3), activation: "relu", inputShape: [48, 48, 3]),
            new MaxPooling2D((2, 2)),
            new Conv2D(64, (3, 3), activation: "relu"),
            new MaxPooling2D((2, 2)),
            new Flatten(),
            new Dropout(0.5),
            new Dense(512, activation: "relu"),
            new Dense(1, activation: "sigmoid"));
        cnn.Compile(optimizer: new RMSprop(learningRate: 1e-4), loss: "binary_crossentropy",
            metrics: ["accuracy"]);
        string best = Path.Combine(_dir, "best.seqmodel");
        var h = cnn.Fit(train, epochs: 2, stepsPerEpoch: 1, validationData: val, validationSteps: 1, verbose: 0,
            callbacks: [new EarlyStopping(monitor: "val_loss", patience: 5, restoreBestWeights: true),
                        new ModelCheckpoint(best, monitor: "val_accuracy", saveBestOnly: true)]);
        string saved = Path.Combine(_dir, "cats_and_dogs_small.seqmodel");
        cnn.Save(saved);
        var again = SequentialModel.Load(saved);

        Assert.Multiple(() =>
        {
            Assert.That(train.Samples, Is.EqualTo(6));
            Assert.That(train.ClassIndices, Is.EqualTo(new Dictionary<string, int> { ["cats"] = 0, ["dogs"] = 1 }));
            Assert.That(h["val_accuracy"], Has.Count.EqualTo(2));
            Assert.That(File.Exists(best), Is.True);
            Assert.That(again.Summary(), Is.EqualTo(cnn.Summary()));
        });
    }

    private static void WriteJpeg(string path, int width, int height, SKColor color)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(color);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 90);
        File.WriteAllBytes(path, data.ToArray());
    }
}
