using static TorchSharp.torch;

namespace Sequential.Data.Tests.Pipelines;

public sealed class TakeDatasetTests
{
    [Test]
    public void TakesTheFirstElements()
    {
        var ten = Dataset.FromTensorSlices(Read.Range(10));
        Assert.That(Read.Scalars(ten.Take(3)), Is.EqualTo(new long[] { 0, 1, 2 }));
        Assert.That(Read.Scalars(ten.Take(0)), Is.Empty);
        Assert.That(Read.Scalars(ten.Take(-1)), Has.Length.EqualTo(10));
        Assert.That(Read.Scalars(ten.Take(50)), Has.Length.EqualTo(10));
    }

    [Test]
    public void CardinalityFollowsTfData()
    {
        var ten = Dataset.FromTensorSlices(Read.Range(10));
        Assert.That(ten.Take(3).Cardinality(), Is.EqualTo(3));
        Assert.That(ten.Take(50).Cardinality(), Is.EqualTo(10));
        Assert.That(ten.Take(-1).Cardinality(), Is.EqualTo(10));
        Assert.That(ten.Repeat().Take(25).Cardinality(), Is.EqualTo(25));
        Assert.That(ten.Repeat().Take(-1).Cardinality(), Is.EqualTo(Dataset.InfiniteCardinality));
        Assert.That(ten.Filter((Tensor x) => true).Take(3).Cardinality(), Is.EqualTo(Dataset.UnknownCardinality));
        Assert.Throws<ArgumentOutOfRangeException>(() => ten.Take(-2));
    }
}
