using static TorchSharp.torch;
using static Sequential.Layers.Tests.RecurrentReference;

namespace Sequential.Layers.Tests;

public class BidirectionalTests
{
    private static Tensor Sequence(int n, int t, int f) => arange(n * t * f, dtype: ScalarType.Float32).reshape(n, t, f);

    private static Bidirectional Built(Bidirectional layer, long[] inputShape)
    {
        layer.EnsureBuilt(inputShape);
        KerasConstants(layer.Layer);
        KerasConstants(layer.BackwardLayer);
        return layer;
    }

    private static void AssertClose(Tensor actual, float[] expected, long[] shape) =>
        Assert.That(allclose(actual, tensor(expected).reshape(shape), rtol: 1e-5, atol: 1e-5), Is.True,
            actual.ToString(TorchSharp.TensorStringStyle.Numpy));

    // keras/src/layers/rnn/bidirectional_test.py test_basics.
    [TestCase("concat", 8)]
    [TestCase("sum", 4)]
    public void Basics_FromKeras_ShapesAndWeights(string mergeMode, int width)
    {
        var layer = new Bidirectional(new SimpleRNN(4), mergeMode: mergeMode, backwardLayer: mergeMode == "sum" ? new SimpleRNN(4, goBackwards: true) : null);
        var y = layer.Apply(randn(3, 2, 4));
        Assert.That(y.shape, Is.EqualTo(new long[] { 3, width }));
        Assert.That(layer.Weights.Count(w => w.requires_grad), Is.EqualTo(6));
        Assert.That(layer.Layer.Name, Is.EqualTo("forward_simple_rnn"));
    }

    // test_correctness: SimpleRNN(2) with Keras's constants on arange(24) as (2, 3, 4), in each merge mode.
    [Test]
    public void Correctness_FromKeras_MergeModes()
    {
        var x = Sequence(2, 3, 4);
        AssertClose(Built(new Bidirectional(new SimpleRNN(2)), [3, 4]).Apply(x),
            [0.39687276f, 0.39687276f, 0.10004295f, 0.10004295f, 0.7237238f, 0.7237238f, 0.53391594f, 0.53391594f], [2, 4]);
        AssertClose(Built(new Bidirectional(new SimpleRNN(2), mergeMode: "ave"), [3, 4]).Apply(x),
            [0.24845785f, 0.24845785f, 0.6288199f, 0.6288199f], [2, 2]);
        var apart = Built(new Bidirectional(new SimpleRNN(2), mergeMode: null), [3, 4]).CallWithStates(x).Outputs;
        AssertClose(apart[0], [0.39687276f, 0.39687276f, 0.7237238f, 0.7237238f], [2, 2]);
        AssertClose(apart[1], [0.10004295f, 0.10004295f, 0.53391594f, 0.53391594f], [2, 2]);

        var mul = new Bidirectional(new SimpleRNN(2), backwardLayer: new SimpleRNN(2, goBackwards: true), mergeMode: "mul");
        Built(mul, [3, 4]);
        using (no_grad())
        {
            mul.BackwardLayer.Kernel!.fill_(0.03);
            mul.BackwardLayer.Bias!.fill_(0.01);
        }
        AssertClose(mul.Apply(x), [0.08374989f, 0.08374989f, 0.6740834f, 0.6740834f], [2, 2]);

        AssertClose(Built(new Bidirectional(new GRU(2, returnSequences: true), mergeMode: "sum"), [3, 4]).Apply(x),
            [0.20937867f, 0.20937867f, 0.34462988f, 0.34462988f, 0.40290534f, 0.40290534f,
             0.59829646f, 0.59829646f, 0.6734641f, 0.6734641f, 0.6479671f, 0.6479671f], [2, 3, 2]);
    }

    // test_masking: GRU(2) on arange(24) as (2, 4, 3) with masked steps in the middle.
    [Test]
    public void Masking_FromKeras()
    {
        var layer = Built(new Bidirectional(new GRU(2)), [4, 3]);
        var mask = tensor(new[] { true, true, false, true, true, false, false, true }).reshape(2, 4);
        AssertClose(layer.CallWithStates(Sequence(2, 4, 3), mask: mask).Outputs[0],
            [0.19393763f, 0.19393763f, 0.11669192f, 0.11669192f, 0.30818558f, 0.30818558f, 0.28380975f, 0.28380975f], [2, 4]);
    }

