using TorchSharp;

namespace Sequential.Data.Tests.Pipelines;

public sealed class ShuffleDatasetTests
{
    [Test]
    public void ABufferOfOne_DoesNotShuffle()
    {
        var ds = Dataset.FromTensorSlices(Read.Range(20)).Shuffle(1, seed: 5);
        Assert.That(Read.Scalars(ds), Is.EqualTo(Enumerable.Range(0, 20).Select(i => (long)i)));
    }

    [Test]
    public void AFullBuffer_IsAPermutation_ThatDependsOnTheSeedOnly()
    {
        long[] Order(int seed) => Read.Scalars(Dataset.FromTensorSlices(Read.Range(50)).Shuffle(50, seed: seed));
        var a = Order(1);
        Assert.That(a.Order(), Is.EqualTo(Enumerable.Range(0, 50).Select(i => (long)i)));
        Assert.That(a, Is.Not.EqualTo(Enumerable.Range(0, 50).Select(i => (long)i)));
        Assert.That(Order(1), Is.EqualTo(a));
        Assert.That(Order(2), Is.Not.EqualTo(a));
    }

    [Test]
    public void ASmallBuffer_OnlyReachesAsFarAsTheBuffer()
    {
        // tf.data's buffer: output i is drawn from the first i + bufferSize elements, so it is at most i + bufferSize - 1.
        for (int seed = 0; seed < 5; seed++)
        {
            var order = Read.Scalars(Dataset.FromTensorSlices(Read.Range(100)).Shuffle(4, seed: seed));
            Assert.That(order.Order(), Is.EqualTo(Enumerable.Range(0, 100).Select(i => (long)i)));
            for (int i = 0; i < order.Length; i++)
                Assert.That(order[i], Is.LessThanOrEqualTo(i + 3), $"seed {seed}, output {i}");
        }
    }

    [Test]
    public void EachPassReshuffles_UnlessAskedNotTo()
    {
        var ds = Dataset.FromTensorSlices(Read.Range(30)).Shuffle(30, seed: 7);
        var first = Read.Scalars(ds);
        Assert.That(Read.Scalars(ds), Is.Not.EqualTo(first));
        var fixedOrder = Dataset.FromTensorSlices(Read.Range(30)).Shuffle(30, seed: 7, reshuffleEachIteration: false);
        Assert.That(Read.Scalars(fixedOrder), Is.EqualTo(Read.Scalars(fixedOrder)));
    }

    [Test]
    public void WithoutASeed_RandomSeedSetMakesItReproducible()
    {
        RandomSeed.Set(3);
        var a = Read.Scalars(Dataset.FromTensorSlices(Read.Range(30)).Shuffle(30));
        RandomSeed.Set(3);
        var b = Read.Scalars(Dataset.FromTensorSlices(Read.Range(30)).Shuffle(30));
        Assert.That(b, Is.EqualTo(a));
    }

    [Test]
    public void KeepsXAndYTogether()
    {
        var ds = Dataset.FromTensorSlices(Read.Range(25), Read.Range(25) * 3).Shuffle(8, seed: 1);
        using var scope = torch.NewDisposeScope();
        Assert.That(ds.Elements().All(e => e.Y!.Tensor.item<long>() == 3 * e.X.Tensor.item<long>()));
        Assert.That(ds.Cardinality(), Is.EqualTo(25));
    }

    [Test]
    public void BufferSizeBelowOne_IsRefused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Dataset.FromTensorSlices(Read.Range(3)).Shuffle(0))!;
        Assert.That(e.Message, Does.StartWith("bufferSize must be at least 1 (1 does not shuffle; the dataset's size shuffles uniformly); got 0."));
    }
}
