using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Data.Tests.Pipelines;

public sealed class SkipDatasetTests
{
    [Test]
    public void SkipsTheFirstElements()
    {
        var ten = Dataset.FromTensorSlices(Read.Range(10));
        Assert.That(Read.Scalars(ten.Skip(7)), Is.EqualTo(new long[] { 7, 8, 9 }));
        Assert.That(Read.Scalars(ten.Skip(0)), Has.Length.EqualTo(10));
        Assert.That(Read.Scalars(ten.Skip(-1)), Is.Empty);
        Assert.That(Read.Scalars(ten.Skip(20)), Is.Empty);
        Assert.That(Read.Scalars(ten.Take(4).Concatenate(ten.Skip(4))), Is.EqualTo(Read.Scalars(ten)));
    }

    [Test]
    public void TheSkippedElements_AreDisposed()
    {
        var made = new List<TorchSharp.torch.Tensor>();
        var ds = Dataset.FromTensorSlices(Read.Range(5)).Map(x => { var y = x + 1; made.Add(y); return y; }).Skip(3);
        Assert.That(Read.Scalars(ds), Is.EqualTo(new long[] { 4, 5 }));
        Assert.That(made.All(t => t.IsInvalid));
    }

    [Test]
    public void CardinalityFollowsTfData()
    {
        var ten = Dataset.FromTensorSlices(Read.Range(10));
        Assert.That(ten.Skip(3).Cardinality(), Is.EqualTo(7));
        Assert.That(ten.Skip(30).Cardinality(), Is.EqualTo(0));
        Assert.That(ten.Skip(-1).Cardinality(), Is.EqualTo(0));
        Assert.That(ten.Repeat().Skip(3).Cardinality(), Is.EqualTo(Dataset.InfiniteCardinality));
        Assert.That(ten.Filter((Tensor x) => true).Skip(3).Cardinality(), Is.EqualTo(Dataset.UnknownCardinality));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ten.Skip(-5))!;
        Assert.That(e.Message, Does.StartWith("count must be -1 (all) or 0 or more; got -5."));
    }
}
