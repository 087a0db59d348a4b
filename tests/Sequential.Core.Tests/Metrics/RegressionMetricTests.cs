using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;
using MaeMetric = Sequential.Metrics.MeanAbsoluteError;
using MseMetric = Sequential.Metrics.MeanSquaredError;

namespace Sequential.Core.Tests.Metrics;

/// The metric versions of mean squared and mean absolute error.
public class RegressionMetricTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    [Test]
    public void MeanSquaredError_KerasDocstringExample()
    {
        // y [[0,1],[0,0]], p [[1,1],[0,0]]: per sample mean(1, 0) = 0.5 and 0 -> 0.25
        var m = new MseMetric();
        using (NewDisposeScope()) m.UpdateState(F([0, 1, 0, 0], 2, 2), F([1, 1, 0, 0], 2, 2));
        Assert.That(m.Value(), Is.EqualTo(0.25).Within(1e-6));
        Assert.That(m.Name, Is.EqualTo("mean_squared_error"));
    }

    [Test]
    public void MeanAbsoluteError_PoolsBatchesOfDifferentSizes()
    {
        // batch 1: |1-3| = 2 and |0-0| = 0 (2 samples); batch 2: |5-4| = 1 (1 sample) -> (2 + 0 + 1) / 3 = 1
        var m = new MaeMetric();
        using (NewDisposeScope()) m.UpdateState(F([1, 0], 2), F([3, 0], 2, 1));
        using (NewDisposeScope()) m.UpdateState(F([5], 1, 1), F([4], 1, 1));
        Assert.That(m.Value(), Is.EqualTo(1.0).Within(1e-6));
    }

    // regression_metrics_test.py: 4 samples of 5 values, per-sample squared (= absolute) errors 0.4, 0.4, 0.4, 0.8
    private static Tensor Y45() => F([0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1], 4, 5);

    private static Tensor P45() => F([0, 0, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1], 4, 5);

    [Test]
    public void UnweightedAndWeighted_Keras()
    {
        var mse = new MseMetric();
        var mae = new MaeMetric();
        var weightedMse = new MseMetric();
        var weightedMae = new MaeMetric();
        using (NewDisposeScope())
        {
            mse.UpdateState(Y45(), P45());
            mae.UpdateState(Y45(), P45());
            weightedMse.UpdateState(Y45(), P45(), F([1, 1.5f, 2, 2.5f], 4));
            weightedMae.UpdateState(Y45(), P45(), F([1, 1.5f, 2, 2.5f], 4));
        }
        Assert.That(mse.Value(), Is.EqualTo(0.5).Within(1e-5));
        Assert.That(mae.Value(), Is.EqualTo(0.5).Within(1e-5));
        Assert.That(weightedMse.Value(), Is.EqualTo(0.54285).Within(1e-5));
        Assert.That(weightedMae.Value(), Is.EqualTo(0.54285).Within(1e-5));
    }
}
