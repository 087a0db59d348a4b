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
        Assert.That(layer.Trainable, Is.False); // as in Keras, also for a layer without weights

        layer.Trainable = true;
        Assert.That(layer.CountTrainableParams(), Is.EqualTo(trainable));
        Assert.That(layer.Trainable, Is.True);
    }

    [Test]
    public void RegisteredSublayer_CountsInWeightsAndParams_AndFreezesWithItsOwner()
    {
        var layer = new Scaled(new BatchNormalization());
        layer.EnsureBuilt([3]);

        // Own weight first, then the sublayer's; its moving statistics count as non-trainable, as in Keras.
        Assert.That(layer.Weights.Select(w => NameOf(layer, w)), Is.EqualTo(new[] { "scale", "inner.gamma", "inner.beta" }));
        Assert.That(layer.CountParams(), Is.EqualTo(1 + 12));
        Assert.That(layer.CountTrainableParams(), Is.EqualTo(1 + 6));

        layer.Trainable = false;
        Assert.That(layer.Inner.Weights.Any(w => w.requires_grad), Is.False);
        Assert.That(layer.CountTrainableParams(), Is.Zero);
    }

    [Test]
    public void Trainable_SetBeforeBuild_AppliesToTheWeightsTheBuildCreates()
    {
        var dense = new Dense(3) { Trainable = false };
        Assert.That(dense.Trainable, Is.False);

        dense.EnsureBuilt([4]);

        Assert.That(dense.CountTrainableParams(), Is.Zero);
        Assert.That(dense.Trainable, Is.False);
        dense.Trainable = true;
        Assert.That(dense.CountTrainableParams(), Is.EqualTo(15));
    }

    [Test]
    public void Unfreezing_LeavesWeightsThatWereFrozenBefore()
    {
        var layer = new Scaled(new Dense(2), fixedScale: true);
        layer.EnsureBuilt([3]);
        Assert.That(layer.CountTrainableParams(), Is.EqualTo(8)); // the scale is made non-trainable

        layer.Trainable = false;
        layer.Trainable = false;
        layer.Trainable = true;

        Assert.That(layer.CountTrainableParams(), Is.EqualTo(8));
        Assert.That(layer.Weights[0].requires_grad, Is.False);
    }

    [Test]
    public void NonTrainableWeight_CreatedWhileFrozen_StaysFrozenWhenUnfrozen()
    {
        var layer = new Scaled(new Dense(2), fixedScale: true) { Trainable = false };
        layer.EnsureBuilt([3]);
        Assert.That(layer.CountTrainableParams(), Is.Zero);

        layer.Trainable = true;

        Assert.That(layer.CountTrainableParams(), Is.EqualTo(8));
        Assert.That(layer.Weights[0].requires_grad, Is.False);
    }

    /// A user layer holding a sublayer: multiplies the sublayer's output by a weight of its own.
    private sealed class Scaled : Layer
    {
        private readonly bool _fixedScale;

        public Scaled(Layer inner, bool fixedScale = false) : base("scaled")
        {
            Inner = inner;
            _fixedScale = fixedScale;
            register_module("inner", inner);
        }

        public Layer Inner { get; }

        public override long[] ComputeOutputShape(long[] inputShape) => Inner.ComputeOutputShape(inputShape);

        public override void Build(long[] inputShape)
        {
            AddWeight("scale", [1], Sequential.Initializers.InitializerRegistry.Get("ones"), 1, 1, trainable: !_fixedScale);
            Inner.EnsureBuilt(inputShape);
        }

        public override Tensor Call(Tensor x, bool training) => Inner.forward(x) * Weights[0];
    }

    private static string NameOf(Layer layer, TorchSharp.Modules.Parameter weight) =>
        layer.named_parameters().Single(p => ReferenceEquals(p.parameter, weight)).name;
}
