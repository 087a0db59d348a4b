using Sequential.Activations;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Activations;

/// Keras 3's activation names, configurations as model files store them, and registered functions.
public class ActivationRegistryTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    [Test]
    public void EveryKerasName_IsAccepted()
    {
        string[] keras =
        [
            "relu", "leaky_relu", "relu6", "softmax", "celu", "elu", "selu", "softplus", "softsign", "squareplus", "soft_shrink",
            "sparse_plus", "silu", "gelu", "glu", "tanh", "tanh_shrink", "sigmoid", "sparse_sigmoid", "exponential",
            "hard_sigmoid", "hard_silu", "hard_tanh", "hard_shrink", "linear", "mish", "log_softmax", "log_sigmoid", "swish",
            "hard_swish",
        ];
        foreach (var name in keras) Assert.DoesNotThrow(() => ActivationRegistry.Get(name), name);
        var ex = Assert.Throws<ArgumentException>(() => ActivationRegistry.Get("threshold"));
        Assert.That(ex!.Message, Does.StartWith("The activation 'threshold' needs arguments ('threshold' is required)"));
    }

    [Test]
    public void FromConfig_BuildsTheArguments_AndRefusesUnknownOnes()
    {
        var relu = ActivationRegistry.FromConfig("relu", new Dictionary<string, object?> { ["max_value"] = 6.0, ["negative_slope"] = 0.1 });
        Assert.That(relu.Config, Is.EquivalentTo(ActivationFunction.Relu(negativeSlope: 0.1, maxValue: 6).Config));
        using (var scope = NewDisposeScope())
            Assert.That(relu.Call(tensor(new[] { -10.0, 10.0 })).data<double>().ToArray(), Is.EqualTo(new[] { -1.0, 6.0 }).Within(1e-9));
        var ex = Assert.Throws<InvalidDataException>(() => ActivationRegistry.FromConfig("relu", new Dictionary<string, object?> { ["alpha"] = 1.0 }));
        Assert.That(ex!.Message, Is.EqualTo("The activation 'relu' takes negative_slope, max_value, threshold, not alpha."));
        ex = Assert.Throws<InvalidDataException>(() => ActivationRegistry.FromConfig("relu", new Dictionary<string, object?> { ["max_value"] = -1.0 }));
        Assert.That(ex!.Message, Does.StartWith("The activation 'relu' has an invalid argument: maxValue must be a finite number >= 0"));
        ex = Assert.Throws<InvalidDataException>(() => ActivationRegistry.FromConfig("softmax", new Dictionary<string, object?> { ["axis"] = "x" }));
        Assert.That(ex!.Message, Does.StartWith("'axis' is not a Int32: \"x\""));
        ex = Assert.Throws<InvalidDataException>(() => ActivationRegistry.FromConfig("nope", new Dictionary<string, object?>()));
        Assert.That(ex!.Message, Does.StartWith("Unknown activation 'nope'."));
    }

    [Test]
    public void Register_MakesANameAvailable_ButNotOverABuiltIn()
    {
        ActivationRegistry.Register("registry_test_cube", x => x.pow(3));
        using (var scope = NewDisposeScope())
            Assert.That(ActivationRegistry.Get("registry_test_cube").Call(tensor(new[] { 2.0 })).item<double>(), Is.EqualTo(8.0));
        Assert.That(ActivationRegistry.Get("registry_test_cube").IsAnonymous, Is.False);
        var ex = Assert.Throws<ArgumentException>(() => ActivationRegistry.Register("ReLU", x => x));
        Assert.That(ex!.Message, Does.StartWith("'ReLU' is a built-in activation; register yours under another name."));
    }
}
