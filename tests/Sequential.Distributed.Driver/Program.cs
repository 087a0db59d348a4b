// Trains the MNIST MLP on the shipped subset and writes, per rank, the weights after every epoch and the History, for
// tests/Sequential.Core.Tests/Distribution/DataParallelTests.cs.
//   Program OUTDIR single            one process, batch 64
//   Program OUTDIR parallel          under mpirun: DataParallel, global batch 64
//   Program OUTDIR crash             under mpirun: rank 1 throws when the second epoch begins
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
var distribution = mode == "single" ? null : new DataParallel();
int rank = distribution?.Rank ?? 0;

var ((xRaw, yAll), _) = Mnist.LoadData();
var x = xRaw[..1024].reshape(-1, 784).to_type(ScalarType.Float32) / 255f;
var y = yAll[..1024];
RandomSeed.Set(1);
var model = new SequentialModel(new Dense(32, activation: "relu", inputShape: [784]), new Dense(10));
model.Compile(optimizer: "adam", loss: new SparseCategoricalCrossentropy(fromLogits: true), metrics: ["accuracy"], distribution: distribution);
var perEpoch = new LambdaCallback(
    onEpochBegin: (epoch, _) =>
    {
        if (mode == "crash" && rank == 1 && epoch == 1) throw new InvalidOperationException("rank 1 fails on purpose");
    },
    onEpochEnd: (epoch, _) =>
    {
        var flat = cat(model.Weights.Select(w => w.detach().flatten()).ToList());
        File.WriteAllBytes(Path.Combine(outDir, $"rank{rank}-epoch{epoch}.bin"), flat.bytes.ToArray());
    });
var history = model.Fit(x, y, batchSize: 64, epochs: 3, verbose: 0, callbacks: [perEpoch]);
File.WriteAllText(Path.Combine(outDir, $"rank{rank}-history.json"), JsonSerializer.Serialize(history.Values));
Console.WriteLine($"{distribution?.ToString() ?? "one process"}: done");
