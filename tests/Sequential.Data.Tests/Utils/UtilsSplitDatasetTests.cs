using Sequential.Data.Tests.Pipelines;
using TorchSharp;
using static Sequential.Data.Utils;
using static TorchSharp.torch;

namespace Sequential.Data.Tests;

public sealed class UtilsSplitDatasetTests
{
    [Test]
    public void KerasDocExample_AFractionOfAnArray()
    {
        using var data = torch.rand(1000, 4);
        var (left, right) = SplitDataset(data, leftSize: 0.8);
        Assert.That(left.Cardinality(), Is.EqualTo(800));
        Assert.That(right.Cardinality(), Is.EqualTo(200));
    }

    [Test]
    public void WithoutShuffle_TheLeftIsTheStart_AndTheRightTheEnd()
    {
        var (left, right) = SplitDataset((Read.Range(10), Read.Range(10) * 2), leftSize: 3, rightSize: 4);
        Assert.That(Read.Scalars(left), Is.EqualTo(new long[] { 0, 1, 2 }));
        Assert.That(Read.Scalars(right), Is.EqualTo(new long[] { 6, 7, 8, 9 }));
        Assert.That(Read.Y(right).Select(y => y.Single()), Is.EqualTo(new long[] { 12, 14, 16, 18 }));
        var (l2, r2) = SplitDataset(Read.Range(10), rightSize: 0.25);
        Assert.That(Read.Scalars(l2), Has.Length.EqualTo(8), "0.25 * 10 = 2.5 rounds half to even: 2 on the right");
        Assert.That(Read.Scalars(r2), Is.EqualTo(new long[] { 8, 9 }));
    }

    [Test]
    public void WithShuffle_ThePartsCoverTheSamples_AndTheSeedFixesThem()
    {
        var (left, right) = SplitDataset(Read.Range(20), leftSize: 0.5, shuffle: true, seed: 4);
        var all = Read.Scalars(left).Concat(Read.Scalars(right)).ToArray();
        Assert.That(all.Order(), Is.EqualTo(Enumerable.Range(0, 20).Select(i => (long)i)));
        Assert.That(Read.Scalars(left), Is.Not.EqualTo(Enumerable.Range(0, 10).Select(i => (long)i)));
        var (again, _) = SplitDataset(Read.Range(20), leftSize: 0.5, shuffle: true, seed: 4);
        Assert.That(Read.Scalars(again), Is.EqualTo(Read.Scalars(left)));
    }

    [Test]
    public void ABatchedDataset_IsSplitBySample_AndBatchedAgain()
    {
        var batched = Dataset.FromTensorSlices(Read.Range(10), Read.Range(10)).Batch(4).Prefetch(2);
        var (left, right) = SplitDataset(batched, leftSize: 7);
        Assert.That(Read.X(left), Is.EqualTo(new[] { new long[] { 0, 1, 2, 3 }, [4, 5, 6] }));
        Assert.That(Read.X(right), Is.EqualTo(new[] { new long[] { 7, 8, 9 } }));
    }

    [Test]
    public void DictionariesAndStrings_AreSplit()
    {
        var features = new Component(new Dictionary<string, Component>
        {
            ["n"] = Read.Range(4),
            ["s"] = new StringTensor(new[] { "a", "b", "c", "d" }),
        });
        var (left, right) = SplitDataset(Dataset.FromTensorSlices(features, Read.Range(4)), leftSize: 1);
        using var scope = torch.NewDisposeScope();
        Assert.That(left.Elements().Select(e => e.X["s"].Strings.Value), Is.EqualTo(new[] { "a" }));
        Assert.That(right.Elements().Select(e => e.X["s"].Strings.Value), Is.EqualTo(new[] { "b", "c", "d" }));
    }

    [Test]
    public void KerasSizeRules()
    {
        Assert.That(SplitSizes(0.8, null, 1000), Is.EqualTo((800, 200)));
        Assert.That(SplitSizes(null, 0.3, 10), Is.EqualTo((7, 3)));
        Assert.That(SplitSizes(0.5, 0.25, 6), Is.EqualTo((3, 2)), "1.5 rounds to 2, 3 stays 3");
        Assert.That(SplitSizes(600, 0.2, 1000), Is.EqualTo((600, 200)));

        var e = Assert.Throws<ArgumentException>(() => SplitDataset(Read.Range(10)))!;
        Assert.That(e.Message, Does.StartWith("At least one of leftSize or rightSize must be specified. Received: leftSize=null and rightSize=null."));
        e = Assert.Throws<ArgumentException>(() => SplitSizes(0, 0.0, 10))!;
        Assert.That(e.Message, Does.StartWith("Both leftSize and rightSize are zero. At least one of the split sizes must be non-zero."));
        e = Assert.Throws<ArgumentOutOfRangeException>(() => SplitSizes(10, null, 10))!;
        Assert.That(e.Message, Does.StartWith("leftSize should be either a positive integer smaller than 10, or a float within the range (0, 1). Received: leftSize=10."));
        e = Assert.Throws<ArgumentOutOfRangeException>(() => SplitSizes(1.0, null, 10))!;
        Assert.That(e.Message, Does.StartWith("leftSize should be either a positive integer smaller than 10, or a float within the range (0, 1). Received: leftSize=1."));
        e = Assert.Throws<ArgumentOutOfRangeException>(() => SplitSizes(null, -2, 10))!;
        Assert.That(e.Message, Does.StartWith("rightSize should be either a positive integer smaller than 10, or a float within the range (0, 1). Received: rightSize=-2."));
        Assert.Throws<ArgumentOutOfRangeException>(() => SplitSizes(double.NaN, null, 10));
        e = Assert.Throws<ArgumentException>(() => SplitSizes(0.7, 0.5, 10))!;
        Assert.That(e.Message, Does.StartWith("The sum of leftSize and rightSize is greater than 1. It must be less than or equal to 1."));
        e = Assert.Throws<ArgumentException>(() => SplitSizes(6, 5, 10))!;
        Assert.That(e.Message, Does.StartWith("The sum of leftSize and rightSize should be at most the 10 samples. Received: leftSize + rightSize = 11"));
        e = Assert.Throws<ArgumentException>(() => SplitSizes(0.01, null, 10))!;
        Assert.That(e.Message, Does.StartWith("With a dataset of length=10, leftSize=0 and rightSize=10, the resulting left side dataset split will be empty."));
    }

    [Test]
    public void EmptyAndInfiniteDatasets_AreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => SplitDataset(Dataset.FromTensorSlices(Read.Range(3)).Take(0), leftSize: 0.5))!;
        Assert.That(e.Message, Does.StartWith("Received an empty dataset. Argument dataset must be a non-empty dataset."));
        e = Assert.Throws<ArgumentException>(() => SplitDataset(Dataset.FromTensorSlices(Read.Range(3)).Repeat(), leftSize: 0.5))!;
        Assert.That(e.Message, Does.StartWith("SplitDataset reads the whole dataset into memory, but this one is infinite (Repeat())"));
    }
}
