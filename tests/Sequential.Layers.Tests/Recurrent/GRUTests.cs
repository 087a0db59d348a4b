using static TorchSharp.torch;
using static Sequential.Layers.Tests.RecurrentReference;

namespace Sequential.Layers.Tests;

public class GRUTests
{
    // keras/src/layers/rnn/gru_test.py test_correctness: arange(72) as (3, 6, 4), kernel 0.01, recurrent 0.02, bias 0.03.
    [TestCase(false, true, true, 0.5217289, 0.6371659, 0.39384964)]
    [TestCase(true, true, true, 0.24406259, 0.611516, 0.3928808)]
    [TestCase(false, false, true, 0.51447755, 0.6426879, 0.40208298)]
    [TestCase(false, true, false, 0.49988455, 0.64701194, 0.4103359)]
    public void Correctness_FromKeras_FusedAndStepPaths(bool goBackwards, bool resetAfter, bool useBias, double a, double b, double c)
    {
        foreach (bool fused in new[] { true, false })
        {
            var layer = new GRU(3, goBackwards: goBackwards, resetAfter: resetAfter, useBias: useBias) { AllowFused = fused };
            layer.EnsureBuilt([6, 4]);
            KerasConstants(layer);
            var y = layer.Apply(arange(72, dtype: ScalarType.Float32).reshape(3, 6, 4));
            var expected = tensor(new[] { a, a, a, b, b, b, c, c, c }).reshape(3, 3);
            Assert.That(allclose(y.to(ScalarType.Float64), expected, rtol: 1e-5, atol: 1e-5), Is.True, $"fused {fused}: {y.ToString(TorchSharp.TensorStringStyle.Numpy)}");
        }
    }

    [TestCase(false, true)]
    [TestCase(true, true)]
    [TestCase(false, false)]
    public void RandomWeights_FusedAndStepEqualHandWrittenEquations_OutputsStatesAndGradients(bool goBackwards, bool resetAfter)
    {
        RecurrentChecks.FusedStepAndReference(() => new GRU(5, returnSequences: true, goBackwards: goBackwards, resetAfter: resetAfter), 6, 3, 4);
    }

    [Test]
    public void Parameters_EqualKeras_BothConventions()
    {
        var layer = new GRU(64);
        layer.EnsureBuilt([200, 128]);
        Assert.That(layer.CountParams(), Is.EqualTo(37_248));
        Assert.That(layer.Bias!.shape, Is.EqualTo(new long[] { 2, 192 }));
        var before = new GRU(64, resetAfter: false);
        before.EnsureBuilt([200, 128]);
        Assert.That(before.CountParams(), Is.EqualTo(37_056));
        Assert.That(before.Bias!.shape, Is.EqualTo(new long[] { 192 }));
    }

    [Test]
    public void TwoDimensionalInput_Throws_NamingLayerExpectedRankAndShape()
    {
        var e = Assert.Throws<ArgumentException>(() => new GRU(4).Apply(zeros(2, 7)))!;
        Assert.That(e.Message, Does.Contain("\"gru\" (GRU) expects 3-D input [batch, timesteps, features]; got input with shape (None, 7)"));
    }

    [Test]
    public void SaveAndLoad_RoundTripsConfigurationAndWeights()
    {
        var model = new SequentialModel(new GRU(6, resetAfter: false, returnSequences: true, inputShape: [5, 3]), new GRU(4));
        var loaded = SavedModels.AssertRoundTrips(model, randn(2, 5, 3));
        Assert.That(loaded.Layers[0].GetConfig()["reset_after"], Is.EqualTo(false));
    }
}
