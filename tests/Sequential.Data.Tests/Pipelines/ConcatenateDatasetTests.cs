using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Data.Tests.Pipelines;

public sealed class ConcatenateDatasetTests
{
    [Test]
    public void TheFirstsElementsThenTheSeconds()
    {
        var ds = Dataset.FromTensorSlices(Read.Range(3)).Concatenate(Dataset.FromTensorSlices(Read.Range(2) + 10));
        Assert.That(Read.Scalars(ds), Is.EqualTo(new long[] { 0, 1, 2, 10, 11 }));
        Assert.That(ds.Cardinality(), Is.EqualTo(5));
    }

    [Test]
    public void CardinalityFollowsTfData()
    {
        var three = Dataset.FromTensorSlices(Read.Range(3));
        Assert.That(three.Concatenate(three.Repeat()).Cardinality(), Is.EqualTo(Dataset.InfiniteCardinality));
        Assert.That(three.Repeat().Concatenate(three.Filter((Tensor x) => true)).Cardinality(), Is.EqualTo(Dataset.UnknownCardinality));
        Assert.That(three.Filter((Tensor x) => true).Concatenate(three).Cardinality(), Is.EqualTo(Dataset.UnknownCardinality));
    }

    [Test]
    public void DatasetsOfDifferentStructureOrDType_AreRefused()
    {
        var ints = Dataset.FromTensorSlices(Read.Range(2));
        var floats = Dataset.FromTensorSlices(torch.zeros(2));
        var e = Assert.Throws<InvalidOperationException>(() => Read.X(ints.Concatenate(floats)))!;
        Assert.That(e.Message, Is.EqualTo("Concatenate needs datasets with the same element structure and dtypes; the first gives " +
            "(x: tensor) x: int64, the second (x: tensor) x: float32. Map one of them to match the other first."));
        var pairs = Dataset.FromTensorSlices(Read.Range(2), Read.Range(2));
        Assert.Throws<InvalidOperationException>(() => Read.X(ints.Concatenate(pairs)));
    }

    [Test]
    public void ElementsOfDifferentShapes_AreConcatenated()
    {
        using var wide = torch.zeros(1, 3, ScalarType.Int64);
        var ds = Dataset.FromTensorSlices(torch.zeros(1, 2, ScalarType.Int64)).Concatenate(Dataset.FromTensorSlices(wide));
        Assert.That(Read.X(ds).Select(v => v.Length), Is.EqualTo(new[] { 2, 3 }));
    }
}