    // test_return_state: LSTM(2, returnState) gives output, h1, c1, h2, c2.
    [Test]
    public void ReturnState_FromKeras_ForwardThenBackwardStates()
    {
        var layer = Built(new Bidirectional(new LSTM(2, returnState: true)), [4, 3]);
        var (outputs, states) = layer.CallWithStates(Sequence(2, 4, 3));
        AssertClose(outputs[0], [0.1990008f, 0.1990008f, 0.12659755f, 0.12659755f, 0.52335435f, 0.52335435f, 0.44717982f, 0.44717982f], [2, 4]);
        Assert.That(states.Count, Is.EqualTo(4));
        AssertClose(states[0], [0.1990008f, 0.1990008f, 0.52335435f, 0.52335435f], [2, 2]);
        AssertClose(states[1], [0.35567185f, 0.35567185f, 1.0492687f, 1.0492687f], [2, 2]);
        AssertClose(states[2], [0.12659755f, 0.12659755f, 0.44717982f, 0.44717982f], [2, 2]);
        AssertClose(states[3], [0.2501858f, 0.2501858f, 0.941473f, 0.941473f], [2, 2]);
        // The states passed back in as initial states: forward half then backward half.
        var again = layer.CallWithStates(Sequence(2, 4, 3), states).Outputs[0];
        Assert.That(allclose(again, outputs[0]), Is.False);
        var odd = Assert.Throws<ArgumentException>(() => layer.CallWithStates(Sequence(2, 4, 3), states.Take(3).ToList()))!;
        Assert.That(odd.Message, Does.Contain("an even count; got 3"));
    }

    [Test]
    public void BadArguments_Throw_AsKerasDoes()
    {
        var merge = Assert.Throws<ArgumentException>(() => new Bidirectional(new LSTM(2), mergeMode: "max"))!;
        Assert.That(merge.Message, Does.Contain("Invalid merge mode. Received: \"max\""));
        var direction = Assert.Throws<ArgumentException>(() => new Bidirectional(new LSTM(2), backwardLayer: new LSTM(2)))!;
        Assert.That(direction.Message, Does.Contain("should have different goBackwards values"));
        var sequences = Assert.Throws<ArgumentException>(() =>
            new Bidirectional(new LSTM(2, returnState: true), backwardLayer: new LSTM(2, goBackwards: true)))!;
        Assert.That(sequences.Message, Does.Contain("same value for attribute \"returnState\", got \"True\" for forward layer and \"False\""));
        var apart = new Bidirectional(new LSTM(2, returnState: true), mergeMode: null, name: "both");
        var e = Assert.Throws<InvalidOperationException>(() => apart.Apply(randn(1, 3, 2)))!;
        Assert.That(e.Message, Does.Contain("\"both\" (Bidirectional) has mergeMode null, so it has two outputs"));
        var flat = Assert.Throws<ArgumentException>(() => new Bidirectional(new LSTM(2)).Apply(zeros(2, 5)))!;
        Assert.That(flat.Message, Does.Contain("expects 3-D input [batch, timesteps, features]; got input with shape (None, 5)"));
    }

    [Test]
    public void SaveAndLoad_RoundTripsBothLayers_AndParametersEqualKeras()
    {
        var model = new SequentialModel(new Embedding(100, 8, inputShape: [6]),
            new Bidirectional(new LSTM(4, returnSequences: true), mergeMode: "sum"),
            new Bidirectional(new GRU(3), backwardLayer: new GRU(3, goBackwards: true, resetAfter: false)));
        var x = randint(0, 100, [2, 6]);
        var loaded = SavedModels.SaveAndLoad(model);
        Assert.That(loaded.Summary(), Is.EqualTo(model.Summary()));
        for (int i = 1; i < 3; i++)
            Assert.That(System.Text.Json.JsonSerializer.Serialize(loaded.Layers[i].GetConfig()),
                Is.EqualTo(System.Text.Json.JsonSerializer.Serialize(model.Layers[i].GetConfig())));
        Assert.That(TestModels.Values(loaded.Predict(x, verbose: 0)), Is.EqualTo(TestModels.Values(model.Predict(x, verbose: 0))));
        Assert.That(model.Layers[1].CountParams(), Is.EqualTo(2 * 4 * (8 * 4 + 4 * 4 + 4)));
        var restored = (Bidirectional)loaded.Layers[2];
        Assert.That(restored.BackwardLayer, Is.TypeOf<GRU>());
        Assert.That(((GRU)restored.BackwardLayer).ResetAfter, Is.False);
        Assert.That(restored.Layer.Name, Is.EqualTo("forward_gru"));
    }

    // A file's configuration may name only known layer types, of the kind the parameter takes, as {class_name, config}.
    [TestCase("{\"class_name\": \"Dense\", \"config\": {\"units\": 2}}", "not a RecurrentLayer")]
    [TestCase("5", "not a RecurrentLayer")]
    [TestCase("{\"class_name\": \"LSTM\"}", "not a RecurrentLayer")]
    [TestCase("{\"class_name\": \"Evil\", \"config\": {}}", "Unknown layer type 'Evil'")]
    public void FromConfig_BadWrappedLayer_ThrowsInvalidData(string layerJson, string expected)
    {
        var config = new Dictionary<string, object?> { ["layer"] = System.Text.Json.JsonDocument.Parse(layerJson).RootElement };
        var e = Assert.Throws<InvalidDataException>(() => LayerRegistry.FromConfig("Bidirectional", config))!;
        Assert.That(e.Message, Does.Contain(expected));
    }
}
