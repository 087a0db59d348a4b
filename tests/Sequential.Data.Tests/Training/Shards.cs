using Sequential.Training;
using static TorchSharp.torch;

namespace Sequential.Data.Tests;

/// <summary>Data-parallel reading: what each rank reads against the slices of what one process reads.</summary>
internal static class Shards
{
    /// <summary>One pass of <paramref name="source"/> as rank <paramref name="shard"/> of <paramref name="shards"/> reads it.</summary>
    public static List<Batch> Read(object source, int shard, int shards) =>
        [.. ((IShardedSource)source).GetBatches(shard, shards) ?? throw new AssertionException($"{source} cannot read part of a batch")];

    /// <summary>Asserts that the parts are <see cref="DataParallel.Shard"/>'s slices of the whole batches, value for value.</summary>
    public static void AssertSlices(IReadOnlyList<Batch> whole, IReadOnlyList<Batch> part, int shard, int shards)
    {
        Assert.That(part, Has.Count.EqualTo(whole.Count), $"rank {shard} takes as many steps as one process");
        for (int b = 0; b < whole.Count; b++)
        {
            var expected = new DataParallel(shard, shards).Shard(whole[b]);
            Same(part[b].Inputs, expected.Inputs, $"x of batch {b}, rank {shard}");
            Same(part[b].Targets ?? [], expected.Targets ?? [], $"y of batch {b}, rank {shard}");
        }
    }

    private static void Same(IReadOnlyList<Tensor> actual, IReadOnlyList<Tensor> expected, string what)
    {
        Assert.That(actual, Has.Count.EqualTo(expected.Count), what);
        for (int i = 0; i < actual.Count; i++)
        {
            Assert.That(actual[i].shape, Is.EqualTo(expected[i].shape), what);
            Assert.That(actual[i].dtype, Is.EqualTo(expected[i].dtype), what);
            using var same = actual[i].eq(expected[i]).all();
            Assert.That(same.item<bool>(), Is.True, what);
        }
    }
}
