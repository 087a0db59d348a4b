using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Data.Tests.Pipelines;

public sealed class TensorSlicesDatasetTests
{
    [Test]
    public void ElementIHoldsRowIOfEachTensor()
    {
        using var x = torch.arange(12, ScalarType.Int64).reshape(4, 3);
        using var y = torch.tensor(new long[] { 7, 8, 9, 10 });
        var ds = Dataset.FromTensorSlices(x, y);
        Assert.That(ds.Cardinality(), Is.EqualTo(4));
        Assert.That(Read.X(ds), Is.EqualTo(new[] { new long[] { 0, 1, 2 }, [3, 4, 5], [6, 7, 8], [9, 10, 11] }));
        Assert.That(Read.Y(ds), Is.EqualTo(new[] { new long[] { 7 }, [8], [9], [10] }));
        using var scope = torch.NewDisposeScope();
        var first = ds.Elements().First();
        Assert.That(first.X.Tensor.shape, Is.EqualTo(new long[] { 3 }));
        Assert.That(first.Y!.Tensor.shape, Is.Empty);
    }

    [Test]
    public void TheDatasetKeepsItsOwnCopy()
    {
        var x = torch.arange(3, ScalarType.Int64);
        var ds = Dataset.FromTensorSlices(x);
        x.add_(100);
        x.Dispose();
        Assert.That(Read.Scalars(ds), Is.EqualTo(new long[] { 0, 1, 2 }));
    }

    [Test]
    public void HandedOutRowsAreCopies_ChangingThemInPlaceDoesNotChangeTheDataset()
    {
        var ds = Dataset.FromTensorSlices(Read.Range(3));
        using (torch.NewDisposeScope())
            foreach (var e in ds.Elements()) e.X.Tensor.add_(100);
        Assert.That(Read.Scalars(ds), Is.EqualTo(new long[] { 0, 1, 2 }));
    }

    [Test]
    public void Dictionaries_KeepTheirNamesAndOrder()
    {
        var ds = Dataset.FromTensorSlices(new Dictionary<string, Tensor> { ["b"] = Read.Range(2), ["a"] = Read.Range(2) * 10 }, Read.Range(2));
        using var scope = torch.NewDisposeScope();
        var elements = ds.Elements().ToList();
        Assert.That(elements[1].X.Dictionary.Keys, Is.EqualTo(new[] { "b", "a" }));
        Assert.That(elements[1].X["a"].Tensor.item<long>(), Is.EqualTo(10));
        Assert.That(elements[1].ToString(), Is.EqualTo("(x: {b: int64 (), a: int64 ()}, y: int64 ())"));
    }

    [Test]
    public void Strings_AreSlicedLikeTensors()
    {
        var ds = Dataset.FromTensorSlices(new[] { "a cat", "a dog" }, torch.tensor(new long[] { 0, 1 }));
        using var scope = torch.NewDisposeScope();
        var elements = ds.Elements().ToList();
        Assert.That(elements.Select(e => e.X.Strings.Value), Is.EqualTo(new[] { "a cat", "a dog" }));
        Assert.That(elements[0].X.Strings.Shape, Is.Empty);
        Assert.That(elements[1].Y!.Tensor.item<long>(), Is.EqualTo(1));
    }

    [Test]
    public void MismatchedFirstDimensions_NameBothShapes()
    {
        using var x = torch.zeros(3, 2);
        using var y = torch.zeros(4);
        var e = Assert.Throws<ArgumentException>(() => Dataset.FromTensorSlices(x, y))!;
        Assert.That(e.Message, Does.StartWith(
            "FromTensorSlices needs the same first dimension (number of samples) in every tensor; got x (3, 2) and y (4,)."));
        Assert.That(e.ParamName, Is.EqualTo("y"));
        var named = Assert.Throws<ArgumentException>(() => Dataset.FromTensorSlices(
            new Dictionary<string, Tensor> { ["image"] = torch.zeros(5, 2), ["meta"] = torch.zeros(6) }))!;
        Assert.That(named.Message, Does.StartWith("FromTensorSlices needs the same first dimension (number of samples) in every tensor; " +
            "got x['image'] (5, 2) and x['meta'] (6,)."));
        var texts = Assert.Throws<ArgumentException>(() => Dataset.FromTensorSlices(new[] { "a" }, torch.zeros(2)))!;
        Assert.That(texts.Message, Does.StartWith("FromTensorSlices needs the same first dimension (number of samples) in every tensor; " +
            "got x (1,) (strings) and y (2,)."));
    }

    [Test]
    public void AScalar_IsRefusedWithTheFix()
    {
        using var x = torch.tensor(3f);
        var e = Assert.Throws<ArgumentException>(() => Dataset.FromTensorSlices(x))!;
        Assert.That(e.Message, Does.StartWith("FromTensorSlices slices along the first dimension, but x is a scalar (shape ()); " +
            "give it a sample dimension"));
    }

    [Test]
    public void AnEmptyDictionary_IsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => Dataset.FromTensorSlices(new Dictionary<string, Tensor>()))!;
        Assert.That(e.Message, Does.StartWith("A dictionary component needs at least one entry."));
    }
}
