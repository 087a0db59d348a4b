using Sequential.Metrics;
using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Metrics;

/// Sum: Keras's reduction_metrics_test.py SumTest values.
public class SumTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    [Test]
    public void Unweighted_Keras()
    {
        var m = new Sum();
        using (NewDisposeScope()) m.UpdateValues(F([1, 3, 5, 7], 4));
        Assert.That(m.Value(), Is.EqualTo(16.0));
        m.ResetState();
        Assert.That(m.Value(), Is.EqualTo(0.0));
    }

    [Test]
    public void Weighted_Keras()
    {
        var m = new Sum();
        using (NewDisposeScope()) m.UpdateValues(F([1, 3, 5, 7], 4), F([1, 1, 0, 0], 4));
        Assert.That(m.Value(), Is.EqualTo(4.0));
        var nd = new Sum();
        using (NewDisposeScope()) nd.UpdateValues(F([1, 3, 5, 7], 2, 2), F([1, 1, 1, 0], 2, 2));
        Assert.That(nd.Value(), Is.EqualTo(9.0));
        var broadcast = new Sum();
        using (NewDisposeScope()) broadcast.UpdateValues(F([1, 3, 5, 7], 2, 2), F([1, 0], 1, 2));
        Assert.That(broadcast.Value(), Is.EqualTo(6.0));
    }
}
