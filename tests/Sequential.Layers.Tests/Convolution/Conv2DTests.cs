using Sequential.Losses;
using static TorchSharp.torch;
using static Sequential.Layers.Tests.LayerRun;

namespace Sequential.Layers.Tests;

public class Conv2DTests
{
    [Test]
    public void CatsVsDogsConvnet_ShapesAndParameterCounts_MatchKeras()
    {
        var model = new SequentialModel(
            new Conv2D(32, (3, 3), activation: "relu", inputShape: [150, 150, 3]),
            new MaxPooling2D((2, 2)),
            new Conv2D(64, (3, 3), activation: "relu"),
            new MaxPooling2D((2, 2)),
            new Conv2D(128, (3, 3), activation: "relu"),
            new MaxPooling2D((2, 2)),
            new Conv2D(128, (3, 3), activation: "relu"),
            new MaxPooling2D((2, 2)),
            new Flatten(),
            new Dense(512, activation: "relu"),
            new Dense(1, activation: "sigmoid"));
        long[][] shapes = [[148, 148, 32], [74, 74, 32], [72, 72, 64], [36, 36, 64], [34, 34, 128], [17, 17, 128],
            [15, 15, 128], [7, 7, 128], [6272], [512], [1]];
        long[] parameters = [896, 0, 18_496, 0, 73_856, 0, 147_584, 0, 0, 3_211_776, 513];
        Assert.That(model.Layers.Select(l => l.OutputShape), Is.EqualTo(shapes));
        Assert.That(model.Layers.Select(l => l.CountParams()), Is.EqualTo(parameters));
        var summary = model.Summary();
        Assert.That(summary, Does.Contain("conv2d_3 (Conv2D)").And.Contain("(None, 148, 148, 32)").And.Contain("max_pooling2d (MaxPooling2D)"));
        Assert.That(summary, Does.Contain("Total params: 3,453,121").And.Contain("Non-trainable params: 0"));
    }

    [Test]
    public void KerasIoMnistConvnet_ShapesAndParameterCounts_MatchKeras_AndItTrains()
    {
        RandomSeed.Set(1);
        var model = new SequentialModel(
            new Conv2D(32, 3, activation: "relu", inputShape: [28, 28, 1]),
            new MaxPooling2D(2),
            new Conv2D(64, kernelSize: (3, 3), activation: "relu"),
            new MaxPooling2D(poolSize: (2, 2)),
            new Flatten(),
            new Dropout(0.5),
            new Dense(10, activation: "softmax"));
        Assert.That(model.Layers.Select(l => l.OutputShape), Is.EqualTo(new long[][]
            { [26, 26, 32], [13, 13, 32], [11, 11, 64], [5, 5, 64], [1600], [1600], [10] }));
        Assert.That(model.Layers.Select(l => l.CountParams()), Is.EqualTo(new long[] { 320, 0, 18_496, 0, 0, 0, 16_010 }));
        Assert.That(model.Summary(), Does.Contain("Total params: 34,826"));

        // Two epochs on 64 random images of two classes that differ in brightness: the loss must fall.
        var x = rand(64, 28, 28, 1);
        var y = arange(64, dtype: ScalarType.Int64) % 2;
        x = x + y.view(-1, 1, 1, 1).to(ScalarType.Float32);
        model.Compile(optimizer: new Sequential.Optimizers.Adam(), loss: new SparseCategoricalCrossentropy(), metrics: ["accuracy"], device: "cpu");
        var history = model.Fit(x, y, epochs: 3, batchSize: 16, verbose: 0);
        Assert.That(history["loss"][^1], Is.LessThan(history["loss"][0]));
    }

    [Test]
    public void Values_OnATinyChannelsLastInput_EqualAHandComputation()
    {
        // x[h, w, c] = 6h + 2w + c on a 3x3x2 image; channel 0 summed over the 2x2 window, channel 1 read at its bottom-right.
        var x = arange(18, dtype: ScalarType.Float32).view(1, 3, 3, 2);
        var conv = new Conv2D(1, (2, 2), biasInitializer: "ones");
        conv.EnsureBuilt([3, 3, 2]);
        using (no_grad())
        {
            conv.Kernel!.zero_();
            conv.Kernel[0, 0].fill_(1);
            conv.Kernel[0, 1, 1, 1].fill_(1);
            conv.Bias!.fill_(0.5);
        }
        var y = Run(conv, x);
        Assert.That(y.shape, Is.EqualTo(new long[] { 1, 2, 2, 1 }));
        Assert.That(Values(y), Is.EqualTo(new[] { 25.5f, 35.5f, 55.5f, 65.5f }));
    }

