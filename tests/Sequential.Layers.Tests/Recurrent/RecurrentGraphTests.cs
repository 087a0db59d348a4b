using System.Text.Json.Nodes;
using Sequential.Core.Tests.Persistence;
using static TorchSharp.torch;
using static Sequential.Layers.Tests.RecurrentReference;

namespace Sequential.Layers.Tests;

/// <summary>
/// Recurrent layers in functional models as Keras writes them: several outputs per call
/// (<c>outputs, h, c = LSTM(..., return_state=True)(x)</c>), start states by keyword (<c>initial_state=[h, c]</c>),
/// Bidirectional's two directions apart, and models of those outputs (Keras's seq2seq encoder and decoder models).
/// </summary>
public class RecurrentGraphTests
{
    private static Tensor Sequence(int n, int t, int f) => arange(n * t * f, dtype: ScalarType.Float32).reshape(n, t, f);

    private static void AssertClose(Tensor actual, Tensor expected, double tolerance = 1e-5) =>
        Assert.That(allclose(actual, expected, rtol: tolerance, atol: tolerance), Is.True,
            $"{actual.ToString(TorchSharp.TensorStringStyle.Numpy)}\nexpected\n{expected.ToString(TorchSharp.TensorStringStyle.Numpy)}");

    // keras/src/layers/rnn/lstm_test.py test_pass_initial_state, through a functional model's graph: the states are Inputs
    // passed by keyword, and the file records them under initial_state.
    [TestCase(false, new[] { 0.20574439f, 0.3558822f, 0.64930826f, 0.66276f })]
    [TestCase(true, new[] { 0.13281618f, 0.2790356f, 0.5839337f, 0.5992567f })]
    public void InitialStateInAGraph_GivesKerasNumbers(bool goBackwards, float[] expected)
    {
        var sequence = new Input(shape: [4, 3], name: "sequence");
        var h = new Input(shape: [2], name: "h");
        var c = new Input(shape: [2], name: "c");
        var lstm = new LSTM(2, goBackwards: goBackwards, name: "lstm");
        var model = new Model([sequence, h, c], lstm.Apply(sequence, initialState: [h, c]));
        KerasConstants(lstm);
        var state = arange(4, dtype: ScalarType.Float32).reshape(2, 2);

        var output = model.Predict([Sequence(2, 4, 3), state, state], verbose: 0)[0];

        AssertClose(output, tensor(expected).reshape(2, 2));
        var loaded = SavedModels.SaveAndLoadModel(model);
        AssertClose(loaded.Predict([Sequence(2, 4, 3), state, state], verbose: 0)[0], output, 0);
    }

    [Test]
    public void ReturnState_InAGraph_GivesTheOutputAndTheFinalStates_AsCallWithStates()
    {
        var x = new Input(shape: [5, 3]);
        var lstm = new LSTM(4, returnState: true, name: "encoder");
        var (output, h, c) = lstm.Apply(x);
        var model = new Model(x, [output, h, c], name: "states");
        var data = randn(2, 5, 3, generator: new Generator(3));

        var predicted = model.Predict([data], verbose: 0);
        var (expectedOutput, states) = lstm.CallWithStates(data);

        Assert.That(predicted, Has.Count.EqualTo(3));
        AssertClose(predicted[0], expectedOutput);
        AssertClose(predicted[1], states[0]);
        AssertClose(predicted[2], states[1]);
        AssertClose(predicted[0], predicted[1], 0); // without returnSequences the output is h, as in Keras
        Assert.That(allclose(predicted[2], predicted[1]), Is.False, "c is not h");
        Assert.That((output.OutputIndex, h.OutputIndex, c.OutputIndex), Is.EqualTo((0, 1, 2)));
        Assert.That(c.Shape, Is.EqualTo(new long[] { 4 }));
        // Keras prints a call's shapes as a list, wrapped in the cell.
        Assert.That(model.Summary(), Does.Contain("│ encoder (LSTM)                 │ [(None, 4), (None, 4),     │"));
        Assert.That(model.Summary(), Does.Contain("│                                │ (None, 4)]                 │"));
    }

