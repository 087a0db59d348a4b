using System.Text.Json.Nodes;
using Sequential.Core.Tests.Persistence;
using static TorchSharp.torch;

namespace Sequential.Layers.Tests;

/// <summary>
/// MultiHeadAttention in functional models with Keras's call options, <c>mha(q, v, use_causal_mask=True,
/// return_attention_scores=True)</c>: the graph runs the call as the eager one does, and files record the options as
/// Keras's call kwargs.
/// </summary>
public class MultiHeadAttentionGraphTests
{
    private static (Model Model, MultiHeadAttention Layer) Decoder()
    {
        RandomSeed.Set(11);
        var x = new Input(shape: [5, 6], name: "x");
        var mha = new MultiHeadAttention(numHeads: 2, keyDim: 3, name: "mha");
        var (output, scores) = mha.Apply(x, x, useCausalMask: true, returnAttentionScores: true);
        return (new Model(x, [output, scores], name: "decoder"), mha);
    }

    [Test]
    public void CausalMaskAndScores_InAGraph_AreTheEagerCallsValues()
    {
        var (model, mha) = Decoder();
        var data = randn(3, 5, 6, generator: new Generator(2));

        var predicted = model.Predict([data], verbose: 0);
        var (output, scores) = mha.ApplyWithScores(data, data, useCausalMask: true);

        Assert.That(model.Outputs[1].Shape, Is.EqualTo(new long[] { 2, 5, 5 }), "Keras's (None, heads, T, S)");
        Assert.That(allclose(predicted[0], output, rtol: 1e-5, atol: 1e-6), Is.True);
        Assert.That(allclose(predicted[1], scores, rtol: 1e-5, atol: 1e-6), Is.True);
        Assert.That(predicted[1][0, 0, 0, 1].item<float>(), Is.EqualTo(0f), "step 0 does not attend to step 1 under the causal mask");
        var plain = new Model(model.Inputs, mha.Apply(model.Inputs[0], model.Inputs[0]));
        Assert.That(allclose(plain.Predict(data, verbose: 0), output, rtol: 1e-4, atol: 1e-5), Is.False, "without the option, no causal mask");
    }

    [Test]
    public void TheOptionsAreSavedAsKerasCallKwargs_AndLoadBack()
    {
        var (model, _) = Decoder();
        var folder = Directory.CreateTempSubdirectory("sequential-mha-");
        try
        {
            string path = Path.Combine(folder.FullName, "decoder.seqmodel");
            model.Save(path);
            var call = JsonNode.Parse(ModelFileEdits.ReadEntry(path, "config.json"))!["model"]!["layers"]![1]!["inbound_nodes"]![0]!;
            Assert.That(call["kwargs"]!.ToJsonString(), Is.EqualTo("""{"use_causal_mask":true,"return_attention_scores":true}"""));
            Assert.That(JsonNode.Parse(ModelFileEdits.ReadEntry(path, "config.json"))!["model"]!["output_layers"]!.ToJsonString(),
                Is.EqualTo("""[["mha",0,0],["mha",0,1]]"""));

            var loaded = Model.Load(path);

            var data = randn(2, 5, 6, generator: new Generator(3));
            var expected = model.Predict([data], verbose: 0);
            var actual = loaded.Predict([data], verbose: 0);
            Assert.That(allclose(actual[0], expected[0]) && allclose(actual[1], expected[1]), Is.True);

            ModelFileEdits.RewriteJson(path, "config.json", c => c["model"]!["layers"]![1]!["inbound_nodes"]![0]!["kwargs"]!["dropout_rate"] = 0.5);
            var unknown = Assert.Throws<InvalidDataException>(() => Model.Load(path))!;
            Assert.That(unknown.Message, Does.Contain("call 0 of layer \"mha\" of model \"decoder\" passes dropout_rate=0.5, which layer " +
                                                      "\"mha\" (MultiHeadAttention) does not take (it takes use_causal_mask, return_attention_scores"));
            ModelFileEdits.RewriteJson(path, "config.json", c =>
            {
                var kwargs = c["model"]!["layers"]![1]!["inbound_nodes"]![0]!["kwargs"]!.AsObject();
                kwargs.Remove("dropout_rate");
                kwargs["use_causal_mask"] = new JsonArray(1, 2);
            });
            var badValue = Assert.Throws<InvalidDataException>(() => Model.Load(path))!;
            Assert.That(badValue.Message, Does.Contain("passes use_causal_mask=[1,2], which layer \"mha\" (MultiHeadAttention) does not take"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Test]
    public void ADenseLayer_TakesNoCallOptions_InAFile()
    {
        var x = new Input(shape: [4], name: "x");
        var model = new Model(x, new Dense(2, name: "dense").Apply(x), name: "m");
        var folder = Directory.CreateTempSubdirectory("sequential-mha-");
        try
        {
            string path = Path.Combine(folder.FullName, "m.seqmodel");
            model.Save(path);
            ModelFileEdits.RewriteJson(path, "config.json", c => c["model"]!["layers"]![1]!["inbound_nodes"]![0]!["kwargs"]!["training"] = true);
            var e = Assert.Throws<InvalidDataException>(() => Model.Load(path))!;
            Assert.That(e.Message, Does.Contain("passes training=true, which layer \"dense\" (Dense) does not take."));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
