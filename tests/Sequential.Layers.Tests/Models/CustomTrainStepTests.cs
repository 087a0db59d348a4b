using Sequential.Losses;
using Sequential.Optimizers;
using TorchSharp;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;

namespace Sequential.Layers.Tests.Models;

/// <summary>
/// Keras's "Customizing what happens in fit()" (torch version), written against Core's public surface only: this test
/// assembly, unlike Sequential.Core.Tests, has no access to Core's internals, so whatever compiles here compiles in a
/// user's project.
/// </summary>
public class CustomTrainStepTests
{
    /// <summary>The guide's first CustomModel: the default step written out by hand.</summary>
    private sealed class CustomModel(params Layer[] layers) : SequentialModel(layers)
    {
        public int Steps { get; private set; }
        public List<float[]> SampleWeightsSeen { get; } = [];

        public override IReadOnlyDictionary<string, double> TrainStep(Batch batch)
        {
            Steps++;
            if (batch.SampleWeight is { } w) SampleWeightsSeen.Add(w.cpu().data<float>().ToArray());
            var weights = TrainableWeights;
            foreach (var weight in weights) weight.grad = null;
            var yPred = Call(batch.X, training: true);
            var loss = ComputeLoss(batch.X, batch.Y, yPred, batch.SampleWeight);
            loss.backward();
            using (no_grad()) Optimizer!.Apply(weights.Select(v => v.grad).ToList(), weights);
            // Keras's guide: the step updates the loss tracker itself (metric.update_state(loss)).
            Metrics.First(m => m.Name == "loss").UpdateState(loss.detach());
            return ComputeMetrics(batch.X, batch.Y, yPred.detach(), batch.SampleWeight);
        }
    }

    private static (Tensor x, Tensor y) Data(int n = 64)
    {
        var generator = new Generator(7);
        var x = rand(new long[] { n, 32 }, generator: generator);
        return (x, rand(new long[] { n, 1 }, generator: generator));
    }

    private static float[] Weights(Model model) =>
        model.parameters().SelectMany(p => p.detach().cpu().flatten().data<float>().ToArray()).ToArray();

    [Test]
    public void HandWrittenStep_TrainsExactlyAsTheDefaultStep()
    {
        var (x, y) = Data();
        RandomSeed.Set(3);
        var custom = new CustomModel(new Dense(1, inputShape: [32]));
        custom.Compile(optimizer: "adam", loss: "mse", metrics: ["mae"], device: "cpu");
        var customHistory = custom.Fit(x, y, batchSize: 16, epochs: 3, verbose: 0);

        RandomSeed.Set(3);
        var plain = new SequentialModel(new Dense(1, inputShape: [32]));
        plain.Compile(optimizer: "adam", loss: "mse", metrics: ["mae"], device: "cpu");
        var plainHistory = plain.Fit(x, y, batchSize: 16, epochs: 3, verbose: 0);

        Assert.That(custom.Steps, Is.EqualTo(12));
        Assert.That(Weights(custom), Is.EqualTo(Weights(plain)));
        Assert.That(customHistory["loss"], Is.EqualTo(plainHistory["loss"]));
        Assert.That(customHistory["mae"], Is.EqualTo(plainHistory["mae"]));
        Assert.That(customHistory["loss"][2], Is.LessThan(customHistory["loss"][0]), "the loss falls");
    }

    [Test]
    public void ClassWeight_ReachesTheOverriddenStepAsSampleWeights()
    {
        // Before, classWeight made the loop call another TrainStep overload, silently skipping an override of the first.
        var x = ones(4, 2);
        var y = tensor(new long[] { 0, 1, 1, 0 });
        var model = new CustomModel(new Dense(2, inputShape: [2]));
        model.Compile(optimizer: "sgd", loss: new SparseCategoricalCrossentropy(fromLogits: true), device: "cpu");
        model.Fit(x, y, batchSize: 4, epochs: 1, shuffle: false, verbose: 0,
            classWeight: new Dictionary<int, double> { [0] = 1.0, [1] = 3.0 });
        Assert.That(model.Steps, Is.EqualTo(1));
        Assert.That(model.SampleWeightsSeen, Has.Count.EqualTo(1));
        Assert.That(model.SampleWeightsSeen[0], Is.EqualTo(new[] { 1f, 3f, 3f, 1f }));
    }

    /// <summary>An autoencoder's step: no targets, no compiled loss, its own logs.</summary>
    private sealed class Reconstruct(params Layer[] layers) : SequentialModel(layers)
    {
        public override IReadOnlyDictionary<string, double> TrainStep(Batch batch)
        {
            Assert.That(batch.Y, Is.Null);
            var weights = TrainableWeights;
            foreach (var weight in weights) weight.grad = null;
            var loss = (Call(batch.X, training: true) - batch.X).square().mean();
            loss.backward();
            using (no_grad()) Optimizer!.Apply(weights.Select(v => v.grad).ToList(), weights);
            return new Dictionary<string, double> { ["reconstruction"] = loss.item<float>() };
        }
    }

    [Test]
    public void FitWithoutTargets_AndWithoutACompiledLoss_LogsWhatTheStepReturns()
    {
        var (x, _) = Data(32);
        RandomSeed.Set(5);
        var model = new Reconstruct(new Dense(8, inputShape: [32]), new Dense(32));
        model.Compile(optimizer: new Adam(learningRate: 0.01), device: "cpu");
        var history = model.Fit(x, epochs: 4, batchSize: 8, verbose: 0);
        Assert.That(history.Keys, Is.EqualTo(new[] { "reconstruction" }));
        Assert.That(history["reconstruction"][3], Is.LessThan(history["reconstruction"][0]));
    }

