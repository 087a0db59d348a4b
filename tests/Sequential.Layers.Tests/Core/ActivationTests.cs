using Sequential.Activations;
using static TorchSharp.torch;
using static Sequential.Layers.Tests.TestModels;

namespace Sequential.Layers.Tests.Core;

public class ActivationTests
{
    [Test]
    public void Softmax_RowsSumToOne_AndMatchHandValues()
    {
        var model = new SequentialModel(new Activation("softmax", inputShape: [3]));
        // exp(0), exp(ln 2), exp(ln 5) = 1, 2, 5 -> divided by 8; second row: all equal -> 1/3 each.
        var x = tensor(new float[] { 0, MathF.Log(2), MathF.Log(5), 4, 4, 4 }).reshape(2, 3);
        var y = model.Predict(x, verbose: 0);
        Assert.That(Values(y), Is.EqualTo(new[] { 0.125f, 0.25f, 0.625f, 1 / 3f, 1 / 3f, 1 / 3f }).Within(1e-6));
        Assert.That(Values(y.sum(1)), Is.All.EqualTo(1f).Within(1e-6));
    }

    [Test]
    public void Softmax_AppliesToLastAxisOfRank3()
    {
        var model = new SequentialModel(new Activation("softmax", inputShape: [2, 4]));
        var y = model.Predict(randn(5, 2, 4) * 3, verbose: 0);
        Assert.That(y.shape, Is.EqualTo(new long[] { 5, 2, 4 }));
        Assert.That(Values(y.sum(-1)), Has.Length.EqualTo(10).And.All.EqualTo(1f).Within(1e-5));
    }

    [Test]
    public void Relu_ByName_CaseInsensitive()
    {
        var layer = new Activation("ReLU", inputShape: [3]);
        var model = new SequentialModel(layer);
        Assert.That(layer.Function.Name, Is.EqualTo("relu"));
        Assert.That(Values(model.Predict(tensor(new float[] { -2, 0, 3 }).reshape(1, 3), verbose: 0)),
            Is.EqualTo(new float[] { 0, 0, 3 }));
    }

    [Test]
    public void ShapeIsUnchanged_AndHasNoParams()
    {
        var layer = new Activation("tanh");
        Assert.That(layer.ComputeOutputShape([4, 5, 6]), Is.EqualTo(new long[] { 4, 5, 6 }));
        _ = new SequentialModel(new Dense(3, inputShape: [2]), layer);
        Assert.That(layer.CountParams(), Is.Zero);
        Assert.That(layer.Name, Is.EqualTo("activation"));
    }

    [Test]
    public void UnknownName_Throws_ListingAccepted()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Activation("softmaxx"));
        Assert.That(ex!.Message, Does.Contain("'softmaxx'").And.Contain("softmax").And.Contain("sigmoid"));
    }

    [Test]
    public void NullName_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new Activation(null!));
    }

    [Test]
    public void ActivationObjects_WithAnAxis_SaveAndLoad()
    {
        // softmax over axis 1 of [N, 2, 2]: each column of a sample sums to 1
        var model = new SequentialModel(new Activation(ActivationFunction.Softmax(axis: 1), inputShape: [2, 2]));
        var x = tensor(new float[] { 0, 1, MathF.Log(3), 0 }).reshape(1, 2, 2);
        Assert.That(Values(model.Predict(x, verbose: 0)), Is.EqualTo(new[] { 0.25f, MathF.E / (MathF.E + 1), 0.75f, 1 / (MathF.E + 1) }).Within(1e-6));
        var loaded = SavedModels.AssertRoundTrips(model, x);
        Assert.That(((Activation)loaded.Layers[0]).Function, Is.EqualTo(ActivationFunction.Softmax(axis: 1)));
    }
}
