using Sequential.Metrics;
using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;
using BinaryCrossentropyMetric = Sequential.Metrics.BinaryCrossentropy;
using CategoricalCrossentropyMetric = Sequential.Metrics.CategoricalCrossentropy;
using SparseCategoricalCrossentropyMetric = Sequential.Metrics.SparseCategoricalCrossentropy;

namespace Sequential.Core.Tests.Metrics;

/// KLDivergence, Poisson and the cross-entropy metrics (one file for Keras's probabilistic_metrics_test.py).
public class ProbabilisticMetricsTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    private static double Run(Metric m, Tensor yTrue, Tensor yPred, Tensor? weight = null)
    {
        using (NewDisposeScope()) m.UpdateState(yTrue, yPred, weight);
        return m.Value();
    }

    [Test]
    public void KLDivergence_Keras()
    {
        float[] p = [0.4f, 0.9f, 0.12f, 0.36f, 0.3f, 0.4f], y = [0.5f, 0.8f, 0.12f, 0.7f, 0.43f, 0.8f];
        double[] terms = [.. y.Zip(p, (t, q) => t * Math.Log((double)t / q))];
        Assert.That(Run(new KLDivergence(), F(y, 2, 3), F(p, 2, 3)), Is.EqualTo(terms.Sum() / 2).Within(1e-3));
        double weighted = (terms.Take(3).Sum() * 1.2 + terms.Skip(3).Sum() * 3.4) / (1.2 + 3.4);
        Assert.That(Run(new KLDivergence(), F(y, 2, 3), F(p, 2, 3), F([1.2f, 3.4f], 2, 1)), Is.EqualTo(weighted).Within(1e-3));
    }

    [Test]
    public void Poisson_Keras()
    {
        float[] p = [1, 9, 2, 5, 2, 6], y = [4, 8, 12, 8, 1, 3];
        double[] terms = [.. p.Zip(y, (q, t) => q - t * Math.Log(q))];
        Assert.That(Run(new Poisson(), F(y, 2, 3), F(p, 2, 3)), Is.EqualTo(terms.Sum() / 6).Within(1e-3));
        double weighted = (terms.Take(3).Sum() * 1.2 + terms.Skip(3).Sum() * 3.4) / (3 * 1.2 + 3 * 3.4);
        Assert.That(Run(new Poisson(), F(y, 2, 3), F(p, 2, 3), F([1.2f, 3.4f], 2, 1)), Is.EqualTo(weighted).Within(1e-3));
    }

    [Test]
    public void BinaryCrossentropy_Keras()
    {
        Assert.That(Run(new BinaryCrossentropyMetric(), F([1, 0, 1, 0], 2, 2), F([1, 1, 1, 0], 2, 2)), Is.EqualTo(3.9855).Within(1e-3));
        Assert.That(Run(new BinaryCrossentropyMetric(), F([1, 0, 1, 0], 2, 2), F([1, 1, 1, 0], 2, 2), F([1.5f, 2], 2)), Is.EqualTo(3.4162).Within(1e-3));
        Tensor Logits() => F([10, -10, 10, 10, 10, -10], 2, 3);
        Assert.That(Run(new BinaryCrossentropyMetric(fromLogits: true), F([1, 0, 1, 0, 1, 1], 2, 3), Logits()), Is.EqualTo(3.333).Within(1e-3));
        Assert.That(Run(new BinaryCrossentropyMetric(fromLogits: true), F([1, 0, 1, 0, 1, 1], 2, 3), Logits(), F([2, 2.5f], 2)),
            Is.EqualTo(3.7037).Within(1e-3));
        Assert.That(Run(new BinaryCrossentropyMetric(fromLogits: true, labelSmoothing: 0.1), F([1, 0, 1], 3), F([10, -10, -10], 3)),
            Is.EqualTo((10.0 + 5.0 * 0.1) / 3.0).Within(1e-3));
    }

    [Test]
    public void CategoricalCrossentropy_Keras()
    {
        Tensor Y() => F([0, 1, 0, 0, 0, 1], 2, 3);
        Tensor P() => F([0.05f, 0.95f, 0, 0.1f, 0.8f, 0.1f], 2, 3);
        Tensor Logits() => F([1, 9, 0, 1, 8, 1], 2, 3);
        Assert.That(Run(new CategoricalCrossentropyMetric(), Y(), P()), Is.EqualTo(1.176).Within(1e-3));
        Assert.That(Run(new CategoricalCrossentropyMetric(fromLogits: true), Y(), Logits()), Is.EqualTo(3.5011).Within(1e-3));
        Assert.That(Run(new CategoricalCrossentropyMetric(), Y(), P(), F([1.5f, 2], 2)), Is.EqualTo(1.338).Within(1e-3));
        Assert.That(Run(new CategoricalCrossentropyMetric(fromLogits: true), Y(), Logits(), F([1.5f, 2], 2)), Is.EqualTo(4.0012).Within(1e-3));
        Assert.That(Run(new CategoricalCrossentropyMetric(fromLogits: true, labelSmoothing: 0.1), Y(), Logits()), Is.EqualTo(3.667).Within(1e-3));
    }

    [Test]
    public void SparseCategoricalCrossentropy_Keras()
    {
        Tensor P() => F([0.05f, 0.95f, 0, 0.1f, 0.8f, 0.1f], 2, 3);
        Tensor Logits() => F([1, 9, 0, 1, 8, 1], 2, 3);
        Assert.That(Run(new SparseCategoricalCrossentropyMetric(), L([1, 2], 2), P()), Is.EqualTo(1.176).Within(1e-3));
        Assert.That(Run(new SparseCategoricalCrossentropyMetric(fromLogits: true), L([1, 2], 2), Logits()), Is.EqualTo(3.5011).Within(1e-3));
        Assert.That(Run(new SparseCategoricalCrossentropyMetric(), L([1, 2], 2), P(), F([1.5f, 2], 2)), Is.EqualTo(1.338).Within(1e-3));
        Assert.That(Run(new SparseCategoricalCrossentropyMetric(fromLogits: true), L([1, 2], 2), Logits(), F([1.5f, 2], 2)), Is.EqualTo(4.0012).Within(1e-3));
    }

    [Test]
    public void Strings_FollowTheCompiledLoss()
    {
        var logits = new Sequential.Losses.BinaryCrossentropy(fromLogits: true);
        Assert.That(((BinaryCrossentropyMetric)MetricRegistry.Get("bce", logits)).FromLogits, Is.True);
        Assert.That(((BinaryCrossentropyMetric)MetricRegistry.Get("binary_crossentropy")).FromLogits, Is.False);
        Assert.That(((AUC)MetricRegistry.Get("auc", logits)).FromLogits, Is.True);
        Assert.That(MetricRegistry.Get("kld"), Is.TypeOf<KLDivergence>());
        Assert.That(MetricRegistry.Get("poisson").Name, Is.EqualTo("poisson"));
    }
}
