using static TorchSharp.torch;
using static Sequential.Layers.Tests.LayerRun;

namespace Sequential.Layers.Tests;

public class Conv1DTests
{
    // keras/src/layers/convolutional/conv_test.py ConvBasicTest.test_conv1d_basic: (filters, kernel, strides, padding,
    // dilation, groups, batch input shape, batch output shape).
    [TestCase(5, 2, 1, "valid", 1, 1, new long[] { 3, 5, 4 }, new long[] { 3, 4, 5 })]
    [TestCase(6, 2, 1, "same", 2, 2, new long[] { 3, 4, 4 }, new long[] { 3, 4, 6 })]
    [TestCase(6, 2, 1, "causal", 2, 2, new long[] { 3, 4, 4 }, new long[] { 3, 4, 6 })]
    [TestCase(6, 2, 2, "valid", 1, 2, new long[] { 3, 5, 4 }, new long[] { 3, 2, 6 })]
    public void Basic_FromKeras_OutputShapesAndWeights(int filters, int kernel, int strides, string padding, int dilation, int groups,
        long[] input, long[] output)
    {
        var layer = new Conv1D(filters, kernel, strides: strides, padding: padding, dilationRate: dilation, groups: groups);
        var y = Run(layer, randn(input));
        Assert.That(y.shape, Is.EqualTo(output));
        Assert.That(layer.OutputShape, Is.EqualTo(output[1..]));
        Assert.That(layer.Weights.Count, Is.EqualTo(2));
        Assert.That(layer.CountParams(), Is.EqualTo((long)kernel * (input[2] / groups) * filters + filters));
    }

    // ConvCorrectnessTest.test_conv1d: random kernel and bias on a (2, 8, 4) input against Keras's np_conv1d, ported below.
    [TestCase(5, 2, 1, "valid", "channels_last", 1, 1)]
    [TestCase(6, 2, 1, "same", "channels_last", 2, 2)]
    [TestCase(6, 2, 1, "causal", "channels_last", 2, 2)]
    [TestCase(6, 2, 2, "valid", "channels_last", 1, 2)]
    [TestCase(6, 2, 2, "valid", "channels_first", 1, 2)]
    [TestCase(4, 3, 2, "same", "channels_last", 1, 1)]
    [TestCase(3, 3, 2, "causal", "channels_last", 1, 1)]
    public void Correctness_FromKeras_EqualsKerasNumpyReference(int filters, int kernel, int strides, string padding, string dataFormat,
        int dilation, int groups)
    {
        RandomSeed.Set(7);
        var layer = new Conv1D(filters, kernel, strides: strides, padding: padding, dataFormat: dataFormat, dilationRate: dilation, groups: groups);
        var x = randn(2, 8, 4, dtype: ScalarType.Float64);
        layer.EnsureBuilt([8, 4]);
        long channels = dataFormat == "channels_first" ? 8 : 4;
        var kerasKernel = randn(kernel, channels / groups, filters, dtype: ScalarType.Float64);   // Keras's layout (k, cin/g, filters)
        var bias = randn(filters, dtype: ScalarType.Float64);
        using (no_grad())
        {
            layer.Kernel!.copy_(kerasKernel.permute(2, 1, 0));
            layer.Bias!.copy_(bias);
        }
        var y = Run(layer, x.to(ScalarType.Float32)).to(ScalarType.Float64);
        var expected = NpConv1d(x, kerasKernel, bias, strides, padding, dataFormat, dilation, groups);
        Assert.That(y.shape, Is.EqualTo(expected.shape));
        Assert.That(allclose(y, expected, rtol: 1e-4, atol: 1e-4), Is.True, $"max difference {(y - expected).abs().max().item<double>()}");
    }

