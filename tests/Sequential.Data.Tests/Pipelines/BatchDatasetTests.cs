using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Data.Tests.Pipelines;

public sealed class BatchDatasetTests
{
    [Test]
    public void ConsecutiveElementsAreStacked_TheLastBatchIsSmaller()
    {
        var ds = Dataset.FromTensorSlices(Read.Range(10), Read.Range(10) * 2).Batch(4);
        Assert.That(ds.Cardinality(), Is.EqualTo(3));
        Assert.That(Read.X(ds), Is.EqualTo(new[] { new long[] { 0, 1, 2, 3 }, [4, 5, 6, 7], [8, 9] }));
        Assert.That(Read.Y(ds), Is.EqualTo(new[] { new long[] { 0, 2, 4, 6 }, [8, 10, 12, 14], [16, 18] }));
    }

    [Test]
    public void DropRemainder_DropsTheSmallLastBatch()
    {
        var ds = Dataset.FromTensorSlices(Read.Range(10)).Batch(4, dropRemainder: true);
        Assert.That(ds.Cardinality(), Is.EqualTo(2));
        Assert.That(Read.X(ds), Is.EqualTo(new[] { new long[] { 0, 1, 2, 3 }, [4, 5, 6, 7] }));
        Assert.That(Read.X(Dataset.FromTensorSlices(Read.Range(8)).Batch(4, dropRemainder: true)), Has.Count.EqualTo(2));
    }

    [Test]
    public void ShuffledRowsAreGathered_AndRowShapesKept()
    {
        using var x = torch.arange(20, ScalarType.Int64).reshape(10, 2);
        var ds = Dataset.FromTensorSlices(x).Shuffle(10, seed: 3).Batch(5);
        using var scope = torch.NewDisposeScope();
        var batches = ds.Elements().ToList();
        Assert.That(batches[0].X.Tensor.shape, Is.EqualTo(new long[] { 5, 2 }));
        var rows = batches.SelectMany(b => Read.Longs(b.X.Tensor).Chunk(2)).ToList();
        Assert.That(rows.All(r => r[1] == r[0] + 1), "each row stays whole");
        Assert.That(rows.Select(r => r[0] / 2).Order(), Is.EqualTo(Enumerable.Range(0, 10).Select(i => (long)i)));
    }

    [Test]
    public void DictionariesAndStrings_AreBatchedPerPart()
    {
        var features = new Component(new Dictionary<string, Component>
        {
            ["age"] = torch.tensor(new long[] { 30, 40, 50 }),
            ["city"] = new StringTensor(new[] { "Oslo", "Rome", "Lima" }),
        });
        var ds = Dataset.FromTensorSlices(features, Read.Range(3)).Batch(2);
        using var scope = torch.NewDisposeScope();
        var batches = ds.Elements().ToList();
        Assert.That(batches[0].X["city"].Strings, Is.EqualTo(new[] { "Oslo", "Rome" }));
        Assert.That(batches[0].X["city"].Strings.Shape, Is.EqualTo(new long[] { 2 }));
        Assert.That(Read.Longs(batches[0].X["age"].Tensor), Is.EqualTo(new long[] { 30, 40 }));
        Assert.That(batches[1].X["city"].Strings, Is.EqualTo(new[] { "Lima" }));
        Assert.That(batches[1].ToString(), Is.EqualTo("(x: {age: int64 (1,), city: strings (1,)}, y: int64 (1,))"));
    }

    [Test]
    public void ElementsOfDifferentShapes_AreRefusedNamingBoth()
    {
        var ds = Dataset.FromTensorSlices(Read.Range(4)).Map(x => torch.zeros(x.item<long>() == 2 ? 3 : 2)).Batch(4);
        var e = Assert.Throws<InvalidOperationException>(() => Read.X(ds))!;
        Assert.That(e.Message, Does.StartWith("Batch cannot stack element 2 with element 0: its x is float32 (3,) but element 0's is float32 (2,)."));
    }

    [Test]
    public void AStructureThatChanges_IsRefused()
    {
        var ds = Dataset.FromTensorSlices(Read.Range(3))
            .Map(e => e.X.Tensor.item<long>() == 1 ? new Element(e.X, e.X.Tensor * 2) : e).Batch(3);
        var error = Assert.Throws<InvalidOperationException>(() => Read.X(ds))!;
        Assert.That(error.Message, Does.StartWith(
            "Batch cannot put element 1 (x: tensor, y: tensor) with element 0 (x: tensor): every element needs the same structure"));
    }

    [Test]
    public void BatchSizeBelowOne_IsRefused()
    {
        var ds = Dataset.FromTensorSlices(Read.Range(3));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ds.Batch(0))!;
        Assert.That(e.Message, Does.StartWith("batchSize must be at least 1; got 0."));
        Assert.Throws<ArgumentOutOfRangeException>(() => ds.Batch(-3));
    }

    [Test]
    public void AHugeBatchSize_GivesOneBatchWithoutAllocatingForTheSize()
    {
        var ds = Dataset.FromTensorSlices(Read.Range(5)).Batch(int.MaxValue);
        Assert.That(Read.X(ds), Is.EqualTo(new[] { new long[] { 0, 1, 2, 3, 4 } }));
        Assert.That(ds.Cardinality(), Is.EqualTo(1));
    }

    [Test]
    public void CardinalityFollowsTfData()
    {
        Assert.That(Dataset.FromTensorSlices(Read.Range(10)).Repeat().Batch(4).Cardinality(), Is.EqualTo(Dataset.InfiniteCardinality));
        Assert.That(Dataset.FromTensorSlices(Read.Range(10)).Filter((Tensor x) => true).Batch(4).Cardinality(), Is.EqualTo(Dataset.UnknownCardinality));
        Assert.That(Dataset.FromTensorSlices(Read.Range(3)).Batch(4, dropRemainder: true).Cardinality(), Is.EqualTo(0));
    }
}
