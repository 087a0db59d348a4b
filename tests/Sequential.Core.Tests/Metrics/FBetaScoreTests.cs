using Sequential.Metrics;
using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Metrics;

/// FBetaScore and F1Score: Keras's f_score_metrics_test.py values (atol 1e-6).
public class FBetaScoreTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    private static double[] Result(FBetaScore m, float[] yTrue, float[] yPred, float[]? weights = null)
    {
        using var scope = NewDisposeScope();
        long rows = yTrue.Length / 3;
        m.UpdateState(F(yTrue, rows, 3), F(yPred, rows, 3), weights is null ? null : F(weights, weights.Length));
        return m.Result().to_type(ScalarType.Float64).reshape(-1).data<double>().ToArray();
    }

    private static readonly float[] ThresholdPred = [0.7f, 0.7f, 0.7f, 1, 0, 0, 0.9f, 0.8f, 0];

    [TestCase("micro", 0.5)]
    [TestCase("macro", 1.0)]
    [TestCase("weighted", 2.0)]
    public void PerfectAndWorst(string average, double beta)
    {
        Assert.That(Result(new FBetaScore(average, beta, 0.66), [1, 1, 1, 1, 0, 0, 1, 1, 0], ThresholdPred), Is.EqualTo(new[] { 1.0 }).Within(1e-6));
        Assert.That(Result(new FBetaScore(average, beta, 0.66), [0, 0, 0, 0, 1, 0, 0, 0, 1], ThresholdPred), Is.EqualTo(new[] { 0.0 }).Within(1e-6));
    }

    [TestCase(null, 0.5, new[] { 0.71428573, 0.5, 0.833334 })]
    [TestCase(null, 1.0, new[] { 0.8, 0.5, 0.6666667 })]
    [TestCase(null, 2.0, new[] { 0.9090904, 0.5, 0.555556 })]
    [TestCase("micro", 0.5, new[] { 0.6666667 })]
    [TestCase("macro", 0.5, new[] { 0.6825397 })]
    [TestCase("macro", 1.0, new[] { 0.6555555 })]
    [TestCase("macro", 2.0, new[] { 0.6548822 })]
    [TestCase("weighted", 1.0, new[] { 0.6555555 })]
    public void RandomScore_Threshold(string? average, double beta, double[] expected) =>
        Assert.That(Result(new FBetaScore(average, beta, 0.66), [0, 0, 1, 1, 1, 0, 1, 1, 1], ThresholdPred), Is.EqualTo(expected).Within(1e-6));

    private static readonly float[] SixTrue = [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 1];
    private static readonly float[] SixPred = [0.9f, 0.1f, 0, 0.2f, 0.6f, 0.2f, 0, 0, 1, 0.4f, 0.3f, 0.3f, 0, 0.9f, 0.1f, 0, 0, 1];

    [TestCase(null, 0.5, null, new[] { 0.9090904, 0.555556, 1.0 })]
    [TestCase(null, 1.0, null, new[] { 0.8, 0.6666667, 1.0 })]
    [TestCase("micro", 2.0, null, new[] { 0.833334 })]
    [TestCase("macro", 0.5, null, new[] { 0.821549 })]
    [TestCase("weighted", 0.5, null, new[] { 0.880471 })]
    [TestCase("weighted", 2.0, null, new[] { 0.829365 })]
    [TestCase(null, 0.5, new float[] { 1, 0, 1, 1, 0, 1 }, new[] { 1.0, 0.0, 1.0 })]
    [TestCase(null, 2.0, new float[] { 0.5f, 1, 1, 1, 0.5f, 1 }, new[] { 0.789474, 0.909091, 1.0 })]
    [TestCase("micro", 1.0, new float[] { 0.5f, 1, 1, 1, 0.5f, 1 }, new[] { 0.9 })]
    [TestCase("macro", 2.0, new float[] { 0.5f, 1, 1, 1, 0.5f, 1 }, new[] { 0.899522 })]
    [TestCase("weighted", 1.0, new float[] { 0.5f, 1, 1, 1, 0.5f, 1 }, new[] { 0.902857 })]
    public void ArgMaxScore_Weighted(string? average, double beta, float[]? weights, double[] expected) =>
        Assert.That(Result(new FBetaScore(average, beta), SixTrue, SixPred, weights), Is.EqualTo(expected).Within(1e-6));

    [Test]
    public void F1_IsFBetaOne()
    {
        Assert.That(Result(new F1Score("macro"), SixTrue, SixPred), Is.EqualTo(new[] { 0.822222 }).Within(1e-6));
        Assert.That(new F1Score().Name, Is.EqualTo("f1_score"));
        var again = (F1Score)MetricRegistry.FromConfig(nameof(F1Score), new F1Score("micro", 0.3).GetConfig());
        Assert.That((again.Average, again.Threshold, again.Beta), Is.EqualTo(("micro", (double?)0.3, 1.0)));
    }

    [Test]
    public void InvalidArguments_Throw()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => new FBetaScore("invalid_average"))!.Message, Does.Contain("Invalid `average` argument value"));
        Assert.That(Assert.Throws<ArgumentException>(() => new FBetaScore(beta: 0))!.Message, Does.Contain("It should be > 0"));
        Assert.That(Assert.Throws<ArgumentException>(() => new FBetaScore(threshold: 1.1))!.Message, Does.Contain("0 < threshold <= 1"));
    }
}
