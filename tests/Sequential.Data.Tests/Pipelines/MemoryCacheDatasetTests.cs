using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Data.Tests.Pipelines;

public sealed class MemoryCacheDatasetTests
{
    [Test]
    public void LaterPasses_DoNotRunThePipelineBeforeIt()
    {
        int calls = 0;
        var ds = Dataset.FromTensorSlices(Read.Range(4)).Map(x => { Interlocked.Increment(ref calls); return x * 3; }).Cache();
        Assert.That(Read.Scalars(ds), Is.EqualTo(new long[] { 0, 3, 6, 9 }));
        Assert.That(Read.Scalars(ds), Is.EqualTo(new long[] { 0, 3, 6, 9 }));
        Assert.That(calls, Is.EqualTo(4));
        Assert.That(ds.Cardinality(), Is.EqualTo(4));
    }

    [Test]
    public void AnAbandonedFirstPass_KeepsNothing()
    {
        int calls = 0;
        var ds = Dataset.FromTensorSlices(Read.Range(4)).Map((Tensor x) => { Interlocked.Increment(ref calls); return x; }).Cache();
        Assert.That(Read.Scalars(ds.Take(2)), Is.EqualTo(new long[] { 0, 1 }));
        Assert.That(Read.Scalars(ds), Has.Length.EqualTo(4));
        Assert.That(calls, Is.EqualTo(2 + 4));
        Assert.That(Read.Scalars(ds), Has.Length.EqualTo(4));
        Assert.That(calls, Is.EqualTo(6));
    }

    [Test]
    public void WhatItHandsOut_MayBeChangedOrDisposed_WithoutChangingTheCache()
    {
        var ds = Dataset.FromTensorSlices(Read.Range(3)).Batch(3).Cache();
        for (int pass = 0; pass < 3; pass++)
            using (torch.NewDisposeScope())
                foreach (var e in ds.Elements()) e.X.Tensor.add_(100);
        Assert.That(Read.X(ds), Is.EqualTo(new[] { new long[] { 0, 1, 2 } }));
    }

    [Test]
    public void ShuffleAfterTheCache_StillReshuffles()
    {
        var ds = Dataset.FromTensorSlices(Read.Range(20)).Cache().Shuffle(20, seed: 2);
        var first = Read.Scalars(ds);
        Assert.That(Read.Scalars(ds), Is.Not.EqualTo(first));
        Assert.That(Read.Scalars(ds).Order(), Is.EqualTo(first.Order()));
    }
}
