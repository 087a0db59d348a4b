namespace Sequential.Data;

/// <summary>
/// <see cref="Dataset.Shuffle"/> with tf.data's buffer: the first <c>bufferSize</c> elements fill the buffer; each
/// output is drawn uniformly from it and its slot refilled with the next input element (or, once the input is
/// exhausted, with the buffer's last element).
/// </summary>
internal sealed class ShuffleDataset(Dataset input, int bufferSize, long seed, bool reshuffleEachIteration) : Dataset
{
    private int _passes;

    internal override bool FixedValues => input.FixedValues;

    public override long Cardinality() => input.Cardinality();

    /// <summary>The shuffled dataset.</summary>
    internal Dataset Input => input;

    internal override IEnumerator<Element> Open()
    {
        var buffer = new List<Element>();
        using var source = input.Open();
        try
        {
            foreach (var element in Shuffled(source, buffer))
                yield return element;
        }
        finally
        {
            foreach (var element in buffer) element.DisposeTensors();
        }
    }

    /// <summary>
    /// The order <see cref="Open"/> gives the elements of an input whose element <c>i</c> is row <c>i</c> of
    /// <paramref name="count"/>: the same draws from the same seed and pass, on row numbers instead of elements (so
    /// <see cref="BatchDataset"/> can gather a batch of a <see cref="TensorSlicesDataset"/> without an element per row).
    /// </summary>
    internal IEnumerable<long> ShuffledRows(long count)
    {
        using var rows = Rows(count);
        foreach (long row in Shuffled(rows, []))
            yield return row;

        static IEnumerator<long> Rows(long count)
        {
            for (long i = 0; i < count; i++)
                yield return i;
        }
    }

    /// <summary>tf.data's shuffle buffer over <paramref name="source"/>; <paramref name="buffer"/> holds what is not yet drawn.</summary>
    private IEnumerable<T> Shuffled<T>(IEnumerator<T> source, List<T> buffer)
    {
        int pass = reshuffleEachIteration ? Interlocked.Increment(ref _passes) - 1 : 0;
        var random = new Random(ImageIterator.Mix(seed, pass, -1));
        bool exhausted = false;
        while (buffer.Count < bufferSize && !exhausted)
        {
            if (source.MoveNext()) buffer.Add(source.Current);
            else exhausted = true;
        }
        while (buffer.Count > 0)
        {
            int pick = random.Next(buffer.Count);
            bool refill = !exhausted && source.MoveNext(); // before taking the pick out: if it throws, the buffer still holds it
            var chosen = buffer[pick];
            if (refill)
            {
                buffer[pick] = source.Current;
            }
            else
            {
                exhausted = true;
                buffer[pick] = buffer[^1];
                buffer.RemoveAt(buffer.Count - 1);
            }
            yield return chosen;
        }
    }
}
