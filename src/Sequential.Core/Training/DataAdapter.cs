using static TorchSharp.torch;

namespace Sequential.Training;

/// <summary>
/// Turns some input (tensors, an iterator of batches) into batches for one epoch. Everything downstream
/// of an adapter sees one shape of data: <see cref="Batch"/>es on the host or device, one pass per call.
/// </summary>
internal abstract class DataAdapter
{
    /// <summary>How error messages name the data (the argument it came from, e.g. <c>data</c>).</summary>
    public virtual string Name => "x";

    /// <summary>
    /// Whether the loop must check each batch (finite values, labels the loss accepts): true for sources whose batches
    /// were not checked up front, such as iterators; the tensor adapter checks all its data once.
    /// </summary>
    public virtual bool ChecksBatches => false;

    /// <summary>Batches in one full pass, when known (the progress bar's target).</summary>
    public abstract int? BatchesPerPass { get; }

    /// <summary>
    /// The batches of one epoch, with <see cref="Batch.Y"/> null when the data has no targets and
    /// <see cref="Batch.SampleWeight"/> null when it has no weights. Enumerate inside a DisposeScope per batch: tensors
    /// the adapter creates for a batch are created during <c>MoveNext</c> and belong to that scope.
    /// </summary>
    /// <param name="steps">Batches to yield; null for one full pass.</param>
    public abstract IEnumerable<Batch> Batches(int? steps);

    /// <summary>
    /// Asks the adapter to yield only part <paramref name="shard"/> of <paramref name="shards"/> of every batch (the
    /// rows <see cref="DataParallel.Shard"/> cuts), reading only those rows from its source. Returns false when it cannot
    /// (the caller then slices whole batches). Asking again with the same part changes nothing.
    /// </summary>
    public virtual bool ReadShard(int shard, int shards) => false;
}
