using Sequential.Metrics;
using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Metrics;

/// Hinge, SquaredHinge, CategoricalHinge (one file for Keras's hinge_metrics_test.py).
public class HingeTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    private static double Run(Metric m, Tensor yTrue, Tensor yPred, Tensor? weight = null)
    {
        using (NewDisposeScope()) m.UpdateState(yTrue, yPred, weight);
        return m.Value();
    }

    private static Tensor P() => F([-0.3f, 0.2f, -0.1f, 1.6f, -0.25f, -1.0f, 0.5f, 0.6f], 2, 4);

    private static Tensor Binary() => F([0, 1, 0, 1, 0, 0, 1, 1], 2, 4);

    private static Tensor Signed() => F([-1, 1, -1, 1, -1, -1, 1, 1], 2, 4);

    [Test]
    public void Hinge_Keras()
    {
        Assert.That(Run(new Hinge(), Binary(), P()), Is.EqualTo(0.506).Within(1e-3));
        Assert.That(Run(new Hinge(), Signed(), P(), F([1.5f, 2], 2)), Is.EqualTo(0.493).Within(1e-3));
        Assert.That(new Hinge().Direction, Is.EqualTo(MetricDirection.Down));
    }

    [Test]
    public void SquaredHinge_Keras()
    {
        Assert.That(Run(new SquaredHinge(), Binary(), P()), Is.EqualTo(0.364).Within(1e-3));
        Assert.That(Run(new SquaredHinge(), Signed(), P(), F([1.5f, 2], 2)), Is.EqualTo(0.347).Within(1e-3));
    }

    [Test]
    public void CategoricalHinge_Keras()
    {
        Tensor Y() => F([0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1], 4, 5);
        Tensor Q() => F([0, 0, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1], 4, 5);
        Assert.That(Run(new CategoricalHinge(), Y(), Q()), Is.EqualTo(0.5).Within(1e-5));
        Assert.That(Run(new CategoricalHinge(), Y(), Q(), F([1, 1.5f, 2, 2.5f], 4)), Is.EqualTo(0.5).Within(1e-5));
    }

    [Test]
    public void Strings() =>
        Assert.That(new[] { "hinge", "squared_hinge", "categorical_hinge" }.Select(n => MetricRegistry.Get(n).GetType()),
            Is.EqualTo(new[] { typeof(Hinge), typeof(SquaredHinge), typeof(CategoricalHinge) }));
}
