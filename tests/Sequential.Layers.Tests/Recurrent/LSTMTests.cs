using static TorchSharp.torch;
using static Sequential.Layers.Tests.RecurrentReference;

namespace Sequential.Layers.Tests;

public class LSTMTests
{
    private static Tensor KerasSequence(int n, int t, int f) => arange(n * t * f, dtype: ScalarType.Float32).reshape(n, t, f);

    // keras/src/layers/rnn/lstm_test.py test_correctness: arange(72) as (3, 6, 4), kernel 0.01, recurrent 0.02, bias 0.03.
    [TestCase(false, true, true, 0.6288687, 0.86899155, 0.9460773)]
    [TestCase(true, true, true, 0.35622165, 0.74789524, 0.8872726)]
    [TestCase(false, false, true, 0.57019705, 0.8661914, 0.9459622)]
    [TestCase(false, true, false, 0.54986924, 0.86226785, 0.9443936)]
    public void Correctness_FromKeras_FusedAndStepPaths(bool goBackwards, bool unitForgetBias, bool useBias, double a, double b, double c)
    {
        foreach (bool fused in new[] { true, false })
        {
            var layer = new LSTM(3, goBackwards: goBackwards, unitForgetBias: unitForgetBias, useBias: useBias) { AllowFused = fused };
            layer.EnsureBuilt([6, 4]);
            KerasConstants(layer);
            var y = layer.Apply(KerasSequence(3, 6, 4));
            var expected = tensor(new[] { a, a, a, b, b, b, c, c, c }).reshape(3, 3);
            Assert.That(allclose(y.to(ScalarType.Float64), expected, rtol: 1e-5, atol: 1e-5), Is.True, $"fused {fused}: {y.ToString(TorchSharp.TensorStringStyle.Numpy)}");
        }
    }

    // lstm_test.py test_statefulness: the second call on (2, 3, 4) continues from the first call's states.
    [Test]
    public void Stateful_FromKeras_SecondBatchContinuesAndResetStatesRestarts()
    {
        var layer = new LSTM(4, stateful: true);
        layer.EnsureBuilt([3, 4]);
        KerasConstants(layer);
        var x = KerasSequence(2, 3, 4);
        var first = layer.Apply(x);
        var second = layer.Apply(x);
        var expected = tensor(new[] { 0.3124785f, 0.6863672f }).unsqueeze(1).expand(2, 4);
        Assert.That(allclose(second, expected, rtol: 1e-5, atol: 1e-5), Is.True, second.ToString(TorchSharp.TensorStringStyle.Numpy));
        Assert.That(layer.States!.Count, Is.EqualTo(2));
        layer.ResetStates();
        Assert.That(layer.States, Is.Null);
        Assert.That(allclose(layer.Apply(x), first), Is.True);
        var wrongBatch = Assert.Throws<ArgumentException>(() => layer.Apply(KerasSequence(3, 3, 4)))!;
        Assert.That(wrongBatch.Message, Does.Contain("Expected batch size: 2; received batch size: 3"));
    }

