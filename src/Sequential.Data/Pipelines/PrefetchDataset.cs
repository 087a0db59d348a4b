using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Sequential.Data;

/// <summary>
/// <see cref="Dataset.Prefetch"/>: a background thread runs the input and stays up to <c>bufferSize</c> elements ahead
/// of the consumer (one more may be in its hands, waiting for room). Disposing the pass stops the thread, waits for it,
/// and disposes the elements it had made.
/// </summary>
internal sealed class PrefetchDataset(Dataset input, int bufferSize) : Dataset
{
    internal int BufferSize => bufferSize;

    internal Dataset Input => input;

    internal override bool FixedValues => input.FixedValues;

    public override long Cardinality() => input.Cardinality();

    /// <summary>An element, or the exception that ended the input.</summary>
    private readonly record struct Item(Element? Element, Exception? Error);

    internal override IEnumerator<Element> Open() => Run(input.Open)!;

    /// <summary>The skipped elements (nulls) pass through the buffer as they are.</summary>
    internal override IEnumerator<Element?> OpenRows(Func<long, bool> wanted) => Run(() => input.OpenRows(wanted));

    /// <summary>Batches of parts, prefetched as whole batches are.</summary>
    internal override Func<IEnumerator<Element>>? OpenShard(int shard, int shards) =>
        input.OpenShard(shard, shards) is { } open ? () => Run(open)! : null;

    /// <summary>The pass <paramref name="open"/> opens, run on the background thread.</summary>
    private IEnumerator<Element?> Run(Func<IEnumerator<Element?>> open)
    {
        var queue = new BlockingCollection<Item>(bufferSize);
        var stopping = new CancellationTokenSource();
        Thread? thread = null;
        try
        {
            thread = WorkerThread.Start("Sequential.Data prefetch", () => Produce(open, queue, stopping.Token));
            foreach (var item in queue.GetConsumingEnumerable())
            {
                if (item.Error is not null) ExceptionDispatchInfo.Capture(item.Error).Throw();
                yield return item.Element;
            }
        }
        finally
        {
            stopping.Cancel();
            thread?.Join();
            while (queue.TryTake(out var left)) left.Element?.DisposeTensors();
            queue.Dispose();
            stopping.Dispose();
        }
    }

    private static void Produce(Func<IEnumerator<Element?>> open, BlockingCollection<Item> queue, CancellationToken stopping)
    {
        try
        {
            using var source = open();
            while (!stopping.IsCancellationRequested && source.MoveNext())
            {
                var element = source.Current;
                try
                {
                    queue.Add(new Item(element, null), stopping);
                }
                catch (OperationCanceledException)
                {
                    element?.DisposeTensors();
                    return;
                }
            }
        }
        catch (Exception e)
        {
            try { queue.Add(new Item(null, e), stopping); }
            catch (OperationCanceledException) { }
        }
        finally
        {
            queue.CompleteAdding();
        }
    }
}
