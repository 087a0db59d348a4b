using Sequential.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Layers;

/// Weights, parameter counts and Trainable, as every layer inherits them from the Layer base class.
public class LayerTests
{
    /// Every built-in layer with state: its weights in order, and Keras's count_params (total and trainable).
    private static IEnumerable<TestCaseData> LayersWithState()
    {
        TestCaseData Case(Layer layer, long[] inputShape, string[] weights, long total, long trainable) =>
            new TestCaseData(layer, inputShape, weights, total, trainable).SetArgDisplayNames(layer.TypeName + "_" + string.Join("_", weights));
        yield return Case(new Dense(3), [4], ["kernel", "bias"], 15, 15);
        yield return Case(new Dense(3, useBias: false), [4], ["kernel"], 12, 12);
        yield return Case(new Conv2D(2, 3), [5, 5, 1], ["kernel", "bias"], 20, 20);
        yield return Case(new Conv2DTranspose(2, 3), [5, 5, 1], ["kernel", "bias"], 20, 20);
        yield return Case(new DepthwiseConv2D(3), [5, 5, 2], ["kernel", "bias"], 20, 20);
        yield return Case(new SeparableConv2D(4, 3), [5, 5, 2], ["depthwise_kernel", "pointwise_kernel", "bias"], 30, 30);
        // Keras counts the moving statistics as non-trainable weights.
        yield return Case(new BatchNormalization(), [3], ["gamma", "beta"], 12, 6);
        yield return Case(new PReLU(), [4], ["alpha"], 4, 4);
        // An adaptable Normalization keeps mean, variance and count as state (3 + 3 + 1); given statistics are constants.
        yield return Case(new Normalization(), [3], [], 7, 0);
        yield return Case(new Normalization(mean: [1.0, 2.0, 3.0], variance: [1.0, 1.0, 1.0]), [3], [], 0, 0);
        yield return Case(new Flatten(), [2, 3], [], 0, 0);
        yield return Case(new Dropout(0.5), [3], [], 0, 0);
    }

    [TestCaseSource(nameof(LayersWithState))]
    public void WeightsAndCounts_OfEveryBuiltInLayer(Layer layer, long[] inputShape, string[] weights, long total, long trainable)
    {
        layer.EnsureBuilt(inputShape);

        Assert.That(layer.Weights.Select(w => NameOf(layer, w)), Is.EqualTo(weights));
        Assert.That(layer.CountParams(), Is.EqualTo(total));
        Assert.That(layer.CountTrainableParams(), Is.EqualTo(trainable));
        Assert.That(layer.Trainable, Is.True);
    }

    [TestCaseSource(nameof(LayersWithState))]
    public void Trainable_False_FreezesEveryWeight_AndTrueRestoresThem(Layer layer, long[] inputShape, string[] weights, long total, long trainable)
    {
        layer.EnsureBuilt(inputShape);

        layer.Trainable = false;
        Assert.That(layer.CountTrainableParams(), Is.Zero);
        Assert.That(layer.CountParams(), Is.EqualTo(total));
        Assert.That(layer.Weights.Any(w => w.requires_grad), Is.False);
        Assert.That(layer.Trainable, weights.Length == 0 ? Is.True : Is.False);

        layer.Trainable = true;
        Assert.That(layer.CountTrainableParams(), Is.EqualTo(trainable));
        Assert.That(layer.Trainable, Is.True);
    }

    private static string NameOf(Layer layer, TorchSharp.Modules.Parameter weight) =>
        layer.named_parameters().Single(p => ReferenceEquals(p.parameter, weight)).name;
}
