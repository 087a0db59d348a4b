using System.Text.Json;
using Sequential.Layers;

namespace Sequential.Core.Tests.Persistence;

public class LayerConfigTests
{
    private static IEnumerable<Layer> AllLayers()
    {
        yield return new Dense(7, activation: "tanh", useBias: false, kernelInitializer: "he_normal", biasInitializer: "ones", inputShape: [3, 4], name: "d");
        yield return new Dense(5);
        yield return new Flatten(inputShape: [28, 28]);
        yield return new Dropout(0.3, name: "drop");
        yield return new Activation("softmax", inputShape: [10]);
        yield return new Reshape([2, -1], inputShape: [8]);
        yield return new InputLayer([5, 6], name: "in");
        // The convolution, pooling, normalization, preprocessing and augmentation layers follow the same rule.
        yield return new Conv2D(8, (3, 3), strides: (2, 2), padding: "same", activation: "relu", inputShape: [16, 16, 3]);
        yield return new Conv2D(4, 5, dataFormat: "channels_first");
        yield return new SeparableConv2D(6, (3, 3), padding: "same");
        yield return new MaxPooling2D((2, 2));
        yield return new AveragePooling2D(3, strides: 1, padding: "same");
        yield return new GlobalAveragePooling2D(keepdims: true);
        yield return new GlobalMaxPooling2D();
        yield return new BatchNormalization(momentum: 0.9, epsilon: 1e-5);
        yield return new ZeroPadding2D(((1, 2), (3, 4)));
        yield return new Rescaling(1.0 / 255, offset: -0.5);
        yield return new Normalization(mean: [1.0, 2.0], variance: [4.0, 9.0]);
        yield return new CategoryEncoding(5, outputMode: "one_hot");
        yield return new Discretization([0.0, 1.5, 3.0]);
        yield return new RandomFlip("horizontal", seed: 3);
        yield return new RandomRotation(0.1, fillMode: "nearest");
        yield return new RandomZoom(0.2);
        yield return new RandomTranslation(0.1, 0.2);
        yield return new RandomContrast(0.3);
    }

    [TestCaseSource(nameof(AllLayers))]
    public void EveryLayerRoundTripsThroughItsConfig(Layer layer)
    {
        var config = layer.GetConfig();
        string json = JsonSerializer.Serialize(config.ToDictionary(kv => kv.Key, kv => Sequential.Persistence.ConfigReflection.ToElement(kv.Value)));
        var parsed = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!
            .ToDictionary(kv => kv.Key, kv => (object?)kv.Value);

        var again = Sequential.Layers.LayerRegistry.FromConfig(layer.GetType().Name, parsed);

        Assert.That(again.GetType(), Is.EqualTo(layer.GetType()));
        string againJson = JsonSerializer.Serialize(again.GetConfig().ToDictionary(kv => kv.Key, kv => Sequential.Persistence.ConfigReflection.ToElement(kv.Value)));
        Assert.That(againJson, Is.EqualTo(json));
    }

    [Test]
    public void DenseConfigUsesKerasFriendlyValues_UnderKerasSnakeCaseKeys()
    {
        var config = new Dense(7, activation: "relu", inputShape: [3], name: "d").GetConfig();
        Assert.That(config.Keys, Is.EqualTo(new[] { "units", "activation", "use_bias", "kernel_initializer", "bias_initializer", "input_shape", "name" }));
        Assert.That(config["units"], Is.EqualTo(7));
        Assert.That(config["activation"], Is.EqualTo("relu"));
        Assert.That(config["kernel_initializer"], Is.EqualTo("glorot_uniform"));
        Assert.That(config["input_shape"], Is.EqualTo(new object[] { 3L }));
        Assert.That(config["name"], Is.EqualTo("d"));
    }

    [Test]
    public void FromConfig_ReadsTheCamelCaseKeysOfVersion1Files()
    {
        var config = new Dictionary<string, object?> { ["units"] = 4, ["useBias"] = false, ["kernelInitializer"] = "ones", ["inputShape"] = new long[] { 2 } };

        var dense = (Dense)Sequential.Layers.LayerRegistry.FromConfig("Dense", config);

        Assert.That(dense.UseBias, Is.False);
        Assert.That(dense.KernelInitializer.Name, Is.EqualTo("ones"));
        Assert.That(dense.InputShape, Is.EqualTo(new long[] { 2 }));
    }

    [Test]
    public void FromConfig_OfAKeyGivenTwice_NamesBothSpellings()
    {
        var config = new Dictionary<string, object?> { ["units"] = 4, ["use_bias"] = false, ["useBias"] = true };

        var e = Assert.Throws<InvalidDataException>(() => Sequential.Layers.LayerRegistry.FromConfig("Dense", config));

        Assert.That(e!.Message, Is.EqualTo("The configuration of layer type Dense gives 'use_bias' 2 times (use_bias, useBias); give it once."));
    }

    [Test]
    public void FromConfig_OfAnUnknownKey_ListsTheSnakeCaseKeysTheTypeTakes()
    {
        var e = Assert.Throws<InvalidDataException>(() =>
            Sequential.Layers.LayerRegistry.FromConfig("Dense", new Dictionary<string, object?> { ["units"] = 4, ["bias"] = true }));

        Assert.That(e!.Message, Does.Contain("unknown keys bias; Dense takes units, activation, use_bias, kernel_initializer, bias_initializer, input_shape, name"));
    }

