using Sequential.Training;
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

    [TestCase(7, true, false)]    // a buffer smaller than the data, reshuffled each pass
    [TestCase(23, true, true)]    // a buffer as large as the data, the small last batch dropped
    [TestCase(1, false, false)]   // no shuffling at all, one order every pass
    public void SlicesShuffledAndBatched_GiveTheElementPathsBatches_PassAfterPass(int buffer, bool reshuffle, bool dropRemainder)
    {
        // Shuffle -> Batch straight on FromTensorSlices gathers rows by number; a Map in between (identity) takes the element
        // path. Same seed: the same rows in the same batches, x and y together, on every pass.
        using var x = torch.arange(46, ScalarType.Int64).reshape(23, 2);
        using var y = torch.arange(23, ScalarType.Float32) * 10;
        var direct = Dataset.FromTensorSlices(x, y).Shuffle(buffer, seed: 5, reshuffleEachIteration: reshuffle).Batch(4, dropRemainder);
        var elementwise = Dataset.FromTensorSlices(x, y).Shuffle(buffer, seed: 5, reshuffleEachIteration: reshuffle)
            .Map((Element e) => e).Batch(4, dropRemainder);
        for (int pass = 0; pass < 3; pass++)
        {
            var (dx, dy) = (Read.X(direct), Read.Y(direct));
            var (ex, ey) = (Read.X(elementwise), Read.Y(elementwise));
            Assert.That(dx, Is.EqualTo(ex), $"x, pass {pass}");
            Assert.That(dy, Is.EqualTo(ey), $"y, pass {pass}");
            Assert.That(dx, Has.Count.EqualTo(dropRemainder ? 5 : 6));
        }
        var unshuffled = Read.X(Dataset.FromTensorSlices(x, y).Batch(4, dropRemainder));
        Assert.That(unshuffled, Is.EqualTo(Read.X(Dataset.FromTensorSlices(x, y).Map((Element e) => e).Batch(4, dropRemainder))));
        Assert.That(unshuffled[^1], Is.EqualTo(dropRemainder ? new long[] { 32, 33, 34, 35, 36, 37, 38, 39 } : new long[] { 40, 41, 42, 43, 44, 45 }));
    }

    [Test]
    public void MappedViews_AreStackedByTheirOwnValues()
    {
        // A Map may return views: rows 1-2 of a 4x2 tensor (contiguous, not at the start of its storage) and a transpose
        // (not contiguous). The batch holds their values, not the storage's first bytes.
        using var scope = torch.NewDisposeScope();
        var narrowed = Dataset.FromTensorSlices(Read.Range(3))
            .Map(x => (torch.arange(8, ScalarType.Int64).reshape(4, 2) + x * 100).narrow(0, 1, 2)).Batch(3);
        Assert.That(Read.X(narrowed).Single(), Is.EqualTo(new long[] { 2, 3, 4, 5, 102, 103, 104, 105, 202, 203, 204, 205 }));
        var transposed = Dataset.FromTensorSlices(Read.Range(2))
            .Map(x => (torch.arange(4, ScalarType.Int64).reshape(2, 2) + x * 10).t()).Batch(2);
        Assert.That(Read.X(transposed).Single(), Is.EqualTo(new long[] { 0, 2, 1, 3, 10, 12, 11, 13 }));
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

    /// <summary>Nine rows of x = 0..8 (as floats, 2 per row) and y = 10 x, batched by 4: batches of 4, 4 and 1.</summary>
    private static Dataset Nine(Func<Dataset, Dataset> between)
    {
        var x = torch.arange(18, ScalarType.Float32).reshape(9, 2);
        return between(Dataset.FromTensorSlices(x, torch.arange(9, ScalarType.Int64) * 10)).Batch(4).Prefetch(2);
    }

    [TestCase(null)]
    [TestCase(2)]
    public void DataParallelParts_RunTheMapOnlyOnTheRanksRows_AndAreTheSlicesOfTheWholeBatches(int? parallel)
    {
        int calls = 0;
        Dataset Make() => Nine(ds => ds.Shuffle(9, seed: 4).Map((x, y, random) =>
        {
            Interlocked.Increment(ref calls);
            return (x + torch.rand(2, generator: random), y);
        }, numParallelCalls: parallel, seed: 7));
        var whole = Make().GetBatches().ToList();
        Assert.That(calls, Is.EqualTo(9));
        calls = 0;
        var first = Shards.Read(Make(), 0, 2);
        Assert.That(calls, Is.EqualTo(5), "rows 0-1, 0-1, and the last batch's one row for its shape (none kept)");
        calls = 0;
        var second = Shards.Read(Make(), 1, 2);
        Assert.That(calls, Is.EqualTo(5), "rows 2-3, 2-3, 0");
        Shards.AssertSlices(whole, first, 0, 2);
        Shards.AssertSlices(whole, second, 1, 2);
        Assert.That(WorkerThread.Live, Is.Zero);
    }

    [Test]
    public void DataParallelParts_OfTensorSlices_ShuffledOrNot_AreTheSlicesOfTheWholeBatches()
    {
        foreach (var between in new Func<Dataset, Dataset>[] { ds => ds, ds => ds.Shuffle(5, seed: 2) })
            for (int shard = 0; shard < 3; shard++)
                Shards.AssertSlices(Nine(between).GetBatches().ToList(), Shards.Read(Nine(between), shard, 3), shard, 3);
    }

    [Test]
    public void APipelineWhoseBatchesAreNotKnownBeforehand_CannotBeReadInParts()
    {
        IShardedSource Sharded(Dataset ds) => ds;
        Assert.That(Sharded(Nine(ds => ds.Filter((Tensor x, Tensor y) => true))).GetBatches(0, 2), Is.Null, "batch sizes unknown");
        Assert.That(Sharded(Nine(ds => ds).Map((x, y) => (x * 2f, y))).GetBatches(0, 2), Is.Null, "a Map over whole batches");
        Assert.That(Sharded(Dataset.FromTensorSlices(torch.ones(4, 2))).GetBatches(0, 2), Is.Null, "no batches");
    }
}
