// Trains the MNIST MLP on the shipped subset and writes, per rank, the weights after every epoch and the History, for
// tests/Sequential.Core.Tests/Distribution/DataParallelTests.cs.
//   Program OUTDIR single            one process, batch 64
//   Program OUTDIR parallel          under mpirun: DataParallel, global batch 64
//   Program OUTDIR crash             under mpirun: rank 1 throws when the second epoch begins
//   Program OUTDIR killed            under mpirun: rank 1 is killed (SIGKILL, no chance to clean up) when the second epoch begins
//   Program OUTDIR unused-single     a model with a layer the loss does not use (no gradient), SGD with momentum and
//   Program OUTDIR unused            weight decay: one process, and under mpirun with DataParallel
//   Program OUTDIR flow-single       the MLP on an augmenting ImageDataGenerator.Flow iterator (each rank loads only its
//   Program OUTDIR flow              rows of each batch): one process, and under mpirun with DataParallel
using System.Text.Json;
using Sequential;
using Sequential.Callbacks;
using Sequential.Data;

using Sequential.Layers;
using Sequential.Losses;
using static TorchSharp.torch;

string outDir = args[0];
string mode = args[1];
Directory.CreateDirectory(outDir);
var distribution = mode.EndsWith("single", StringComparison.Ordinal) ? null : new DataParallel();
int rank = distribution?.Rank ?? 0;

var ((xRaw, yAll), _) = Mnist.LoadData();
var x = xRaw[..1024].reshape(-1, 784).to_type(ScalarType.Float32) / 255f;
var y = yAll[..1024];
RandomSeed.Set(1);
if (mode.StartsWith("unused", StringComparison.Ordinal))
{
    // The weights of the layer the loss ignores, before and after training, and all weights after.
    var partial = new WithUnusedLayer();
    partial.Build([784]);
    void Write(string name, IEnumerable<TorchSharp.Modules.Parameter> weights) => File.WriteAllBytes(Path.Combine(outDir, $"rank{rank}-{name}.bin"),
        cat(weights.Select(w => w.detach().flatten()).ToList()).bytes.ToArray());
    Write("unused-before", partial.Unused.Weights);
    partial.Compile(optimizer: new Sequential.Optimizers.SGD(learningRate: 0.1, momentum: 0.9, weightDecay: 0.05),
        loss: new SparseCategoricalCrossentropy(fromLogits: true), distribution: distribution);
    partial.Fit(x[..256], y[..256], batchSize: 64, epochs: 2, verbose: 0);
    Write("unused-after", partial.Unused.Weights);
    Write("all", partial.Weights);
    Console.WriteLine($"{distribution?.ToString() ?? "one process"}: done");
    return;
}
var model = mode.StartsWith("flow", StringComparison.Ordinal)
    ? new SequentialModel(new Flatten(inputShape: [28, 28, 1]), new Dense(32, activation: "relu"), new Dense(10))
    : new SequentialModel(new Dense(32, activation: "relu", inputShape: [784]), new Dense(10));
model.Compile(optimizer: "adam", loss: new SparseCategoricalCrossentropy(fromLogits: true), metrics: ["accuracy"], distribution: distribution);
var perEpoch = new LambdaCallback(
    onEpochBegin: (epoch, _) =>
    {
        if (mode == "crash" && rank == 1 && epoch == 1) throw new InvalidOperationException("rank 1 fails on purpose");
        if (mode == "killed" && rank == 1 && epoch == 1) System.Diagnostics.Process.GetCurrentProcess().Kill(); // SIGKILL on Linux
    },
    onEpochEnd: (epoch, _) =>
    {
        var flat = cat(model.Weights.Select(w => w.detach().flatten()).ToList());
        File.WriteAllBytes(Path.Combine(outDir, $"rank{rank}-epoch{epoch}.bin"), flat.bytes.ToArray());
    });
History history;
if (mode.StartsWith("flow", StringComparison.Ordinal))
{
    // 1000 images: 15 batches of 64 and one of 40; each rank loads and augments only its half of each.
    var images = new ImageDataGenerator(rotationRange: 15, widthShiftRange: 0.1f).Flow(x[..1000].reshape(-1, 28, 28, 1), y[..1000], batchSize: 64, seed: 5);
    history = model.Fit(images, epochs: 3, verbose: 0, callbacks: [perEpoch]);
}
else
{
    history = model.Fit(x, y, batchSize: 64, epochs: 3, verbose: 0, callbacks: [perEpoch]);
}
File.WriteAllText(Path.Combine(outDir, $"rank{rank}-history.json"), JsonSerializer.Serialize(history.Values));
if (distribution is not null)
    File.WriteAllText(Path.Combine(outDir, $"rank{rank}-communication.json"), JsonSerializer.Serialize(new Dictionary<string, double>
    {
        ["steps"] = distribution.AveragedSteps,
        ["allreduce_s"] = distribution.AllreduceTime.TotalSeconds,
        ["copy_s"] = distribution.GradientCopyTime.TotalSeconds,
    }));
Console.WriteLine($"{distribution?.ToString() ?? "one process"}: done");

/// <summary>A model whose second Dense layer is called (so it has weights) but whose output the loss never sees.</summary>
sealed class WithUnusedLayer : Model
{
    private readonly Dense _used = new(10);

    public Dense Unused { get; } = new(3);

    public override Tensor Call(Tensor x, bool training)
    {
        _ = Unused.Apply(x, training);
        return _used.Apply(x, training);
    }
}
