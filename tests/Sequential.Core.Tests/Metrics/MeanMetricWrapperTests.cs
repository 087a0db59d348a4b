using Sequential.Metrics;
using TorchSharp;
using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Metrics;

/// <summary>Keras's reduction_metrics_test.py MetricWrapperTest, with a function and with a derived class.</summary>
public class MeanMetricWrapperTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    private static Tensor Mse(Tensor yTrue, Tensor yPred) => (yTrue - yPred).square();

    /// A metric as a user writes it: one method.
    private sealed class SquaredError(string name = "squared_error") : MeanMetricWrapper(name)
    {
        public override Tensor ComputeValues(Tensor yTrue, Tensor yPred) => (yTrue - yPred).square();
    }

    private static Tensor Y() => F([0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1], 4, 5);

    private static Tensor P() => F([0, 0, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1], 4, 5);

    private static IEnumerable<TestCaseData> Wrappers()
    {
        yield return new TestCaseData(new Func<Metric>(() => new MeanMetricWrapper(Mse, name: "mse"))).SetArgDisplayNames("function");
        yield return new TestCaseData(new Func<Metric>(() => new SquaredError())).SetArgDisplayNames("derived_class");
    }

    [TestCaseSource(nameof(Wrappers))]
    public void Unweighted_Keras(Func<Metric> create)
    {
        var m = create();
        using (NewDisposeScope()) m.UpdateState(Y(), P());
        Assert.That(m.Value(), Is.EqualTo(0.5).Within(1e-5));
    }

    [TestCaseSource(nameof(Wrappers))]
    public void Weighted_Keras(Func<Metric> create)
    {
        var m = create();
        using (NewDisposeScope()) m.UpdateState(Y(), P(), F([1, 1.5f, 2, 2.5f], 4));
        Assert.That(m.Value(), Is.EqualTo(0.54285).Within(1e-5));
    }

    [TestCaseSource(nameof(Wrappers))]
    public void WeightedBroadcast_Keras(Func<Metric> create)
    {
        var m = create();
        using (NewDisposeScope()) m.UpdateState(Y(), P(), F([1, 0, 0.5f, 0, 1], 1, 5));
        Assert.That(m.Value(), Is.EqualTo(0.45).Within(1e-5));
    }

    [Test]
    public void PredictionsReachTheFunctionDetached_AndStateLeavesNoTemporaries()
    {
        bool sawGradient = true;
        var m = new MeanMetricWrapper((y, p) => { sawGradient = p.requires_grad; return (y - p).abs(); }, name: "mae");
        var w = tensor(new[] { 1f, 2f }).requires_grad_();
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (NewDisposeScope()) m.UpdateState(F([0, 0], 2, 1), (w * 1).reshape(2, 1), F([1, 1], 2));
        Assert.That(sawGradient, Is.False);
        Assert.That(DisposeScopeManager.Statistics.ThreadTotalLiveCount - before, Is.EqualTo(2));   // total and weights
        Assert.That(m.Value(), Is.EqualTo(1.5).Within(1e-6));
        Assert.That(m.Result().requires_grad, Is.False);
    }

    [Test]
    public void AFunctionWrapperCannotBeSaved_AndSaysWhatToDoInstead()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new MeanMetricWrapper(Mse, name: "my_mse").GetConfig());
        Assert.That(ex!.Message, Does.StartWith("The metric 'my_mse' wraps a function, which cannot be saved")
            .And.Contain("overrides ComputeValues").And.Contain("MetricRegistry.Register<T>()"));
        Assert.That(new SquaredError("sq").GetConfig(), Is.EqualTo(new Dictionary<string, object?> { ["name"] = "sq" }));
    }

    [Test]
    public void ShapesLibtorchRefuses_GiveAnErrorNamingTheMetricAndBothShapes()
    {
        var metric = new BinaryAccuracy();
        var e = Assert.Throws<ArgumentException>(() => metric.UpdateState(torch.zeros(4, 2), torch.zeros(4, 3)));
        Assert.That(e!.Message, Does.StartWith("Metric 'binary_accuracy' (BinaryAccuracy) cannot compare targets of shape (4, 2)")
            .And.Contain("with outputs of shape (4, 3)"));
    }
}
