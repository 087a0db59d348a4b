using Sequential.Callbacks;
using Sequential.Layers;
using Sequential.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Training;

/// <summary>
/// Fit must do the same arithmetic as a hand-written TorchSharp loop (the benchmark compares their speed,
/// so it must compare equal work): same seed -> same initial weights, same shuffling, same losses.
/// </summary>
public class RawLoopEquivalenceTests
{
    private sealed class BatchLosses : Callback
    {
        public List<double> Values { get; } = [];
        public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) => Values.Add(logs["loss"]);
    }

    [Test]
    public void Fit_AndRawLoop_GiveTheSameRunningLoss_ForTheFirstSteps()
    {
        RandomSeed.Set(123);
        using var x = randn(64, 4, 4);
        using var y = randint(0, 3, [64], dtype: ScalarType.Int64);

        RandomSeed.Set(7);
        var model = new SequentialModel(new Flatten(inputShape: [4, 4]), new Dense(8, activation: "relu"), new Dense(3));
        model.Compile(optimizer: "adam", loss: new SparseCategoricalCrossentropy(fromLogits: true), device: "cpu");
        var recorder = new BatchLosses();
        model.Fit(x, y, batchSize: 8, epochs: 1, stepsPerEpoch: 4, verbose: 0, callbacks: [recorder]);

        var raw = RawRunningLosses(x, y, steps: 4);

        Assert.That(recorder.Values, Has.Count.EqualTo(4));
        for (int i = 0; i < 4; i++)
            Assert.That(recorder.Values[i], Is.EqualTo(raw[i]).Within(1e-5), $"step {i}");
        Assert.That(raw[0], Is.Not.EqualTo(raw[3]).Within(1e-6), "the loop must actually learn between steps");
    }

    private static double[] RawRunningLosses(Tensor x, Tensor y, int steps)
    {
        var net = nn.Sequential(nn.Flatten(), nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 3));
        RandomSeed.Set(7); // Keras's initialisation drawn in the same order as Sequential's layers draw it
        using (no_grad())
        {
            foreach (var (name, p) in net.named_parameters())
            {
                if (name.EndsWith("weight")) { double limit = Math.Sqrt(6.0 / (p.shape[0] + p.shape[1])); p.uniform_(-limit, limit); }
                else p.zero_();
            }
        }
        var optimizer = optim.Adam(net.parameters(), 1e-3, 0.9, 0.999, 1e-7);
        var perm = randperm(x.shape[0]);
        var running = new double[steps];
        double sum = 0;
        long seen = 0;
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var index = perm.narrow(0, step * 8, 8);
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(net.call(x.index_select(0, index)), y.index_select(0, index));
            loss.backward();
            optimizer.step();
            sum += loss.item<float>() * 8;
            seen += 8;
            running[step] = sum / seen;
        }
        return running;
    }
}
