using Sequential.Layers;
using Sequential.Losses;
using Sequential.Optimizers;
using Parameter = TorchSharp.Modules.Parameter;
using SGD = Sequential.Optimizers.SGD;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Optimizers;

/// Keras's keras/src/optimizers/loss_scale_optimizer_test.py (stateful cases), and float16 training with it.
public class LossScaleOptimizerTests
{
    private static Parameter Variable() => new(tensor(new[] { 1f, 2f, 3f, 4f }));

    private static float[] Values(Tensor t) => t.detach().data<float>().ToArray();

    [Test]
    public void FiniteStep_FromKeras_UnscalesTheGradients()
    {
        var optimizer = new LossScaleOptimizer(new SGD(learningRate: 0.5));
        var v = Variable();
        optimizer.Apply([tensor(new[] { 1f, 6f, 7f, 2f }) * optimizer.InitialScale], [v]);
        Assert.That(Values(v), Is.EqualTo(new[] { 0.5f, -1f, -0.5f, 3f }).Within(1e-4));
    }

    [Test]
    public void InfiniteStep_FromKeras_LeavesTheVariables()
    {
        var optimizer = new LossScaleOptimizer(new SGD(learningRate: 0.5));
        var v = Variable();
        optimizer.Apply([full(4, float.PositiveInfinity)], [v]);
        Assert.That(Values(v), Is.EqualTo(new[] { 1f, 2f, 3f, 4f }));
        Assert.That(optimizer.DynamicScale, Is.EqualTo(16384.0));
    }

    [Test]
    public void Downscaling_FromKeras()
    {
        var optimizer = new LossScaleOptimizer(new SGD(learningRate: 0.5), initialScale: 400.0);
        var v = Variable();
        for (int i = 0; i < 4; i++) optimizer.Apply([full(4, float.PositiveInfinity)], [v]);
        Assert.That(optimizer.ScaleLoss(tensor(1f)).item<float>(), Is.EqualTo(25f));
    }

    [Test]
    public void Upscaling_FromKeras()
    {
        var optimizer = new LossScaleOptimizer(new SGD(learningRate: 0.5), initialScale: 2.0, dynamicGrowthSteps: 2);
        var v = Variable();
        for (int i = 0; i < 8; i++) optimizer.Apply([tensor(new[] { 1f, 6f, 7f, 2f })], [v]);
        Assert.That(optimizer.ScaleLoss(tensor(1f)).item<float>(), Is.EqualTo(32f));
    }

    [Test]
    public void IterationsUpdate_FromKeras_CountsTheInnerSteps()
    {
        var optimizer = new LossScaleOptimizer(new SGD(learningRate: 0.5));
        var v = Variable();
        Assert.That(optimizer.Iterations, Is.EqualTo(0));
        for (int i = 0; i < 3; i++)
        {
            optimizer.Apply([tensor(new[] { 1f, 6f, 7f, 2f })], [v]);
            Assert.That(optimizer.Iterations, Is.EqualTo(i + 1));
        }
        optimizer.Apply([full(4, float.NaN)], [v]);
        Assert.That(optimizer.Iterations, Is.EqualTo(3), "a skipped step is not counted");
    }

    [Test]
    public void BadArguments_AreRefused()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new LossScaleOptimizer(new SGD(), initialScale: 0))!.Message,
            Does.StartWith("initialScale must be a positive finite number; got 0."));
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new LossScaleOptimizer(new LossScaleOptimizer(new SGD())))!.Message,
            Does.StartWith("The inner optimizer is already a LossScaleOptimizer"));
    }

    private sealed class Linear : Layer
    {
        public override long[] ComputeOutputShape(long[] inputShape) => [1];
        public override void Build(long[] inputShape) => AddWeight([inputShape[^1], 1], "ones", name: "kernel");
        public override Tensor Call(Tensor x, bool training) => x.matmul(InComputeDtype(get_parameter("kernel")!));
    }

    [Test]
    public void Float16Training_ScalesTheLoss_AndStepsLikeFloat32()
    {
        // One SGD step on a float16 linear model: the gradient of the scaled loss, unscaled, is the float32 gradient
        // (to float16's precision), and the weights stay float32.
        var x = tensor(new float[,] { { 1, 2 }, { 3, 4 } });
        var y = tensor(new float[,] { { 1 }, { 2 } });
        SequentialModel Make(Optimizer optimizer, string policy)
        {
            var model = new SequentialModel(new Linear { DtypePolicy = policy });
            model.Compile(optimizer: optimizer, loss: "mse");
            return model;
        }
        var exact = Make(new SGD(learningRate: 0.01), "float32");
        var scaled = new LossScaleOptimizer(new SGD(learningRate: 0.01), initialScale: 1024);
        var half = Make(scaled, "mixed_float16");
        exact.Fit(x, y, batchSize: 2, epochs: 1, shuffle: false, verbose: 0);
        half.Fit(x, y, batchSize: 2, epochs: 1, shuffle: false, verbose: 0);
        Assert.That(half.Weights[0].dtype, Is.EqualTo(ScalarType.Float32));
        Assert.That(Values(half.Weights[0]), Is.EqualTo(Values(exact.Weights[0])).Within(1e-3));
        Assert.That(half.Optimizer!.Iterations, Is.EqualTo(1));
    }
}
