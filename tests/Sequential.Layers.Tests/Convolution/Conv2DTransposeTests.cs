using static TorchSharp.torch;
using static Sequential.Layers.Tests.LayerRun;

namespace Sequential.Layers.Tests;

public class Conv2DTransposeTests
{
    /// TensorFlow's conv2d_transpose (which Keras follows on every backend) is the gradient of conv2d: input pixel (i, j)
    /// adds kernel tap (a, b) at output (i·s + a·d - top, j·s + b·d - left), where top/left are the "same" padding that
    /// conv2d would use on an input of the output's size (0 for "valid"). Inputs NHWC, kernel in Keras's [kh, kw, f, c].
    private static float[] Reference(float[] x, int[] xShape, float[] kernel, int[] kShape, float[]? bias, (int, int) strides,
        (int, int) dilation, bool same, long outHeight, long outWidth)
    {
        var (n, h, w, c) = (xShape[0], xShape[1], xShape[2], xShape[3]);
        var (kh, kw, f) = (kShape[0], kShape[1], kShape[2]);
        long top = same ? SamePaddingBefore(outHeight, (kh - 1) * dilation.Item1 + 1, strides.Item1) : 0;
        long left = same ? SamePaddingBefore(outWidth, (kw - 1) * dilation.Item2 + 1, strides.Item2) : 0;
        var y = new double[n * outHeight * outWidth * f];
        for (long i = 0; i < y.Length; i++) y[i] = bias?[i % f] ?? 0;
        for (int b = 0; b < n; b++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++)
                    for (int p = 0; p < kh; p++)
                        for (int q = 0; q < kw; q++)
                        {
                            long oy = (long)i * strides.Item1 + p * dilation.Item1 - top, ox = (long)j * strides.Item2 + q * dilation.Item2 - left;
                            if (oy < 0 || oy >= outHeight || ox < 0 || ox >= outWidth) continue;
                            for (int o = 0; o < f; o++)
                            {
                                double sum = 0;
                                for (int ch = 0; ch < c; ch++)
                                    sum += (double)kernel[((p * kw + q) * f + o) * c + ch] * x[((b * h + i) * w + j) * c + ch];
                                y[((b * outHeight + oy) * outWidth + ox) * f + o] += sum;
                            }
                        }
        return [.. y.Select(v => (float)v)];
    }

    private static long SamePaddingBefore(long size, long effectiveKernel, int stride) =>
        Math.Max(((size + stride - 1) / stride - 1) * stride + effectiveKernel - size, 0) / 2;

    private static long[] Batch(long size, long[] sample) => [size, .. sample];

    /// Sets a layer's kernel from Keras's [kh, kw, filters, cin] layout.
    private static void SetKerasKernel(Conv2DTranspose layer, Tensor kerasKernel, Tensor? bias)
    {
        using var _ = no_grad();
        layer.Kernel!.copy_(kerasKernel.permute(3, 2, 0, 1));
        if (bias is not null) layer.Bias!.copy_(bias);
    }

    // Keras's conv_transpose_test.py, test_conv2d_transpose_basic (batch 2).
    [TestCase(5, 2, 2, "valid", null, "channels_last", new long[] { 8, 8, 4 }, new long[] { 16, 16, 5 })]
    [TestCase(6, 2, 3, "same", 2, "channels_last", new long[] { 8, 8, 4 }, new long[] { 23, 23, 6 })]
    [TestCase(2, 7, 16, "valid", null, "channels_last", new long[] { 14, 14, 2 }, new long[] { 224, 224, 2 })]
    public void OutputShapesAndWeights_EqualKeras(int filters, int kernel, int strides, string padding, int? outputPadding, string format,
        long[] input, long[] expected)
    {
        var layer = new Conv2DTranspose(filters, kernel, strides, padding, outputPadding, format);
        var y = Run(layer, rand(Batch(2, input)));
        Assert.That(y.shape, Is.EqualTo(Batch(2, expected)));
        Assert.That(layer.OutputShape, Is.EqualTo(expected));
        Assert.That(layer.Weights, Has.Count.EqualTo(2));
        Assert.That(layer.CountParams(), Is.EqualTo(kernel * kernel * input[^1] * filters + filters));
    }

