using static TorchSharp.torch;

namespace Sequential.Layers.Tests.Models;

/// <summary>Keras's functional API: Input, Layer.Apply on symbolic tensors, new Model(inputs, outputs), merge layers.</summary>
public class FunctionalModelTests
{
    private static float[] Values(Tensor t) => t.detach().cpu().contiguous().data<float>().ToArray();

    private static (Tensor x, Tensor y) Blobs(int n)
    {
        var generator = new Generator(5);
        var y = randint(0, 10, [n], generator: generator);
        var x = randn(new long[] { n, 4 }, generator: generator) * 0.1 + y.unsqueeze(1).to_type(ScalarType.Float32);
        return (x, y);
    }

    [Test]
    public void FunctionalMlp_WithTheSameWeights_EqualsTheSequentialModel_AndTrainsTheSame()
    {
        var inputs = new Input(shape: [4]);
        var x = new Dense(16, activation: "relu").Apply(inputs);
        var outputs = new Dense(10).Apply(x);
        var functional = new Model(inputs, outputs, name: "mlp");
        var stack = new SequentialModel(new Dense(16, activation: "relu", inputShape: [4]), new Dense(10));
        stack.SetWeights(functional.GetWeights());

        var (xs, ys) = Blobs(48);
        Assert.That(Values(functional.Predict(xs, verbose: 0)), Is.EqualTo(Values(stack.Predict(xs, verbose: 0))));
        foreach (var model in new Model[] { functional, stack })
            model.Compile(optimizer: "adam", loss: new Losses.SparseCategoricalCrossentropy(fromLogits: true), device: "cpu");
        RandomSeed.Set(9);
        var a = functional.Fit(xs, ys, batchSize: 16, epochs: 3, verbose: 0);
        RandomSeed.Set(9);
        var b = stack.Fit(xs, ys, batchSize: 16, epochs: 3, verbose: 0);
        Assert.That(a["loss"], Is.EqualTo(b["loss"]));
        Assert.That(a["loss"][2], Is.LessThan(a["loss"][0]));
    }

    /// <summary>DESIGN.md's small Xception block: a residual connection merged by Add.</summary>
    private static Model SmallXception()
    {
        var inputs = new Input(shape: [32, 32, 3], name: "image");
        SymbolicTensor x = new Rescaling(1.0 / 255).Apply(inputs);
        x = new Conv2D(32, 3, strides: 2, padding: "same", activation: "relu").Apply(x);
        var previous = x;
        x = new SeparableConv2D(64, 3, padding: "same", activation: "relu").Apply(x);
        x = new MaxPooling2D((3, 3), strides: (2, 2), padding: "same").Apply(x);
        var residual = new Conv2D(64, 1, strides: 2, padding: "same").Apply(previous);
        x = new Add().Apply(x, residual);
        x = new GlobalAveragePooling2D().Apply(x);
        var outputs = new Dense(1, activation: "sigmoid", name: "cat").Apply(x);
        return new Model(inputs, outputs, name: "small_xception");
    }

    [Test]
    public void ResidualGraph_HasKerasShapesAndParameterCounts()
    {
        var model = SmallXception();
        Assert.That(model.Layers.Select(l => l.Name), Is.EqualTo(new[]
            { "rescaling", "conv2d", "separable_conv2d", "max_pooling2d", "conv2d_1", "add", "global_average_pooling2d", "cat" }));
        // conv 3*3*3*32+32 = 896; separable 3*3*32 + 32*64 + 64 = 2,400; 1x1 residual 32*64+64 = 2,112; dense 64+1 = 65.
        Assert.That(model.Layers.Select(l => l.CountParams()), Is.EqualTo(new long[] { 0, 896, 2400, 0, 2112, 0, 0, 65 }));
        Assert.That(model.GetLayer("add").OutputShape, Is.EqualTo(new long[] { 8, 8, 64 }));
        Assert.That(model.OutputShape, Is.EqualTo(new long[] { 1 }));
        string summary = model.Summary();
        Assert.That(summary, Does.Contain("Connected to").And.Contain("image (InputLayer)")
            .And.Contain("max_pooling2d[0][0],").And.Contain("conv2d_1[0][0]").And.Contain("image[0][0]").And.Contain("Total params: 5,473"));
        using var y = model.Predict(rand(2, 32, 32, 3) * 255, verbose: 0);
        Assert.That(y.shape, Is.EqualTo(new long[] { 2, 1 }));
    }

    [Test]
    public void FeatureExtractor_FromALayersOutput()
    {
        var model = SmallXception();
        var features = new Model(model.Inputs, model.GetLayer("add").Output);
        using var y = features.Predict(rand(3, 32, 32, 3), verbose: 0);
        Assert.That(y.shape, Is.EqualTo(new long[] { 3, 8, 8, 64 }));
        Assert.That(features.Layers, Has.Count.EqualTo(6), "only the layers up to add");
        Assert.That(features.GetLayer("conv2d"), Is.SameAs(model.GetLayer("conv2d")), "the layers and weights are shared");
    }

