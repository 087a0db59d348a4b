using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Data.Tests.Pipelines;

public sealed class UnbatchDatasetTests
{
    [Test]
    public void UnbatchOfBatch_IsTheIdentity()
    {
        using var x = torch.arange(14, ScalarType.Int64).reshape(7, 2);
        var original = Dataset.FromTensorSlices(x, Read.Range(7));
        var round = original.Batch(3).Unbatch();
        Assert.That(Read.X(round), Is.EqualTo(Read.X(original)));
        Assert.That(Read.Y(round), Is.EqualTo(Read.Y(original)));
        Assert.That(round.Cardinality(), Is.EqualTo(Dataset.UnknownCardinality));
        using var scope = torch.NewDisposeScope();
        Assert.That(round.Elements().First().X.Tensor.shape, Is.EqualTo(new long[] { 2 }));
    }

    [Test]
    public void SplitsStringsAndDictionaries()
    {
        var features = new Component(new Dictionary<string, Component>
        {
            ["id"] = torch.tensor(new long[] { 1, 2, 3 }),
            ["name"] = new StringTensor(new[] { "x", "y", "z" }),
        });
        var ds = Dataset.FromTensorSlices(features).Batch(2).Unbatch();
        using var scope = torch.NewDisposeScope();
        var elements = ds.Elements().ToList();
        Assert.That(elements.Select(e => e.X["name"].Strings.Value), Is.EqualTo(new[] { "x", "y", "z" }));
        Assert.That(elements.Select(e => e.X["id"].Tensor.item<long>()), Is.EqualTo(new long[] { 1, 2, 3 }));
    }

    [Test]
    public void RowsOfAnUnbatchedSource_AreSplitFurther()
    {
        using var x = torch.arange(6, ScalarType.Int64).reshape(2, 3);
        Assert.That(Read.Scalars(Dataset.FromTensorSlices(x).Unbatch()), Is.EqualTo(new long[] { 0, 1, 2, 3, 4, 5 }));
    }

    [Test]
    public void ScalarsAndMismatchedBatchDimensions_AreRefused()
    {
        var scalars = Dataset.FromTensorSlices(Read.Range(3)).Unbatch();
        var e = Assert.Throws<InvalidOperationException>(() => Read.X(scalars))!;
        Assert.That(e.Message, Does.StartWith("Unbatch splits elements along their first dimension, but element 0's x is a scalar (shape ())"));
        var mismatched = Dataset.FromTensorSlices(torch.zeros(2, 4), torch.zeros(2, 3)).Unbatch();
        e = Assert.Throws<InvalidOperationException>(() => Read.X(mismatched))!;
        Assert.That(e.Message, Is.EqualTo("Unbatch needs the same first (batch) dimension in every component; element 0 has x (4,) and y (3,)."));
    }
}
