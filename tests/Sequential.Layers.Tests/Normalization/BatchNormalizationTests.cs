using static TorchSharp.torch;
using static Sequential.Layers.Tests.LayerRun;

namespace Sequential.Layers.Tests;

public class BatchNormalizationTests
{
    // Channel 0: 1, 2, 3, 4 (mean 2.5, biased variance 1.25); channel 1: 0, 0, 0, 4 (mean 1, variance 3).
    private static Tensor Batch() => tensor(new float[] { 1, 0, 2, 0, 3, 0, 4, 4 }).view(4, 2);

    [Test]
    public void Training_UsesBatchStatistics_AndUpdatesMovingOnesAsKeras()
    {
        var bn = new BatchNormalization();
        var y = Run(bn, Batch(), training: true);
        float[] expected = [(1 - 2.5f) / MathF.Sqrt(1.251f), -1 / MathF.Sqrt(3.001f), (2 - 2.5f) / MathF.Sqrt(1.251f), -1 / MathF.Sqrt(3.001f),
            (3 - 2.5f) / MathF.Sqrt(1.251f), -1 / MathF.Sqrt(3.001f), (4 - 2.5f) / MathF.Sqrt(1.251f), 3 / MathF.Sqrt(3.001f)];
        Assert.That(Values(y), Is.EqualTo(expected).Within(1e-5));
        // moving = moving * 0.99 + batch * 0.01, with the biased variance
        Assert.That(Values(bn.MovingMean!), Is.EqualTo(new[] { 0.025f, 0.01f }).Within(1e-6));
        Assert.That(Values(bn.MovingVariance!), Is.EqualTo(new[] { 1.0025f, 1.02f }).Within(1e-6));
    }

    [Test]
    public void Inference_UsesTheMovingStatistics_AndLeavesThemAlone()
    {
        var bn = new BatchNormalization(momentum: 0.5, epsilon: 0.01);
        Run(bn, Batch(), training: true); // moving mean (1.25, 0.5), moving variance (1.125, 2)
        var y = Run(bn, Batch(), training: false);
        Assert.That(Values(y)[..2], Is.EqualTo(new[] { (1 - 1.25f) / MathF.Sqrt(1.135f), (0 - 0.5f) / MathF.Sqrt(2.01f) }).Within(1e-5));
        Assert.That(Values(bn.MovingMean!), Is.EqualTo(new[] { 1.25f, 0.5f }).Within(1e-6));
    }

    [Test]
    public void OnImages_NormalisesPerChannel_AndGammaBetaGetGradients()
    {
        var bn = new BatchNormalization();
        var x = randn(8, 5, 5, 3) * 4 + 2;
        bn.EnsureBuilt([5, 5, 3]);
        bn.train();
        var y = bn.forward(x);
        Assert.That(Values(y.mean([0L, 1L, 2L])), Is.All.EqualTo(0f).Within(1e-4));
        y.pow(3).sum().backward();
        Assert.That(bn.Gamma!.grad, Is.Not.Null);
        Assert.That(bn.Beta!.grad, Is.Not.Null);
        Assert.That(Values(bn.MovingMean!), Is.EqualTo(Values(x.mean([0L, 1L, 2L]) * 0.01f)).Within(1e-5));
    }

    [Test]
    public void ParameterCounts_AreFourPerChannel_HalfOfThemNonTrainable()
    {
        var model = new SequentialModel(new Conv2D(32, 3, inputShape: [28, 28, 1]), new BatchNormalization(), new Flatten(), new Dense(10));
        Assert.That(model.Layers[1].CountParams(), Is.EqualTo(128));
        Assert.That(model.Layers[1].CountTrainableParams(), Is.EqualTo(64));
        // A cell wider than its column wraps, as Keras's (rich) table shows "batch_normalization" over "(BatchNormalization)".
        Assert.That(model.Summary(), Does.Contain("│ batch_normalization             │").And.Contain("│ (BatchNormalization)            │")
            .And.Contain("Non-trainable params: 64"));
    }

    [Test]
    public void ChannelsFirstAxis_AndBadArguments()
    {
        var bn = new BatchNormalization(axis: 1);
        bn.EnsureBuilt([3, 4, 4]);
        Assert.That(bn.Gamma!.shape, Is.EqualTo(new long[] { 3 }));
        Assert.That(() => new BatchNormalization(axis: 0), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new BatchNormalization(momentum: 1.5), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new BatchNormalization(epsilon: 0), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new BatchNormalization(axis: 4).ComputeOutputShape([5, 5, 3]), Throws.ArgumentException.With.Message.Contains("axis 4"));
    }
}
