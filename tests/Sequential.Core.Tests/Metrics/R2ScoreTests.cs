using Sequential.Metrics;
using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Metrics;

/// R2Score: Keras's regression_metrics_test.py comparisons with scikit-learn and TensorFlow Addons.
public class R2ScoreTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    private static double[] Result(R2Score m, float[] yTrue, float[] yPred, float[]? weights)
    {
        using var scope = NewDisposeScope();
        m.UpdateState(F(yTrue, 3, 3), F(yPred, 3, 3), weights is null ? null : F(weights, 3));
        return m.Result().to_type(ScalarType.Float64).reshape(-1).data<double>().ToArray();
    }

    private static readonly float[] Y = [0, 0, 1, 0, 1, 0, 1, 0, 0];

    [TestCase(null, 0, new[] { 0.37, -1.295, 0.565 })]
    [TestCase(null, 1, new[] { -0.26, -3.59, 0.13 })]
    [TestCase("uniform_average", 0, new[] { -0.12 })]
    [TestCase("variance_weighted_average", 0, new[] { -0.12 })]
    public void SklearnComparison(string? aggregation, int regressors, double[] expected) =>
        Assert.That(Result(new R2Score(aggregation, regressors), Y, [0.4f, 0.5f, 0.6f, 0.1f, 0.2f, 0.3f, 0.5f, 0.8f, 0.2f], null),
            Is.EqualTo(expected).Within(1e-6));

    [TestCase(null, 0, new[] { 0.17305559, -8.836666, -0.521 })]
    [TestCase(null, 1, new[] { -0.65388882, -18.673332, -2.042 })]
    [TestCase(null, 2, new[] { 0.17305559, -8.836666, -0.521 })]
    [TestCase("uniform_average", 0, new[] { -3.0615367889404297 })]
    [TestCase("uniform_average", 1, new[] { -7.123073577880859 })]
    [TestCase("uniform_average", 2, new[] { -3.0615367889404297 })]
    [TestCase("variance_weighted_average", 0, new[] { -1.3710224628448486 })]
    [TestCase("variance_weighted_average", 1, new[] { -3.742044448852539 })]
    [TestCase("variance_weighted_average", 2, new[] { -1.3710224628448486 })]
    public void TfaComparison(string? aggregation, int regressors, double[] expected) =>
        // Keras asserts 1e-6 against its own float32 arithmetic; this metric accumulates in float64, which differs from
        // the float32 reference by up to 1.1e-6 (the adjusted, variance-weighted case).
        Assert.That(Result(new R2Score(aggregation, regressors), Y, [0.4f, 0.9f, 1.6f, 0.1f, 1.2f, 0.6f, 1.5f, 0.8f, 0.6f], [0.8f, 0.1f, 0.4f]),
            Is.EqualTo(expected).Within(2e-6));

    [Test]
    public void Errors()
    {
        Assert.Throws<ArgumentException>(() => new R2Score(classAggregation: "wrong"));
        Assert.Throws<ArgumentException>(() => new R2Score(numRegressors: -1));
        var e = Assert.Throws<ArgumentException>(() => new R2Score().UpdateState(F([0, 1], 2, 1, 1), F([0, 1], 2, 1, 1)));
        Assert.That(e!.Message, Does.Contain("expects 2D inputs with shape"));
    }

    [Test]
    public void Config_RoundTrips()
    {
        var again = (R2Score)MetricRegistry.FromConfig(nameof(R2Score), new R2Score(null, 2).GetConfig());
        Assert.That((again.ClassAggregation, again.NumRegressors), Is.EqualTo(((string?)null, 2)));
    }
}