    [Test]
    public void RectangularKernel_ChannelsFirst_EqualsKerasShape()
    {
        // Keras: filters 6, kernel (2, 3), strides (2, 1), channels_first (2, 4, 8, 8) -> (2, 6, 16, 10).
        var layer = new Conv2DTranspose(6, (2, 3), strides: (2, 1), dataFormat: "channels_first");
        Assert.That(Run(layer, rand(2, 4, 8, 8)).shape, Is.EqualTo(new long[] { 2, 6, 16, 10 }));
        Assert.That(layer.CountParams(), Is.EqualTo(2 * 3 * 4 * 6 + 6));
    }

    [Test]
    public void ParameterCount_IsKernelPlusBias()
    {
        // Conv2DTranspose(filters=3, kernel 2) on 4 channels: 4·3·2·2 + 3 = 51.
        var model = new SequentialModel(new Conv2DTranspose(3, 2, strides: 2, inputShape: [8, 8, 4]));
        Assert.That(model.Layers[0].CountParams(), Is.EqualTo(51));
        Assert.That(model.OutputShape, Is.EqualTo(new long[] { 16, 16, 3 }));
        Assert.That(((Conv2DTranspose)model.Layers[0]).Kernel!.shape, Is.EqualTo(new long[] { 4, 3, 2, 2 }));
    }

    // Keras's test_conv2d_transpose (input (2, 14, 14, 4), random kernel and bias, atol 1e-5), with the expected values
    // from the reference above.
    [TestCase(5, 2, 2, 2, 2, "valid", null, 1, 1)]
    [TestCase(6, 7, 7, 16, 16, "same", 2, 1, 1)]
    [TestCase(6, 2, 3, 2, 1, "valid", null, 1, 1)]
    [TestCase(2, 7, 7, 16, 16, "valid", null, 1, 1)]
    // Beyond Keras's list: the usual decoder step, odd kernel with stride 2 "same" (an asymmetric window), and dilation.
    [TestCase(3, 3, 3, 2, 2, "same", null, 1, 1)]
    [TestCase(3, 3, 3, 1, 1, "same", null, 2, 2)]
    [TestCase(3, 3, 2, 1, 1, "valid", null, 2, 1)]
    public void Values_EqualTheTransposeOfConv2D(int filters, int kh, int kw, int sh, int sw, string padding, int? outputPadding, int dh, int dw)
    {
        RandomSeed.Set(17);
        var x = randn(2, 14, 14, 4);
        var layer = new Conv2DTranspose(filters, (kh, kw), (sh, sw), padding, outputPadding is int p ? (p, p) : null, dilationRate: (dh, dw));
        layer.EnsureBuilt([14, 14, 4]);
        var kernel = randn(kh, kw, filters, 4);
        var bias = randn(filters);
        SetKerasKernel(layer, kernel, bias);
        var y = Run(layer, x);
        var expected = Reference(Values(x), [2, 14, 14, 4], Values(kernel), [kh, kw, filters, 4], Values(bias), (sh, sw), (dh, dw),
            padding == "same", y.shape[1], y.shape[2]);
        Assert.That(Values(y), Is.EqualTo(expected).Within(1e-5));
    }

    private static IEnumerable<TestCaseData> ConsistencyCases()
    {
        // Keras's test_conv1d_transpose_consistency grid (kernel 1..4, strides 1..4, both paddings, outputPadding None or
        // 1..4 below the stride), here on both axes of a 3x2 image of ones with the kernel arange(1..k) x arange(1..k).
        for (int kernel = 1; kernel <= 4; kernel++)
            for (int strides = 1; strides <= 4; strides++)
                foreach (var padding in new[] { "same", "valid" })
                    foreach (int? outputPadding in new int?[] { null, 1, 2, 3, 4 })
                        if (outputPadding is null || outputPadding < strides)
                            yield return new TestCaseData(kernel, strides, padding, outputPadding);
    }

