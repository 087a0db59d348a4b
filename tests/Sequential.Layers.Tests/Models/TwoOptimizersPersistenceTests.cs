using Sequential.Optimizers;
using static TorchSharp.torch;

namespace Sequential.Layers.Tests.Models;

/// <summary>A subclass with two optimizers (Keras's GAN pattern): both states save with the model and load back.</summary>
public class TwoOptimizersPersistenceTests
{
    /// <summary>Two Dense layers, each moved by its own Adam (the compiled one for the first, a field for the second).</summary>
    public sealed class TwoHeads : Model
    {
        private readonly Dense _first = new(4, activation: "tanh", name: "first");
        private readonly Dense _second = new(1, name: "second");

        public Optimizer SecondOptimizer { get; } = new Adam(learningRate: 0.05);

        public override Tensor Call(Tensor x, bool training) => _second.Apply(_first.Apply(x, training), training);

        public override IReadOnlyDictionary<string, double> TrainStep(Batch batch)
        {
            foreach (var w in TrainableWeights) w.grad = null;
            var yPred = Call(batch.X, training: true);
            var loss = ComputeLoss(batch.X, batch.Y, yPred, batch.SampleWeight);
            loss.backward();
            using (no_grad())
            {
                Optimizer!.Apply(_first.Weights.Select(w => w.grad).ToList(), _first.Weights);
                SecondOptimizer.Apply(_second.Weights.Select(w => w.grad).ToList(), _second.Weights);
            }
            Metrics.First(m => m.Name == "loss").UpdateState(loss.detach());
            return ComputeMetrics(batch.X, batch.Y, yPred.detach(), batch.SampleWeight);
        }
    }

    private static float[] Values(Tensor t) => t.detach().cpu().contiguous().data<float>().ToArray();

    [Test]
    public void SaveAndLoad_KeepBothOptimizersStates_SoTrainingGoesOnIdentically()
    {
        ModelRegistry.Register<TwoHeads>();
        var x = randn(16, 3, generator: new Generator(11));
        var y = x.sum(1, keepdim: true);
        var model = new TwoHeads();
        model.Compile(optimizer: new Adam(learningRate: 0.05), loss: "mse", device: "cpu");
        model.Fit(x, y, batchSize: 8, epochs: 2, shuffle: false, verbose: 0);
        Assert.That(model.SecondOptimizer.Iterations, Is.EqualTo(4));

        string path = Path.Combine(Path.GetTempPath(), $"seq-two-optimizers-{Guid.NewGuid():N}.seqmodel");
        try
        {
            model.Save(path);
            var loaded = (TwoHeads)Model.Load(path);
            Assert.That(loaded.SecondOptimizer.Iterations, Is.EqualTo(4), "the second optimizer's step count");
            Assert.That(loaded.SecondOptimizer.LearningRate, Is.EqualTo(0.05).Within(1e-12));
            model.Fit(x, y, batchSize: 8, epochs: 1, shuffle: false, verbose: 0);
            loaded.Fit(x, y, batchSize: 8, epochs: 1, shuffle: false, verbose: 0);
            // With the second Adam's moments lost, the second layer would move differently.
            Assert.That(Values(loaded.GetLayer("second").Weights[0]), Is.EqualTo(Values(model.GetLayer("second").Weights[0])));
            Assert.That(Values(loaded.GetLayer("first").Weights[0]), Is.EqualTo(Values(model.GetLayer("first").Weights[0])));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