    [Test]
    public void DefaultStep_WithoutACompiledLoss_SaysWhatToDo()
    {
        var (x, y) = Data(8);
        var model = new SequentialModel(new Dense(1, inputShape: [32]));
        model.Compile(optimizer: "sgd", device: "cpu");
        var e = Assert.Throws<InvalidOperationException>(() => model.Fit(x, y, verbose: 0))!;
        Assert.That(e.Message, Does.StartWith("No loss to compute for model").And.Contain("Provide a loss argument in Compile()"));
    }

    [Test]
    public void DefaultStep_WithoutTargets_SaysTheLossNeedsThem()
    {
        var (x, _) = Data(8);
        var model = new SequentialModel(new Dense(1, inputShape: [32]));
        model.Compile(optimizer: "sgd", loss: "mse", device: "cpu");
        var e = Assert.Throws<InvalidOperationException>(() => model.Fit(x, verbose: 0))!;
        Assert.That(e.Message, Does.Contain("got a batch without targets (y), but its loss 'mean_squared_error' needs them"));
    }

    /// <summary>The GAN section's shape: two optimizers, each applied to its own weights within one step.</summary>
    private sealed class TwoOptimizers(Dense first, Dense second) : SequentialModel(first, second)
    {
        public Optimizer SecondOptimizer { get; } = new SGD(learningRate: 1.0);

        public override IReadOnlyDictionary<string, double> TrainStep(Batch batch)
        {
            var all = TrainableWeights;
            foreach (var weight in all) weight.grad = null;
            var yPred = Call(batch.X, training: true);
            var loss = ComputeLoss(batch.X, batch.Y, yPred);
            loss.backward();
            using (no_grad())
            {
                Optimizer!.Apply(first.Weights.Select(v => v.grad).ToList(), first.Weights);
                SecondOptimizer.Apply(second.Weights.Select(v => v.grad).ToList(), second.Weights);
            }
            return ComputeMetrics(batch.X, batch.Y, yPred.detach());
        }
    }

    [Test]
    public void TwoOptimizers_EachUpdatesOnlyItsOwnWeights()
    {
        // The second optimizer was never compiled: Apply builds its state from the weights it is first given.
        var first = new Dense(2, kernelInitializer: "ones", useBias: false, inputShape: [2]);
        var second = new Dense(1, kernelInitializer: "ones", useBias: false);
        var model = new TwoOptimizers(first, second);
        model.Compile(optimizer: new SGD(learningRate: 0.0001), loss: "mse", device: "cpu");
        var x = tensor(new float[] { 1, 2 }).reshape(1, 2);
        var y = tensor(new float[] { 0 }).reshape(1, 1);
        model.Fit(x, y, batchSize: 1, epochs: 1, verbose: 0);
        // Forward: h = [3, 3], out = 6; loss = 36, d/dout = 12. Second kernel grad = 12 * h = [36, 36]; with SGD(1.0):
        // 1 - 36 = -35. First kernel grad = 12 * x (per unit) = [12, 24]; with SGD(1e-4): 1 - 0.0012, 1 - 0.0024.
        Assert.That(second.Weights[0].data<float>().ToArray(), Is.EqualTo(new[] { -35f, -35f }));
        Assert.That(first.Weights[0].data<float>().ToArray(), Is.EqualTo(new[] { 0.9988f, 0.9976f, 0.9988f, 0.9976f }).Within(1e-6));
        Assert.That(model.SecondOptimizer.Iterations, Is.EqualTo(1));
        Assert.That(model.Optimizer!.Iterations, Is.EqualTo(1));
    }

    /// <summary>A step that tracks its own metric, as the guide's GAN tracks d_loss and g_loss.</summary>
    private sealed class CountsBatches(params Layer[] layers) : SequentialModel(layers)
    {
        private readonly Metrics.Mean _seen = new("seen");
        private int _batch;

        public override IReadOnlyList<Metrics.Metric> Metrics => [_seen];

        public override IReadOnlyDictionary<string, double> TrainStep(Batch batch)
        {
            _seen.UpdateValues(tensor((float)++_batch).reshape(1));
            return new Dictionary<string, double> { ["seen"] = _seen.Value() };
        }
    }

    [Test]
    public void MetricsOfASubclass_AreResetEachEpoch()
    {
        // Batches 1..4 in epoch 1 and 5..8 in epoch 2: a reset tracker averages 2.5 then 6.5 (not 4.5 over both).
        var model = new CountsBatches(new Dense(1, inputShape: [2]));
        model.Compile(optimizer: "sgd", device: "cpu");
        var history = model.Fit(zeros(8, 2), batchSize: 2, epochs: 2, verbose: 0);
        Assert.That(history["seen"], Is.EqualTo(new[] { 2.5, 6.5 }));
    }

    [Test]
    public void Apply_RefusesMismatchedListsAndForeignVariables()
    {
        var sgd = new SGD();
        var a = new Parameter(zeros(2), requires_grad: true);
        var b = new Parameter(zeros(3), requires_grad: true);
        var count = Assert.Throws<ArgumentException>(() => sgd.Apply([ones(2)], [a, b]))!;
        Assert.That(count.Message, Does.Contain("got 1 gradients for 2 variables"));
        sgd.Apply([ones(2)], [a]);
        Assert.That(a.data<float>().ToArray(), Is.EqualTo(new[] { -0.01f, -0.01f }));
        var foreign = Assert.Throws<ArgumentException>(() => sgd.Apply([ones(3)], [b]))!;
        Assert.That(foreign.Message, Does.StartWith("Variable 0 of shape (3,) is not one this sgd optimizer was built for"));
        var shape = Assert.Throws<ArgumentException>(() => sgd.Apply([ones(3)], [a]))!;
        Assert.That(shape.Message, Does.Contain("Gradient 0 has shape (3,) but its variable has shape (2,)"));
    }
}
