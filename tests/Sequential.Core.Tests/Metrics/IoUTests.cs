using Sequential.Metrics;
using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Metrics;

/// IoU, MeanIoU, BinaryIoU, OneHotIoU, OneHotMeanIoU: Keras's iou_metrics_test.py values.
public class IoUTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    private static double Run(Metric m, Tensor yTrue, Tensor yPred, Tensor? weight = null)
    {
        using (NewDisposeScope()) m.UpdateState(yTrue, yPred, weight);
        return m.Value();
    }

    private static Tensor I(params long[] ids) => L(ids, ids.Length);

    private static Tensor W(params float[] w) => F(w, w.Length);

    [Test]
    public void IoU_Keras()
    {
        Assert.That(Run(new IoU(2, [0, 1]), I(0, 0, 1, 1), I(0, 1, 0, 1)), Is.EqualTo((1.0 / 3 + 1.0 / 3) / 2).Within(1e-3));
        Assert.That(Run(new IoU(2, [1, 0]), I(0, 0, 1, 1), W(0, 1, 0, 1), W(0.2f, 0.3f, 0.4f, 0.1f)),
            Is.EqualTo((0.1 / (0.4 + 0.5 - 0.1) + 0.2 / (0.6 + 0.5 - 0.2)) / 2).Within(1e-3));
        Assert.That(Run(new IoU(2, [0, 1]), L([0, 0, 1, 1], 2, 2), F([0, 1, 0, 1], 2, 2), F([0.2f, 0.3f, 0.4f, 0.1f], 2, 2)),
            Is.EqualTo((0.2 / (0.6 + 0.5 - 0.2) + 0.1 / (0.4 + 0.5 - 0.1)) / 2).Within(1e-3));
        Assert.That(new IoU(2, [0, 1]).Value(), Is.EqualTo(0.0));
        Assert.That(Run(new IoU(2, [0, 1]), I(1), W(1)), Is.EqualTo(1.0).Within(1e-3));
        Assert.That(Run(new IoU(4, [0, 1, 2, 3]), I(0, 0, 1, 1), I(0, 1, 0, 1)), Is.EqualTo((1.0 / 3 + 1.0 / 3) / 2).Within(1e-3));
    }

    [TestCase(new long[] { 0, 2 }, new long[] { 0, 1 })]
    [TestCase(new long[] { 0, 1 }, new long[] { 0, 2 })]
    [TestCase(new long[] { -1, 0 }, new long[] { 0, 0 })]
    [TestCase(new long[] { 0, 1 }, new long[] { -1, 1 })]
    public void OutOfRangeIds_AreIgnored(long[] yTrue, long[] yPred) =>
        Assert.That(Run(new IoU(2, [0, 1]), I(yTrue), I(yPred)), Is.EqualTo(1.0).Within(1e-3));

    [Test]
    public void IoU_BadTargetClass_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new IoU(2, [0, 2]));
        Assert.That(e!.Message, Does.Contain("Target class id 2 is out of range, which is [0, 2)."));
    }

    [Test]
    public void MeanIoU_Keras()
    {
        Assert.That(Run(new MeanIoU(2), I(0, 0, 1, 1), I(0, 1, 0, 1)), Is.EqualTo(1.0 / 3).Within(1e-3));
        Assert.That(Run(new MeanIoU(3, ignoreClass: 255), I(0, 1, 2, 255), I(0, 1, 1, 1)), Is.EqualTo((1.0 + 0.5 + 0) / 3).Within(1e-3));
        Assert.That(Run(new MeanIoU(3, ignoreClass: -1), I(0, 1, 2, -1), I(0, 1, 1, 1)), Is.EqualTo((1.0 + 0.5 + 0) / 3).Within(1e-3));
        Assert.That(Run(new MeanIoU(2), I(0, 0, 1, 1), W(0, 1, 0, 1), W(0.2f, 0.3f, 0.4f, 0.1f)),
            Is.EqualTo((0.2 / (0.6 + 0.5 - 0.2) + 0.1 / (0.4 + 0.5 - 0.1)) / 2).Within(1e-3));
        Assert.That(Run(new MeanIoU(2, ignoreClass: -1), I(0, 0, 1, -1), W(0, 1, 0, 1), W(0.2f, 0.3f, 0.4f, 0.1f)),
            Is.EqualTo((0.2 / (0.6 + 0.5 - 0.2) + 0.0 / (0.3 + 0.4)) / 2).Within(1e-3));
        Assert.That(Run(new MeanIoU(2), I(1), W(1)), Is.EqualTo(1.0).Within(1e-3));
        Assert.That(Run(new MeanIoU(2), I(0, 3), I(0, 1)), Is.EqualTo(1.0).Within(1e-3));
        Assert.That(Run(new MeanIoU(3), I(0, 0, 0, 0), I(0, 0, 0, 0)), Is.EqualTo(1.0).Within(1e-3));
    }

    [Test]
    public void MeanIoU_BigChunk_MatchesABincountByHand()
    {
        RandomSeed.Set(14);
        var y = randint(0, 3, [4, 100, 100]);
        var p = randint(0, 3, [4, 100, 100]);
        var m = new MeanIoU(3);
        using (NewDisposeScope()) m.UpdateState(y, p);
        var cm = (y.reshape(-1) * 3 + p.reshape(-1)).bincount(null, 9).reshape(3, 3).to_type(ScalarType.Float64);
        var tp = cm.diagonal();
        var iou = tp / (cm.sum([0]) + cm.sum([1]) - tp);
        Assert.That(m.Value(), Is.EqualTo(iou.mean().item<double>()).Within(1e-12));
    }

    [Test]
    public void BinaryIoU_Keras()
    {
        Tensor Y() => I(0, 1, 0, 1);
        Tensor P() => W(0.1f, 0.2f, 0.4f, 0.7f);
        Assert.That(Run(new BinaryIoU([0, 1], threshold: 0.3), Y(), P(), W(0.2f, 0.3f, 0.4f, 0.1f)),
            Is.EqualTo((0.2 / (0.6 + 0.5 - 0.2) + 0.1 / (0.4 + 0.5 - 0.1)) / 2).Within(1e-3));
        Assert.That(Run(new BinaryIoU([0, 1], threshold: 0.5), Y(), P(), W(0.1f, 0.2f, 0.4f, 0.3f)),
            Is.EqualTo((0.5 / (0.5 + 0.7 - 0.5) + 0.3 / (0.5 + 0.3 - 0.3)) / 2).Within(1e-3));
        Assert.That(Run(new BinaryIoU([0, 1], threshold: 0.3), Y(), P()), Is.EqualTo((1.0 / 3 + 1.0 / 3) / 2).Within(1e-3));
        Assert.That(Run(new BinaryIoU([0, 1], threshold: 0.5), Y(), P()), Is.EqualTo((2.0 / 3 + 1.0 / 2) / 2).Within(1e-3));
        Assert.That(Run(new BinaryIoU([0, 1], threshold: 0.4), F([0, 1, 0, 1], 2, 2), F([0.1f, 0.7f, 0.9f, 0.3f], 2, 2), F([0.2f, 0.3f, 0.4f, 0.1f], 2, 2)),
            Is.EqualTo((0.2 / (0.6 + 0.3 - 0.2) + 0.3 / (0.4 + 0.7 - 0.3)) / 2).Within(1e-3));
        Assert.That(Run(new BinaryIoU([0, 1]), I(1), W(0.6f)), Is.EqualTo(1.0).Within(1e-3));
        var again = (BinaryIoU)MetricRegistry.FromConfig(nameof(BinaryIoU), new BinaryIoU([1, 0], 0.1, "iou_class_1_0").GetConfig());
        Assert.That((again.Threshold, again.Name, again.TargetClassIds), Is.EqualTo((0.1, "iou_class_1_0", (IReadOnlyList<int>)[1, 0])));
    }

    private static Tensor OneHotTrue() => F([0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 0], 4, 3);

    private static Tensor Scores() => F([0.2f, 0.3f, 0.5f, 0.1f, 0.2f, 0.7f, 0.5f, 0.3f, 0.1f, 0.1f, 0.4f, 0.5f], 4, 3);

    [Test]
    public void OneHotIoU_Keras()
    {
        Assert.That(Run(new OneHotIoU(3, [0, 2]), OneHotTrue(), Scores()), Is.EqualTo((0 / 3.0 + 1 / 3.0) / 2).Within(1e-3));
        Assert.That(Run(new OneHotIoU(3, [0, 2]), OneHotTrue(), Scores(), W(0.1f, 0.2f, 0.3f, 0.4f)),
            Is.EqualTo((0 / (0.3 + 0.6) + 0.1 / (0.7 + 0.1 - 0.1)) / 2).Within(1e-3));
    }

    [Test]
    public void OneHotMeanIoU_Keras() =>
        // Classes 0 (IoU 0), 1 (IoU 0: one label, one prediction, elsewhere) and 2 (IoU 1/3).
        Assert.That(Run(new OneHotMeanIoU(3), OneHotTrue(), Scores()), Is.EqualTo((0 + 0 + 1 / 3.0) / 3).Within(1e-3));
}
