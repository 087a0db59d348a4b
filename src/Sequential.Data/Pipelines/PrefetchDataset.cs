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

    internal override IEnumerator<Element> Open()
    {
        var queue = new BlockingCollection<Item>(bufferSize);
        var stopping = new CancellationTokenSource();
        Thread? thread = null;
        try
        {
            thread = WorkerThread.Start("Sequential.Data prefetch", () => Produce(queue, stopping.Token));
            foreach (var item in queue.GetConsumingEnumerable())
            {
                if (item.Error is not null) ExceptionDispatchInfo.Capture(item.Error).Throw();
                yield return item.Element!;
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

    private void Produce(BlockingCollection<Item> queue, CancellationToken stopping)
    {
        try
        {
            using var source = input.Open();
            while (!stopping.IsCancellationRequested && source.MoveNext())
            {
                var element = source.Current;
                try
                {
                    queue.Add(new Item(element, null), stopping);
                }
                catch (OperationCanceledException)
                {
                    element.DisposeTensors();
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
