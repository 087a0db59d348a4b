using System.Text.Json;
using static TorchSharp.torch;

namespace Sequential.Layers.Tests.Wrappers;

/// <summary>Keras's <c>TimeDistributed</c>: time_distributed_test.py's shapes and values, saving with the wrapped layer.</summary>
public class TimeDistributedTests
{
    private static float[] Values(Tensor t) => t.detach().cpu().contiguous().to_type(ScalarType.Float32).data<float>().ToArray();

    private static Tensor Sequence() => arange(24, dtype: ScalarType.Float32).reshape(3, 2, 4);

    [Test]
    public void Basics_ShapeAndWeights_AsKeras()
    {
        // Keras test_basics: Dense(1, use_bias=False) on (3, 2, 4) -> (3, 2, 1), one weight.
        var layer = new TimeDistributed(new Dense(1, useBias: false));
        Assert.That(layer.Apply(Sequence()).shape, Is.EqualTo(new long[] { 3, 2, 1 }));
        Assert.That(layer.Weights, Has.Count.EqualTo(1));
        Assert.That(layer.CountParams(), Is.EqualTo(4));
        Assert.That(layer.named_parameters().Single().name, Is.EqualTo("layer.kernel"));
    }

    [Test]
    public void Build_Conv2DOverTime_KerasShape()
    {
        // Keras test_build: (32, 10, 128, 128, 3) through TimeDistributed(Conv2D(64, (3, 3))) -> (32, 10, 126, 126, 64).
        var inputs = new Input(shape: [10, 128, 128, 3]);
        var outputs = new TimeDistributed(new Conv2D(64, (3, 3))).Apply(inputs);
        Assert.That(outputs.Shape, Is.EqualTo(new long[] { 10, 126, 126, 64 }));
    }

    [Test]
    public void Correctness_KerasValues()
    {
        // Keras test_correctness: a Dense(1) kernel of 0.01 without bias, over arange(24).reshape(3, 2, 4).
        var dense = new Dense(1, useBias: false);
        var layer = new TimeDistributed(dense);
        layer.Apply(Sequence());
        using (no_grad()) dense.Kernel!.fill_(0.01);
        var output = layer.Apply(Sequence());
        Assert.That(Values(output), Is.EqualTo(new[] { 0.06f, 0.22f, 0.38f, 0.54f, 0.7f, 0.86f }).Within(1e-6));
        // The same weights for every step: each step equals the wrapped layer on that step alone.
        var x = randn(new long[] { 2, 3, 5 }, generator: new Generator(1));
        var wide = new TimeDistributed(new Dense(4, activation: "relu"));
        var y = wide.Apply(x);
        for (int t = 0; t < 3; t++)
            Assert.That(Values(y[TensorIndex.Colon, t]), Is.EqualTo(Values(wide.Layer.Apply(x[TensorIndex.Colon, t]))).Within(1e-6));
    }

    /// Keras's test_masking MaskedDense: a Dense(1) of 0.01 whose rows the step's mask zeroes.
    private sealed class MaskedDense() : Layer("masked_dense")
    {
        private readonly Dense _dense = new(1, useBias: false);

        public override long[] ComputeOutputShape(long[] inputShape) => _dense.ComputeOutputShape(inputShape);

        public override void Build(long[] inputShape)
        {
            _dense.EnsureBuilt(inputShape);
            using (no_grad()) _dense.Kernel!.fill_(0.01);
        }

        public override Tensor Call(Tensor x, bool training) => _dense.Call(x, training);

        public override Tensor Call(Tensor x, Tensor? mask, bool training) =>
            mask is null ? Call(x, training) : Call(x, training) * mask.to_type(x.dtype).unsqueeze(-1);
    }

