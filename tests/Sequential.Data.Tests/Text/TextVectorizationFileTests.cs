using Sequential.Layers;
using static TorchSharp.torch;

namespace Sequential.Data.Tests;

public sealed class TextVectorizationFileTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "seq-tv-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static readonly string[] Texts = ["The movie was great!", "A bad, bad movie.", "Great acting; great story", ""];

    [Test]
    public void SaveLoad_KeepsSettingsVocabularyAndOutputs()
    {
        string path = Path.Join(_dir, "v.json");
        var intLayer = new TextVectorization(maxTokens: 50, ngrams: 2, outputSequenceLength: 6);
        intLayer.Adapt(Texts);
        intLayer.Save(path);
        var loaded = TextVectorizationFile.Load(path);
        Assert.That(loaded.GetVocabulary(), Is.EqualTo(intLayer.GetVocabulary()));
        Assert.That(loaded.Ngrams, Is.EqualTo(new[] { 1, 2 }));
        Assert.That(loaded.OutputSequenceLength, Is.EqualTo(6));
        Assert.That(loaded.MaxTokens, Is.EqualTo(50));
        Assert.That(loaded.Apply(Texts).data<long>().ToArray(), Is.EqualTo(intLayer.Apply(Texts).data<long>().ToArray()));
        Assert.DoesNotThrow(() => loaded.Adapt(["adapted again"]));   // an adapted layer stays adaptable

        var tfIdf = new TextVectorization(maxTokens: 40, outputMode: "tf_idf", padToMaxTokens: true, standardize: "lower", split: "character");
        tfIdf.Adapt(Texts);
        tfIdf.Save(path);
        var again = TextVectorizationFile.Load(path);
        Assert.That(again.Standardize, Is.EqualTo("lower"));
        Assert.That(again.Split, Is.EqualTo("character"));
        Assert.That(again.IdfWeights, Is.EqualTo(tfIdf.IdfWeights));
        Assert.That(again.Apply(Texts).data<float>().ToArray(), Is.EqualTo(tfIdf.Apply(Texts).data<float>().ToArray()));

        var given = new TextVectorization(standardize: null, split: null, vocabulary: ["a", "b"]);
        given.Save(path);
        var fixedAgain = TextVectorizationFile.Load(path);
        Assert.That(fixedAgain.Standardize, Is.Null);
        Assert.That(fixedAgain.Split, Is.Null);
        Assert.Throws<InvalidOperationException>(() => fixedAgain.Adapt(["a"]));
    }

    [Test]
    public void EndToEnd_SavedModelAndVectorizer_PredictFromRawStrings()
    {
        var vectorize = new TextVectorization(maxTokens: 30, outputSequenceLength: 5);
        vectorize.Adapt(Texts);
        var model = new SequentialModel(new Embedding(30, 4), new GlobalAveragePooling1D(), new Dense(1, activation: "sigmoid"));
        using var expected = model.Predict(vectorize.Apply(Texts), verbose: 0);
        model.Save(Path.Join(_dir, "m.seqmodel"));
        vectorize.Save(Path.Join(_dir, "v.json"));

        var loadedModel = Model.Load(Path.Join(_dir, "m.seqmodel"));
        var loadedVectorize = TextVectorizationFile.Load(Path.Join(_dir, "v.json"));
        using var scores = loadedModel.Predict(loadedVectorize.Apply(Texts), verbose: 0);
        Assert.That(scores.data<float>().ToArray(), Is.EqualTo(expected.data<float>().ToArray()));
    }

    [Test]
    public void CustomFunctions_AndNoVocabulary_AreRefused()
    {
        var custom = new TextVectorization(standardizeFunction: s => s.ToLowerInvariant(), vocabulary: ["a"]);
        var e = Assert.Throws<NotSupportedException>(() => custom.Save(Path.Join(_dir, "v.json")));
        Assert.That(e!.Message, Does.StartWith("This TextVectorization has a custom standardize or split function"));
        Assert.Throws<InvalidOperationException>(() => new TextVectorization().Save(Path.Join(_dir, "v.json")));
        Assert.That(File.Exists(Path.Join(_dir, "v.json")), Is.False);
    }

    [TestCase("not json", "it is not valid JSON")]
    [TestCase("[1, 2]", "its \"format\" is not \"sequential.text_vectorization\"")]
    [TestCase("{\"format\": \"sequential.text_vectorization\", \"format_version\": 2, \"config\": {}}", "its format_version is 2; this library reads version 1")]
    [TestCase("{\"format\": \"sequential.text_vectorization\", \"format_version\": 1}", "it has no \"config\" object")]
    [TestCase("{\"format\": \"sequential.text_vectorization\", \"format_version\": 1, \"config\": {\"output_mode\": \"int\", \"vocabulary\": [1]}}",
        "\"vocabulary\" holds a value that is not a string")]
    [TestCase("{\"format\": \"sequential.text_vectorization\", \"format_version\": 1, \"config\": {\"output_mode\": \"int\", \"vocabulary\": [\"a\", \"a\"]}}",
        "holds a TextVectorization that cannot be made again: TextVectorization: the vocabulary has at least one repeated term")]
    [TestCase("{\"format\": \"sequential.text_vectorization\", \"format_version\": 1, \"config\": {\"output_mode\": \"int\", \"vocabulary\": [\"a\"], \"max_tokens\": 1e300}}",
        "\"max_tokens\" is not an integer")]
    [TestCase("{\"format\": \"sequential.text_vectorization\", \"format_version\": 1, \"config\": {\"output_mode\": \"tf_idf\", \"vocabulary\": [\"a\"], \"idf_weights\": [\"x\"]}}",
        "\"idf_weights\" holds a value that is not a finite number")]
    public void HostileFiles_InvalidDataException_NamingFileAndWhy(string content, string why)
    {
        string path = Path.Join(_dir, "bad.json");
        File.WriteAllText(path, content);
        var e = Assert.Throws<InvalidDataException>(() => TextVectorizationFile.Load(path));
        Assert.That(e!.Message, Does.StartWith($"'{path}'"));
        Assert.That(e.Message, Does.Contain(why));
    }

    [Test]
    public void FileLargerThanTheLimit_IsRefusedBeforeReading()
    {
        string path = Path.Join(_dir, "huge.json");
        using (var stream = File.Create(path)) stream.SetLength(TextVectorizationFile.MaxFileBytes + 1);   // sparse: no disk used
        var e = Assert.Throws<InvalidDataException>(() => TextVectorizationFile.Load(path));
        Assert.That(e!.Message, Does.Contain("more than a TextVectorization file may"));
    }
}
