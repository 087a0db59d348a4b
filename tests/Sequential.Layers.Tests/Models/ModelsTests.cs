using static TorchSharp.torch;

namespace Sequential.Layers.Tests.Models;

/// <summary>GetWeights/SetWeights and Models.Clone (Keras's get_weights, set_weights and clone_model).</summary>
public class ModelsTests
{
    private static SequentialModel Net() => new(
        new Dense(4, activation: "relu", inputShape: [3]),
        new BatchNormalization(),
        new Dense(2));

    private static float[] Values(Tensor t) => t.detach().cpu().contiguous().data<float>().ToArray();

    [Test]
    public void GetWeights_ListsWeightsThenStatePerLayer_AsCopies()
    {
        var model = Net();
        var weights = model.GetWeights();
        // Dense kernel and bias, BatchNormalization gamma, beta, moving mean and variance, Dense kernel and bias (Keras's
        // order; TorchSharp keeps kernels transposed, [out, in]).
        Assert.That(weights.Select(w => w.shape), Is.EqualTo(new[]
        {
            new long[] { 4, 3 }, [4], [4], [4], [4], [4], [2, 4], [2],
        }));
        weights[0].fill_(7f);
        Assert.That(Values(model.GetWeights()[0]), Has.None.EqualTo(7f), "a copy, not the model's tensor");
    }

    [Test]
    public void SetWeights_MakesTwoModelsPredictAlike()
    {
        RandomSeed.Set(1);
        var a = Net();
        var b = Net();
        var x = randn(5, 3);
        Assert.That(Values(a.Predict(x, verbose: 0)), Is.Not.EqualTo(Values(b.Predict(x, verbose: 0))));
        b.SetWeights(a.GetWeights());
        Assert.That(Values(b.Predict(x, verbose: 0)), Is.EqualTo(Values(a.Predict(x, verbose: 0))));
    }

    [Test]
    public void SetWeights_ThatDoNotFit_ChangeNothingAndNameTheWeight()
    {
        var model = Net();
        var before = model.GetWeights().Select(Values).ToList();
        var weights = model.GetWeights().ToList();
        var count = Assert.Throws<ArgumentException>(() => model.SetWeights(weights.Take(3).ToList()))!;
        Assert.That(count.Message, Does.Contain("has 8 weights (see GetWeights()), but 3 were given"));
        weights[6] = zeros(4, 2);
        var shape = Assert.Throws<ArgumentException>(() => model.SetWeights(weights))!;
        Assert.That(shape.Message, Does.Contain("Weight 6 (").And.Contain("has shape (2, 4), but the given tensor has shape (4, 2)"));
        Assert.That(model.GetWeights().Select(Values), Is.EqualTo(before));
    }

    [Test]
    public void Clone_SameArchitecture_FreshIndependentWeights()
    {
        RandomSeed.Set(2);
        var model = Net();
        var clone = global::Sequential.Models.Clone(model);
        Assert.That(clone, Is.Not.SameAs(model));
        Assert.That(clone.Summary(), Is.EqualTo(model.Summary()));
        Assert.That(clone.Layers.Zip(model.Layers).All(p => !ReferenceEquals(p.First, p.Second)), Is.True);
        Assert.That(Values(clone.GetWeights()[0]), Is.Not.EqualTo(Values(model.GetWeights()[0])), "fresh weights, as clone_model");
        Assert.That(clone.IsCompiled, Is.False);

        clone.SetWeights(model.GetWeights());
        clone.Compile(optimizer: "sgd", loss: "mse", device: "cpu");
        var original = model.GetWeights().Select(Values).ToList();
        clone.Fit(randn(8, 3), randn(8, 2), epochs: 1, verbose: 0);
        Assert.That(model.GetWeights().Select(Values), Is.EqualTo(original), "training the clone leaves the original alone");
    }

    [Test]
    public void Clone_OfAnUnbuiltModel_IsUnbuilt_AndOfASubclass_IsRefused()
    {
        var unbuilt = new SequentialModel(new Dense(3), new Dense(1));
        Assert.That(global::Sequential.Models.Clone(unbuilt).Built, Is.False);
        var e = Assert.Throws<NotSupportedException>(() => global::Sequential.Models.Clone(new Subclassed()))!;
        Assert.That(e.Message, Does.Contain("\"subclassed\" is a Subclassed").And.Contain("Construct another instance"));
    }

    private sealed class Subclassed : Model
    {
        private readonly Dense _dense = new(1);

        public override Tensor Call(Tensor x, bool training) => _dense.Apply(x, training);
    }
}
