using Sequential.Metrics;
using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Metrics;

/// BinaryAccuracy, CategoricalAccuracy and SparseCategoricalAccuracy, with the examples of Keras's docstrings.
public class AccuracyTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    [Test]
    public void BinaryAccuracy_KerasDocstringExample()
    {
        // y [[1],[1],[0],[0]], p [[0.98],[1],[0],[0.6]]: > 0.5 -> 1,1,0,1 -> 3 of 4 correct = 0.75
        var m = new BinaryAccuracy();
        using (NewDisposeScope()) m.UpdateState(F([1, 1, 0, 0], 4, 1), F([0.98f, 1, 0, 0.6f], 4, 1));
        Assert.That(m.Value(), Is.EqualTo(0.75).Within(1e-6));
        Assert.That(m.Name, Is.EqualTo("binary_accuracy"));
    }

    [Test]
    public void BinaryAccuracy_LabelsOfRankOne_AndThreshold()
    {
        // y [1, 0] vs p [[0.3],[0.1]]: threshold 0.5 -> 0,0 -> 1 of 2; threshold 0.2 -> 1,0 -> 2 of 2
        using var scope = NewDisposeScope();
        var a = new BinaryAccuracy();
        var b = new BinaryAccuracy(threshold: 0.2);
        a.UpdateState(F([1, 0], 2), F([0.3f, 0.1f], 2, 1));
        b.UpdateState(L([1, 0], 2), F([0.3f, 0.1f], 2, 1));
        Assert.That(a.Value(), Is.EqualTo(0.5).Within(1e-6));
        Assert.That(b.Value(), Is.EqualTo(1.0).Within(1e-6));
    }

    [Test]
    public void CategoricalAccuracy_KerasDocstringExample()
    {
        // y [[0,0,1],[0,1,0]], p [[0.1,0.9,0.8],[0.05,0.95,0]]: argmax 1 vs 2 wrong, 1 vs 1 right -> 0.5
        var m = new CategoricalAccuracy();
        using (NewDisposeScope()) m.UpdateState(F([0, 0, 1, 0, 1, 0], 2, 3), F([0.1f, 0.9f, 0.8f, 0.05f, 0.95f, 0], 2, 3));
        Assert.That(m.Value(), Is.EqualTo(0.5).Within(1e-6));
    }

    [Test]
    public void SparseCategoricalAccuracy_KerasDocstringExample()
    {
        // y [[2],[1]], p [[0.1,0.6,0.3],[0.05,0.95,0]]: argmax 1 vs 2 wrong, 1 vs 1 right -> 0.5
        var m = new SparseCategoricalAccuracy();
        using (NewDisposeScope()) m.UpdateState(F([2, 1], 2, 1), F([0.1f, 0.6f, 0.3f, 0.05f, 0.95f, 0], 2, 3));
        Assert.That(m.Value(), Is.EqualTo(0.5).Within(1e-6));
    }

    [Test]
    public void TwoBatchesOfDifferentSizes_EqualThePooledValue()
    {
        // batch 1: 3 samples, 1 correct; batch 2: 1 sample, correct -> 2 / 4 = 0.5 (mean of batch means would be 0.667)
        var m = new SparseCategoricalAccuracy();
        using (NewDisposeScope()) m.UpdateState(L([0, 1, 1], 3), F([0.9f, 0.1f, 0.8f, 0.2f, 0.7f, 0.3f], 3, 2));
        using (NewDisposeScope()) m.UpdateState(L([1], 1), F([0.4f, 0.6f], 1, 2));
        Assert.That(m.Value(), Is.EqualTo(0.5).Within(1e-6));
        m.ResetState();
        Assert.That(m.Value(), Is.EqualTo(0.0));
        using (NewDisposeScope()) m.UpdateState(L([1], 1), F([0.4f, 0.6f], 1, 2));
        Assert.That(m.Value(), Is.EqualTo(1.0).Within(1e-6));
    }

    // accuracy_metrics_test.py (atol 1e-3): y [[1],[1],[0],[0]], p [[0.98],[1],[0],[0.6]] -> matches 1, 1, 1, 0
    [Test]
    public void BinaryAccuracy_Weighted_Keras()
    {
        var m = new BinaryAccuracy();
        using (NewDisposeScope()) m.UpdateState(F([1, 1, 0, 0], 4, 1), F([0.98f, 1, 0, 0.6f], 4, 1), F([1, 0, 0, 1], 4));
        Assert.That(m.Value(), Is.EqualTo(0.5).Within(1e-3));
    }

    [Test]
    public void BinaryAccuracy_WeightedRank1_Keras()
    {
        var m = new BinaryAccuracy();
        using (NewDisposeScope()) m.UpdateState(F([1, 1, 0, 0], 4), F([0.98f, 1, 0, 0.6f], 4), F([1, 0, 0, 1], 4));
        Assert.That(m.Value(), Is.EqualTo(0.5).Within(1e-3));
    }

    [Test]
    public void BinaryAccuracy_WeightedNdWeights_Keras()
    {
        var m = new BinaryAccuracy();
        using (NewDisposeScope()) m.UpdateState(F([1, 1, 0, 0], 2, 2), F([0.98f, 1, 0, 0.6f], 2, 2), F([1, 0, 0, 1], 2, 2));
        Assert.That(m.Value(), Is.EqualTo(0.5).Within(1e-3));
    }

    [Test]
    public void BinaryAccuracy_WeightedNdBroadcastWeights_Keras()
    {
        var m = new BinaryAccuracy();
        using (NewDisposeScope()) m.UpdateState(F([1, 1, 0, 0], 2, 2), F([0.98f, 1, 0, 0.6f], 2, 2), F([1, 0], 1, 2));
        Assert.That(m.Value(), Is.EqualTo(1.0).Within(1e-3));
    }

    [Test]
    public void BinaryAccuracy_Threshold_Keras()
    {
        var low = new BinaryAccuracy(threshold: 0.3);
        var high = new BinaryAccuracy(threshold: 0.9);
        using (NewDisposeScope())
        {
            low.UpdateState(F([1, 1, 0, 0], 4, 1), F([0.98f, 0.5f, 0.1f, 0.2f], 4, 1));
            high.UpdateState(F([1, 1, 0, 0], 4, 1), F([0.98f, 0.5f, 0.1f, 0.2f], 4, 1));
        }
        Assert.That(low.Value(), Is.EqualTo(1.0).Within(1e-6));
        Assert.That(high.Value(), Is.EqualTo(0.75).Within(1e-6));
    }

    [Test]
    public void CategoricalAccuracy_Weighted_Keras()
    {
        var m = new CategoricalAccuracy();
        using (NewDisposeScope())
            m.UpdateState(F([0, 0, 1, 0, 1, 0], 2, 3), F([0.1f, 0.9f, 0.8f, 0.05f, 0.95f, 0], 2, 3), F([0.7f, 0.3f], 2));
        Assert.That(m.Value(), Is.EqualTo(0.3).Within(1e-3));
    }

    [Test]
    public void SparseCategoricalAccuracy_Weighted_Keras()
    {
        var m = new SparseCategoricalAccuracy();
        using (NewDisposeScope()) m.UpdateState(F([2, 1], 2, 1), F([0.1f, 0.6f, 0.3f, 0.05f, 0.95f, 0], 2, 3), F([0.7f, 0.3f], 2));
        Assert.That(m.Value(), Is.EqualTo(0.3).Within(1e-3));
    }

    [Test]
    public void TheAccuraciesAreMeanMetricWrappers()
    {
        Assert.That(new BinaryAccuracy(), Is.InstanceOf<MeanMetricWrapper>());
        Assert.That(new CategoricalAccuracy(), Is.InstanceOf<MeanMetricWrapper>());
        Assert.That(new SparseCategoricalAccuracy(), Is.InstanceOf<MeanMetricWrapper>());
    }

    // accuracy_metrics_test.py AccuracyTest: exact matches, weighted in every shape Keras accepts.
    [TestCase(null, 0.75)]
    [TestCase(new float[] { 1, 1, 0, 0 }, 0.5)]
    public void Accuracy_Keras(float[]? weights, double expected)
    {
        var m = new Accuracy();
        using (NewDisposeScope()) m.UpdateState(F([1, 2, 3, 4], 4, 1), F([0, 2, 3, 4], 4, 1), weights is null ? null : F(weights, 4));
        Assert.That(m.Value(), Is.EqualTo(expected).Within(1e-3));
        Assert.That(m.Name, Is.EqualTo("accuracy"));
        Assert.That(m.Direction, Is.EqualTo(MetricDirection.Up));
    }

    [Test]
    public void Accuracy_NdAndBroadcastWeights_Keras()
    {
        var rank1 = new Accuracy();
        var nd = new Accuracy();
        var broadcast = new Accuracy();
        using (NewDisposeScope())
        {
            rank1.UpdateState(F([1, 2, 3, 4], 4), F([0, 2, 3, 4], 4), F([1, 1, 0, 0], 4));
            nd.UpdateState(F([1, 2, 3, 4], 2, 2), F([0, 2, 3, 4], 2, 2), F([1, 0, 0, 1], 2, 2));
            broadcast.UpdateState(F([1, 2, 3, 4], 2, 2), F([0, 2, 3, 4], 2, 2), F([1, 0], 1, 2));
        }
        Assert.That(rank1.Value(), Is.EqualTo(0.5).Within(1e-3));
        Assert.That(nd.Value(), Is.EqualTo(0.5).Within(1e-3));
        Assert.That(broadcast.Value(), Is.EqualTo(0.5).Within(1e-3));
    }
}
