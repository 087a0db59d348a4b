using static TorchSharp.torch;
using static Sequential.Layers.Tests.RecurrentReference;

namespace Sequential.Layers.Tests;

public class SimpleRNNTests
{
    // keras/src/layers/rnn/simple_rnn_test.py test_correctness: arange(24) as (2, 3, 4), kernel 0.01, recurrent 0.02, bias 0.03.
    [TestCase(false, 0.405432, 0.73605347)]
    [TestCase(true, 0.11144729, 0.5528889)]
    public void Correctness_FromKeras_FusedAndStepPaths(bool goBackwards, double a, double b)
    {
        foreach (bool fused in new[] { true, false })
        {
            var layer = new SimpleRNN(4, goBackwards: goBackwards) { AllowFused = fused };
            layer.EnsureBuilt([3, 4]);
            KerasConstants(layer);
            var y = layer.Apply(arange(24, dtype: ScalarType.Float32).reshape(2, 3, 4));
            var expected = tensor(new[] { a, b }).unsqueeze(1).expand(2, 4);
            Assert.That(allclose(y.to(ScalarType.Float64), expected, rtol: 1e-5, atol: 1e-5), Is.True, $"fused {fused}");
        }
    }

    [TestCase("tanh", false)]
    [TestCase("relu", true)]
    public void RandomWeights_FusedAndStepEqualHandWrittenEquations_OutputsStatesAndGradients(string activation, bool goBackwards)
    {
        RecurrentChecks.FusedStepAndReference(() => new SimpleRNN(5, activation: activation, returnSequences: true, goBackwards: goBackwards), 6, 3, 4);
    }

    [Test]
    public void Parameters_EqualKeras()
    {
        var layer = new SimpleRNN(32);
        layer.EnsureBuilt([10, 8]);
        Assert.That(layer.CountParams(), Is.EqualTo(8 * 32 + 32 * 32 + 32));
    }

    [Test]
    public void TrainingWithDropout_DropsInputsAndRecurrentState_AndInferenceDoesNot()
    {
        var layer = new SimpleRNN(4, dropout: 0.5, recurrentDropout: 0.5, seed: 1);
        layer.EnsureBuilt([3, 2]);
        var x = randn(8, 3, 2);
        var plain = layer.Apply(x, training: false);
        Assert.That(allclose(plain, layer.Apply(x, training: false)), Is.True, "inference is deterministic");
        Assert.That(allclose(layer.Apply(x, training: true), plain), Is.False, "training drops");
    }
}
