using static TorchSharp.torch;
using static Sequential.Layers.Tests.TestModels;

namespace Sequential.Layers.Tests.Reshaping;

public class ReshapeTests
{
    [Test]
    public void ComputeOutputShape_InfersMinusOne()
    {
        Assert.That(new Reshape([-1, 4]).ComputeOutputShape([2, 6]), Is.EqualTo(new long[] { 3, 4 }));
        Assert.That(new Reshape([28, 28, -1]).ComputeOutputShape([784]), Is.EqualTo(new long[] { 28, 28, 1 }));
        Assert.That(new Reshape([6, 2]).ComputeOutputShape([3, 4]), Is.EqualTo(new long[] { 6, 2 }));
    }

    [Test]
    public void Predict_ReshapesEachSample()
    {
        var model = new SequentialModel(new Reshape([28, 28, 1], inputShape: [784]));
        var x = arange(2 * 784, dtype: ScalarType.Float32).reshape(2, 784);
        var y = model.Predict(x, verbose: 0);
        Assert.That(y.shape, Is.EqualTo(new long[] { 2, 28, 28, 1 }));
        Assert.That(y[1, 0, 1, 0].item<float>(), Is.EqualTo(785f));   // sample 1, row 0, column 1
        Assert.That(y[0, 1, 0, 0].item<float>(), Is.EqualTo(28f));    // sample 0, row 1, column 0
    }

    [Test]
    public void Predict_WithMinusOne()
    {
        var model = new SequentialModel(new Reshape([-1, 4], inputShape: [2, 6]));
        Assert.That(model.OutputShape, Is.EqualTo(new long[] { 3, 4 }));
        Assert.That(PredictShape(model, zeros(5, 2, 6)), Is.EqualTo(new long[] { 5, 3, 4 }));
    }

    [Test]
    public void SizeMismatch_Throws_NamingLayerAndBothShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => new SequentialModel(new Reshape([5, 5], inputShape: [2, 6], name: "to_square")));
        Assert.That(ex!.Message, Does.Contain("\"to_square\"").And.Contain("(None, 2, 6)").And.Contain("(None, 5, 5)").And.Contain("12"));
    }

    [Test]
    public void MinusOneThatCannotDivide_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Reshape([-1, 5]).ComputeOutputShape([2, 6]));
        Assert.That(ex!.Message, Does.Contain("reshape").And.Contain("(None, 2, 6)").And.Contain("(None, -1, 5)"));
    }

    [TestCase(new long[] { -1, -1 })]
    [TestCase(new long[] { 0, 4 })]
    [TestCase(new long[] { -2, 4 })]
    [TestCase(new long[0])]
    public void InvalidTargetShape_Throws(long[] target)
    {
        var ex = Assert.Throws<ArgumentException>(() => new Reshape(target));
        Assert.That(ex!.ParamName, Is.EqualTo("targetShape"));
        Assert.That(ex.Message, Does.Contain("at most one -1"));
    }
}