    [Test]
    public void SharedLayer_AppliedTwice_SharesItsWeights()
    {
        var inputs = new Input(shape: [3]);
        var shared = new Dense(3, useBias: false, kernelInitializer: "ones");
        var outputs = shared.Apply(shared.Apply(inputs));
        var model = new Model(inputs, outputs);
        Assert.That(model.Layers, Has.Count.EqualTo(1));
        Assert.That(model.TrainableWeights, Has.Count.EqualTo(1));
        using var x = tensor(new float[] { 1, 2, 3 }).reshape(1, 3);
        Assert.That(Values(model.Predict(x, verbose: 0)), Is.EqualTo(new[] { 18f, 18f, 18f }), "ones kernel twice: 6 per unit, then 18");
        var e = Assert.Throws<InvalidOperationException>(() => _ = shared.Output)!;
        Assert.That(e.Message, Does.Contain("has been applied 2 times"));
    }

    [Test]
    public void MergeLayers_ComputeKerasValues()
    {
        var a = tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2);
        var b = tensor(new float[] { 10, 20, 30, 40 }).reshape(2, 2);
        Assert.That(Values(new Add().Apply([a, b])), Is.EqualTo(new[] { 11f, 22f, 33f, 44f }));
        Assert.That(Values(new Subtract().Apply([b, a])), Is.EqualTo(new[] { 9f, 18f, 27f, 36f }));
        Assert.That(Values(new Multiply().Apply([a, b])), Is.EqualTo(new[] { 10f, 40f, 90f, 160f }));
        Assert.That(Values(new Average().Apply([a, b])), Is.EqualTo(new[] { 5.5f, 11f, 16.5f, 22f }));
        Assert.That(Values(new Maximum().Apply([a, b, full(2, 2, 25f)])), Is.EqualTo(new[] { 25f, 25f, 30f, 40f }));
        Assert.That(Values(new Minimum().Apply([a, b])), Is.EqualTo(new[] { 1f, 2f, 3f, 4f }));
        using var joined = new Concatenate().Apply([a, b]);
        Assert.That(joined.shape, Is.EqualTo(new long[] { 2, 4 }));
        Assert.That(Values(joined), Is.EqualTo(new[] { 1f, 2f, 10f, 20f, 3f, 4f, 30f, 40f }));
        Assert.That(new Concatenate(axis: 1).Apply([a, b]).shape, Is.EqualTo(new long[] { 2, 4 }));
    }

    [Test]
    public void ShapesThatDoNotFit_FailAtApply_NamingTheLayerAndShapes()
    {
        var inputs = new Input(shape: [8, 8, 3]);
        var big = new Conv2D(4, 3, padding: "same").Apply(inputs);
        var small = new MaxPooling2D((2, 2)).Apply(big);
        var add = Assert.Throws<ArgumentException>(() => new Add(name: "merge").Apply(big, small))!;
        Assert.That(add.Message, Does.Contain("layer \"merge\" (Add) received shapes (None, 8, 8, 4) and (None, 4, 4, 4)"));
        var concat = Assert.Throws<ArgumentException>(() => new Concatenate().Apply(big, small))!;
        Assert.That(concat.Message, Does.Contain("matching shapes except for the concatenation axis")
            .And.Contain("(None, 8, 8, 4), (None, 4, 4, 4)"));
        var subtract = Assert.Throws<ArgumentException>(() => new Subtract().Apply(big, big, big))!;
        Assert.That(subtract.Message, Does.Contain("exactly 2 inputs"));
        var dense = Assert.Throws<ArgumentException>(() => new Dense(2, inputShape: [5]).Apply(new Input(shape: [3])))!;
        Assert.That(dense.Message, Does.Contain("expected shape (None, 5)").And.Contain("(None, 3)"));
    }

    [Test]
    public void AnOutputNotReachableFromTheInputs_NamesTheMissingInput()
    {
        var a = new Input(shape: [2], name: "a");
        var b = new Input(shape: [2], name: "b");
        var merged = new Add().Apply(new Dense(2).Apply(a), b);
        var e = Assert.Throws<ArgumentException>(() => new Model(a, merged))!;
        Assert.That(e.Message, Does.Contain("depends on Input \"b\"").And.Contain("not among the model's inputs (\"a\")"));
        var notInput = Assert.Throws<ArgumentException>(() => new Model(new Dense(2).Apply(a), merged))!;
        Assert.That(notInput.Message, Does.Contain("must be Input objects"));
    }

    [Test]
    public void SaveWeights_RoundTrips()
    {
        // Whole-model Save/Load of graphs: ModelPersistenceTests.
        var model = SmallXception();
        string folder = Path.Combine(Path.GetTempPath(), "seq-functional-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string weights = Path.Combine(folder, "w.safetensors");
            model.SaveWeights(weights);
            var again = SmallXception();
            again.LoadWeights(weights);
            using var x = rand(2, 32, 32, 3);
            Assert.That(Values(again.Predict(x, verbose: 0)), Is.EqualTo(Values(model.Predict(x, verbose: 0))));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
