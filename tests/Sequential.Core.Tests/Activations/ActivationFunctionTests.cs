using Sequential.Activations;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Activations;

/// keras/src/activations/activations_test.py: the activations with arguments and the ones added for Keras 3, against
/// Keras's reference functions (ported to C#) on fixed inputs, rtol 1e-5 as Keras's tests use.
public class ActivationFunctionTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    private static readonly double[] Grid = [-10, -5, -3.5, -1, -0.75, -0.25, 0, 0.1, 0.5, 0.9, 1, 2.5, 3, 5, 10];

    private static double[] Apply(ActivationFunction activation, double[] x, params long[] shape)
    {
        using var scope = NewDisposeScope();
        var input = tensor(x, ScalarType.Float64);
        if (shape.Length > 0) input = input.reshape(shape);
        return activation.Call(input).flatten().data<double>().ToArray();
    }

    private static void Matches(ActivationFunction activation, Func<double, double> reference)
    {
        var actual = Apply(activation, Grid);
        for (int i = 0; i < Grid.Length; i++)
        {
            double expected = reference(Grid[i]);
            Assert.That(actual[i], Is.EqualTo(expected).Within(1e-5 * Math.Abs(expected) + 1e-7), $"{activation} at {Grid[i]}");
        }
    }

    private static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    [Test]
    public void Relu_KerasArguments()
    {
        double[] x = [-10, -5, 0.0, 5, 10];
        Assert.That(Apply(ActivationFunction.Relu(negativeSlope: 0.5), x), Is.EqualTo(new[] { -5.0, -2.5, 0, 5, 10 }).Within(1e-9));
        Assert.That(Apply(ActivationFunction.Relu(maxValue: 5.0), x), Is.EqualTo(new[] { 0.0, 0, 0, 5, 5 }).Within(1e-9));
        Assert.That(Apply(ActivationFunction.Relu(threshold: 5.0), x), Is.EqualTo(new[] { 0.0, 0, 0, 0, 10 }).Within(1e-9));
        Assert.That(Apply(ActivationFunction.Relu(threshold: 5.0, maxValue: 5.0), x), Is.EqualTo(new[] { 0.0, 0, 0, 0, 5 }).Within(1e-9));
        Assert.That(Apply(ActivationFunction.Relu(negativeSlope: 0.5, maxValue: 5.0, threshold: 5.0), x),
            Is.EqualTo(new[] { -7.5, -5.0, -2.5, 0.0, 5.0 }).Within(1e-9));
        Assert.That(Apply(ActivationFunction.Relu(maxValue: 6.0), [-10, -5, 0.0, 5, 10, 12]), Is.EqualTo(new[] { 0.0, 0, 0, 5, 6, 6 }).Within(1e-9));
        Assert.That(ActivationFunction.Relu().Config, Is.Empty);
        Assert.That(ActivationFunction.Relu(maxValue: 6).Config, Is.EquivalentTo(new Dictionary<string, object?> { ["max_value"] = 6.0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ActivationFunction.Relu(maxValue: -1));
    }

    [Test]
    public void Gelu_ExactAndApproximate()
    {
        // exact: x * Phi(x), Phi from erf; approximate: Keras's tanh formula
        Matches(ActivationFunction.Gelu(), x => x * 0.5 * (1 + Erf(x / Math.Sqrt(2))));
        Matches(ActivationFunction.Gelu(approximate: true),
            x => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))));
        Assert.That(ActivationRegistry.Get("gelu").Config, Is.Empty);
    }

    // Abramowitz-Stegun 7.1.26 is only 1.5e-7 accurate; a series/continued fraction is overkill: use the complementary
    // error function by its Taylor series for |z| < 3 and the asymptotic tail beyond (enough for 1e-9 here).
    private static double Erf(double z)
    {
        if (Math.Abs(z) > 6) return Math.Sign(z);
        double sum = 0, term = z;
        for (int n = 0; n < 200; n++)
        {
            sum += term / (2 * n + 1);
            term *= -z * z / (n + 1);
        }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }

    [Test]
    public void KerasReferenceFunctions()
    {
        Matches(ActivationRegistry.Get("log_sigmoid"), x => -Softplus(-x));
        Matches(ActivationRegistry.Get("hard_silu"), x => x * Math.Min(Math.Max(0.0, x + 3.0), 6.0) / 6.0);
        Matches(ActivationRegistry.Get("hard_swish"), x => x * Math.Min(Math.Max(0.0, x + 3.0), 6.0) / 6.0);
        Matches(ActivationRegistry.Get("hard_sigmoid"), x => Math.Clamp(x / 6.0 + 0.5, 0, 1));
        Matches(ActivationRegistry.Get("sparse_sigmoid"), x => x <= -1 ? 0 : x >= 1 ? 1 : 0.5 * (x + 1));
        Matches(ActivationRegistry.Get("celu"), x => Math.Max(x, 0) + (Math.Exp(Math.Min(x, 0)) - 1));
        Matches(ActivationFunction.Celu(alpha: 0.5), x => Math.Max(x, 0) + 0.5 * (Math.Exp(Math.Min(x, 0) / 0.5) - 1));
        Matches(ActivationRegistry.Get("tanh_shrink"), x => x - Math.Tanh(x));
        Matches(ActivationRegistry.Get("hard_tanh"), x => Math.Clamp(x, -1, 1));
        Matches(ActivationRegistry.Get("hard_shrink"), x => Math.Abs(x) > 0.5 ? x : 0);
        Matches(ActivationFunction.Threshold(0, 0), x => x > 0 ? x : 0);
        Matches(ActivationFunction.Threshold(1, -2), x => x > 1 ? x : -2);
        Matches(ActivationRegistry.Get("squareplus"), x => (x + Math.Sqrt(x * x + 4)) / 2);
        Matches(ActivationRegistry.Get("soft_shrink"), x => x > 0.5 ? x - 0.5 : x < -0.5 ? x + 0.5 : 0);
        Matches(ActivationRegistry.Get("sparse_plus"), x => x <= -1 ? 0 : x < 1 ? 0.25 * (x + 1) * (x + 1) : x);
        Matches(ActivationFunction.Elu(alpha: 2), x => x > 0 ? x : 2 * (Math.Exp(x) - 1));
        Matches(ActivationFunction.LeakyRelu(0.1), x => x > 0 ? x : 0.1 * x);
        Matches(ActivationRegistry.Get("silu"), x => x / (1 + Math.Exp(-x)));
        Matches(ActivationRegistry.Get("softsign"), x => x / (1 + Math.Abs(x)));
        Matches(ActivationRegistry.Get("relu6"), x => Math.Min(Math.Max(0, x), 6));
        Matches(ActivationRegistry.Get("mish"), x => x * Math.Tanh(Softplus(x)));
    }

    [Test]
    public void Glu_SplitsTheAxisInTwo()
    {
        // [[a0, a1, b0, b1]] -> a * sigmoid(b); on axis 0 of [[1, 2], [3, 4]]: [1 * s(3), 2 * s(4)]
        var last = Apply(ActivationRegistry.Get("glu"), [1, 2, 3, 4, 5, 6, 7, 8], 2, 4);
        Assert.That(last, Is.EqualTo(new[] { 1 * Sigmoid(3), 2 * Sigmoid(4), 5 * Sigmoid(7), 6 * Sigmoid(8) }).Within(1e-9));
        var first = Apply(ActivationFunction.Glu(axis: -2), [1, 2, 3, 4], 2, 2);
        Assert.That(first, Is.EqualTo(new[] { 1 * Sigmoid(3), 2 * Sigmoid(4) }).Within(1e-9));
    }

    [Test]
    public void Glu_OutputShapeHalvesTheAxis_AndAnOddSizeIsAClearError()
    {
        Assert.That(ActivationRegistry.Get("glu").ComputeOutputShape([5, 6]), Is.EqualTo(new long[] { 5, 3 }));
        Assert.That(ActivationFunction.Glu(axis: 1).ComputeOutputShape([4, 6]), Is.EqualTo(new long[] { 2, 6 }));   // axis 1 = first per-sample axis
        Assert.That(ActivationRegistry.Get("relu").ComputeOutputShape([5, 6]), Is.EqualTo(new long[] { 5, 6 }));
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => ActivationRegistry.Get("glu").Call(zeros(2, 5)));
        Assert.That(ex!.Message, Does.StartWith("glu splits axis -1 in two halves, but it has the odd size 5 (input shape (2, 5))."));
    }

    [Test]
    public void SoftmaxAndLogSoftmax_OnAnAxis()
    {
        // test_softmax_2d_axis_0: softmax over axis 0 of [[0, 1], [ln 3, 0]] -> columns [1/4, 3/4] and [e/(e+1), 1/(e+1)]
        double[] x = [0, 1, Math.Log(3), 0];
        var softmax = Apply(ActivationFunction.Softmax(axis: 0), x, 2, 2);
        Assert.That(softmax, Is.EqualTo(new[] { 0.25, Math.E / (Math.E + 1), 0.75, 1 / (Math.E + 1) }).Within(1e-9));
        var logSoftmax = Apply(ActivationFunction.LogSoftmax(axis: 0), x, 2, 2);
        Assert.That(logSoftmax, Is.EqualTo(softmax.Select(v => Math.Log(v)).ToArray()).Within(1e-9));
        Assert.That(Apply(ActivationFunction.Softmax(), x, 2, 2), Is.EqualTo(new[] { 1 / (1 + Math.E), Math.E / (1 + Math.E), 0.75, 0.25 }).Within(1e-9));
    }

    [Test]
    public void FunctionsConvertImplicitly_ButAreNotSaveable()
    {
        Func<Tensor, Tensor> square = x => x * x;
        ActivationFunction activation = square;
        Assert.That(Apply(activation, [-2, 3]), Is.EqualTo(new[] { 4.0, 9.0 }));
        Assert.That(activation.IsAnonymous, Is.True);
        Assert.That(activation.IsLinear, Is.False);
        ActivationFunction byName = "relu";
        Assert.That(byName.Name, Is.EqualTo("relu"));
        ActivationFunction none = (string?)null;
        Assert.That(none.IsLinear, Is.True);
    }
}
