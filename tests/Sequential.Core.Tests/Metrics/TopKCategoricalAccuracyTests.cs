using Sequential.Metrics;
using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Metrics;

/// TopKCategoricalAccuracy and SparseTopKCategoricalAccuracy: Keras's accuracy_metrics_test.py values.
public class TopKCategoricalAccuracyTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    private static Tensor Pred() => F([0.1f, 0.9f, 0.8f, 0.05f, 0.95f, 0], 2, 3);

    private static double Run(Metric m, Tensor yTrue, Tensor yPred, Tensor? weight = null)
    {
        using (NewDisposeScope()) m.UpdateState(yTrue, yPred, weight);
        return m.Value();
    }

    [Test]
    public void TopK_Keras()
    {
        Assert.That(Run(new TopKCategoricalAccuracy(k: 1), F([0, 0, 1, 0, 1, 0], 2, 3), Pred()), Is.EqualTo(0.5).Within(1e-3));
        Assert.That(Run(new TopKCategoricalAccuracy(k: 1), F([0, 0, 1, 0, 1, 0], 2, 3), Pred(), F([0.7f, 0.3f], 2)), Is.EqualTo(0.3).Within(1e-3));
        Assert.That(Run(new TopKCategoricalAccuracy(k: 2), F([0, 0, 1, 0, 1, 0], 2, 3), Pred()), Is.EqualTo(1.0));
    }

    [Test]
    public void SparseTopK_Keras()
    {
        Assert.That(Run(new SparseTopKCategoricalAccuracy(k: 1), L([2, 1], 2), Pred()), Is.EqualTo(0.5).Within(1e-3));
        Assert.That(Run(new SparseTopKCategoricalAccuracy(k: 1), L([2, 1], 2), Pred(), F([0.7f, 0.3f], 2)), Is.EqualTo(0.3).Within(1e-3));
        Assert.That(Run(new SparseTopKCategoricalAccuracy(k: 1), L([2, 1], 2, 1), Pred()), Is.EqualTo(0.5).Within(1e-3));
    }

    [Test]
    public void SparseTopK_FromSortedIds_Keras()
    {
        Tensor ids = L([1, 0, 3, 1, 2, 3], 2, 3);
        Assert.That(Run(new SparseTopKCategoricalAccuracy(k: 1, fromSortedIds: true), L([2, 1], 2), ids), Is.EqualTo(0.5).Within(1e-3));
        Assert.That(Run(new SparseTopKCategoricalAccuracy(k: 1, fromSortedIds: true), L([2, 1], 2), ids, F([0.7f, 0.3f], 2)), Is.EqualTo(0.3).Within(1e-3));
    }

    [Test]
    public void StringsAndConfig()
    {
        var m = MetricRegistry.Get("top_k_categorical_accuracy");
        Assert.That(m, Is.TypeOf<TopKCategoricalAccuracy>());
        Assert.That(((TopKCategoricalAccuracy)m).K, Is.EqualTo(5));
        var again = (SparseTopKCategoricalAccuracy)MetricRegistry.FromConfig(nameof(SparseTopKCategoricalAccuracy),
            new SparseTopKCategoricalAccuracy(k: 3, fromSortedIds: true).GetConfig());
        Assert.That((again.K, again.FromSortedIds), Is.EqualTo((3, true)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TopKCategoricalAccuracy(k: 0));
    }
}
