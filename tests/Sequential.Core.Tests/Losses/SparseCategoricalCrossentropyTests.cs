using Sequential.Losses;
using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Losses;

public class SparseCategoricalCrossentropyTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    [Test]
    public void FromLogits_HandComputed()
    {
        // logits [[2,1,0]], label 0: -log(e^2 / (e^2 + e^1 + e^0)) = 0.40760596
        using var scope = NewDisposeScope();
        Assert.That(Value(new SparseCategoricalCrossentropy(fromLogits: true).Call(L([0], 1), F([2, 1, 0], 1, 3))),
            Is.EqualTo(0.40760596).Within(1e-5));
    }

    [Test]
    public void FromLogits_IsExactlyTorchCrossEntropy()
    {
        using var scope = NewDisposeScope();
        var logits = randn(16, 10);
        var labels = randint(0, 10, [16]);
        var ours = new SparseCategoricalCrossentropy(fromLogits: true).Call(labels, logits);
        var torchs = nn.functional.cross_entropy(logits, labels);
        Assert.That(Value(ours), Is.EqualTo(Value(torchs)).Within(0));
    }

    [Test]
    public void Probabilities_AgreeWithLogits()
    {
        // softmax([2,1,0]) = [0.6652410, 0.2447285, 0.0900306]; label 0 -> -ln 0.6652410 = 0.40760596
        using var scope = NewDisposeScope();
        Assert.That(Value(new SparseCategoricalCrossentropy().Call(L([0], 1), F([2, 1, 0], 1, 3).softmax(-1))),
            Is.EqualTo(0.40760596).Within(1e-5));
    }

    [Test]
    public void KerasDocstringExample_WithLabelsOfShapeNx1()
    {
        // Keras docstring: y [1, 2], p [[0.05,0.95,0],[0.1,0.8,0.1]] -> 1.177 = (-ln 0.95 - ln 0.1) / 2 = 1.1769392
        using var scope = NewDisposeScope();
        var p = F([0.05f, 0.95f, 0, 0.1f, 0.8f, 0.1f], 2, 3);
        var loss = new SparseCategoricalCrossentropy();
        Assert.That(Value(loss.Call(L([1, 2], 2), p)), Is.EqualTo(1.1769392).Within(1e-5));
        Assert.That(Value(loss.Call(L([1, 2], 2, 1), p)), Is.EqualTo(1.1769392).Within(1e-5));
    }

    [Test]
    public void ProbabilityZeroIsClippedToEpsilon()
    {
        // p(true class) = 0 -> clipped to 1e-7 -> -ln(1e-7) = 16.118095
        using var scope = NewDisposeScope();
        Assert.That(Value(new SparseCategoricalCrossentropy().Call(L([0], 1), F([0, 1], 1, 2))), Is.EqualTo(16.118095).Within(1e-5));
    }

    [Test]
    public void PrepareTargets_ConvertsToInt64()
    {
        using var scope = NewDisposeScope();
        var loss = new SparseCategoricalCrossentropy();
        foreach (var y in new[] { tensor(new[] { 1, 2 }), tensor(new byte[] { 1, 2 }), tensor(new[] { 1f, 2f }), L([1, 2], 2, 1) })
        {
            var prepared = loss.PrepareTargets(y);
            Assert.That(prepared.dtype, Is.EqualTo(ScalarType.Int64));
            Assert.That(prepared.shape, Is.EqualTo(new long[] { 2 }));
            Assert.That(prepared.data<long>().ToArray(), Is.EqualTo(new long[] { 1, 2 }));
        }
    }

    [Test]
    public void PrepareTargets_NonIntegralFloats_Throw()
    {
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => new SparseCategoricalCrossentropy().PrepareTargets(tensor(new[] { 1f, 0.5f })));
        Assert.That(ex!.Message, Does.Contain("contains 0.5").And.Contain("categorical_crossentropy"));
    }

    [Test]
    public void Validate_LabelAboveRange_Throws()
    {
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => new SparseCategoricalCrossentropy().Validate(L([0, 3, 12], 3), [10]));
        Assert.That(ex!.Message, Does.StartWith(
            "Labels must be in [0, 10) for a model whose output has 10 units, but y contains 12 (min 0, max 12). " +
            "Check the last Dense layer's units or the labels."));
    }

    [Test]
    public void Validate_NegativeLabel_Throws()
    {
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => new SparseCategoricalCrossentropy().Validate(L([-1, 3], 2, 1), [10]));
        Assert.That(ex!.Message, Does.Contain("y contains -1 (min -1, max 3)"));
    }

    [Test]
    public void Validate_OneHotTargets_PointToCategorical()
    {
        using var scope = NewDisposeScope();
        Assert.DoesNotThrow(() => new SparseCategoricalCrossentropy().Validate(L([0, 9], 2, 1), [10]));
        var ex = Assert.Throws<ArgumentException>(() => new SparseCategoricalCrossentropy().Validate(F(new float[20], 2, 10), [10]));
        Assert.That(ex!.Message, Does.Contain("(2, 10)").And.Contain("categorical_crossentropy"));
    }

    [Test]
    public void IgnoreClass_KerasValues()
    {
        // losses_test.py test_ignore_class: labels [[-1, 2]] (and [[[-1], [2]]]) with ignore_class -1 -> [[0, 1.480129]]
        using var scope = NewDisposeScope();
        var logits = F([0.854f, 0.698f, 0.598f, 0.088f, 0.86f, 0.018f], 1, 2, 3);
        var loss = new SparseCategoricalCrossentropy(fromLogits: true, ignoreClass: -1, reduction: null);
        Assert.That(loss.Call(L([-1, 2], 1, 2), logits).data<float>().ToArray(), Is.EqualTo(new[] { 0f, 1.480129f }).Within(1e-5));
        Assert.That(loss.Call(L([-1, 2], 1, 2, 1), logits).data<float>().ToArray(), Is.EqualTo(new[] { 0f, 1.480129f }).Within(1e-5));
    }

    [Test]
    public void IgnoreClass_MeanRunsOverTheCountedLabelsOnly()
    {
        // Keras's apply_mask: sum_over_batch_size divides by the 1 counted label, not by 2; "sum" just drops the ignored one
        using var scope = NewDisposeScope();
        var logits = F([0.854f, 0.698f, 0.598f, 0.088f, 0.86f, 0.018f], 1, 2, 3);
        Assert.That(Value(new SparseCategoricalCrossentropy(fromLogits: true, ignoreClass: -1).Call(L([-1, 2], 1, 2), logits)),
            Is.EqualTo(1.480129).Within(1e-5));
        Assert.That(Value(new SparseCategoricalCrossentropy(fromLogits: true, ignoreClass: 255, reduction: "sum").Call(L([255, 2], 1, 2), logits)),
            Is.EqualTo(1.480129).Within(1e-5));
        // every label ignored: 0, not NaN
        Assert.That(Value(new SparseCategoricalCrossentropy(fromLogits: true, ignoreClass: -1).Call(L([-1, -1], 1, 2), logits)), Is.EqualTo(0.0));
    }

    [Test]
    public void IgnoreClass_ValidateAcceptsTheIgnoredLabel()
    {
        var loss = new SparseCategoricalCrossentropy(ignoreClass: 255);
        Assert.DoesNotThrow(() => loss.Validate(L([0, 255, 2], 3), [3]));
        var ex = Assert.Throws<ArgumentException>(() => loss.Validate(L([0, 254, 2], 3), [3]));
        Assert.That(ex!.Message, Does.StartWith("Labels must be in [0, 3) for a model whose output has 3 units, but y contains 254")
            .And.EndWith("(ignoreClass is 255). (Parameter 'yTrue')"));
    }

    [Test]
    public void ChannelsFirstAxis_KerasValue()
    {
        // losses_test.py test_binary_segmentation_different_axis (torch branch): classes on axis 1 of [3, 2, 4, 4];
        // only two pixels are not certain: -ln 0.2 and -ln 0.4, averaged over 16 pixels
        using var scope = NewDisposeScope();
        long[] labels = [0, 1, 1, 0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 1, 0, 1];
        float[] probs =
        [
            1, 0, 0, 1, 0, 1, 0.2f, 0.8f, 0, 1, 1, 0, 0, 1, 1, 0,
            1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1, 0, 0.6f, 0.4f,
        ];
        var pred = F(probs, 4, 4, 2).movedim([2], [0]);                       // [2, 4, 4]: classes first
        var y = L(labels, 4, 4);
        double expected = (-Math.Log(0.2) - Math.Log(0.4)) / 16;
        Assert.That(Value(new SparseCategoricalCrossentropy(axis: 0).Call(y, pred)), Is.EqualTo(expected).Within(1e-5));
        var batch = stack([pred, pred, pred]);                                 // [3, 2, 4, 4]
        var yBatch = stack([y, y, y]);
        Assert.That(Value(new SparseCategoricalCrossentropy(axis: 1).Call(yBatch, batch)), Is.EqualTo(expected).Within(1e-5));
        Assert.That(new SparseCategoricalCrossentropy(axis: 1, reduction: "none").Call(yBatch.unsqueeze(1), batch).shape,
            Is.EqualTo(new long[] { 3, 4, 4 }));   // test_squeezes_singleton_class_dim_on_user_axis
        Assert.DoesNotThrow(() => new SparseCategoricalCrossentropy(axis: 1).Validate(yBatch, [2, 4, 4]));
    }

    [Test]
    public void IgnoreClass_AndAnOutputMask_BothLeaveValuesOut()
    {
        // 3 timesteps: t0 masked by the output's mask (Embedding(maskZero) style), t2 labelled with the ignored class;
        // only t1 counts, so the mean is t1's own loss (Keras combines the two masks with AND)
        using var scope = NewDisposeScope();
        var logits = F([0.854f, 0.698f, 0.598f, 0.088f, 0.86f, 0.018f, 0.3f, 0.2f, 0.1f], 1, 3, 3);
        Sequential.Layers.Masks.Set(logits, tensor(new[] { false, true, true }).reshape(1, 3));
        var loss = new SparseCategoricalCrossentropy(fromLogits: true, ignoreClass: -1);
        Assert.That(Value(loss.Call(L([0, 2, -1], 1, 3), logits)), Is.EqualTo(1.480129).Within(1e-5));
    }
}
