using static TorchSharp.torch;
using Sequential.Activations;

namespace Sequential.Core.Tests.Activations;

public class ActivationsTests
{
    private static double[] Apply(string name, params double[] x) =>
        ActivationRegistry.Get(name).Call(tensor(x)).data<double>().ToArray();

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    [Test]
    public void Relu() => Assert.That(Apply("relu", -2, 0, 3.5), Is.EqualTo(new[] { 0, 0, 3.5 }));

    [Test]
    public void Sigmoid_AtZeroAndLn3() =>
        // sigmoid(ln 3) = 1 / (1 + 1/3) = 0.75
        Assert.That(Apply("sigmoid", 0, Math.Log(3)), Is.EqualTo(new[] { 0.5, 0.75 }).Within(1e-12));

    [Test]
    public void Tanh_AtLn2() =>
        // tanh(ln 2) = (2 - 1/2) / (2 + 1/2) = 0.6
        Assert.That(Apply("tanh", Math.Log(2), -Math.Log(2)), Is.EqualTo(new[] { 0.6, -0.6 }).Within(1e-12));

    [Test]
    public void Elu_AlphaOne() =>
        Assert.That(Apply("elu", -1, 2), Is.EqualTo(new[] { Math.Exp(-1) - 1, 2 }).Within(1e-12));

    [Test]
    public void Selu_KerasConstants()
    {
        const double alpha = 1.6732632423543772848170429916717, scale = 1.0507009873554804934193349852946;
        Assert.That(Apply("selu", 1, -1), Is.EqualTo(new[] { scale, scale * alpha * (Math.Exp(-1) - 1) }).Within(1e-9));
    }

    [Test]
    public void Gelu_IsExact_NotTanhApproximation()
    {
        // Keras's gelu defaults to approximate=False: x * Phi(x). Phi(1) = 0.841344746068543; the tanh form gives 0.841191990607.
        var y = Apply("gelu", 1, -1, 0);
        Assert.That(y, Is.EqualTo(new[] { 0.8413447460685429, -0.15865525393145707, 0 }).Within(1e-9));
    }

    [Test]
    public void Swish_AndSiluAlias()
    {
        Assert.That(Apply("swish", 1, -2), Is.EqualTo(new[] { Sigmoid(1), -2 * Sigmoid(-2) }).Within(1e-12));
        Assert.That(Apply("silu", 1, -2), Is.EqualTo(new[] { Sigmoid(1), -2 * Sigmoid(-2) }).Within(1e-12));
    }

    [Test]
    public void LeakyRelu_KerasDefaultSlopeIsPointTwo() =>
        // PyTorch's default slope is 0.01; Keras's is 0.2.
        Assert.That(Apply("leaky_relu", -1, -10, 3), Is.EqualTo(new[] { -0.2, -2, 3 }).Within(1e-12));

    [Test]
    public void Softmax_HandValues_LastAxis()
    {
        var y = ActivationRegistry.Get("softmax").Call(tensor(new[] { 0, Math.Log(2), Math.Log(5), 1, 1, 1 }).reshape(2, 3));
        Assert.That(y.data<double>().ToArray(), Is.EqualTo(new[] { 0.125, 0.25, 0.625, 1 / 3.0, 1 / 3.0, 1 / 3.0 }).Within(1e-12));
    }

    [Test]
    public void OtherKerasActivations()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Apply("softplus", 0), Is.EqualTo(new[] { Math.Log(2) }).Within(1e-12));
            Assert.That(Apply("softsign", 1, -3), Is.EqualTo(new[] { 0.5, -0.75 }).Within(1e-12));
            Assert.That(Apply("relu6", -1, 3, 7), Is.EqualTo(new[] { 0, 3, 6 }));
            // Keras 3: relu6(x + 3) / 6 (Keras 2's 0.2x + 0.5 would give 0.7 at 1).
            Assert.That(Apply("hard_sigmoid", 1, -4, 4), Is.EqualTo(new[] { 4 / 6.0, 0, 1 }).Within(1e-12));
            Assert.That(Apply("exponential", 1), Is.EqualTo(new[] { Math.E }).Within(1e-12));
            Assert.That(Apply("mish", 1), Is.EqualTo(new[] { Math.Tanh(Math.Log(1 + Math.E)) }).Within(1e-12));
            Assert.That(Apply("linear", -7, 2), Is.EqualTo(new[] { -7, 2 }));
            Assert.That(Apply("log_softmax", 0, 0), Is.EqualTo(new[] { -Math.Log(2), -Math.Log(2) }).Within(1e-12));
        });
    }

    [TestCase("ReLU", "relu")]
    [TestCase("RELU", "relu")]
    [TestCase(" relu ", "relu")]
    [TestCase("Softmax", "softmax")]
    [TestCase("SiLU", "swish")]
    [TestCase("Leaky_ReLU", "leaky_relu")]
    public void Get_IsCaseInsensitive(string name, string canonical) =>
        Assert.That(ActivationRegistry.Get(name).Name, Is.EqualTo(canonical));

    [TestCase(null)]
    [TestCase("")]
    [TestCase("linear")]
    public void NullOrEmpty_IsLinear(string? name)
    {
        var linear = ActivationRegistry.Get(name);
        Assert.That(linear.Name, Is.EqualTo("linear"));
        Assert.That(linear.IsLinear, Is.True);
        Assert.That(ActivationRegistry.Get("relu").IsLinear, Is.False);
    }

    [Test]
    public void Unknown_Throws_ListingAcceptedNames()
    {
        var ex = Assert.Throws<ArgumentException>(() => ActivationRegistry.Get("rectifier"));
        Assert.That(ex!.Message, Does.StartWith("Unknown activation 'rectifier'. Accepted: ")
            .And.Contain("relu").And.Contain("softmax").And.Contain("leaky_relu").And.Contain("gelu").And.Contain("silu"));
        Assert.That(ex.ParamName, Is.EqualTo("name"));
    }
}
