using Sequential.Metrics;
using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Metrics;

/// MeanAbsolutePercentageError, MeanSquaredLogarithmicError, RootMeanSquaredError, CosineSimilarity, LogCoshError:
/// Keras's regression_metrics_test.py values.
public class RegressionMetricsKerasTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    private static Tensor Y45() => F([0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1], 4, 5);

    private static Tensor P45() => F([0, 0, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1], 4, 5);

    private static Tensor W4() => F([1, 1.5f, 2, 2.5f], 4);

    private static double Run(Metric m, Tensor yTrue, Tensor yPred, Tensor? weight = null)
    {
        using (NewDisposeScope()) m.UpdateState(yTrue, yPred, weight);
        return m.Value();
    }

    [Test]
    public void MeanAbsolutePercentageError_Keras()
    {
        // Keras: 35e7 and 40e7 (zero targets divide by epsilon); float32 rounding: relative tolerance.
        Assert.That(Run(new MeanAbsolutePercentageError(), Y45(), P45()), Is.EqualTo(35e7).Within(1e-5).Percent);
        Assert.That(Run(new MeanAbsolutePercentageError(), Y45(), P45(), W4()), Is.EqualTo(40e7).Within(1e-5).Percent);
    }

    [Test]
    public void MeanSquaredLogarithmicError_Keras()
    {
        Assert.That(Run(new MeanSquaredLogarithmicError(), Y45(), P45()), Is.EqualTo(0.24022).Within(1e-5));
        Assert.That(Run(new MeanSquaredLogarithmicError(), Y45(), P45(), W4()), Is.EqualTo(0.26082).Within(1e-5));
    }

    [Test]
    public void RootMeanSquaredError_Keras()
    {
        Assert.That(Run(new RootMeanSquaredError(), F([2, 4, 6], 3), F([1, 3, 2], 3)), Is.EqualTo(Math.Sqrt(6)).Within(1e-3));
        Assert.That(Run(new RootMeanSquaredError(), F([2, 4, 6, 8], 4), F([1, 3, 2, 3], 4), F([0, 1, 0, 1], 4)), Is.EqualTo(Math.Sqrt(13)).Within(1e-3));
        Assert.Throws<NotSupportedException>(() => new RootMeanSquaredError().UpdateState(F([1], 1)));
    }

    private static readonly double[][] CosTrue = [[1, 9, 2], [-5, -2, 6]];
    private static readonly double[][] CosPred = [[4, 8, 12], [8, 1, 3]];

    private static double Cosine(double[] a, double[] b) =>
        a.Zip(b, (x, y) => x * y).Sum() / Math.Sqrt(a.Sum(x => x * x)) / Math.Sqrt(b.Sum(x => x * x));

    [Test]
    public void CosineSimilarity_Keras()
    {
        double c0 = Cosine(CosTrue[0], CosPred[0]), c1 = Cosine(CosTrue[1], CosPred[1]);
        Tensor Y() => F([1, 9, 2, -5, -2, 6], 2, 3);
        Tensor P() => F([4, 8, 12, 8, 1, 3], 2, 3);
        Assert.That(Run(new CosineSimilarity(), Y(), P()), Is.EqualTo((c0 + c1) / 2).Within(1e-3));
        Assert.That(Run(new CosineSimilarity(), Y(), P(), F([1.2f, 3.4f], 2)), Is.EqualTo((c0 * 1.2 + c1 * 3.4) / 4.6).Within(1e-3));
        Assert.That(Run(new CosineSimilarity(axis: 1), Y(), P()), Is.EqualTo((c0 + c1) / 2).Within(1e-3));
        Assert.That(c0, Is.EqualTo(0.72048).Within(1e-4));
    }

    [Test]
    public void LogCoshError_Keras()
    {
        double[] error = [3, -1, 10, 13, 3, -3];
        double[] logCosh = [.. error.Select(e => Math.Log((Math.Exp(e) + Math.Exp(-e)) / 2))];
        Tensor Y() => F([1, 9, 2, -5, -2, 6], 2, 3);
        Tensor P() => F([4, 8, 12, 8, 1, 3], 2, 3);
        Assert.That(Run(new LogCoshError(), Y(), P()), Is.EqualTo(logCosh.Sum() / 6).Within(1e-3));
        double weighted = logCosh.Select((v, i) => v * (i < 3 ? 1.2 : 3.4)).Sum() / (3 * 1.2 + 3 * 3.4);
        Assert.That(Run(new LogCoshError(), Y(), P(), F([1.2f, 3.4f], 2, 1)), Is.EqualTo(weighted).Within(1e-3));
        Assert.That(new LogCoshError().Name, Is.EqualTo("logcosh"));
    }
}
