using Sequential.Metrics;
using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Metrics;

/// TruePositives, FalsePositives, TrueNegatives, FalseNegatives: Keras's confusion_metrics_test.py values.
public class ConfusionMatrixCountTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    private static Tensor Y45() => F([0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1], 4, 5);

    private static Tensor P45() => F([0, 0, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1], 4, 5);

    private static Tensor P44() => F([0.9f, 0.2f, 0.8f, 0.1f, 0.2f, 0.9f, 0.7f, 0.6f, 0.1f, 0.2f, 0.4f, 0.3f, 0, 1, 0.7f, 0.3f], 4, 4);

    private static Tensor Y44() => F([0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1], 4, 4);

    private static double[] Values(Metric m)
    {
        using var scope = NewDisposeScope();
        return m.Result().to_type(ScalarType.Float64).data<double>().ToArray();
    }

    private static double Run(Metric m, Tensor yTrue, Tensor yPred, Tensor? weight = null)
    {
        using (NewDisposeScope()) m.UpdateState(yTrue, yPred, weight);
        return m.Value();
    }

    [Test]
    public void Unweighted_Keras()
    {
        Assert.That(Run(new FalsePositives(), Y45(), P45()), Is.EqualTo(7.0));
        Assert.That(Run(new FalseNegatives(), Y45(), P45()), Is.EqualTo(3.0));
        Assert.That(Run(new TrueNegatives(), Y45(), P45()), Is.EqualTo(3.0));
        Assert.That(Run(new TruePositives(), Y45(), P45()), Is.EqualTo(7.0));
    }

    [Test]
    public void Weighted_Keras()
    {
        Tensor W() => F([1, 1.5f, 2, 2.5f], 4);
        Assert.That(Run(new FalsePositives(), Y45(), P45(), W()), Is.EqualTo(14.0).Within(1e-6));
        Assert.That(Run(new FalseNegatives(), Y45(), P45(), W()), Is.EqualTo(5.0).Within(1e-6));
        Assert.That(Run(new TrueNegatives(), Y45(), P45(), W()), Is.EqualTo(4.0).Within(1e-6));
        Assert.That(Run(new TruePositives(), Y45(), P45(), W()), Is.EqualTo(12.0).Within(1e-6));
    }

    [Test]
    public void UnweightedWithThresholds_Keras()
    {
        double[] thresholds = [0.15, 0.5, 0.85];
        Metric[] metrics = [new FalsePositives(thresholds), new FalseNegatives(thresholds), new TrueNegatives(thresholds), new TruePositives(thresholds)];
        foreach (var m in metrics)
            using (NewDisposeScope()) m.UpdateState(Y44(), P44());
        Assert.That(Values(metrics[0]), Is.EqualTo(new[] { 7.0, 4, 2 }));
        Assert.That(Values(metrics[1]), Is.EqualTo(new[] { 1.0, 4, 6 }));
        Assert.That(Values(metrics[2]), Is.EqualTo(new[] { 2.0, 5, 7 }));
        Assert.That(Values(metrics[3]), Is.EqualTo(new[] { 6.0, 3, 1 }));
    }

    [Test]
    public void WeightedWithThresholds_KerasWeightShapes()
    {
        double[] thresholds = [0.15, 0.5, 0.85];
        var fp = new FalsePositives(thresholds);
        var fn = new FalseNegatives(thresholds);
        var tn = new TrueNegatives(thresholds);
        var tp = new TruePositives(thresholds);
        using (NewDisposeScope())
        {
            fp.UpdateState(Y44(), P44(), F([1, 2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 5, 15, 10, 0], 4, 4));   // per element
            fn.UpdateState(Y44(), P44(), F([3, 5, 7, 4], 4, 1));                                            // per sample, [N, 1]
            tn.UpdateState(Y44(), P44(), F([0, 2, 3, 5], 1, 4));                                            // per column, [1, C]
            tp.UpdateState(Y44(), P44(), tensor(37f));                                                      // one number
        }
        Assert.That(Values(fp), Is.EqualTo(new[] { 125.0, 42, 12 }));
        Assert.That(Values(fn), Is.EqualTo(new[] { 4.0, 16, 23 }));
        Assert.That(Values(tn), Is.EqualTo(new[] { 5.0, 15, 23 }));
        Assert.That(Values(tp), Is.EqualTo(new[] { 222.0, 111, 37 }));
    }

    [Test]
    public void ThresholdOutsideUnitInterval_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new FalsePositives([-1, 0.5, 2]));
        Assert.That(e!.Message, Does.Contain("Threshold values must be in [0, 1]; received -1, 2."));
        Assert.Throws<ArgumentException>(() => new TruePositives([double.NaN]));
    }

    [Test]
    public void Config_RoundTrips()
    {
        var m = new FalsePositives([0.4, 0.9], name: "my_fp");
        var again = (FalsePositives)MetricRegistry.FromConfig(nameof(FalsePositives), m.GetConfig());
        Assert.That(again.Name, Is.EqualTo("my_fp"));
        Assert.That(again.Thresholds, Is.EqualTo(new[] { 0.4, 0.9 }));
    }

    [Test]
    public void ManyBatches_PoolAcrossTheDeviceBuffer()
    {
        // 300 batches of 4 x 5 (6,000 elements, more than one buffer's worth is not needed: the result reads pending rows too).
        var m = new TruePositives();
        for (int i = 0; i < 300; i++)
            using (NewDisposeScope()) m.UpdateState(Y45(), P45());
        Assert.That(m.Value(), Is.EqualTo(7.0 * 300));
        m.ResetState();
        Assert.That(m.Value(), Is.EqualTo(0.0));
    }

    [Test]
    public void BufferedBatch_IsCopied_NotAliased()
    {
        // The metric bins batches later; changing the caller's tensor afterwards must not change the count.
        var m = new TruePositives();
        var yTrue = Y45();
        var yPred = P45();
        m.UpdateState(yTrue, yPred);
        yPred.zero_();
        Assert.That(m.Value(), Is.EqualTo(7.0));
    }

    [Test]
    public void MismatchedShapes_NameBoth()
    {
        var e = Assert.Throws<ArgumentException>(() => new TruePositives().UpdateState(F([0, 1, 1], 3), F([0, 1, 1, 1], 2, 2)));
        Assert.That(e!.Message, Does.Contain("(3,)").And.Contain("(2, 2)").And.Contain("true_positives"));
    }
}