    [Test]
    public void SamePadding_WithStride2_PadsBottomRightAsTensorFlow()
    {
        // 4x4 image x[h, w] = 4h + w, 3x3 kernel of ones, stride 2: TF pads one row at the bottom and one column at the right.
        var x = arange(16, dtype: ScalarType.Float32).view(1, 4, 4, 1);
        var conv = new Conv2D(1, 3, strides: 2, padding: "SAME", useBias: false, kernelInitializer: "ones");
        Assert.That(conv.ComputeOutputShape([4, 4, 1]), Is.EqualTo(new long[] { 2, 2, 1 }));
        Assert.That(conv.ComputeOutputShape([5, 7, 1]), Is.EqualTo(new long[] { 3, 4, 1 }));
        Assert.That(Values(Run(conv, x)), Is.EqualTo(new[] { 45f, 39f, 66f, 50f }));
    }

    [Test]
    public void SamePadding_WithStride1_KeepsTheSize_AndDilationWidensTheWindow()
    {
        Assert.That(new Conv2D(8, 3, padding: "same").ComputeOutputShape([10, 12, 3]), Is.EqualTo(new long[] { 10, 12, 8 }));
        Assert.That(new Conv2D(8, 3, dilationRate: 2).ComputeOutputShape([10, 12, 3]), Is.EqualTo(new long[] { 6, 8, 8 }));
        var same = new Conv2D(2, (4, 4), padding: "same");
        Assert.That(Run(same, rand(2, 5, 6, 3)).shape, Is.EqualTo(new long[] { 2, 5, 6, 2 }));
    }

    [Test]
    public void ChannelsFirst_GivesTheSameValuesAsChannelsLast()
    {
        RandomSeed.Set(3);
        var last = new Conv2D(4, 3, strides: 2, padding: "same");
        var first = new Conv2D(4, 3, strides: 2, padding: "same", dataFormat: "channels_first");
        var x = rand(2, 7, 7, 3);
        last.EnsureBuilt([7, 7, 3]);
        first.EnsureBuilt([3, 7, 7]);
        using (no_grad()) first.Kernel!.copy_(last.Kernel!);
        var a = Run(last, x);
        var b = Run(first, x.permute(0, 3, 1, 2).contiguous()).permute(0, 2, 3, 1);
        Assert.That(first.OutputShape, Is.EqualTo(new long[] { 4, 4, 4 }));
        Assert.That(allclose(a, b, atol: 1e-5), Is.True);
    }

    [Test]
    public void Properties_HoldTheConstructorArguments()
    {
        var conv = new Conv2D(16, (3, 5), strides: (2, 1), padding: "Same", activation: "relu", useBias: false, kernelInitializer: "he_normal");
        Assert.That((conv.Filters, conv.KernelSize, conv.Strides, conv.Padding, conv.DataFormat, conv.DilationRate),
            Is.EqualTo((16, (3, 5), (2, 1), "same", "channels_last", (1, 1))));
        Assert.That((conv.Activation.Name, conv.UseBias, conv.KernelInitializer.Name, conv.BiasInitializer.Name),
            Is.EqualTo(("relu", false, "he_normal", "zeros")));
        foreach (var parameter in typeof(Conv2D).GetConstructors().SelectMany(c => c.GetParameters()).Where(p => p.Name != "inputShape"))
            Assert.That(typeof(Conv2D).GetProperty(char.ToUpperInvariant(parameter.Name![0]) + parameter.Name[1..]), Is.Not.Null, parameter.Name);
    }

    [Test]
    public void BadArguments_Throw_WithTheValueInTheMessage()
    {
        Assert.That(() => new Conv2D(0, 3), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("filters"));
        Assert.That(() => new Conv2D(8, (0, 3)), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("kernelSize"));
        Assert.That(() => new Conv2D(8, 3, strides: 0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("strides"));
        Assert.That(() => new Conv2D(8, 3, padding: "full"),
            Throws.ArgumentException.With.Message.Contains("\"valid\", \"same\"").And.Message.Contains("\"full\""));
        Assert.That(() => new Conv2D(8, 3, dataFormat: "nhwc"), Throws.ArgumentException.With.Message.Contains("channels_first"));
        Assert.That(() => new Conv2D(8, 3, activation: "relux"), Throws.ArgumentException.With.Message.Contains("relux"));
        Assert.That(() => new Conv2D(8, 3, strides: 2, dilationRate: 2), Throws.ArgumentException.With.Message.Contains("dilationRate"));
    }

    [Test]
    public void InputWithoutChannelAxis_SaysTheLayerTheShapeAndTheFix()
    {
        var model = new SequentialModel(new Conv2D(32, 3, name: "first_conv"));
        var error = Assert.Throws<ArgumentException>(() => model.Build([28, 28]))!;
        Assert.That(error.Message, Does.Contain("\"first_conv\"").And.Contain("(None, 28, 28)").And.Contain("(H, W, C)")
            .And.Contain("Reshape([28, 28, 1])"));
        Assert.That(() => new Conv2D(8, 5).ComputeOutputShape([3, 3, 1]),
            Throws.ArgumentException.With.Message.Contains("smaller than the window"));
    }
}
