using Sequential.Metrics;
using TorchSharp;
using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Metrics;

public class MeanTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    [Test]
    public void WeightedByCount()
    {
        // batch losses 2.0 over 3 samples and 4.0 over 1 sample: (2*3 + 4*1) / 4 = 2.5 (not (2+4)/2 = 3)
        var m = new Mean("loss");
        using (NewDisposeScope())
        {
            m.UpdateState(tensor(2f), 3);
            m.UpdateState(tensor(4f), 1);
        }
        Assert.That(m.Value(), Is.EqualTo(2.5).Within(1e-5));
        Assert.That(m.Name, Is.EqualTo("loss"));
    }

    [Test]
    public void BaseUpdateState_AveragesSamples()
    {
        // Keras Mean.update_state([1, 3, 5, 7]) -> 4
        var m = new Mean();
        using (NewDisposeScope()) m.UpdateState(F([0], 1), F([1, 3, 5, 7], 4));
        Assert.That(m.Value(), Is.EqualTo(4.0).Within(1e-5));
    }

    [Test]
    public void Empty_IsZero_AsKeras()
    {
        var m = new Mean();
        Assert.That(m.Value(), Is.EqualTo(0.0));
        using (NewDisposeScope()) m.UpdateState(tensor(5f), 2);
        m.ResetState();
        Assert.That(m.Value(), Is.EqualTo(0.0));
        using (NewDisposeScope()) m.UpdateState(tensor(1f), 1);
        Assert.That(m.Value(), Is.EqualTo(1.0).Within(1e-6));
    }

    [Test]
    public void GradientCarryingLossIsDetached()
    {
        var m = new Mean("loss");
        using var scope = NewDisposeScope();
        var w = tensor(3f, requires_grad: true);
        m.UpdateState(w * 2, 1);
        Assert.That(m.Result().requires_grad, Is.False);
        Assert.That(m.Value(), Is.EqualTo(6.0).Within(1e-6));
    }

    [Test]
    public void StateSurvivesDisposedScope_TemporariesDoNot()
    {
        var m = new SparseCategoricalAccuracy();
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (NewDisposeScope())
            m.UpdateState(L([0, 1], 2), F([0.9f, 0.1f, 0.8f, 0.2f], 2, 2));   // 1 of 2 correct
        // Only the state tensor (the running total; the count lives on the host) outlives the batch's scope.
        Assert.That(DisposeScopeManager.Statistics.ThreadTotalLiveCount - before, Is.EqualTo(1));
        using (NewDisposeScope())
            m.UpdateState(L([1], 1), F([0.3f, 0.7f], 1, 2));                    // 1 of 1 correct
        Assert.That(DisposeScopeManager.Statistics.ThreadTotalLiveCount - before, Is.EqualTo(1));
        Assert.That(m.Value(), Is.EqualTo(2.0 / 3).Within(1e-6));
        Assert.That(DisposeScopeManager.Statistics.ThreadTotalLiveCount - before, Is.EqualTo(1));
    }

    [Test]
    public void UpdatingWithoutAnyScope_LeaksNothing()
    {
        var m = new Mean("loss");
        using var value = tensor(1f);
        m.UpdateState(value, 1);   // creates the state
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 10; i++) m.UpdateState(value, 4);
        Assert.That(DisposeScopeManager.Statistics.ThreadTotalLiveCount, Is.EqualTo(before));
    }

    // reduction_metrics_test.py MeanTest (atol 1e-3)
    [Test]
    public void Weighted_Keras()
    {
        var m = new Mean();
        using (NewDisposeScope()) m.UpdateValues(F([1, 3, 5, 7], 4), F([1, 1, 0, 0], 4));
        Assert.That(m.Value(), Is.EqualTo(2.0).Within(1e-3));
    }

    [Test]
    public void WeightedNegativeWeights_Keras()
    {
        var m = new Mean();
        using (NewDisposeScope()) m.UpdateValues(F([1, 3, 5, 7], 4), F([-1, -1, 0, 0], 4));
        Assert.That(m.Value(), Is.EqualTo(2.0).Within(1e-3));
    }

    [Test]
    public void WeightedNd_Keras()
    {
        var m = new Mean();
        using (NewDisposeScope()) m.UpdateValues(F([1, 3, 5, 7], 2, 2), F([1, 1, 1, 0], 2, 2));
        Assert.That(m.Value(), Is.EqualTo(3.0).Within(1e-3));
    }

    [Test]
    public void WeightedNdBroadcast_Keras()
    {
        var m = new Mean();
        using (NewDisposeScope()) m.UpdateValues(F([1, 3, 5, 7], 2, 2), F([1, 0], 1, 2));
        Assert.That(m.Value(), Is.EqualTo(3.0).Within(1e-3));
    }

    [Test]
    public void UpdateStateAsCompileCallsIt_TakesTheValuesFromYPred()
    {
        // Keras Mean.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0]) -> 2
        var m = new Mean();
        using (NewDisposeScope()) m.UpdateState(F([0], 1), F([1, 3, 5, 7], 4), F([1, 1, 0, 0], 4));
        Assert.That(m.Value(), Is.EqualTo(2.0).Within(1e-6));
    }

    [Test]
    public void WeightedAndUnweightedUpdates_Pool()
    {
        // [1, 3] unweighted (count 2) then [5, 7] with weights [2, 0] (count 2): (1 + 3 + 10) / 4 = 3.5
        var m = new Mean();
        using (NewDisposeScope()) m.UpdateValues(F([1, 3], 2));
        using (NewDisposeScope()) m.UpdateValues(F([5, 7], 2), F([2, 0], 2));
        Assert.That(m.Value(), Is.EqualTo(3.5).Within(1e-6));
    }

    [Test]
    public void AllZeroWeights_GiveZero_NotNaN()
    {
        var m = new Mean();
        using (NewDisposeScope()) m.UpdateValues(F([1, 3], 2), F([0, 0], 2));
        Assert.That(m.Value(), Is.EqualTo(0.0));
    }

    [Test]
    public void WeightedState_StaysTwoDeviceTensors_AndResetKeepsThem()
    {
        // the running total and the sum of weights outlive the batch's scope; nothing else does
        var m = new Mean();
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 3; i++)
            using (NewDisposeScope()) m.UpdateValues(F([1, 3, 5, 7], 2, 2), F([1, 2], 2));
        Assert.That(DisposeScopeManager.Statistics.ThreadTotalLiveCount - before, Is.EqualTo(2));
        Assert.That(m.Value(), Is.EqualTo((2 * 1 + 6 * 2) / 3.0).Within(1e-6));
        m.ResetState();
        Assert.That(m.Value(), Is.EqualTo(0.0));
        Assert.That(DisposeScopeManager.Statistics.ThreadTotalLiveCount - before, Is.EqualTo(2));
    }

    [Test]
    public void WeightsThatDoNotBroadcast_NameBothShapes()
    {
        var m = new Mean("loss_like");
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => m.UpdateValues(F([1, 3, 5, 7], 4), F([1, 1, 0], 3)));
        Assert.That(ex!.Message, Does.StartWith("Metric 'loss_like': sample weights of shape (3,) do not fit values of shape (4,)"));
    }
}