    /// <summary>keras.io's "character-level recurrent sequence-to-sequence model" (lstm_seq2seq), its three models.</summary>
    private static (Model Training, Model Encoder, Model Decoder, LSTM DecoderLstm) Seq2Seq(int tokens = 6, int latent = 8)
    {
        var encoderInputs = new Input(shape: [7, tokens], name: "encoder_inputs");
        var (_, stateH, stateC) = new LSTM(latent, returnState: true, name: "encoder").Apply(encoderInputs);
        SymbolicTensor[] encoderStates = [stateH, stateC];
        var decoderInputs = new Input(shape: [5, tokens], name: "decoder_inputs");
        var decoderLstm = new LSTM(latent, returnSequences: true, returnState: true, name: "decoder");
        var (decoderOutputs, _, _) = decoderLstm.Apply(decoderInputs, initialState: encoderStates);
        var decoderDense = new Dense(tokens, activation: "softmax", name: "dense");
        var training = new Model([encoderInputs, decoderInputs], decoderDense.Apply(decoderOutputs), name: "seq2seq");

        var encoder = new Model(encoderInputs, encoderStates, name: "encoder_model");
        var stateInputH = new Input(shape: [latent], name: "state_h");
        var stateInputC = new Input(shape: [latent], name: "state_c");
        var (stepOutputs, h, c) = decoderLstm.Apply(decoderInputs, initialState: [stateInputH, stateInputC]);
        var decoder = new Model([decoderInputs, stateInputH, stateInputC], [decoderDense.Apply(stepOutputs), h, c], name: "decoder_model");
        return (training, encoder, decoder, decoderLstm);
    }

    [Test]
    public void Seq2Seq_TrainsThroughTheStates_AndItsInferenceModelsShareTheWeights()
    {
        RandomSeed.Set(5);
        var (training, encoder, decoder, decoderLstm) = Seq2Seq();
        var source = nn.functional.one_hot(randint(6, [16, 7], generator: new Generator(1)), 6).to_type(ScalarType.Float32);
        var target = nn.functional.one_hot(randint(6, [16, 5], generator: new Generator(2)), 6).to_type(ScalarType.Float32);
        var encoderKernel = training.GetLayer("encoder").Weights[0].detach().clone();
        training.Compile(optimizer: "rmsprop", loss: "categorical_crossentropy", metrics: ["accuracy"]);

        var history = training.Fit([source, target], [target], batchSize: 8, epochs: 2, verbose: 0);

        Assert.That(history["loss"][1], Is.LessThan(history["loss"][0]));
        Assert.That(allclose(training.GetLayer("encoder").Weights[0], encoderKernel), Is.False,
            "the loss reaches the encoder only through the states, so its weights moved");
        // The inference models give the training model's predictions: encode, then decode from the encoder's states.
        var states = encoder.Predict([source], verbose: 0);
        Assert.That(states, Has.Count.EqualTo(2));
        var stepped = decoder.Predict([target, states[0], states[1]], verbose: 0);
        AssertClose(stepped[0], training.Predict([source, target], verbose: 0)[0]);
        var (_, final) = decoderLstm.CallWithStates(target, states);
        AssertClose(stepped[1], final[0]);
        AssertClose(stepped[2], final[1]);
    }

