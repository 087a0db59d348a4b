using static TorchSharp.torch;
using static Sequential.Layers.Tests.LayerRun;

namespace Sequential.Layers.Tests;

public class ReLUTests
{
    private static readonly float[] Input = [-10, -5, 0, 5, 10];

    // Cases of Keras's relu_test.py (assertAllClose: atol and rtol 1e-6).
    [TestCase(10.0, 0.0, 0.0, new float[] { -10, -5, 0, 5, 10 }, new float[] { 0, 0, 0, 5, 10 })]
    [TestCase(10.0, 0.5, 0.0, new float[] { -10, -5, 0, 5, 10 }, new float[] { -5, -2.5f, 0, 5, 10 })]
    [TestCase(8.0, 0.0, 5.0, new float[] { 6, 7, 0, 5, 10 }, new float[] { 6, 7, 0, 0, 8 })]
    [TestCase(null, 0.0, 0.0, new float[] { -3, -1, 0, 1, 3 }, new float[] { 0, 0, 0, 1, 3 })]
    [TestCase(null, 0.0, 0.0, new float[] { 0, 100, 1000, 99999 }, new float[] { 0, 100, 1000, 99999 })]
    // The docstring of keras.activations.relu.
    [TestCase(5.0, 0.0, 0.0, new float[] { -10, -5, 0, 5, 10 }, new float[] { 0, 0, 0, 5, 5 })]
    [TestCase(null, 0.0, 5.0, new float[] { -10, -5, 0, 5, 10 }, new float[] { 0, 0, 0, 0, 10 })]
    [TestCase(null, 0.5, 0.0, new float[] { -10, -5, 0, 5, 10 }, new float[] { -5, -2.5f, 0, 5, 10 })]
    public void Values_EqualKeras(double? maxValue, double negativeSlope, double threshold, float[] input, float[] expected)
    {
        var layer = new ReLU(maxValue, negativeSlope, threshold);
        Assert.That(Values(Run(layer, tensor(input).view(1, -1))), Is.EqualTo(expected).Within(1e-6));
    }

    [Test]
    public void SlopeWithThresholdAndCap_LeaksBelowTheThresholdAfterCapping()
    {
        // Keras: x > threshold kept (then capped), else 0; minus slope * relu(threshold - x).
        var layer = new ReLU(maxValue: 8, negativeSlope: 0.5, threshold: 2);
        float[] expected = [-0.5f * 12, -0.5f * 2, 0, 3, 8];
        Assert.That(Values(Run(layer, tensor(new float[] { -10, 0, 2, 3, 20 }).view(1, -1))), Is.EqualTo(expected).Within(1e-6));
        Assert.That(Values(Run(new ReLU(maxValue: 6), tensor(Input).view(1, -1))), Is.EqualTo(new float[] { 0, 0, 0, 5, 6 }));
    }

    [Test]
    public void KeepsTheShape_AndHasNoWeights()
    {
        var layer = new ReLU(maxValue: 10, negativeSlope: 1, threshold: 0.5);
        var y = Run(layer, rand(2, 3, 4));
        Assert.That(y.shape, Is.EqualTo(new long[] { 2, 3, 4 }));
        Assert.That(layer.CountParams(), Is.Zero);
        Assert.That(new ReLU().Name, Is.EqualTo("re_lu"));
    }

    [TestCase(-10.0, 1.0, 0.5, "maxValue")]
    [TestCase(10.0, -10.0, 0.5, "negativeSlope")]
    [TestCase(10.0, 1.0, -10.0, "threshold")]
    [TestCase(10.0, double.NaN, 0.0, "negativeSlope")]
    public void NegativeArguments_Throw_NamingTheLayerAndArgument(double maxValue, double negativeSlope, double threshold, string argument)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ReLU(maxValue, negativeSlope, threshold));
        Assert.That(ex!.ParamName, Is.EqualTo(argument));
        Assert.That(ex.Message, Does.Contain($"ReLU {argument} must be a finite number >= 0"));
    }

    [Test]
    public void ConfigRoundTripsThroughSaveAndLoad()
    {
        var model = new SequentialModel(new Dense(4, inputShape: [3]), new ReLU(maxValue: 5, negativeSlope: 0.2, threshold: 1));
        var loaded = SavedModels.AssertRoundTrips(model, randn(8, 3) * 5);
        var relu = (ReLU)loaded.Layers[1];
        Assert.That((relu.MaxValue, relu.NegativeSlope, relu.Threshold), Is.EqualTo(((double?)5.0, 0.2, 1.0)));
        Assert.That(((ReLU)SavedModels.SaveAndLoad(new SequentialModel(new ReLU(inputShape: [2]))).Layers[0]).MaxValue, Is.Null);
    }
}
