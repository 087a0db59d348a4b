using TorchSharp;

namespace Sequential.Data.Tests.Pipelines;

public sealed class FilterDatasetTests
{
    [Test]
    public void KeepsTheElementsThePredicateAccepts_InOrder()
    {
        var ds = Dataset.FromTensorSlices(Read.Range(10)).Filter(x => x.item<long>() % 3 == 0);
        Assert.That(Read.Scalars(ds), Is.EqualTo(new long[] { 0, 3, 6, 9 }));
        Assert.That(ds.Cardinality(), Is.EqualTo(Dataset.UnknownCardinality));
    }

    [Test]
    public void PairAndElementForms()
    {
        var pairs = Dataset.FromTensorSlices(Read.Range(6), Read.Range(6) % 2);
        Assert.That(Read.Scalars(pairs.Filter((x, y) => y.item<long>() == 1)), Is.EqualTo(new long[] { 1, 3, 5 }));
        var texts = Dataset.FromTensorSlices(new[] { "", "a", "", "bc" });
        using var scope = torch.NewDisposeScope();
        Assert.That(texts.Filter(e => e.X.Strings.Value.Length > 0).Elements().Select(e => e.X.Strings.Value), Is.EqualTo(new[] { "a", "bc" }));
    }

    [Test]
    public void TheRowsReadForThePredicate_AreDisposed_AndTheKeptRowsBatchInOrder()
    {
        var seen = new List<TorchSharp.torch.Tensor>();
        var ds = Dataset.FromTensorSlices(Read.Range(6)).Filter(x => { seen.Add(x); return true; }).Batch(6);
        Assert.That(Read.X(ds), Is.EqualTo(new[] { new long[] { 0, 1, 2, 3, 4, 5 } }));
        Assert.That(seen.All(t => t.IsInvalid));
    }

    [Test]
    public void APredicateThatThrows_NamesTheElement()
    {
        var ds = Dataset.FromTensorSlices(Read.Range(5)).Filter(x => x.item<long>() < 3 ? true : throw new ArithmeticException("no"));
        var e = Assert.Throws<InvalidOperationException>(() => Read.X(ds))!;
        Assert.That(e.Message, Is.EqualTo("The function given to Filter failed on element 3 of the pass (ArithmeticException: no)."));
    }
}
