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

    internal override IEnumerator<Element> Open()
    {
        int pass = reshuffleEachIteration ? Interlocked.Increment(ref _passes) - 1 : 0;
        var random = new Random(ImageIterator.Mix(seed, pass, -1));
        var buffer = new List<Element>();
        using var source = input.Open();
        try
        {
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
        finally
        {
            foreach (var element in buffer) element.DisposeTensors();
        }
    }
}
