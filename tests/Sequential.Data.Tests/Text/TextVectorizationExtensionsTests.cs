using Sequential.Layers;
using static TorchSharp.torch;

namespace Sequential.Data.Tests;

public sealed class TextVectorizationExtensionsTests
{
    [Test]
    public void Adapt_OnBatchedDataset_WithTargets_AndSteps_AsKeras()
    {
        // Keras: adapt(Dataset.from_tensor_slices(["foo bar", "bar baz", "unique_word"]).batch(1), steps=2) leaves out the third
        // text (its token is "uniqueword": "_" is punctuation, so Keras's assertNotIn("unique_word") holds either way).
        var texts = new[] { "foo bar", "bar baz", "unique_word" };
        var layer = new TextVectorization();
        layer.Adapt(Dataset.FromTensorSlices(texts).Batch(1), steps: 2);
        Assert.That(layer.GetVocabulary(), Is.EqualTo(new[] { "", "[UNK]", "bar", "foo", "baz" }));
        using var labels = tensor(new[] { 1L, 0L, 1L });
        layer.Adapt(Dataset.FromTensorSlices(texts, labels).Batch(2));
        Assert.That(layer.GetVocabulary(), Does.Contain("uniqueword"));
    }

    [Test]
    public void Adapt_RepeatedWithoutSteps_OrOnTensors_Throws()
    {
        var layer = new TextVectorization();
        var forever = Assert.Throws<ArgumentException>(() => layer.Adapt(Dataset.FromTensorSlices(["a"]).Repeat()));
        Assert.That(forever!.Message, Does.StartWith("The dataset repeats forever; pass steps"));
        using var x = zeros(3, 2);
        var numbers = Assert.Throws<ArgumentException>(() => layer.Adapt(Dataset.FromTensorSlices(x)));
        Assert.That(numbers!.Message, Does.StartWith("TextVectorization adapts on strings; element 0 of this dataset has x = "));
    }

    [Test]
    public void InParallelMap_GivesKerasTfDataValues()
    {
        // Keras's test_tf_data_compatibility: Dataset.from_tensor_slices(input).batch(2).map(layer) -> [[4, 1, 3, 0], [1, 2, 0, 0]]
        var layer = new TextVectorization(maxTokens: 5000, outputSequenceLength: 4, vocabulary: ["baz", "bar", "foo"]);
        var texts = Enumerable.Range(0, 64).Select(i => i % 2 == 0 ? "foo qux bar" : "qux baz").ToArray();
        using var labels = arange(64L);
        var ds = Dataset.FromTensorSlices(texts, labels).Batch(2)
            .Map(e => new Element(layer.Apply(e.X.Strings), e.Y), numParallelCalls: 4);
        using var scope = NewDisposeScope();
        int batches = 0;
        foreach (var (x, y) in ds)
        {
            Assert.That(x.data<long>().ToArray(), Is.EqualTo(new long[] { 4, 1, 3, 0, 1, 2, 0, 0 }));
            Assert.That(y.data<long>().ToArray(), Is.EqualTo(new long[] { 2 * batches, 2 * batches + 1 }));
            batches++;
        }
        Assert.That(batches, Is.EqualTo(32));
    }
}
