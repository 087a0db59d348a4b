using static TorchSharp.torch;
using static Sequential.Layers.Tests.TestModels;

namespace Sequential.Layers.Tests.Reshaping;

public class FlattenTests
{
    [TestCase(new long[] { 28, 28 }, 784)]
    [TestCase(new long[] { 3, 4, 5 }, 60)]
    [TestCase(new long[] { 7 }, 7)]
    public void ComputeOutputShape_IsProduct(long[] input, long expected)
    {
        Assert.That(new Flatten().ComputeOutputShape(input), Is.EqualTo(new[] { expected }));
    }

    [Test]
    public void Predict_KeepsBatchAxis_RowMajorOrder()
    {
        var model = new SequentialModel(new Flatten(inputShape: [3, 4, 5]));
        var x = arange(2 * 60, dtype: ScalarType.Float32).reshape(2, 3, 4, 5);
        var y = model.Predict(x, verbose: 0);
        Assert.That(y.shape, Is.EqualTo(new long[] { 2, 60 }));
        Assert.That(Values(y), Is.EqualTo(Enumerable.Range(0, 120).Select(i => (float)i).ToArray()));
    }

    [Test]
    public void Summary_ShowsFlattenedShape_AndNoParams()
    {
        var model = new SequentialModel(new Flatten(inputShape: [28, 28]), new Dense(10));
        Assert.That(model.Layers[0].OutputShape, Is.EqualTo(new long[] { 784 }));
        Assert.That(model.Layers[0].CountParams(), Is.Zero);
        Assert.That(model.Summary(), Does.Contain("flatten (Flatten)").And.Contain("(None, 784)"));
    }

    [Test]
    public void BatchOfOne_StillHasBatchAxis()
    {
        var model = new SequentialModel(new Flatten(inputShape: [2, 2]));
        Assert.That(PredictShape(model, ones(1, 2, 2)), Is.EqualTo(new long[] { 1, 4 }));
    }
}