    [TestCaseSource(nameof(ConsistencyCases))]
    public void EveryKernelStrideAndOutputPadding_MatchesTheReference(int kernel, int strides, string padding, int? outputPadding)
    {
        var layer = new Conv2DTranspose(1, kernel, strides, padding, outputPadding, useBias: false);
        layer.EnsureBuilt([3, 2, 1]);
        var taps = arange(1, kernel + 1, dtype: ScalarType.Float32);
        var kerasKernel = taps.view(-1, 1).mul(taps.view(1, -1)).view(kernel, kernel, 1, 1);
        SetKerasKernel(layer, kerasKernel, null);
        var y = Run(layer, ones(1, 3, 2, 1));
        Assert.That(y.shape[1..], Is.EqualTo(layer.OutputShape), "the run agrees with ComputeOutputShape");
        var expected = Reference(Enumerable.Repeat(1f, 6).ToArray(), [1, 3, 2, 1], Values(kerasKernel), [kernel, kernel, 1, 1], null,
            (strides, strides), (1, 1), padding == "same", y.shape[1], y.shape[2]);
        Assert.That(Values(y), Is.EqualTo(expected).Within(1e-5));
    }

    [Test]
    public void HandComputed_Stride2_PlacesOneScaledKernelPerPixel()
    {
        var layer = new Conv2DTranspose(1, 2, strides: 2);
        layer.EnsureBuilt([2, 2, 1]);
        SetKerasKernel(layer, tensor(new float[] { 1, 10, 100, 1000 }).view(2, 2, 1, 1), tensor(new float[] { 0.5f }));
        var y = Run(layer, tensor(new float[] { 1, 2, 3, 4 }).view(1, 2, 2, 1));
        float[] expected = [1, 10, 2, 20, 100, 1000, 200, 2000, 3, 30, 4, 40, 300, 3000, 400, 4000];
        Assert.That(Values(y), Is.EqualTo(expected.Select(v => v + 0.5f).ToArray()));
    }

    [Test]
    public void ChannelsFirst_EqualsChannelsLastOnTheSameImages()
    {
        RandomSeed.Set(4);
        var last = new Conv2DTranspose(3, 3, strides: 2, padding: "same", activation: "relu");
        var first = new Conv2DTranspose(3, 3, strides: 2, padding: "same", dataFormat: "channels_first", activation: "relu");
        last.EnsureBuilt([5, 6, 2]);
        first.EnsureBuilt([2, 5, 6]);
        using (no_grad())
        {
            first.Kernel!.copy_(last.Kernel!);
            first.Bias!.copy_(tensor(new float[] { 0.1f, -0.2f, 0.3f }));
            last.Bias!.copy_(first.Bias!);
        }
        var x = randn(2, 5, 6, 2);
        var expected = Run(last, x).permute(0, 3, 1, 2);
        Assert.That(Values(Run(first, x.permute(0, 3, 1, 2).contiguous())), Is.EqualTo(Values(expected)).Within(1e-6));
    }

    [Test]
    public void BadArguments_Throw_AsKerasDoes()
    {
        Assert.That(() => new Conv2DTranspose(0, 1), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("filters"));
        Assert.That(() => new Conv2DTranspose(2, (1, 0)), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("kernelSize"));
        Assert.That(() => new Conv2DTranspose(2, (2, 2), strides: (1, 0)), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("strides"));
        foreach (var make in new Func<Conv2DTranspose>[]
                 {
                     () => new Conv2DTranspose(2, 3, strides: 2, outputPadding: 2),
                     () => new Conv2DTranspose(2, 3, strides: 2, outputPadding: 3),
                     () => new Conv2DTranspose(2, (3, 3), strides: (2, 3), outputPadding: (1, 3)),
                     () => new Conv2DTranspose(16, 3, strides: 1, outputPadding: 1),
                     () => new Conv2DTranspose(2, 3, strides: 2, outputPadding: -1),
                 })
            Assert.That(() => make(), Throws.ArgumentException.With.Message.Contains("outputPadding must be at least 0 and strictly less than strides"));
        Assert.That(() => new Conv2DTranspose(2, (2, 2), strides: (2, 2), dilationRate: (2, 1)),
            Throws.ArgumentException.With.Message.Contains("strides > 1 is not supported together with dilationRate > 1"));
    }

