using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Data.Tests.Pipelines;

public sealed class DatasetTests
{
    [Test]
    public void EnumeratesAsXYPairs_JoiningTheCallersScope()
    {
        var ds = Dataset.FromTensorSlices(Read.Range(5), Read.Range(5) * 2).Batch(2);
        var kept = new List<Tensor>();
        using (var scope = torch.NewDisposeScope())
        {
            foreach (var (x, y) in ds)
            {
                Assert.That(Read.Longs(y), Is.EqualTo(Read.Longs(x).Select(v => 2 * v)));
                kept.Add(x);
                kept.Add(y);
            }
            Assert.That(kept, Has.Count.EqualTo(6));
            Assert.That(kept.All(t => scope.Contains(t)));
        }
        Assert.That(kept.All(t => t.IsInvalid), "the scope disposed them");
        // Without a scope the caller owns them.
        var (x0, y0) = ds.First();
        Assert.That(x0.IsInvalid, Is.False);
        x0.Dispose();
        y0.Dispose();
    }

    [Test]
    public void ElementsThatAreNotXYPairs_SayWhatToUseInstead()
    {
        var named = Dataset.FromTensorSlices(new Dictionary<string, Tensor> { ["image"] = torch.zeros(2, 3), ["meta"] = torch.zeros(2) }, Read.Range(2));
        var e = Assert.Throws<InvalidOperationException>(() => named.ToList())!;
        Assert.That(e.Message, Is.EqualTo("This dataset's elements are (x: {image: tensor, meta: tensor}, y: tensor), which a (Tensor x, Tensor y) " +
            "pair cannot hold. Pass the dataset to Fit/Evaluate/Predict (they take dictionaries by input name and data without targets), " +
            "or enumerate ds.GetBatches() or ds.Elements()."));
        Assert.Throws<InvalidOperationException>(() => Dataset.FromTensorSlices(Read.Range(2)).ToList());
        Assert.Throws<InvalidOperationException>(() => Dataset.FromTensorSlices(new[] { "a" }, Read.Range(1)).ToList());
    }

    [Test]
    public void GetBatches_KeepsNamesAndMissingTargets()
    {
        using var scope = torch.NewDisposeScope();
        var named = Dataset.FromTensorSlices(new Dictionary<string, Tensor> { ["image"] = torch.zeros(5, 3), ["meta"] = torch.ones(5) }, Read.Range(5)).Batch(2);
        var batches = named.GetBatches().ToList();
        Assert.That(batches, Has.Count.EqualTo(3));
        Assert.That(batches[0].InputNames, Is.EqualTo(new[] { "image", "meta" }));
        Assert.That(batches[0].Inputs.Select(t => t.shape), Is.EqualTo(new[] { new long[] { 2, 3 }, [2] }));
        Assert.That(Read.Longs(batches[2].Y!), Is.EqualTo(new long[] { 4 }));

        var xOnly = Dataset.FromTensorSlices(Read.Range(3)).Batch(2).GetBatches().ToList();
        Assert.That(xOnly.Select(b => b.Y), Is.All.Null);
        Assert.That(Read.Longs(xOnly[1].X), Is.EqualTo(new long[] { 2 }));

        var bothNamed = Dataset.FromTensorSlices(new Dictionary<string, Tensor> { ["in"] = torch.zeros(2) },
            new Dictionary<string, Tensor> { ["class"] = Read.Range(2), ["box"] = torch.ones(2, 4) }).Batch(2).GetBatches().Single();
        Assert.That(bothNamed.TargetNames, Is.EqualTo(new[] { "class", "box" }));

        var pairs = Dataset.FromTensorSlices(Read.Range(2), Read.Range(2)).Batch(2);
        Assert.That(((IBatchSource)pairs).BatchesPerPass, Is.EqualTo(1));
        Assert.That(((IBatchSource)pairs.Repeat()).BatchesPerPass, Is.Null);
        Assert.That(((IBatchSource)pairs.Filter((Tensor x, Tensor y) => true)).BatchesPerPass, Is.Null);
    }

    [Test]
    public void GetBatches_CarryStrings_ForAModelWhoseInputTakesThem()
    {
        // A model that computes on numbers refuses them with the fix (EndToEndModelTests); one with a string Input reads them.
        var texts = Dataset.FromTensorSlices(new[] { "a", "b", "c" }, Read.Range(3)).Batch(2);
        var batches = texts.GetBatches().ToList();
        Assert.That(batches.Select(b => Sequential.Layers.StringInputs.Get(b.Inputs[0])), Is.EqualTo(new[] { new[] { "a", "b" }, new[] { "c" } }));
        Assert.That(batches[0].Inputs[0].shape, Is.EqualTo(new long[] { 2 }));
    }

    [Test]
    public void AStructureThatChangesBetweenElements_IsRefused()
    {
        var ds = Dataset.FromTensorSlices(Read.Range(4)).Map(e => e.X.Tensor.item<long>() < 2 ? e : new Element(e.X, e.X));
        var error = Assert.Throws<InvalidOperationException>(() => Read.X(ds))!;
        Assert.That(error.Message, Does.StartWith("Element 2 of this dataset has the structure (x: tensor, y: tensor), but element 0 had (x: tensor)."));
    }

    private sealed class LabeledDataset : Dataset
    {
        public LabeledDataset(Dataset pipeline, IReadOnlyList<string> classNames, IReadOnlyList<string> filePaths) : base(pipeline)
        {
            ClassNames = classNames;
            FilePaths = filePaths;
        }
    }

    [Test]
    public void ASubclassAddsClassNamesToAPipeline()
    {
        var pipeline = Dataset.FromTensorSlices(Read.Range(4), Read.Range(4) % 2).Batch(2);
        Dataset labeled = new LabeledDataset(pipeline, ["cat", "dog"], ["a.jpg", "b.jpg", "c.jpg", "d.jpg"]);
        Assert.That(labeled.ClassNames, Is.EqualTo(new[] { "cat", "dog" }));
        Assert.That(labeled.FilePaths[3], Is.EqualTo("d.jpg"));
        Assert.That(labeled.Cardinality(), Is.EqualTo(2));
        Assert.That(Read.X(labeled), Is.EqualTo(Read.X(pipeline)));
        var mapped = labeled.Map((x, y) => (x, y));
        var e = Assert.Throws<InvalidOperationException>(() => _ = mapped.ClassNames)!;
        Assert.That(e.Message, Does.StartWith("This dataset has no class names: only the dataset a directory loader such as " +
            "ImageDatasetFromDirectory returns has them"));
    }
}