    // lstm_test.py test_masking: arange(24) as (2, 4, 3) with a right-padded mask, returnSequences, zero_output_for_mask.
    [Test]
    public void Masking_FromKeras_MaskedStepsRepeatTheLastOutput()
    {
        var layer = new LSTM(2, returnSequences: true);
        layer.EnsureBuilt([4, 3]);
        KerasConstants(layer);
        var mask = tensor(new[] { true, true, true, false, true, true, false, false }).reshape(2, 4);
        var (y, _) = layer.CallWithStates(KerasSequence(2, 4, 3), mask: mask);
        float[] expected = [0.01588910f, 0.05552048f, 0.11755939f, 0.11755939f, 0.14185596f, 0.28556206f, 0.28556206f, 0.28556206f];
        Assert.That(allclose(y.select(2, 0).flatten(), tensor(expected), rtol: 1e-5, atol: 1e-5), Is.True, y.ToString(TorchSharp.TensorStringStyle.Numpy));
        layer.ZeroOutputForMask = true;
        (y, _) = layer.CallWithStates(KerasSequence(2, 4, 3), mask: mask);
        expected = [0.01588910f, 0.05552048f, 0.11755939f, 0f, 0.14185596f, 0.28556206f, 0f, 0f];
        Assert.That(allclose(y.select(2, 0).flatten(), tensor(expected), rtol: 1e-5, atol: 1e-5), Is.True, y.ToString(TorchSharp.TensorStringStyle.Numpy));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void RandomWeights_FusedAndStepEqualHandWrittenEquations_OutputsStatesAndGradients(bool goBackwards)
    {
        RecurrentChecks.FusedStepAndReference(() => new LSTM(5, returnSequences: true, goBackwards: goBackwards), 7, 4, 5);
    }

    [Test]
    public void Parameters_EqualKeras_ImdbSizeAndWeightLayout()
    {
        var layer = new LSTM(64);
        layer.EnsureBuilt([200, 128]);
        Assert.That(layer.CountParams(), Is.EqualTo(49_408));
        Assert.That(layer.named_parameters().Select(p => (p.name, p.parameter.shape)),
            Is.EqualTo(new[] { ("kernel", new long[] { 128, 256 }), ("recurrent_kernel", new long[] { 64, 256 }), ("bias", new long[] { 256 }) }));
        // unitForgetBias: the forget block starts at 1, the others at the bias initializer's zeros.
        Assert.That(layer.Bias!.narrow(0, 64, 64).sum().item<float>(), Is.EqualTo(64f));
        Assert.That(layer.Bias!.sum().item<float>(), Is.EqualTo(64f));
        Assert.That(layer.OutputShape, Is.EqualTo(new long[] { 64 }));
        var sequences = new LSTM(64, returnSequences: true);
        sequences.EnsureBuilt([200, 128]);
        Assert.That(sequences.OutputShape, Is.EqualTo(new long[] { 200, 64 }));
    }

    [Test]
    public void TwoDimensionalInput_Throws_NamingLayerExpectedRankAndShape()
    {
        var layer = new LSTM(4, name: "encoder");
        var e = Assert.Throws<ArgumentException>(() => layer.Apply(zeros(2, 10)))!;
        Assert.That(e.Message, Does.Contain("\"encoder\" (LSTM) expects 3-D input [batch, timesteps, features]"));
        Assert.That(e.Message, Does.Contain("(None, 10)"));
    }

    [Test]
    public void InitialStateAndCallWithStates_ReturnHAndC_WrongShapesThrow()
    {
        var layer = new LSTM(3, returnState: true);
        var x = randn(2, 5, 4);
        var h0 = randn(2, 3);
        var c0 = randn(2, 3);
        var (output, states) = layer.CallWithStates(x, [h0, c0]);
        Assert.That(states.Count, Is.EqualTo(2));
        Assert.That(allclose(output, states[0]), Is.True, "the last output is h");
        var (_, fromZero) = layer.CallWithStates(x);
        Assert.That(allclose(fromZero[0], states[0]), Is.False, "the initial state is used");
        var wrong = Assert.Throws<ArgumentException>(() => layer.CallWithStates(x, [h0]))!;
        Assert.That(wrong.Message, Does.Contain("takes 2 initial states (h and c); got 1"));
        wrong = Assert.Throws<ArgumentException>(() => layer.CallWithStates(x, [h0, randn(3, 3)]))!;
        Assert.That(wrong.Message, Does.Contain("initial states of shape (2, 3) [batch, units]; got (3, 3)"));
    }

    [Test]
    public void MaskOfWrongShape_Throws_NamingBothShapes()
    {
        var layer = new LSTM(3, name: "lstm_m");
        var e = Assert.Throws<ArgumentException>(() => layer.CallWithStates(randn(2, 5, 4), mask: ones(2, 4, dtype: ScalarType.Bool)))!;
        Assert.That(e.Message, Does.Contain("\"lstm_m\" (LSTM) got a mask of shape (2, 4) for input of shape (2, 5, 4)"));
        Assert.That(e.Message, Does.Contain("(2, 5)"));
    }

    [Test]
    public void SaveAndLoad_RoundTripsConfigurationAndWeights()
    {
        var model = new SequentialModel(new LSTM(6, recurrentActivation: "hard_sigmoid", unitForgetBias: false, returnSequences: true,
            goBackwards: true, inputShape: [5, 3]), new LSTM(4, dropout: 0.25, recurrentDropout: 0.5, seed: 3));
        var loaded = SavedModels.AssertRoundTrips(model, randn(2, 5, 3));
        var config = loaded.Layers[0].GetConfig();
        Assert.That(config["recurrent_activation"], Is.EqualTo("hard_sigmoid"));
        Assert.That(config["unit_forget_bias"], Is.EqualTo(false));
        Assert.That(loaded.Layers[1].GetConfig()["recurrent_dropout"], Is.EqualTo(0.5));
    }
}
