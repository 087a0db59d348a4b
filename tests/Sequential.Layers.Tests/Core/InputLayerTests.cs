using static TorchSharp.torch;
using static Sequential.Layers.Tests.TestModels;

namespace Sequential.Layers.Tests.Core;

public class InputLayerTests
{
    [Test]
    public void DeclaresTheShape_ModelBuildsAtOnce()
    {
        var input = new InputLayer(shape: [4]);
        var dense = new Dense(3);
        var model = new SequentialModel(input, dense);
        Assert.That(model.Built, Is.True);
        Assert.That(model.BuiltInputShape, Is.EqualTo(new long[] { 4 }));
        Assert.That(dense.BuiltInputShape, Is.EqualTo(new long[] { 4 }));
        Assert.That(dense.CountParams(), Is.EqualTo(4 * 3 + 3));
        Assert.That(input.CountParams(), Is.Zero);
        Assert.That(input.Name, Is.EqualTo("input_layer"));
    }

    [Test]
    public void PassesInputThrough()
    {
        var model = new SequentialModel(new InputLayer(shape: [2, 3]), new Flatten());
        var x = arange(12, dtype: ScalarType.Float32).reshape(2, 2, 3);
        var y = model.Predict(x, verbose: 0);
        Assert.That(y.shape, Is.EqualTo(new long[] { 2, 6 }));
        Assert.That(Values(y), Is.EqualTo(Enumerable.Range(0, 12).Select(i => (float)i).ToArray()));
    }

    [Test]
    public void NullShape_Throws()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => new InputLayer(null!));
        Assert.That(ex!.ParamName, Is.EqualTo("shape"));
    }

    [Test]
    public void NonPositiveShape_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new InputLayer([28, 0]));
        Assert.That(ex!.Message, Does.Contain("(28, 0)").And.Contain("positive"));
    }

    [Test]
    public void WrongInputSize_Throws_NamingLayerAndBothShapes()
    {
        var model = new SequentialModel(new InputLayer(shape: [28, 28]), new Flatten(), new Dense(10));
        var ex = Assert.Throws<ArgumentException>(() => model.Predict(zeros(2, 27, 28), verbose: 0));
        Assert.That(ex!.Message, Does.Contain("input_layer").And.Contain("(None, 28, 28)").And.Contain("(None, 27, 28)"));
    }
}
