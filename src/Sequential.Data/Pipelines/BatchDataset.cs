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

    internal override IEnumerator<Element> Open() => input switch
    {
        // Slices of whole tensors batched directly, shuffled or not: each batch's rows gathered by number, no element per row.
        TensorSlicesDataset slices when slices.AllTensors => InOrder(slices),
        ShuffleDataset { Input: TensorSlicesDataset slices } shuffle when slices.AllTensors => Gathered(slices, shuffle.ShuffledRows(slices.Cardinality())),
        _ => Stacked(),
    };

    /// <summary>Rows 0, 1, 2, ... in batches, each leaf one copy: the batches the element path stacks from the same slices.</summary>
    private IEnumerator<Element> InOrder(TensorSlicesDataset slices)
    {
        long count = slices.Cardinality();
        for (long first = 0; first < count; first += batchSize)
        {
            long n = Math.Min(batchSize, count - first);
            if (n < batchSize && dropRemainder) yield break;
            yield return slices.Gather(first, n);
        }
    }

    /// <summary>The rows <paramref name="order"/> names, in batches, each leaf one gather: the batches the element path stacks.</summary>
    private IEnumerator<Element> Gathered(TensorSlicesDataset slices, IEnumerable<long> order)
    {
        var rows = new List<long>(Math.Min(batchSize, 1024));
        foreach (long row in order)
        {
            rows.Add(row);
            if (rows.Count == batchSize)
            {
                yield return slices.Gather([.. rows]);
                rows.Clear();
            }
        }
        if (rows.Count > 0 && !dropRemainder)
            yield return slices.Gather([.. rows]);
    }

    /// <summary>Elements stacked by <see cref="Stacking.Stack"/>: any input.</summary>
    private IEnumerator<Element> Stacked()
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