    [Test]
    public void Seq2Seq_SavesStatesAsKerasDoes_AndLoadsBack()
    {
        RandomSeed.Set(6);
        var (training, _, decoder, _) = Seq2Seq();
        var folder = Directory.CreateTempSubdirectory("sequential-seq2seq-");
        try
        {
            string path = Path.Combine(folder.FullName, "seq2seq.seqmodel");
            training.Save(path);
            var config = JsonNode.Parse(ModelFileEdits.ReadEntry(path, "config.json"))!["model"]!;
            var call = config["layers"]!.AsArray().Single(l => (string)l!["name"]! == "decoder")!["inbound_nodes"]![0]!;
            Assert.That(call["args"]![0]!["config"]!["keras_history"]!.ToJsonString(), Is.EqualTo("""["decoder_inputs",0,0]"""));
            Assert.That(call["kwargs"]!["initial_state"]!.AsArray().Select(t => t!["config"]!["keras_history"]!.ToJsonString()),
                Is.EqualTo(new[] { """["encoder",0,1]""", """["encoder",0,2]""" }));
            var loaded = Model.Load(path);
            var source = randn(3, 7, 6, generator: new Generator(1));
            var target = randn(3, 5, 6, generator: new Generator(2));
            AssertClose(loaded.Predict([source, target], verbose: 0)[0], training.Predict([source, target], verbose: 0)[0], 0);

            string decoderPath = Path.Combine(folder.FullName, "decoder.seqmodel");
            decoder.Save(decoderPath);
            var loadedDecoder = Model.Load(decoderPath);
            var (h, c) = (randn(3, 8, generator: new Generator(3)), randn(3, 8, generator: new Generator(4)));
            var expected = decoder.Predict([target, h, c], verbose: 0);
            var actual = loadedDecoder.Predict([target, h, c], verbose: 0);
            for (int i = 0; i < 3; i++) AssertClose(actual[i], expected[i], 0);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Test]
    public void Bidirectional_MergeModeNullAndReturnState_GivesEveryOutput_InKerasOrder()
    {
        var x = new Input(shape: [3, 4]);
        var layer = new Bidirectional(new LSTM(2, returnState: true), mergeMode: null);
        var (forward, backward, forwardH, forwardC, backwardH, backwardC) = layer.Apply(x);
        var model = new Model(x, [forward, backward, forwardH, forwardC, backwardH, backwardC]);
        var data = Sequence(2, 3, 4) / 24;

        var predicted = model.Predict([data], verbose: 0);
        var (outputs, states) = layer.CallWithStates(data);

        Assert.That(predicted, Has.Count.EqualTo(6));
        AssertClose(predicted[0], outputs[0]);
        AssertClose(predicted[1], outputs[1]);
        for (int i = 0; i < 4; i++) AssertClose(predicted[2 + i], states[i]);
        var (f, b) = new Bidirectional(new GRU(3), mergeMode: null).Apply(x);
        Assert.That((f.Shape, b.Shape), Is.EqualTo((new long[] { 3 }, new long[] { 3 })));
    }

    [Test]
    public void Bidirectional_InitialStatesInAGraph_AreTheForwardLayersThenTheBackwardLayers()
    {
        var x = new Input(shape: [3, 4]);
        SymbolicTensor[] starts = [new Input(shape: [2]), new Input(shape: [2])];
        var layer = new Bidirectional(new GRU(2), mergeMode: "concat");
        var model = new Model([x, .. starts], layer.Apply(x, initialState: starts));
        var data = Sequence(2, 3, 4) / 24;
        var (h1, h2) = (randn(2, 2, generator: new Generator(1)), randn(2, 2, generator: new Generator(2)));

        var predicted = model.Predict([data, h1, h2], verbose: 0)[0];

        AssertClose(predicted, layer.CallWithStates(data, [h1, h2]).Outputs[0]);
        Assert.That(allclose(predicted, layer.CallWithStates(data).Outputs[0]), Is.False, "the states are used");
    }

    [Test]
    public void AModelOfSeveralOutputs_UsedAsALayer_ReturnsEachOfThem()
    {
        var x = new Input(shape: [5, 3]);
        var (_, h, c) = new LSTM(4, returnState: true).Apply(x);
        var encoder = new Model(x, [h, c], name: "encoder");
        var y = new Input(shape: [5, 3]);
        var (h2, c2) = encoder.Apply(y);
        var outer = new Model(y, new Concatenate().Apply(h2, c2));
        var data = randn(2, 5, 3, generator: new Generator(9));

        var states = encoder.Predict([data], verbose: 0);

        AssertClose(outer.Predict(data, verbose: 0), cat([states[0], states[1]], 1));
        Assert.That(outer.Summary(), Does.Contain("│ [(None, 4), (None, 4)]     │"));
        Assert.That(outer.Summary(), Does.Contain("│ encoder[0][0],              │"));
        Assert.That(outer.Summary(), Does.Contain("│ encoder[0][1]               │"));
    }

    [Test]
    public void Mistakes_AreExplained_NamingTheLayerAndTheCounts()
    {
        var x = new Input(shape: [5, 3]);
        var notEnough = Assert.Throws<InvalidOperationException>(() => { var (a, b) = new Dense(2, name: "dense").Apply(x); })!;
        Assert.That(notEnough.Message, Does.Contain("The call of layer \"dense\" (Dense) has 1 output(s), but 2 variables were given"));
        var states = Assert.Throws<InvalidOperationException>(() => { var (a, b) = new LSTM(2, returnState: true, name: "l").Apply(x); })!;
        Assert.That(states.Message, Does.Contain("The call of layer \"l\" (LSTM) has 3 output(s), but 2 variables were given"));
        var count = Assert.Throws<ArgumentException>(() => new LSTM(2, name: "l").Apply(x, initialState: [new Input(shape: [2])]))!;
        Assert.That(count.Message, Does.Contain("Layer \"l\" (LSTM) takes sequences and 2 initial state(s) (initialState: [...]); got 2 input(s)"));
        var shape = Assert.Throws<ArgumentException>(() => new GRU(2, name: "g").Apply(x, initialState: [new Input(shape: [3])]))!;
        Assert.That(shape.Message, Does.Contain("Layer \"g\" (GRU) takes initial states of shape (None, 2); initial state 0 has shape (None, 3)"));
        var merged = new Bidirectional(new LSTM(2), mergeMode: null, name: "both");
        var single = Assert.Throws<InvalidOperationException>(() => new SequentialModel(merged).Predict(randn(1, 5, 3), verbose: 0))!;
        Assert.That(single.Message, Does.Contain("\"both\" (Bidirectional) has mergeMode null, so it has two outputs"));
    }
}
