namespace Sequential.Data;

/// <summary>
/// <see cref="Dataset.Batch"/>: consecutive elements stacked along a new first dimension; the last batch is smaller
/// unless <c>dropRemainder</c>.
/// </summary>
internal sealed class BatchDataset(Dataset input, int batchSize, bool dropRemainder) : Dataset
{
    /// <summary>The batch size (Keras's <c>split_dataset</c> re-batches its splits with it).</summary>
    internal int BatchSize => batchSize;

    internal bool DropRemainder => dropRemainder;

    internal Dataset Input => input;

    internal override bool FixedValues => input.FixedValues;

    public override long Cardinality()
    {
        long n = input.Cardinality();
        if (n < 0) return n;
        return dropRemainder ? n / batchSize : n / batchSize + (n % batchSize == 0 ? 0 : 1);
    }

    internal override IEnumerator<Element> Open()
    {
        var pending = new List<Element>(Math.Min(batchSize, 1024)); // Batch(len(x)) must not allocate for a huge size up front
        using var source = input.Open();
        try
        {
            long first = 0;
            while (true)
            {
                while (pending.Count < batchSize && source.MoveNext()) pending.Add(source.Current);
                if (pending.Count == 0 || (pending.Count < batchSize && dropRemainder)) yield break;
                var batch = Stacking.Stack(pending, first, "Batch");
                first += pending.Count;
                foreach (var element in pending) element.DisposeTensors();
                pending.Clear();
                yield return batch;
            }
        }
        finally
        {
            foreach (var element in pending) element.DisposeTensors();
        }
    }
}
