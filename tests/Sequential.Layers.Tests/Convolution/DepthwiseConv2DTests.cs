using static TorchSharp.torch;
using static Sequential.Layers.Tests.LayerRun;

namespace Sequential.Layers.Tests;

public class DepthwiseConv2DTests
{
    /// Keras's np_depthwise_conv2d: output channel c·dm + m is input channel c convolved with kernel [.., .., c, m] plus its
    /// bias; "same" pads max(k' - s, 0) (or max(k' - n mod s, 0)) with the smaller half first. Inputs NHWC, kernel
    /// [kh, kw, cin, dm].
    private static float[] Reference(float[] x, int[] xShape, float[] kernel, int[] kShape, float[] bias, (int, int) strides,
        (int, int) dilation, bool same, out long[] outputShape)
    {
        var (n, h, w, c) = (xShape[0], xShape[1], xShape[2], xShape[3]);
        var (kh, kw, dm) = (kShape[0], kShape[1], kShape[3]);
        int ekh = (kh - 1) * dilation.Item1 + 1, ekw = (kw - 1) * dilation.Item2 + 1;
        int padH = same ? SamePadding(h, ekh, strides.Item1) : 0, padW = same ? SamePadding(w, ekw, strides.Item2) : 0;
        int top = padH / 2, left = padW / 2;
        int oh = (h + padH - ekh) / strides.Item1 + 1, ow = (w + padW - ekw) / strides.Item2 + 1;
        outputShape = [n, oh, ow, c * dm];
        var y = new float[n * oh * ow * c * dm];
        for (int b = 0; b < n; b++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                    for (int ch = 0; ch < c; ch++)
                        for (int m = 0; m < dm; m++)
                        {
                            double sum = bias[ch * dm + m];
                            for (int p = 0; p < kh; p++)
                                for (int q = 0; q < kw; q++)
                                {
                                    int yy = i * strides.Item1 + p * dilation.Item1 - top, xx = j * strides.Item2 + q * dilation.Item2 - left;
                                    if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
                                    sum += (double)x[((b * h + yy) * w + xx) * c + ch] * kernel[((p * kw + q) * c + ch) * dm + m];
                                }
                            y[((b * oh + i) * ow + j) * c * dm + ch * dm + m] = (float)sum;
                        }
        return y;
    }

    private static long[] Batch(long size, long[] sample) => [size, .. sample];

    private static int SamePadding(int input, int kernel, int stride) =>
        input % stride == 0 ? Math.Max(kernel - stride, 0) : Math.Max(kernel - input % stride, 0);

    // Keras's depthwise_conv_test.py, test_depthwise_conv2d_basic (batch 3).
    [TestCase(5, 2, 1, "valid", 1, new long[] { 5, 5, 4 }, new long[] { 4, 4, 20 })]
    [TestCase(6, 2, 1, "same", 2, new long[] { 4, 4, 4 }, new long[] { 4, 4, 24 })]
    [TestCase(6, 2, 2, "valid", 1, new long[] { 5, 5, 4 }, new long[] { 2, 2, 24 })]
    public void OutputShapesAndWeights_EqualKeras(int depthMultiplier, int kernel, int strides, string padding, int dilation, long[] input, long[] expected)
    {
        var layer = new DepthwiseConv2D(kernel, strides, padding, depthMultiplier, dilationRate: dilation);
        Assert.That(Run(layer, rand(Batch(3, input))).shape, Is.EqualTo(Batch(3, expected)));
        Assert.That(layer.Weights, Has.Count.EqualTo(2));
        Assert.That(layer.CountParams(), Is.EqualTo(kernel * kernel * input[^1] * depthMultiplier + input[^1] * depthMultiplier));
        Assert.That(layer.Name, Is.EqualTo("depthwise_conv2d"));
    }

    // Keras's test_depthwise_conv2d: input (2, 8, 8, 4), random kernel and bias, compared with its numpy reference (atol 1e-5).
    [TestCase(5, 2, 1, "valid", 1)]
    [TestCase(6, 2, 1, "same", 2)]
    [TestCase(6, 2, 2, "valid", 1)]
    [TestCase(2, 3, 2, "same", 1)]
    public void Values_EqualKerasReference(int depthMultiplier, int kernel, int strides, string padding, int dilation)
    {
        RandomSeed.Set(21);
        var x = randn(2, 8, 8, 4);
        var layer = new DepthwiseConv2D(kernel, strides, padding, depthMultiplier, dilationRate: dilation);
        layer.EnsureBuilt([8, 8, 4]);
        var kerasKernel = randn(kernel, kernel, 4, depthMultiplier);
        var bias = randn(4 * depthMultiplier);
        using (no_grad())
        {
            layer.Kernel!.copy_(kerasKernel.permute(2, 3, 0, 1).reshape(4 * depthMultiplier, 1, kernel, kernel));
            layer.Bias!.copy_(bias);
        }
        var y = Run(layer, x);
        var expected = Reference(Values(x), [2, 8, 8, 4], Values(kerasKernel), [kernel, kernel, 4, depthMultiplier], Values(bias),
            (strides, strides), (dilation, dilation), padding == "same", out var shape);
        Assert.That(y.shape, Is.EqualTo(shape));
        Assert.That(Values(y), Is.EqualTo(expected).Within(1e-5));
    }

    [Test]
    public void WindowLargerThanTheInput_Throws_NamingTheLayer()
    {
        // Keras's test_invalid_output_shape_raises: kernel 5, strides 2, "valid" on 4x4.
        var ex = Assert.Throws<ArgumentException>(() => new DepthwiseConv2D(5, strides: 2, name: "dw").EnsureBuilt([4, 4, 3]));
        Assert.That(ex!.Message, Does.Contain("\"dw\"").And.Contain("smaller than the window 5"));
    }

    [Test]
    public void BadArguments_Throw()
    {
        Assert.That(() => new DepthwiseConv2D(1, depthMultiplier: 0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("depthMultiplier"));
        Assert.That(() => new DepthwiseConv2D((1, 0), depthMultiplier: 2), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("kernelSize"));
        Assert.That(() => new DepthwiseConv2D((2, 2), strides: (1, 0)), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("strides"));
        Assert.That(() => new DepthwiseConv2D(3, depthwiseInitializer: "nope"), Throws.ArgumentException.With.Message.Contains("Unknown initializer"));
    }

    [Test]
    public void WeightsAndConfigRoundTripThroughSaveAndLoad()
    {
        RandomSeed.Set(9);
        var model = new SequentialModel(
            new DepthwiseConv2D((3, 2), strides: (2, 1), padding: "same", depthMultiplier: 3, activation: "relu", biasInitializer: "ones",
                inputShape: [7, 6, 2]),
            new DepthwiseConv2D(1, useBias: false));
        var loaded = SavedModels.AssertRoundTrips(model, randn(2, 7, 6, 2));
        var first = (DepthwiseConv2D)loaded.Layers[0];
        Assert.That((first.KernelSize, first.Strides, first.DepthMultiplier), Is.EqualTo(((3, 2), (2, 1), 3)));
        Assert.That(TestModels.Values(first.Kernel!), Is.EqualTo(TestModels.Values(((DepthwiseConv2D)model.Layers[0]).Kernel!)));
        Assert.That(loaded.OutputShape, Is.EqualTo(new long[] { 4, 6, 6 }));
    }
}
