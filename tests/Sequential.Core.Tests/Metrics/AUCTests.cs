using Sequential.Metrics;
using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Metrics;

/// AUC: Keras's confusion_metrics_test.py AUCTest and MultiAUCTest values and tolerances.
public class AUCTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    private static Tensor Pred() => F([0, 0.5f, 0.3f, 0.9f], 4);

    private static Tensor Logits() => -(1.0f / (Pred() + 1e-12f) - 1.0f).log();

    private static Tensor True() => F([0, 0, 1, 1], 4);

    private static Tensor Weight() => F([1, 2, 3, 4], 4);

    private static double Run(AUC m, Tensor yTrue, Tensor yPred, Tensor? weight = null)
    {
        using (NewDisposeScope()) m.UpdateState(yTrue, yPred, weight);
        return m.Value();
    }

    [Test]
    public void UnweightedAllCorrect()
    {
        var inputs = randint(0, 2, [100, 1]).to_type(ScalarType.Float32);
        inputs[0, 0] = tensor(0f);
        inputs[1, 0] = tensor(1f);
        Assert.That(Run(new AUC(), inputs, inputs), Is.EqualTo(1.0));
    }

    [Test]
    public void Unweighted() => Assert.That(Run(new AUC(numThresholds: 3), True(), Pred()), Is.EqualTo(0.75).Within(1e-3));

    [Test]
    public void UnweightedFromLogits() => Assert.That(Run(new AUC(numThresholds: 3, fromLogits: true), True(), Logits()), Is.EqualTo(0.75).Within(1e-3));

    [Test]
    public void ManualThresholds() => Assert.That(Run(new AUC(numThresholds: 2, thresholds: [0.5]), True(), Pred()), Is.EqualTo(0.75).Within(1e-3));

    [TestCase("ROC", "interpolation", 0.7855)]
    [TestCase("ROC", "majoring", 1.0)]
    [TestCase("ROC", "minoring", 0.571)]
    [TestCase("PR", "majoring", 0.429 + 0.571)]
    [TestCase("PR", "minoring", 0.7 * 0.429)]
    [TestCase("PR", "interpolation", 2.416 / 7 + 4.0 / 7)]
    [TestCase("PRGAIN", "majoring", 1.0)]
    [TestCase("PRGAIN", "minoring", 0.0)]
    [TestCase("PRGAIN", "interpolation", 0.5)]
    public void Weighted(string curve, string summation, double expected) =>
        Assert.That(Run(new AUC(numThresholds: 3, curve: curve, summationMethod: summation), True(), Pred(), Weight()),
            Is.EqualTo(expected).Within(1e-3));

    [Test]
    public void WeightedPrInterpolation_NegativeWeights() =>
        Assert.That(Run(new AUC(numThresholds: 3, curve: "PR"), True(), Pred(), F([-1, -2, -3, -4], 4)), Is.EqualTo(0.0).Within(1e-3));

    [Test]
    public void PrGainInterpolation() =>
        Assert.That(Run(new AUC(numThresholds: 3, curve: "PRGAIN"), F([0, 0, 0, 1, 0, 1, 0, 1, 1, 1], 10),
                F([0.1f, 0.2f, 0.3f, 0.3f, 0.4f, 0.4f, 0.6f, 0.6f, 0.8f, 0.9f], 10)),
            Is.EqualTo(0.666666 * 0.333333 + 0.333333 * 0.833333).Within(1e-3));

    [Test]
    public void InvalidArguments_Throw()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => new AUC(numThresholds: 1))!.Message, Does.Contain("Argument `numThresholds` must be an integer > 1"));
        Assert.That(Assert.Throws<ArgumentException>(() => new AUC(curve: "Invalid"))!.Message, Does.Contain("Invalid AUC curve value \"Invalid\""));
        Assert.That(Assert.Throws<ArgumentException>(() => new AUC(summationMethod: "Invalid"))!.Message,
            Does.Contain("Invalid AUC summation method value \"Invalid\""));
        Assert.Throws<ArgumentException>(() => new AUC(numLabels: 2));
    }

    [Test]
    public void ExtraDims()
    {
        var logits = F([-10, 10, -10, 10, -10, 10, -12, 12, -12, 12, -12, 12], 2, 2, 3).neg().sigmoid();
        var labels = F([1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 1, 1], 2, 2, 3);
        Assert.That(Run(new AUC(), labels, logits), Is.EqualTo(0.5).Within(1e-7));
    }

    [Test]
    public void Config_RoundTrips()
    {
        var m = new AUC(numThresholds: 100, curve: "pr", summationMethod: "Majoring", name: "auc_1", multiLabel: true, numLabels: 2, fromLogits: true);
        var again = (AUC)MetricRegistry.FromConfig(nameof(AUC), m.GetConfig());
        Assert.That((again.Name, again.NumThresholds, again.Curve, again.SummationMethod, again.MultiLabel, again.NumLabels, again.FromLogits),
            Is.EqualTo(("auc_1", 100, "PR", "majoring", true, (int?)2, true)));
        var manual = new AUC(curve: "PR", summationMethod: "majoring", thresholds: [0.5, 0.3]);
        var manualAgain = (AUC)MetricRegistry.FromConfig(nameof(AUC), manual.GetConfig());
        Assert.That(manualAgain.Thresholds, Is.EqualTo(new[] { 0.3, 0.5 }));
        Assert.That(manualAgain.NumThresholds, Is.EqualTo(4));
    }

    // MultiAUCTest: two labels, 5 thresholds.
    private static Tensor MultiPred() => F([0, 0.5f, 0.3f, 0.9f, 0.1f, 0.2f, 0.3f, 0.4f], 2, 4).t();

    private static Tensor MultiGood() => F([0, 0, 1, 1, 0, 0, 1, 1], 2, 4).t();

    [Test]
    public void MultiLabel_AllCorrect()
    {
        Assert.That(Run(new AUC(multiLabel: true), MultiGood(), MultiGood()), Is.EqualTo(1.0));
        Assert.That(Run(new AUC(multiLabel: false), MultiGood(), MultiGood()), Is.EqualTo(1.0));
    }

    [Test]
    public void MultiLabel_Unweighted() =>
        Assert.That(Run(new AUC(numThresholds: 5, multiLabel: true), MultiGood(), MultiPred()), Is.EqualTo((0.875 + 1.0) / 2).Within(1e-3));

    [Test]
    public void MultiLabel_FromLogits()
    {
        var logits = -(1.0f / (MultiPred() + 1e-12f) - 1.0f).log();
        Assert.That(Run(new AUC(numThresholds: 5, multiLabel: true, fromLogits: true), MultiGood(), logits), Is.EqualTo((0.875 + 1.0) / 2).Within(1e-3));
    }

    [Test]
    public void Flat_SampleWeights()
    {
        Assert.That(Run(new AUC(numThresholds: 5), MultiGood(), MultiPred(), Weight()), Is.EqualTo(1.0 - 0.3333 * (1.0 - 0.2857) / 2).Within(1e-3));
        Assert.That(Run(new AUC(numThresholds: 5), MultiGood(), MultiPred(), arange(8f).reshape(4, 2)),
            Is.EqualTo(1.0 - 0.3333 * (1.0 - 0.2727) / 2).Within(1e-3));
    }

    [Test]
    public void LabelWeights()
    {
        Assert.That(Run(new AUC(numThresholds: 5, multiLabel: true, labelWeights: [0.75, 0.25]), MultiGood(), MultiPred()),
            Is.EqualTo((0.875 * 0.75 + 1.0 * 0.25) / (0.75 + 0.25)).Within(1e-3));
        Assert.That(Run(new AUC(numThresholds: 5, multiLabel: false, labelWeights: [0.75, 0.25]), MultiGood(), MultiPred()),
            Is.EqualTo(1.0 - (1.0 - 0.375) * 0.375 / 2.0).Within(1e-2));
    }

    [Test]
    public void Flat_Unweighted() => Assert.That(Run(new AUC(numThresholds: 5), MultiGood(), MultiPred()), Is.EqualTo(1.0 - 3.0 / 32).Within(1e-3));

    [Test]
    public void MultiLabel_WrongColumnCount_Throws()
    {
        var m = new AUC(multiLabel: true, numLabels: 3);
        var e = Assert.Throws<ArgumentException>(() => m.UpdateState(MultiGood(), MultiPred()));
        Assert.That(e!.Message, Does.Contain("have 2 labels, but the metric was created for 3"));
    }

    [Test]
    public void BatchesOfChangingSizes_EqualOneBatch()
    {
        // Sizes 32, 32, 7, 32, 1, 32, ... (the cached buffer views per batch size are remade when the size changes),
        // with and without weights mixed in, against the same rows in one weighted batch.
        RandomSeed.Set(5);
        var y = randint(0, 2, [300, 4]).to_type(ScalarType.Float32);
        var p = (rand([300, 4]) * 0.7f + y * 0.3f).clamp(0, 1);
        var w = ones(300);
        int[] sizes = [32, 32, 7, 32, 1, 32, 32, 20, 32, 32, 50];
        var batched = new AUC(numThresholds: 50);
        int start = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            int end = start + sizes[i];
            using (NewDisposeScope())
            {
                if (i % 3 == 2)
                {
                    w[start..end] = tensor(2f);
                    batched.UpdateState(y[start..end], p[start..end], full(sizes[i], 2f));
                }
                else
                {
                    batched.UpdateState(y[start..end], p[start..end]);
                }
            }
            start = end;
        }
        var whole = new AUC(numThresholds: 50);
        using (NewDisposeScope()) whole.UpdateState(y[..start], p[..start], w[..start]);
        Assert.That(batched.Value(), Is.EqualTo(whole.Value()).Within(1e-12));
    }

    [Test]
    public void ManyBatches_EqualOneBatch()
    {
        // 4,000 x 40 predictions in 125 batches of 32 rows (the device buffer fills and is binned three times) against one batch.
        RandomSeed.Set(3);
        var y = randint(0, 2, [4000, 40]).to_type(ScalarType.Float32);
        var p = (rand([4000, 40]) * 0.6f + y * 0.4f).clamp(0, 1);
        var whole = new AUC();
        var batched = new AUC();
        using (NewDisposeScope()) whole.UpdateState(y, p);
        for (int i = 0; i < 125; i++)
            using (NewDisposeScope()) batched.UpdateState(y[(i * 32)..((i + 1) * 32)], p[(i * 32)..((i + 1) * 32)]);
        Assert.That(batched.Value(), Is.EqualTo(whole.Value()).Within(1e-12));
        Assert.That(whole.Value(), Is.GreaterThan(0.7));
    }
}