    /// Keras's np_conv1d (conv_test.py), as plain loops in float64, with the layer's causal padding.
    private static Tensor NpConv1d(Tensor x, Tensor kernel, Tensor bias, int stride, string padding, string dataFormat, int dilation, int groups)
    {
        if (dataFormat == "channels_first") x = x.swapaxes(1, 2);
        long k = kernel.shape[0], cin = kernel.shape[1], cout = kernel.shape[2];
        // Dilate the kernel with zeros.
        long dk = k + (dilation - 1) * (k - 1);
        var dilated = zeros(dk, cin, cout, dtype: ScalarType.Float64);
        for (long i = 0; i < k; i++) dilated[i * dilation] = kernel[i];
        if (padding != "valid")
        {
            long n = x.shape[1];
            long total = n % stride == 0 ? Math.Max(dk - stride, 0) : Math.Max(dk - n % stride, 0);
            // np_conv1d pads "causal" by the "same" total; Keras's Conv1D layer pads (k-1)·d (conv1d.py
            // _compute_causal_padding). They agree for stride 1, Keras's only causal case; the layer is the contract.
            var (before, after) = padding == "causal" ? (dk - 1, 0L) : (total / 2, total - total / 2);
            x = nn.functional.pad(x, [0, 0, before, after]);
        }
        long batch = x.shape[0], hx = x.shape[1], hout = (hx - dk) / stride + 1, perGroup = cout / groups;
        var xs = x.data<double>().ToArray();
        var ws = dilated.contiguous().data<double>().ToArray();
        var bs = bias.data<double>().ToArray();
        long channels = x.shape[2];
        var output = new double[batch * hout * cout];
        for (long b = 0; b < batch; b++)
        for (long t = 0; t < hout; t++)
        for (long o = 0; o < cout; o++)
        {
            long g = o / perGroup;
            double sum = bs[o];
            for (long j = 0; j < dk; j++)
            for (long c = 0; c < cin; c++)
                sum += xs[(b * hx + t * stride + j) * channels + g * cin + c] * ws[(j * cin + c) * cout + o];
            output[(b * hout + t) * cout + o] = sum;
        }
        var result = tensor(output).view(batch, hout, cout);
        return dataFormat == "channels_first" ? result.swapaxes(1, 2) : result;
    }

    [Test]
    public void Causal_OutputAtStepTNeverSeesLaterSteps()
    {
        var layer = new Conv1D(1, 3, padding: "causal", dilationRate: 2, useBias: false, kernelInitializer: "ones");
        var x = arange(1, 7, dtype: ScalarType.Float32).view(1, 6, 1);   // 1..6
        // Window of taps t, t-2, t-4 (zeros before the start): 1, 2, 1+3, 2+4, 1+3+5, 2+4+6.
        Assert.That(Values(Run(layer, x)), Is.EqualTo(new[] { 1f, 2f, 4f, 6f, 9f, 12f }));
    }

    [Test]
    public void KerasIoTextClassifier_ShapesAndParameterCounts_MatchKeras()
    {
        // keras.io "Text classification from scratch": Embedding(20000, 128) on 500 ids, two Conv1D(128, 7, strides 3).
        var model = new SequentialModel(new Embedding(20000, 128, inputShape: [500]), new Dropout(0.5),
            new Conv1D(128, 7, padding: "valid", activation: "relu", strides: 3),
            new Conv1D(128, 7, padding: "valid", activation: "relu", strides: 3));
        Assert.That(model.Layers.Select(l => l.OutputShape), Is.EqualTo(new long[][] { [500, 128], [500, 128], [165, 128], [53, 128] }));
        Assert.That(model.Layers.Select(l => l.CountParams()), Is.EqualTo(new long[] { 2_560_000, 0, 114_816, 114_816 }));
        Assert.That(model.Summary(), Does.Contain("conv1d_1 (Conv1D)").And.Contain("(None, 165, 128)"));
    }

    [Test]
    public void BadArguments_Throw_WithTheValueInTheMessage()
    {
        Assert.That(() => new Conv1D(0, 3), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("filters"));
        Assert.That(() => new Conv1D(4, 3, padding: "full"),
            Throws.ArgumentException.With.Message.Contains("\"valid\", \"same\", \"causal\"").And.Message.Contains("\"full\""));
        Assert.That(() => new Conv1D(4, 3, strides: 2, dilationRate: 2), Throws.ArgumentException.With.Message.Contains("dilationRate"));
        Assert.That(() => new Conv1D(5, 3, groups: 2), Throws.ArgumentException.With.Message.Contains("filters 5 and groups 2"));
        var grouped = new SequentialModel(new Conv1D(4, 3, groups: 2, name: "grouped"));
        Assert.That(() => grouped.Build([10, 3]), Throws.ArgumentException.With.Message.Contains("\"grouped\"").And.Message.Contains("3 channels"));
        var flat = new SequentialModel(new Conv1D(4, 3, name: "c"));
        Assert.That(() => flat.Build([10]), Throws.ArgumentException.With.Message.Contains("(steps, channels)").And.Message.Contains("Reshape([10, 1])"));
    }

    [Test]
    public void WeightsAndConfigRoundTripThroughSaveAndLoad()
    {
        var model = new SequentialModel(new Conv1D(4, 3, strides: 1, padding: "causal", dilationRate: 2, groups: 2, activation: "tanh",
            inputShape: [9, 6]));
        var loaded = SavedModels.AssertRoundTrips(model, randn(2, 9, 6));
        var config = loaded.Layers[0].GetConfig();
        Assert.That((config["padding"], config["dilation_rate"], config["groups"], config["kernel_size"], config["data_format"]),
            Is.EqualTo(("causal", 2, 2, 3, "channels_last")));
    }
}
