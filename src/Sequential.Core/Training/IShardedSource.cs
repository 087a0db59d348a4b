namespace Sequential.Training;

/// <summary>
/// Data that can read one rank's part of every global batch without reading the rest (the directory iterators and the
/// <c>Dataset</c> pipelines of Sequential.Data): under <see cref="DataParallel"/>, rank r of k then decodes only rows
/// <c>[N r / k, N (r + 1) / k)</c> of each batch of N rows, the rows <see cref="DataParallel.Shard"/> would cut from the
/// whole batch, instead of every rank decoding every image and throwing (k - 1) / k of them away.
/// </summary>
internal interface IShardedSource
{
    /// <summary>
    /// One pass (a new one per enumeration) whose batches are part <paramref name="shard"/> of <paramref name="shards"/>
    /// of the batches a whole pass gives, with the same values; or null when this source cannot read part of a batch
    /// (the caller then reads whole batches and slices them).
    /// </summary>
    /// <param name="shard">This rank, 0 to <paramref name="shards"/> - 1.</param>
    /// <param name="shards">The number of ranks.</param>
    /// <returns>The parts of one pass, or null.</returns>
    IEnumerable<Batch>? GetBatches(int shard, int shards);
}
