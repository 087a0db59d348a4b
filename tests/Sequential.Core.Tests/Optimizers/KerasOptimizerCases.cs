using Sequential.Optimizers;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Optimizers;

/// The cases every keras/src/optimizers/*_test.py runs, with Keras's inputs: test_single_step, test_weight_decay and
/// test_correctness_with_golden (float32 variables, as Keras's floatx).
internal static class KerasOptimizerCases
{
    /// One step from w = [1, 2, 3, 4] with g = [1, 6, 7, 2] (or any shape); returns w.
    public static float[] SingleStep(Optimizer optimizer, float[] variable, float[] gradient, long[]? shape = null)
    {
        shape ??= [variable.Length];
        var w = new Parameter(tensor(variable).reshape(shape), requires_grad: true);
        optimizer.ApplyGradients([(tensor(gradient).reshape(shape), w)]);
        return w.detach().reshape(-1).data<float>().ToArray();
    }

    /// Keras's test_weight_decay: three optimizers decay var1 in turn (so 2·0.996³); var2 is excluded by name, var3 by
    /// reference; the gradients are zero, so only the decay moves anything. Returns (var1, var2, var3).
    public static (float, float, float) WeightDecay(Func<Optimizer> make)
    {
        var (var1, var2, var3) = (Scalar(2), Scalar(2), Scalar(2));
        var zero = zeros(Array.Empty<long>());
        var optimizer1 = make();
        optimizer1.ApplyGradients([(zero, var1)]);
        var optimizer2 = make();
        optimizer2.ExcludeFromWeightDecay(varNames: ["exclude"]);
        optimizer2.Bind([((string?)null, var1), ("exclude", var2)]); // Keras: Variable(2.0, name="exclude")
        optimizer2.ApplyGradients([(zero, var1), (zero, var2)]);
        var optimizer3 = make();
        optimizer3.ExcludeFromWeightDecay(varList: [var3]);
        optimizer3.ApplyGradients([(zero, var1), (zero, var3)]);
        return (var1.item<float>(), var2.item<float>(), var3.item<float>());
    }

    /// Keras's test_correctness_with_golden: x = ones(10), a first step with g = 0.01, then steps with g = 0.1 ... 1.0;
    /// checks x against each golden row (before the next step) within atol + rtol·|golden|.
    public static void Golden(Optimizer optimizer, double[][] golden, double tolerance = 5e-4)
    {
        var x = new Parameter(ones(10), requires_grad: true);
        var grads = arange(1, 11, dtype: ScalarType.Float32) / 10;
        optimizer.ApplyGradients([(full(10, 0.01f), x)]);
        for (int i = 0; i < golden.Length; i++)
        {
            AssertClose(x.detach().data<float>().ToArray(), golden[i], tolerance);
            optimizer.ApplyGradients([(grads, x)]);
        }
    }

    /// Keras's assertAllClose with atol = rtol = <paramref name="tolerance"/>.
    public static void AssertClose(float[] actual, double[] expected, double tolerance)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        for (int j = 0; j < expected.Length; j++)
            Assert.That(actual[j], Is.EqualTo(expected[j]).Within(tolerance + tolerance * Math.Abs(expected[j])), $"element {j}");
    }

    /// A golden table whose rows repeat one value ten times (Keras's np.tile).
    public static double[][] Tiled(params double[] rows) => [.. rows.Select(r => Enumerable.Repeat(r, 10).ToArray())];

    private static Parameter Scalar(float value) => new(tensor(value), requires_grad: true);
}
