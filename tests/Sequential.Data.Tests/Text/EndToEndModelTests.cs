using System.Text.Json.Nodes;
using Sequential.Core.Tests.Persistence;
using Sequential.Layers;
using static TorchSharp.torch;

namespace Sequential.Data.Tests.Text;

/// <summary>
/// Keras's "end-to-end model" (text classification from scratch, its last section): a string Input, the adapted
/// TextVectorization layer, then the trained model; it evaluates and predicts on raw strings as the model does on the
/// vectorized ones, and saved whole it keeps the vocabulary.
/// </summary>
public class EndToEndModelTests
{
    private static readonly string[] Texts =
    [
        "A great film, great acting.", "Dull and far too long.", "great fun", "dull, dull, dull", "The acting was great!",
        "too long and dull", "fun and great", "long", "What a great story", "Not fun: dull",
    ];

    private static readonly float[] Labels = [1, 0, 1, 0, 1, 0, 1, 0, 1, 0];

    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("sequential-end-to-end-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    /// <summary>The vectorizer, the model on token ids (trained a little), and the end-to-end model around both.</summary>
    private static (TextVectorization Vectorize, Model Model, Model EndToEnd) Build(int? sequenceLength = 8)
    {
        RandomSeed.Set(7);
        var vectorize = new TextVectorization(maxTokens: 30, outputMode: "int", outputSequenceLength: sequenceLength);
        vectorize.Adapt(Texts);
        var ids = new Input(shape: [null], dtype: ScalarType.Int64);
        var x = new Embedding(30, 4).Apply(ids);
        x = new GlobalAveragePooling1D().Apply(x);
        var model = new Model(ids, new Dense(1, activation: "sigmoid", name: "predictions").Apply(x));
        model.Compile(loss: "binary_crossentropy", optimizer: "adam", metrics: ["accuracy"]);
        model.Fit(vectorize.Apply(Texts), tensor(Labels).unsqueeze(1), batchSize: 4, epochs: 3, verbose: 0);

        // inputs = keras.Input(shape=(1,), dtype="string"); indices = vectorize_layer(inputs); outputs = model(indices)
        var inputs = new Input(shape: [1], dtype: "string");
        var indices = vectorize.Apply(inputs);
        var outputs = model.Apply(indices);
        var endToEnd = new Model(inputs, outputs);
        endToEnd.Compile(loss: "binary_crossentropy", optimizer: "adam", metrics: ["accuracy"]);
        return (vectorize, model, endToEnd);
    }

    private static Dataset RawDataset() => Dataset.FromTensorSlices(Texts, tensor(Labels).unsqueeze(1)).Batch(4);

    [Test]
    public void EvaluateAndPredict_OnRawStrings_GiveTheModelsNumbersOnTheVectorizedOnes()
    {
        var (vectorize, model, endToEnd) = Build();

        var raw = endToEnd.Evaluate(RawDataset(), verbose: 0);
        var vectorized = model.Evaluate(vectorize.Apply(Texts), tensor(Labels).unsqueeze(1), batchSize: 4, verbose: 0);

        Assert.That(raw["loss"], Is.EqualTo(vectorized["loss"]).Within(1e-6));
        Assert.That(raw["accuracy"], Is.EqualTo(vectorized["accuracy"]));
        var scores = endToEnd.Predict(Dataset.FromTensorSlices(Texts).Batch(3), verbose: 0);
        Assert.That(allclose(scores, model.Predict(vectorize.Apply(Texts), verbose: 0)), Is.True);
        Assert.That(endToEnd.Summary(), Does.Contain("│ text_vectorization             │ (None, 8)").And.Contain("│ (TextVectorization)"));
    }

    [Test]
    public void AStackStartingWithTheVectorizer_TakesRawStringsToo()
    {
        // keras.Sequential([vectorize_layer, model]): the stack's first layer takes the strings.
        var (vectorize, model, _) = Build();
        var stack = new SequentialModel(vectorize, model);

        var scores = stack.Predict(Dataset.FromTensorSlices(Texts).Batch(4), verbose: 0);

        Assert.That(allclose(scores, model.Predict(vectorize.Apply(Texts), verbose: 0)), Is.True);
    }

    [Test]
    public void WithoutASequenceLength_EachBatchIsAsLongAsItsLongestText()
    {
        var (vectorize, model, endToEnd) = Build(sequenceLength: null);

        var scores = endToEnd.Predict(Dataset.FromTensorSlices(Texts).Batch(5), verbose: 0);

        // GlobalAveragePooling1D without a mask averages the padding too, so each batch matches the model run on that batch.
        var expected = cat([model.Predict(vectorize.Apply(Texts[..5]), verbose: 0), model.Predict(vectorize.Apply(Texts[5..]), verbose: 0)]);
        Assert.That(allclose(scores, expected), Is.True);
        Assert.That(endToEnd.Summary(), Does.Contain("(None, None)"));
    }

    [Test]
    public void SavedWhole_TheModelKeepsItsVocabulary_AndPredictsFromRawStringsAsBefore()
    {
        var (_, _, endToEnd) = Build();
        string path = Path.Combine(_dir, "end_to_end.seqmodel");

        endToEnd.Save(path);
        var loaded = Model.Load(path);

        var config = JsonNode.Parse(ModelFileEdits.ReadEntry(path, "config.json"))!["model"]!;
        Assert.That(config["layers"]![0]!["config"]!["dtype"]!.GetValue<string>(), Is.EqualTo("string"));
        var vocabulary = config["layers"]![1]!["config"]!["vocabulary"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();
        Assert.That(vocabulary.Take(4), Is.EqualTo(new[] { "", "[UNK]", "great", "dull" }));
        var before = endToEnd.Predict(Dataset.FromTensorSlices(Texts).Batch(4), verbose: 0);
        var after = loaded.Predict(Dataset.FromTensorSlices(Texts).Batch(4), verbose: 0);
        Assert.That(allclose(after, before), Is.True);
        Assert.That(loaded.Evaluate(RawDataset(), verbose: 0)["loss"], Is.EqualTo(endToEnd.Evaluate(RawDataset(), verbose: 0)["loss"]).Within(1e-6));
    }

    [Test]
    public void StringsWhereNumbersGo_AndNumbersWhereStringsGo_AreExplained()
    {
        var (_, model, endToEnd) = Build();
        var strings = Assert.Throws<ArgumentException>(() => model.Predict(Dataset.FromTensorSlices(Texts).Batch(4), verbose: 0))!;
        Assert.That(strings.Message, Does.Contain("takes numbers as input 0, but the data gives strings. Map them through a TextVectorization first"));
        var numbers = Assert.Throws<ArgumentException>(() => endToEnd.Predict(Dataset.FromTensorSlices(zeros(4, 1)).Batch(2), verbose: 0))!;
        Assert.That(numbers.Message, Does.Contain("takes strings as input 0 (its TextVectorization turns them into numbers), but the data gives a Float32 tensor"));
        var text = new Input(shape: [1], dtype: "string", name: "text");
        var dense = Assert.Throws<ArgumentException>(() => new Dense(2, name: "d").Apply(text))!;
        Assert.That(dense.Message, Does.Contain("Layer \"d\" (Dense) computes on numbers, but Input \"text\" holds strings"));
        var dtype = Assert.Throws<ArgumentException>(() => new Input(shape: [1], dtype: "str"))!;
        Assert.That(dtype.Message, Does.Contain("An Input's dtype given as text must be \"string\"; got \"str\""));
        var custom = new TextVectorization(standardizeFunction: s => s.ToUpperInvariant(), vocabulary: ["A"]);
        var saved = new Model(text, custom.Apply(text));
        var e = Assert.Throws<NotSupportedException>(() => saved.Save(Path.Combine(_dir, "custom.seqmodel")))!;
        Assert.That(e.Message, Does.Contain("has a custom standardize or split function, which a model file cannot hold"));
        Assert.That(File.Exists(Path.Combine(_dir, "custom.seqmodel")), Is.False, "nothing half-written");
    }

    [Test]
    public void AFileWhoseStringInputFeedsANumericLayer_IsRefused_NamingTheCall()
    {
        var x = new Input(shape: [1], name: "x");
        string path = Path.Combine(_dir, "numbers.seqmodel");
        new Model(x, new Dense(1, name: "dense").Apply(x), name: "numbers").Save(path);
        ModelFileEdits.RewriteJson(path, "config.json", c => c["model"]!["layers"]![0]!["config"]!["dtype"] = "string");

        var e = Assert.Throws<InvalidDataException>(() => Model.Load(path))!;

        Assert.That(e.Message, Does.Contain(path).And.Contain("call 0 of layer \"dense\" of model \"numbers\"")
            .And.Contain("computes on numbers, but Input \"x\" holds strings"));
    }
}
