using Sequential.Metrics;
using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Metrics;

/// Precision: Keras's confusion_metrics_test.py PrecisionTest values.
public class PrecisionTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    internal static double[] Values(Metric m)
    {
        using var scope = NewDisposeScope();
        return m.Result().to_type(ScalarType.Float64).data<double>().ToArray();
    }

    internal static double Run(Metric m, Tensor yTrue, Tensor yPred, Tensor? weight = null)
    {
        using (NewDisposeScope()) m.UpdateState(yTrue, yPred, weight);
        return m.Value();
    }

    [Test]
    public void Unweighted() => Assert.That(Run(new Precision(), F([0, 1, 1, 0], 4), F([1, 0, 1, 0], 4)), Is.EqualTo(0.5).Within(1e-7));

    [Test]
    public void AllIncorrect_IsZero()
    {
        var inputs = randint(0, 2, [100, 1]).to_type(ScalarType.Float32);
        Assert.That(Run(new Precision([0.5]), 1 - inputs, inputs), Is.EqualTo(0.0));
    }

    [Test]
    public void Weighted()
    {
        double result = Run(new Precision(), F([0, 1, 1, 0, 1, 0, 0, 1], 2, 4), F([1, 0, 1, 0, 1, 0, 1, 0], 2, 4), F([1, 2, 3, 4, 4, 3, 2, 1], 2, 4));
        Assert.That(result, Is.EqualTo((3.0 + 4.0) / (1.0 + 3.0 + 4.0 + 2.0)).Within(1e-7));
    }

    [Test]
    public void DivisionByZero_IsZero() => Assert.That(Run(new Precision(), F([0, 0, 0, 0], 4), F([0, 0, 0, 0], 4)), Is.EqualTo(0.0));

    [Test]
    public void UnweightedWithThresholds()
    {
        var m = new Precision([0.5, 0.7]);
        using (NewDisposeScope()) m.UpdateState(F([0, 1, 1, 0], 4), F([1, 0, 0.6f, 0], 4));
        Assert.That(Values(m), Is.EqualTo(new[] { 0.5, 0.0 }).Within(1e-7));
        var e = Assert.Throws<InvalidOperationException>(() => m.Value());
        Assert.That(e!.Message, Does.Contain("has 2 values"));
    }

    [Test]
    public void WeightedWithThresholds_MultipleUpdates()
    {
        var once = new Precision([0.5, 1.0]);
        var twice = new Precision([0.5, 1.0]);
        for (int i = 0; i < 2; i++)
            using (NewDisposeScope())
            {
                if (i == 0) once.UpdateState(F([0, 1, 1, 0], 2, 2), F([1, 0, 0.6f, 0], 2, 2), F([4, 0, 3, 1], 2, 2));
                twice.UpdateState(F([0, 1, 1, 0], 2, 2), F([1, 0, 0.6f, 0], 2, 2), F([4, 0, 3, 1], 2, 2));
            }
        Assert.That(Values(once), Is.EqualTo(new[] { 3.0 / 7, 0 }).Within(1e-7));
        Assert.That(Values(twice), Is.EqualTo(new[] { 6.0 / 14, 0 }).Within(1e-7));
    }

    [Test]
    public void UnweightedTopK() => Assert.That(Run(new Precision(topK: 3), F([0, 1, 1, 0, 0], 5), F([0.2f, 0.1f, 0.5f, 0, 0.2f], 5)), Is.EqualTo(1.0 / 3).Within(1e-7));

    [Test]
    public void WeightedTopK_AcrossBatchesOfDifferentRank()
    {
        var m = new Precision(topK: 3);
        using (NewDisposeScope()) m.UpdateState(F([0, 1, 1, 0, 1], 1, 5), F([0.2f, 0.1f, 0.4f, 0, 0.2f], 1, 5), F([1, 4, 2, 3, 5], 1, 5));
        using (NewDisposeScope()) m.UpdateState(F([1, 0, 1, 1, 1], 5), F([0.2f, 0.6f, 0.4f, 0.2f, 0.2f], 5), tensor(3f));
        Assert.That(m.Value(), Is.EqualTo((2.0 + 5 + 3 + 3) / (1 + 2 + 5 + 3 + 3 + 3)).Within(1e-7));
    }

    [Test]
    public void ClassIdOnAVector_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new Precision(classId: 2).UpdateState(F([0, 1, 1, 0, 0], 5), F([0.2f, 0.1f, 0.6f, 0, 0.2f], 5)));
        Assert.That(e!.Message, Does.Contain("classId 2 needs predictions of shape (samples, classes)"));
    }

    internal static Tensor ClassPred() => F([0.1f, 0.2f, 0.7f, 0.5f, 0.3f, 0.2f, 0.2f, 0.6f, 0.2f, 0.7f, 0.2f, 0.1f, 0.1f, 0.1f, 0.8f], 5, 3);

    internal static Tensor ClassTrue() => F([0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1], 5, 3);

    [Test]
    public void ClassIdMulticlass() => Assert.That(Run(new Precision(classId: 1), ClassTrue(), ClassPred()), Is.EqualTo(1.0));

    [Test]
    public void TopKAndThreshold() =>
        Assert.That(Run(new Precision([0.7], topK: 2), F([0, 1, 1, 0, 1], 5), F([0.2f, 0.8f, 0.6f, 0, 0.2f], 5)), Is.EqualTo(1.0));

    [Test]
    public void Config_RoundTrips_AndStringsResolve()
    {
        var m = new Precision([0.4, 0.9], topK: 15, classId: 12, name: "my_precision");
        var again = (Precision)MetricRegistry.FromConfig(nameof(Precision), m.GetConfig());
        Assert.That((again.Name, again.TopK, again.ClassId), Is.EqualTo(("my_precision", (int?)15, (int?)12)));
        Assert.That(again.Thresholds, Is.EqualTo(new[] { 0.4, 0.9 }));
        Assert.That(MetricRegistry.Get("precision"), Is.TypeOf<Precision>());
        Assert.That(MetricRegistry.Get("Recall").Name, Is.EqualTo("Recall"));
    }
}
