using Sequential.Activations;
using TorchSharp;
using static TorchSharp.torch;
using static Sequential.Layers.Tests.TestModels;

namespace Sequential.Layers.Tests.Core;

public class DenseTests
{
    [Test]
    public void ComputeOutputShape_ReplacesLastAxisWithUnits()
    {
        var dense = new Dense(128);
        Assert.That(dense.ComputeOutputShape([784]), Is.EqualTo(new long[] { 128 }));
        Assert.That(dense.ComputeOutputShape([5, 7]), Is.EqualTo(new long[] { 5, 128 }));
    }

    [Test]
    public void ComputeOutputShape_ScalarSample_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Dense(3, name: "head").ComputeOutputShape([]));
        Assert.That(ex!.Message, Does.Contain("\"head\"").And.Contain("Dense"));
    }

    [Test]
    public void ParamCount_OnFlattenedMnist_IsKerasCount()
    {
        var model = new SequentialModel(new Flatten(inputShape: [28, 28]), new Dense(128, activation: "relu"), new Dense(10));
        Assert.That(model.Layers[1].CountParams(), Is.EqualTo(784 * 128 + 128).And.EqualTo(100_480));
        Assert.That(model.Layers[2].CountParams(), Is.EqualTo(128 * 10 + 10));
        Assert.That(model.Summary(), Does.Contain("100,480").And.Contain("Total params: 101,770"));
    }

    [Test]
    public void Rank3Input_AppliesToLastAxis()
    {
        var dense = new Dense(3, inputShape: [5, 7]);
        var model = new SequentialModel(dense);
        Assert.That(dense.OutputShape, Is.EqualTo(new long[] { 5, 3 }));
        Assert.That(dense.CountParams(), Is.EqualTo(7 * 3 + 3));
        Assert.That(model.Summary(), Does.Contain("(None, 5, 3)"));
        Assert.That(PredictShape(model, zeros(2, 5, 7)), Is.EqualTo(new long[] { 2, 5, 3 }));
    }

    [Test]
    public void Rank3Input_EachPositionUsesTheSameWeights()
    {
        var dense = new Dense(2, inputShape: [3, 2]);
        var model = new SequentialModel(dense);
        using (no_grad())
        {
            dense.Kernel!.copy_(tensor(new float[] { 1, 0, 1, -1 }).reshape(2, 2));
            dense.Bias!.copy_(tensor(new float[] { 10, 20 }));
        }
        var x = tensor(new float[] { 1, 2, 3, 4, 5, 7 }).reshape(1, 3, 2);
        // Each of the 3 positions: [a, b] -> [a + 10, a - b + 20].
        Assert.That(Values(model.Predict(x, verbose: 0)),
            Is.EqualTo(new float[] { 11, 19, 13, 19, 15, 18 }).Within(1e-6));
    }

    [Test]
    public void KnownWeights_GiveReluOfXWTransposePlusB()
    {
        var dense = new Dense(2, activation: "relu", inputShape: [3]);
        var model = new SequentialModel(dense);
        using (no_grad())
        {
            // Stored as [units, inputs], TorchSharp's Linear layout.
            dense.Kernel!.copy_(tensor(new float[] { 1, 2, 3, -1, 0, 1 }).reshape(2, 3));
            dense.Bias!.copy_(tensor(new float[] { 0.5f, 1f }));
        }
        var x = tensor(new float[] { 1, 1, 1, 2, -1, 0.5f }).reshape(2, 3);
        var y = model.Predict(x, verbose: 0);
        // Row 1: [1+2+3+0.5, -1+0+1+1] = [6.5, 1]; row 2: [2-2+1.5+0.5, -2+0+0.5+1 = -0.5 -> relu 0].
        Assert.That(y.shape, Is.EqualTo(new long[] { 2, 2 }));
        Assert.That(Values(y), Is.EqualTo(new float[] { 6.5f, 1f, 2f, 0f }).Within(1e-6));
    }

    [Test]
    public void DefaultActivation_IsLinear_NegativeOutputsSurvive()
    {
        var dense = new Dense(1, inputShape: [2]);
        var model = new SequentialModel(dense);
        using (no_grad())
        {
            dense.Kernel!.copy_(tensor(new float[] { 2, -3 }).reshape(1, 2));
            dense.Bias!.copy_(tensor(new float[] { -1 }));
        }
        var y = model.Predict(tensor(new float[] { 1, 1 }).reshape(1, 2), verbose: 0);
        Assert.That(Values(y), Is.EqualTo(new float[] { -2f }).Within(1e-6));   // 2 - 3 - 1
        Assert.That(dense.Activation.IsLinear, Is.True);
    }

    [Test]
    public void GlorotUniform_KernelWithinKerasLimit_StdMatchesUniform()
    {
        RandomSeed.Set(7);
        const int inputs = 784, units = 500;
        var dense = new Dense(units, inputShape: [inputs]);
        _ = new SequentialModel(dense);
        double limit = Math.Sqrt(6.0 / (inputs + units));
        var kernel = dense.Kernel!.detach().to_type(ScalarType.Float64);
        double maxAbs = kernel.abs().max().item<double>();
        double std = kernel.std().item<double>();
        Assert.That(maxAbs, Is.LessThanOrEqualTo(limit));
        Assert.That(maxAbs, Is.GreaterThan(0.99 * limit), "the whole range [-limit, limit] is used");
        Assert.That(std, Is.EqualTo(limit / Math.Sqrt(3)).Within(1).Percent);
        Assert.That(kernel.mean().item<double>(), Is.EqualTo(0).Within(0.01 * limit));
    }

    [Test]
    public void HeNormal_Kernel_IsRandomWithKerasStd()
    {
        // Guards against TorchSharp 0.107.0's nn.init.trunc_normal_, which fills the tensor with the constant std.
        RandomSeed.Set(4);
        var dense = new Dense(300, kernelInitializer: "he_normal", inputShape: [400]);
        _ = new SequentialModel(dense);
        var kernel = dense.Kernel!.detach().to_type(ScalarType.Float64);
        double stddev = Math.Sqrt(2.0 / 400);
        Assert.That(kernel.std().item<double>(), Is.EqualTo(stddev).Within(2).Percent);
        Assert.That(kernel.abs().max().item<double>(), Is.LessThanOrEqualTo(2 * stddev / 0.87962566103423978 + 1e-6));
        Assert.That(kernel.mean().item<double>(), Is.EqualTo(0).Within(0.02 * stddev));
    }

    [Test]
    public void Bias_DefaultsToZeros()
    {
        RandomSeed.Set(3);
        var dense = new Dense(16, inputShape: [8]);
        _ = new SequentialModel(dense);
        Assert.That(Values(dense.Bias!), Is.All.EqualTo(0f));
        Assert.That(dense.Bias!.shape, Is.EqualTo(new long[] { 16 }));
        Assert.That(dense.Kernel!.shape, Is.EqualTo(new long[] { 16, 8 }));
    }

    [Test]
    public void UseBiasFalse_HasNoBias_ParamsAreInputsTimesUnits()
    {
        var dense = new Dense(5, useBias: false, inputShape: [4]);
        var model = new SequentialModel(dense);
        Assert.That(dense.Bias, Is.Null);
        Assert.That(dense.Weights, Has.Count.EqualTo(1));
        Assert.That(dense.CountParams(), Is.EqualTo(4 * 5));
        Assert.That(model.parameters().Count(), Is.EqualTo(1));
        using (no_grad()) dense.Kernel!.fill_(1f);
        var y = model.Predict(ones(1, 4), verbose: 0);
        Assert.That(Values(y), Is.All.EqualTo(4f));
    }

    [Test]
    public void NonPositiveUnits_Throw()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Dense(0));
        Assert.That(ex!.ParamName, Is.EqualTo("units"));
        Assert.That(ex.Message, Does.Contain("positive"));
    }

    [Test]
    public void UnknownActivationOrInitializer_Throws()
    {
        var a = Assert.Throws<ArgumentException>(() => new Dense(3, activation: "relux"));
        Assert.That(a!.Message, Does.Contain("relux").And.Contain("relu"));
        var i = Assert.Throws<ArgumentException>(() => new Dense(3, kernelInitializer: "glorot"));
        Assert.That(i!.Message, Does.Contain("'glorot'").And.Contain("glorot_uniform"));
    }

    [Test]
    public void MovingTheModel_ReplacesWeights_AndTrainingStillUpdatesThem()
    {
        // Module.to(...) swaps the registered tensors (as a move to CUDA does); a layer that cached its
        // Parameter objects would keep computing with the old ones and never learn.
        RandomSeed.Set(5);
        var dense = new Dense(2, inputShape: [3]);
        var model = new Sequential.SequentialModel(dense);
        model.to(ScalarType.Float64);
        model.to(ScalarType.Float32);
        model.Compile(optimizer: new Sequential.Optimizers.SGD(learningRate: 0.1), loss: "mse", device: "cpu");
        var before = dense.Kernel!.clone();
        using var x = ones(4, 3);
        using var y = zeros(4, 2);
        model.Fit(x, y, batchSize: 4, epochs: 1, verbose: 0);
        Assert.That(dense.Kernel!.dtype, Is.EqualTo(ScalarType.Float32));
        Assert.That(dense.Kernel!.allclose(before), Is.False, "the weights the model computes with were not the ones trained");
        Assert.That(dense.CountParams(), Is.EqualTo(3 * 2 + 2));
    }

    [Test]
    public void InitializersAndActivations_AsNamesOrObjects()
    {
        // Keras lines stay portable: kernel_initializer="he_normal" and kernel_initializer=HeNormal(seed=1) both compile
        var byName = new Dense(4, activation: "relu", kernelInitializer: "he_normal", biasInitializer: "zeros");
        var byObject = new Dense(4, activation: ActivationFunction.Relu(maxValue: 6), kernelInitializer: new Sequential.Initializers.HeNormal(seed: 1),
            biasInitializer: new Sequential.Initializers.Constant(0.5));
        Assert.That(byName.KernelInitializer, Is.TypeOf<Sequential.Initializers.HeNormal>());
        byObject.EnsureBuilt([3]);
        Assert.That(Values(byObject.Bias!), Is.All.EqualTo(0.5f));
        var twin = new Dense(4, kernelInitializer: new Sequential.Initializers.HeNormal(seed: 1));
        twin.EnsureBuilt([3]);
        Assert.That(Values(twin.Kernel!), Is.EqualTo(Values(byObject.Kernel!)), "the same seed gives the same kernel");
        // relu capped at 6 on a hand-set kernel: x = [10, -10, 1] with the identity-like kernel
        var capped = new Dense(3, activation: ActivationFunction.Relu(maxValue: 6), kernelInitializer: new Sequential.Initializers.Identity(),
            inputShape: [3]);
        var y = new SequentialModel(capped).Predict(tensor(new float[] { 10, -10, 1 }).reshape(1, 3), verbose: 0);
        Assert.That(Values(y), Is.EqualTo(new[] { 6f, 0f, 1f }));
        Func<Tensor, Tensor> square = x => x * x;
        var custom = new SequentialModel(new Dense(3, activation: square, kernelInitializer: new Sequential.Initializers.Identity(), inputShape: [3]));
        Assert.That(Values(custom.Predict(tensor(new float[] { 2, -3, 1 }).reshape(1, 3), verbose: 0)), Is.EqualTo(new[] { 4f, 9f, 1f }));
    }

    [Test]
    public void Glu_HalvesTheUnits_InTheOutputShape()
    {
        var model = new SequentialModel(new Dense(6, activation: "glu", inputShape: [3]), new Dense(2));
        Assert.That(model.Layers[0].ComputeOutputShape([3]), Is.EqualTo(new long[] { 3 }));
        Assert.That(model.Predict(randn(4, 3), verbose: 0).shape, Is.EqualTo(new long[] { 4, 2 }));
        var ex = Assert.Throws<ArgumentException>(() => new Dense(5, activation: "glu").ComputeOutputShape([3]));
        Assert.That(ex!.Message, Does.StartWith("glu splits axis -1 in two halves, but it has the odd size 5 (input shape (5,) per sample). Use an even number of units."));
    }

    [Test]
    public void SeededInitializersAndActivationArguments_SurviveSaveAndLoad()
    {
        var model = new SequentialModel(
            new Dense(5, activation: ActivationFunction.Relu(negativeSlope: 0.1, maxValue: 6), kernelInitializer: new Sequential.Initializers.HeNormal(seed: 3),
                biasInitializer: new Sequential.Initializers.RandomUniform(-1, 1, seed: 4), inputShape: [4]),
            new Dense(2, activation: ActivationFunction.Softmax(axis: -1), kernelInitializer: "lecun_normal"));
        var loaded = SavedModels.AssertRoundTrips(model, randn(3, 4));
        var config = loaded.Layers[0].GetConfig();
        Assert.That(config["kernel_initializer"], Is.EqualTo(new Dictionary<string, object?>
        {
            ["class_name"] = "HeNormal", ["config"] = new Dictionary<string, object?> { ["seed"] = 3 },
        }));
        Assert.That(config["activation"], Is.EqualTo(new Dictionary<string, object?>
        {
            ["class_name"] = "relu", ["config"] = new Dictionary<string, object?> { ["negative_slope"] = 0.1, ["max_value"] = 6.0 },
        }));
        Assert.That(loaded.Layers[1].GetConfig()["kernel_initializer"], Is.EqualTo("lecun_normal"), "a default initializer stays a name");
        Assert.That(loaded.Layers[1].GetConfig()["activation"], Is.EqualTo("softmax"));
    }

    [Test]
    public void HostileInitializerAndActivationConfigs_AreInvalidData_NamingTheKey()
    {
        static Dictionary<string, object?> Config(string key, string json) => new()
        {
            ["units"] = 2, [key] = System.Text.Json.JsonDocument.Parse(json).RootElement.Clone(),
        };
        var ex = Assert.Throws<InvalidDataException>(() => LayerRegistry.FromConfig("Dense",
            Config("kernel_initializer", """{"class_name": "VarianceScaling", "config": {"scale": -1}}""")));
        Assert.That(ex!.Message, Does.Contain("'kernel_initializer'").And.Contain("VarianceScaling's scale must be a positive number; got -1."));
        ex = Assert.Throws<InvalidDataException>(() => LayerRegistry.FromConfig("Dense",
            Config("kernel_initializer", """{"class_name": "System.IO.File", "config": {}}""")));
        Assert.That(ex!.Message, Does.Contain("Unknown initializer class 'System.IO.File'."));
        ex = Assert.Throws<InvalidDataException>(() => LayerRegistry.FromConfig("Dense", Config("kernel_initializer", "\"xavier\"")));
        Assert.That(ex!.Message, Does.Contain("Unknown initializer 'xavier'."));
        ex = Assert.Throws<InvalidDataException>(() => LayerRegistry.FromConfig("Dense",
            Config("activation", """{"class_name": "relu", "config": {"max_value": "six"}}""")));
        Assert.That(ex!.Message, Does.Contain("'max_value' is not a Double: \"six\""));
        ex = Assert.Throws<InvalidDataException>(() => LayerRegistry.FromConfig("Dense", Config("activation", "[1, 2]")));
        Assert.That(ex!.Message, Does.Contain("'activation'"));
    }

    [Test]
    public void AnAnonymousActivation_CannotBeSaved_AndTheMessageSaysHowToName_It()
    {
        Func<Tensor, Tensor> square = x => x * x;
        var model = new SequentialModel(new Dense(2, activation: square, inputShape: [3], name: "squared"));
        var ex = Assert.Throws<InvalidOperationException>(() => SavedModels.SaveAndLoad(model));
        Assert.That(ex!.Message, Does.Contain("Layer \"squared\": its activation is an anonymous function, which a model file cannot hold. " +
            "Name it and register it: ActivationRegistry.Register(\"my_activation\", x => ...)"));
        ActivationRegistry.Register("dense_test_square", square);
        var named = new SequentialModel(new Dense(2, activation: "dense_test_square", inputShape: [3]));
        SavedModels.AssertRoundTrips(named, randn(2, 3));
    }
}
