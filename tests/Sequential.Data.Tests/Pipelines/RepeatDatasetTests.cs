using static TorchSharp.torch;

namespace Sequential.Data.Tests.Pipelines;

public sealed class RepeatDatasetTests
{
    [Test]
    public void RepeatsTheGivenNumberOfTimes()
    {
        var ds = Dataset.FromTensorSlices(Read.Range(3)).Repeat(2);
        Assert.That(Read.Scalars(ds), Is.EqualTo(new long[] { 0, 1, 2, 0, 1, 2 }));
        Assert.That(ds.Cardinality(), Is.EqualTo(6));
        Assert.That(Read.Scalars(Dataset.FromTensorSlices(Read.Range(3)).Repeat(0)), Is.Empty);
    }

    [Test]
    public void ForeverIsInfinite_AndEachRepetitionReshuffles()
    {
        var ds = Dataset.FromTensorSlices(Read.Range(10)).Shuffle(10, seed: 4).Repeat();
        Assert.That(ds.Cardinality(), Is.EqualTo(Dataset.InfiniteCardinality));
        var values = Read.Scalars(ds.Take(30));
        var passes = values.Chunk(10).ToList();
        Assert.That(passes.All(p => p.Order().SequenceEqual(Enumerable.Range(0, 10).Select(i => (long)i))));
        Assert.That(passes[1], Is.Not.EqualTo(passes[0]));
    }

    [Test]
    public void AnEmptyDatasetRepeatedForever_Ends()
    {
        var empty = Dataset.FromTensorSlices(Read.Range(3)).Filter((Tensor x) => false).Repeat();
        Assert.That(Read.Scalars(empty), Is.Empty);
        Assert.That(Dataset.FromTensorSlices(Read.Range(3)).Take(0).Repeat().Cardinality(), Is.EqualTo(0));
    }

    [Test]
    public void CardinalityFollowsTfData()
    {
        var three = Dataset.FromTensorSlices(Read.Range(3));
        Assert.That(three.Filter((Tensor x) => true).Repeat().Cardinality(), Is.EqualTo(Dataset.UnknownCardinality));
        Assert.That(three.Filter((Tensor x) => true).Repeat(2).Cardinality(), Is.EqualTo(Dataset.UnknownCardinality));
        Assert.That(three.Repeat().Repeat(3).Cardinality(), Is.EqualTo(Dataset.InfiniteCardinality));
        Assert.That(three.Filter((Tensor x) => true).Repeat(0).Cardinality(), Is.EqualTo(0));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => three.Repeat(-2))!;
        Assert.That(e.Message, Does.StartWith("count must be -1 (forever) or 0 or more; got -2."));
    }
}
