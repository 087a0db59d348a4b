using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Data.Tests.Pipelines;

public sealed class ZipDatasetTests
{
    [Test]
    public void PairsInputsWithTargets_EndingWithTheShorter()
    {
        var images = Dataset.FromTensorSlices(Read.Range(5));
        var labels = Dataset.FromTensorSlices(Read.Range(3) * 10);
        var zipped = Dataset.Zip(images, labels);
        Assert.That(Read.Scalars(zipped), Is.EqualTo(new long[] { 0, 1, 2 }));
        Assert.That(Read.Y(zipped).Select(y => y.Single()), Is.EqualTo(new long[] { 0, 10, 20 }));
        Assert.That(zipped.Cardinality(), Is.EqualTo(3));
        Assert.That(Read.Y(images.Zip(labels)), Is.EqualTo(Read.Y(zipped)));
    }

    [Test]
    public void CardinalityFollowsTfData()
    {
        var five = Dataset.FromTensorSlices(Read.Range(5));
        Assert.That(Dataset.Zip(five, five.Repeat()).Cardinality(), Is.EqualTo(5));
        Assert.That(Dataset.Zip(five.Repeat(), five.Repeat()).Cardinality(), Is.EqualTo(Dataset.InfiniteCardinality));
        Assert.That(Dataset.Zip(five.Filter((Tensor x) => true), five).Cardinality(), Is.EqualTo(Dataset.UnknownCardinality));
    }

    [Test]
    public void DatasetsWithTargets_AreRefused()
    {
        var pairs = Dataset.FromTensorSlices(Read.Range(2), Read.Range(2));
        var e = Assert.Throws<InvalidOperationException>(() => Read.X(Dataset.Zip(pairs, Dataset.FromTensorSlices(Read.Range(2)))))!;
        Assert.That(e.Message, Is.EqualTo("Dataset.Zip pairs two datasets of inputs alone into (x, y), but element 0 of the first dataset " +
            "is (x: tensor, y: tensor). Map each dataset to its inputs first (Map(e => new Element(e.X)))."));
    }

    [Test]
    public void TheLongerDatasetsExtraElement_IsDisposed()
    {
        var made = new List<TorchSharp.torch.Tensor>();
        var longer = Dataset.FromTensorSlices(Read.Range(4)).Map(x => { var y = x * 1; made.Add(y); return y; });
        Assert.That(Read.Scalars(Dataset.Zip(longer, Dataset.FromTensorSlices(Read.Range(2)))), Has.Length.EqualTo(2));
        Assert.That(made, Has.Count.EqualTo(3));
        Assert.That(made.All(t => t.IsInvalid));
    }
}
