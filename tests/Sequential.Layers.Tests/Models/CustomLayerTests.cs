using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sequential.Layers.Tests.Models;

/// <summary>keras.io's "Making new layers and models via subclassing", ported: AddWeight, sublayers in fields.</summary>
public class CustomLayerTests
{
    /// <summary>The guide's <c>Linear</c> layer, with its weights made in Build from the input shape.</summary>
    public sealed class Linear(int units = 32) : Layer
    {
        private Parameter? _w, _b;

        public int Units { get; } = units;

        public override void Build(long[] inputShape)
        {
            _w = AddWeight(shape: [inputShape[^1], Units], initializer: "random_normal", trainable: true);
            _b = AddWeight(shape: [Units], initializer: "zeros", trainable: true);
        }

        public override long[] ComputeOutputShape(long[] inputShape) => [.. inputShape[..^1], Units];

        public override Tensor Call(Tensor x, bool training) => matmul(x, _w!) + _b!;
    }

    /// <summary>The guide's <c>MLPBlock</c>: three Linear layers held in fields.</summary>
    public sealed class MlpBlock : Layer
    {
        private readonly Linear _linear1 = new(32);
        private readonly Linear _linear2 = new(32);
        private readonly Linear _linear3 = new(1);

        public override long[] ComputeOutputShape(long[] inputShape) => [.. inputShape[..^1], 1];

        public override Tensor Call(Tensor x, bool training)
        {
            x = nn.functional.relu(_linear1.Apply(x, training));
            x = nn.functional.relu(_linear2.Apply(x, training));
            return _linear3.Apply(x, training);
        }
    }

    [Test]
    public void Linear_AddWeight_MakesTheGuidesWeights()
    {
        var linear = new Linear(4);
        var y = linear.Apply(ones(2, 2));
        Assert.That(y.shape, Is.EqualTo(new long[] { 2, 4 }));
        Assert.That(linear.Weights.Select(w => w.shape), Is.EqualTo(new[] { new long[] { 2, 4 }, new long[] { 4 } }));
        Assert.That(linear.Weights[1].abs().sum().item<float>(), Is.EqualTo(0f), "zeros");
        // random_normal: stddev 0.05 (Keras's default): 8 values, all well inside 5 standard deviations.
        Assert.That(linear.Weights[0].abs().max().item<float>(), Is.LessThan(0.25f).And.GreaterThan(0f));
        Assert.That(linear.named_parameters().Select(p => p.name), Is.EqualTo(new[] { "variable", "variable_1" }));
    }

    [Test]
    public void MlpBlock_TracksItsSublayers_OnTheFirstCall_AsTheGuidePrints()
    {
        var mlp = new MlpBlock();
        var y = mlp.Apply(ones(3, 64));
        Assert.That(y.shape, Is.EqualTo(new long[] { 3, 1 }));
        // The guide: "weights: 6", "trainable weights: 6".
        Assert.That(mlp.Weights, Has.Count.EqualTo(6));
        Assert.That(mlp.CountParams(), Is.EqualTo(64 * 32 + 32 + 32 * 32 + 32 + 32 + 1));
        mlp.Trainable = false;
        Assert.That(mlp.Weights.Count(w => w.requires_grad), Is.EqualTo(0), "freezing the block freezes its sublayers");
    }

    [Test]
    public void MlpBlock_InAModel_Trains()
    {
        var model = new SequentialModel(new MlpBlock());
        model.Compile(optimizer: "adam", loss: "mse", device: "cpu");
        var x = randn(32, 8, generator: new Generator(4));
        var y = x.sum(1, keepdim: true);
        var history = model.Fit(x, y, epochs: 5, verbose: 0);
        Assert.That(model.CountParams(), Is.EqualTo(8 * 32 + 32 + 32 * 32 + 32 + 32 + 1));
        Assert.That(history["loss"][4], Is.LessThan(history["loss"][0]));
    }

    [Test]
    public void AddWeight_TwiceWithOneName_IsRefused()
    {
        var layer = new Linear(2);
        layer.Apply(ones(1, 3));
        var e = Assert.Throws<ArgumentException>(() => layer.AddWeight([2], name: "variable"));
        Assert.That(e!.Message, Does.Contain("already has a weight named \"variable\""));
        Assert.Throws<ArgumentException>(() => layer.AddWeight([2], initializer: "no_such_initializer"));
    }
}