    [Test]
    public void ConfigurationLeavingNoOutput_Throws_NamingTheLayer()
    {
        // "same" with an even kernel and outputPadding 0 on one pixel: (1 - 1)·2 + 0 + 0 = 0 rows.
        var layer = new Conv2DTranspose(1, 2, strides: 2, padding: "same", outputPadding: 0, name: "up");
        var ex = Assert.Throws<ArgumentException>(() => layer.EnsureBuilt([1, 4, 3]));
        Assert.That(ex!.Message, Does.Contain("\"up\"").And.Contain("0x6").And.Contain("(None, 1, 4, 3)"));
    }

    [Test]
    public void WeightsAndConfigRoundTripThroughSaveAndLoad()
    {
        RandomSeed.Set(8);
        var model = new SequentialModel(
            new Conv2DTranspose(4, (3, 2), strides: (2, 3), padding: "same", outputPadding: (1, 2), dataFormat: "channels_first",
                activation: "tanh", biasInitializer: "ones", inputShape: [2, 5, 4]),
            new Conv2DTranspose(1, 2, useBias: false, kernelInitializer: "he_normal", dataFormat: "channels_first"));
        var loaded = SavedModels.AssertRoundTrips(model, randn(2, 2, 5, 4));
        var first = (Conv2DTranspose)loaded.Layers[0];
        Assert.That(first.OutputPadding, Is.EqualTo(((int, int)?)(1, 2)));
        Assert.That((first.Strides, first.Padding, first.Activation.Name), Is.EqualTo(((2, 3), "same", "tanh")));
        Assert.That(TestModels.Values(first.Kernel!), Is.EqualTo(TestModels.Values(((Conv2DTranspose)model.Layers[0]).Kernel!)));
        // Rows (5 - 1)·2 + 3 mod 2 + 1 = 10, columns (4 - 1)·3 + 2 mod 2 + 2 = 11; then a valid 2x2: 11 x 12.
        Assert.That(loaded.OutputShape, Is.EqualTo(new long[] { 1, 11, 12 }));
        Assert.That(((Conv2DTranspose)loaded.Layers[1]).Bias, Is.Null);
    }

    [Test]
    public void SmallAutoencoder_TrainsThroughTheNewLayers()
    {
        // Gradients flow through the narrowed output of Conv2DTranspose, the grouped DepthwiseConv2D, PReLU's alpha and
        // the training-only noise and dropout.
        RandomSeed.Set(1);
        var x = rand(32, 8, 8, 1);
        var model = new SequentialModel(
            new GaussianNoise(0.05, inputShape: [8, 8, 1]),
            new Conv2D(4, 3, strides: 2, padding: "same", activation: "relu"),
            new DepthwiseConv2D(3, padding: "same", depthMultiplier: 2),
            new PReLU(alphaInitializer: "random_uniform", sharedAxes: [1, 2]),
            new SpatialDropout2D(0.1),
            new Conv2DTranspose(1, 3, strides: 2, padding: "same"));
        model.Compile(optimizer: "adam", loss: "mse");
        var alphaBefore = TestModels.Values(((PReLU)model.Layers[3]).Alpha!);
        var history = model.Fit(x, x, batchSize: 8, epochs: 5, verbose: 0);
        Assert.That(model.OutputShape, Is.EqualTo(new long[] { 8, 8, 1 }));
        Assert.That(history["loss"][^1], Is.LessThan(history["loss"][0]));
        Assert.That(TestModels.Values(((PReLU)model.Layers[3]).Alpha!), Is.Not.EqualTo(alphaBefore));
    }
}
