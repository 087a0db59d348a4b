using Sequential.Metrics;
using static Sequential.Core.Tests.Losses.TestTensors;
using static Sequential.Core.Tests.Metrics.PrecisionTests;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Metrics;

/// Recall: Keras's confusion_metrics_test.py RecallTest values.
public class RecallTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    [Test]
    public void Unweighted() => Assert.That(Run(new Recall(), F([0, 1, 1, 0], 4), F([1, 0, 1, 0], 4)), Is.EqualTo(0.5).Within(1e-7));

    [Test]
    public void Weighted() =>
        Assert.That(Run(new Recall(), F([0, 1, 1, 0, 1, 0, 0, 1], 2, 4), F([1, 0, 1, 0, 0, 1, 0, 1], 2, 4), F([1, 2, 3, 4, 4, 3, 2, 1], 2, 4)),
            Is.EqualTo((3.0 + 1.0) / (2.0 + 3.0 + 4.0 + 1.0)).Within(1e-7));

    [Test]
    public void DivisionByZero_IsZero() => Assert.That(Run(new Recall(), F([0, 0, 0, 0], 4), F([0, 0, 0, 0], 4)), Is.EqualTo(0.0));

    [Test]
    public void WeightedWithThresholds_MultipleUpdates()
    {
        var m = new Recall([0.5, 1.0]);
        for (int i = 0; i < 2; i++)
            using (NewDisposeScope()) m.UpdateState(F([0, 1, 1, 0], 2, 2), F([1, 0, 0.6f, 0], 2, 2), F([1, 4, 3, 2], 2, 2));
        Assert.That(Values(m), Is.EqualTo(new[] { 6.0 / 14, 0 }).Within(1e-7));
    }

    [Test]
    public void UnweightedTopK() => Assert.That(Run(new Recall(topK: 3), F([0, 1, 1, 0, 0], 5), F([0.2f, 0.1f, 0.5f, 0, 0.2f], 5)), Is.EqualTo(0.5).Within(1e-7));

    [Test]
    public void WeightedTopK()
    {
        var m = new Recall(topK: 3);
        using (NewDisposeScope()) m.UpdateState(F([0, 1, 1, 0, 1], 1, 5), F([0.2f, 0.1f, 0.4f, 0, 0.2f], 1, 5), F([1, 4, 2, 3, 5], 1, 5));
        using (NewDisposeScope()) m.UpdateState(F([1, 0, 1, 1, 1], 5), F([0.2f, 0.6f, 0.4f, 0.2f, 0.2f], 5), tensor(3f));
        Assert.That(m.Value(), Is.EqualTo((2.0 + 5 + 3 + 3) / (4 + 2 + 5 + 3 + 3 + 3 + 3)).Within(1e-7));
    }

    [Test]
    public void ClassIdMulticlass() => Assert.That(Run(new Recall(classId: 1), ClassTrue(), ClassPred()), Is.EqualTo(1.0));

    [Test]
    public void TopKAndThreshold() =>
        Assert.That(Run(new Recall([0.7], topK: 2), F([1, 1, 1, 0, 1], 5), F([0.2f, 0.8f, 0.6f, 0, 0.2f], 5)), Is.EqualTo(0.25).Within(1e-7));
}