    [Test]
    public void Mask_ReachesTheWrappedLayerStepByStep_AndPassesThrough()
    {
        // Keras test_masking.
        var layer = new TimeDistributed(new MaskedDense());
        var mask = tensor(new[,] { { false, true }, { true, false }, { true, true } });
        var output = layer.Apply(Sequence(), mask: mask);
        Assert.That(Values(output), Is.EqualTo(new[] { 0f, 0.22f, 0.38f, 0f, 0.7f, 0.86f }).Within(1e-6));
        Assert.That(Values(Masks.Get(output)!), Is.EqualTo(Values(mask)));

        // Keras test_with_mask_zero: Embedding(mask_zero) then TimeDistributed(Dense(softmax)) trains.
        var model = new SequentialModel(new Embedding(10, 5, maskZero: true, inputShape: [20]),
            new TimeDistributed(new Dense(5, activation: "softmax")));
        model.Compile(optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"], device: "cpu");
        var x = randint(1, 10, new long[] { 22, 20 }, generator: new Generator(3));
        var history = model.Fit(x, ones(new long[] { 22, 20 }, ScalarType.Int64), epochs: 1, batchSize: 16, verbose: 0);
        Assert.That(double.IsFinite(history["loss"][0]));
    }

    [TestCase(4, 6)]
    [TestCase(5, 5)]
    [TestCase(5, 6)]
    public void MaskThatDoesNotFit_Throws_AsKeras(long maskBatch, long maskSteps)
    {
        // Keras test_mask_validation_*: inputs (4, 5, 3).
        var td = new TimeDistributed(new Dense(5, activation: "softmax"));
        var inputs = zeros(4, 5, 3);
        Assert.That(td.Apply(inputs, mask: ones(new long[] { 4, 5 }, ScalarType.Bool)).shape, Is.EqualTo(new long[] { 4, 5, 5 }));
        Assert.That(td.Apply(inputs, mask: ones(new long[] { 4, 5, 2 }, ScalarType.Bool)).shape, Is.EqualTo(new long[] { 4, 5, 5 }));
        var e = Assert.Throws<ArgumentException>(() => td.Apply(inputs, mask: ones(new long[] { maskBatch, maskSteps }, ScalarType.Bool)));
        Assert.That(e!.Message, Does.StartWith("The `mask` passed to the `TimeDistributed` layer \"time_distributed\" has a shape " +
                                               $"({maskBatch}, {maskSteps}) that is incompatible with the input shape (4, 5, 3)."));
    }

    [Test, NonParallelizable] // sets the global policy
    public void MixedPrecision_TheWrappedLayerComputesInItsPolicy()
    {
        MixedPrecision.SetGlobalPolicy("mixed_bfloat16");
        try
        {
            var layer = new TimeDistributed(new Dense(3));
            var y = layer.Apply(randn(2, 4, 5));
            Assert.That((y.dtype, layer.Weights[0].dtype), Is.EqualTo((ScalarType.BFloat16, ScalarType.Float32)));
        }
        finally
        {
            MixedPrecision.SetGlobalPolicy("float32");
        }
        // The wrapped layer's policy is saved with it and restored whatever the global policy is at load.
        MixedPrecision.SetGlobalPolicy("mixed_bfloat16");
        SequentialModel model;
        try
        {
            model = new SequentialModel(new TimeDistributed(new Dense(3), inputShape: [4, 5]));
            model.Compile(optimizer: "sgd", loss: "mse", device: "cpu");
        }
        finally
        {
            MixedPrecision.SetGlobalPolicy("float32");
        }
        var loaded = SavedModels.AssertRoundTrips(model, randn(new long[] { 2, 4, 5 }, generator: new Generator(4)));
        Assert.That(((TimeDistributed)loaded.Layers[0]).Layer.DtypePolicy.Name, Is.EqualTo("mixed_bfloat16"));

        // A float32 layer wrapped by a bfloat16 one computes in float32 (Keras: each layer autocasts to its own policy).
        var inner = new Dense(3);
        var wrapper = new TimeDistributed(inner) { DtypePolicy = "mixed_bfloat16" };
        Assert.That(wrapper.Apply(randn(2, 4, 5)).dtype, Is.EqualTo(ScalarType.Float32));
    }

    [Test]
    public void FewerThanThreeDimensions_Throws_NamingTheLayerAndShape()
    {
        var e = Assert.Throws<ArgumentException>(() => new TimeDistributed(new Dense(2), name: "td").Apply(ones(4, 3)));
        Assert.That(e!.Message, Is.EqualTo(
            "`TimeDistributed` Layer should be passed an `input_shape` with at least 3 dimensions (batch, time, ...); layer \"td\" received (None, 3)."));
        Assert.Throws<ArgumentException>(() => new TimeDistributed(new Dense(2)).Apply(new Input(shape: [3])));
        Assert.Throws<ArgumentNullException>(() => new TimeDistributed(null!));
    }

    [Test]
    public void SavesAndLoads_WithTheWrappedLayer()
    {
        var model = new SequentialModel(
            new TimeDistributed(new Dense(3, activation: "relu", useBias: false), inputShape: [2, 4, 3]),
            new TimeDistributed(new Conv1D(2, 2, padding: "same")),
            new Flatten(),
            new Dense(1));
        model.Compile(optimizer: "sgd", loss: "mse", device: "cpu");
        var config = model.Layers[0].GetConfig();
        var nested = (IReadOnlyDictionary<string, object?>)config["layer"]!;
        Assert.That(nested["class_name"], Is.EqualTo("Dense"));
        var loaded = SavedModels.AssertRoundTrips(model, randn(new long[] { 5, 2, 4, 3 }, generator: new Generator(2)));
        var dense = (Dense)((TimeDistributed)loaded.Layers[0]).Layer;
        Assert.That((dense.Units, dense.UseBias, dense.Activation.Name), Is.EqualTo((3, false, "relu")));
    }

    [Test]
    public void WrappedLayerConfigThatIsNotALayer_IsInvalidData_NamingIt()
    {
        static Dictionary<string, object?> Config(string layerJson) =>
            new() { ["layer"] = JsonDocument.Parse(layerJson).RootElement };
        var unknown = Assert.Throws<InvalidDataException>(() =>
            LayerRegistry.FromConfig("TimeDistributed", Config("""{"class_name": "NoSuchLayer", "config": {}}""")));
        Assert.That(unknown!.Message, Does.Contain("Unknown layer type 'NoSuchLayer'"));
        var notObject = Assert.Throws<InvalidDataException>(() => LayerRegistry.FromConfig("TimeDistributed", Config("3")));
        Assert.That(notObject!.Message, Does.Contain("'layer'").And.Contain("not a Layer"));
        var badInner = Assert.Throws<InvalidDataException>(() =>
            LayerRegistry.FromConfig("TimeDistributed", Config("""{"class_name": "Dense", "config": {"units": -1}}""")));
        Assert.That(badInner!.Message, Does.Contain("Dense"));
        var made = LayerRegistry.FromConfig("TimeDistributed", Config("""{"class_name": "Dense", "config": {"units": 7}}"""));
        Assert.That(((Dense)((TimeDistributed)made).Layer).Units, Is.EqualTo(7));
    }

    [Test]
    public void WrappedModel_CannotBeSaved_AndSaysWhich()
    {
        var inner = new SequentialModel(new Dense(2, inputShape: [3]));
        var model = new SequentialModel(new TimeDistributed(inner, inputShape: [4, 3]), new Flatten(), new Dense(1));
        var folder = Directory.CreateTempSubdirectory("sequential-td-");
        try
        {
            var e = Assert.Throws<InvalidOperationException>(() => model.Save(Path.Combine(folder.FullName, "m.seqmodel")));
            Assert.That(e!.Message, Does.Contain($"Model \"{inner.Name}\" is held by a layer's configuration"));
            Assert.That(Directory.GetFiles(folder.FullName), Is.Empty);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