    /// <summary>A user layer whose parameter was renamed from <c>useBias</c> to <c>withBias</c>, keeping its saved key.</summary>
    public sealed class Renamed([ConfigKey("use_bias")] bool withBias = true, string? name = null) : Layer(name)
    {
        /// <summary>Whether it adds a bias.</summary>
        public bool WithBias { get; } = withBias;

        /// <inheritdoc/>
        public override long[] ComputeOutputShape(long[] inputShape) => inputShape;

        /// <inheritdoc/>
        public override TorchSharp.torch.Tensor Call(TorchSharp.torch.Tensor x, bool training) => x;
    }

    [Test]
    public void ConfigKey_KeepsTheKeyOfARenamedParameter_AndReadsFilesWrittenBeforeTheRename()
    {
        Sequential.Layers.LayerRegistry.Register<Renamed>();

        Assert.That(new Renamed(withBias: false, name: "r").GetConfig(), Is.EqualTo(new Dictionary<string, object?> { ["use_bias"] = false, ["name"] = "r" }));
        foreach (var key in new[] { "use_bias", "useBias", "withBias", "with_bias" })
        {
            var layer = (Renamed)Sequential.Layers.LayerRegistry.FromConfig(nameof(Renamed), new Dictionary<string, object?> { [key] = false });
            Assert.That(layer.WithBias, Is.False, key);
        }
    }

    [TestCase("useBias", "use_bias")]
    [TestCase("inputShape", "input_shape")]
    [TestCase("kernelSize", "kernel_size")]
    [TestCase("globalClipnorm", "global_clipnorm")]
    [TestCase("units", "units")]
    [TestCase("beta1", "beta1")]
    [TestCase("use_bias", "use_bias")]
    public void SnakeCase_IsKerasToSnakeCase(string name, string key) =>
        Assert.That(Sequential.Persistence.ConfigReflection.SnakeCase(name), Is.EqualTo(key));

    [Test]
    public void UnknownLayerTypeSaysHowToRegisterIt()
    {
        var e = Assert.Throws<InvalidDataException>(() => Sequential.Layers.LayerRegistry.FromConfig("NoSuchLayer", new Dictionary<string, object?>()));
        Assert.That(e!.Message, Does.Contain("NoSuchLayer").And.Contain("Register<NoSuchLayer>"));
    }

    [Test]
    public void RegisteredUserLayerIsCreatedFromConfig()
    {
        Sequential.Layers.LayerRegistry.Register<ScaleBy>();
        var layer = (ScaleBy)Sequential.Layers.LayerRegistry.FromConfig(nameof(ScaleBy), new ScaleBy(2.5).GetConfig());
        Assert.That(layer.Factor, Is.EqualTo(2.5));
    }

    [Test]
    public void LayerWithoutMatchingPropertyExplainsTheRule()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new NoProperty(3).GetConfig());
        Assert.That(e!.Message, Does.Contain("'size'").And.Contain("'Size'").And.Contain("GetConfig"));
    }

    [Test]
    public void ConfigConstructor_PassesOverAConstructorTakingAnObject()
    {
        // The constructor with the most parameters takes a function, which no configuration can hold: the one taking
        // its name is the configuration.
        Sequential.Layers.LayerRegistry.Register<Named>();
        var layer = new Named(x => x * 2, "double", name: "n");

        var again = (Named)Sequential.Layers.LayerRegistry.FromConfig(nameof(Named), layer.GetConfig());

        Assert.That(layer.GetConfig().Keys, Is.EqualTo(new[] { "function", "name" }));
        Assert.That(again.Function, Is.EqualTo("double"));
        Assert.That(again.Name, Is.EqualTo("n"));
    }

    /// <summary>A user layer created from an object or from the name of one.</summary>
    public sealed class Named : Layer
    {
        /// <summary>From the object.</summary>
        public Named(Func<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> apply, string function, double unused = 0, string? name = null)
            : base(name) => Function = function;

        /// <summary>From its name.</summary>
        public Named(string function, string? name = null) : this(x => x, function, 0, name) { }

        /// <summary>The function's name.</summary>
        public string Function { get; }

        /// <inheritdoc/>
        public override long[] ComputeOutputShape(long[] inputShape) => inputShape;

        /// <inheritdoc/>
        public override TorchSharp.torch.Tensor Call(TorchSharp.torch.Tensor x, bool training) => x;
    }

    /// <summary>A user layer: multiplies its input.</summary>
    public sealed class ScaleBy(double factor, string? name = null) : Layer(name)
    {
        /// <summary>The factor.</summary>
        public double Factor { get; } = factor;

        /// <inheritdoc/>
        public override long[] ComputeOutputShape(long[] inputShape) => inputShape;

        /// <inheritdoc/>
        public override TorchSharp.torch.Tensor Call(TorchSharp.torch.Tensor x, bool training) => x * Factor;
    }

    /// <summary>Breaks the config rule on purpose.</summary>
    public sealed class NoProperty(int size) : Layer(null)
    {
        private readonly int _size = size;

        /// <inheritdoc/>
        public override long[] ComputeOutputShape(long[] inputShape) => [_size];

        /// <inheritdoc/>
        public override TorchSharp.torch.Tensor Call(TorchSharp.torch.Tensor x, bool training) => x;
    }
}
