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

    /// <summary>
    /// Parts of batches: from tensor slices, only the part's rows are gathered; otherwise the input is asked to skip the
    /// other rows (a Map before the Batch does not run its function on them) and only the part is stacked. A part of no
    /// rows (a batch smaller than the number of parts) reads its batch's first row for the structure and keeps none.
    /// </summary>
    internal override Func<IEnumerator<Element>>? OpenShard(int shard, int shards)
    {
        long count = input.Cardinality();
        if (count == UnknownCardinality) return null;   // the last batch's size is not known before it is read
        (long Lo, long Hi) Part(long first)
        {
            long n = count == InfiniteCardinality ? batchSize : Math.Min(batchSize, count - first);
            return (n * shard / shards, n * (shard + 1) / shards);
        }
        return input switch
        {
            TensorSlicesDataset slices when slices.AllTensors => () => InOrder(slices, Part),
            ShuffleDataset { Input: TensorSlicesDataset slices } shuffle when slices.AllTensors =>
                () => Gathered(slices, shuffle.ShuffledRows(slices.Cardinality()), Part),
            _ => () => StackedParts(Part),
        };
    }

    /// <summary>Rows 0, 1, 2, ... in batches, each leaf one copy: the batches the element path stacks from the same slices.</summary>
    private IEnumerator<Element> InOrder(TensorSlicesDataset slices, Func<long, (long Lo, long Hi)>? part = null)
    {
        long count = slices.Cardinality();
        for (long first = 0; first < count; first += batchSize)
        {
            long n = Math.Min(batchSize, count - first);
            if (n < batchSize && dropRemainder) yield break;
            var (lo, hi) = part?.Invoke(first) ?? (0, n);
            yield return slices.Gather(first + lo, hi - lo);
        }
    }

    /// <summary>The rows <paramref name="order"/> names, in batches, each leaf one gather: the batches the element path stacks.</summary>
    private IEnumerator<Element> Gathered(TensorSlicesDataset slices, IEnumerable<long> order, Func<long, (long Lo, long Hi)>? part = null)
    {
        var rows = new List<long>(Math.Min(batchSize, 1024));
        long first = 0;
        foreach (long row in order)
        {
            rows.Add(row);
            if (rows.Count == batchSize)
            {
                yield return Gather();
                first += rows.Count;
                rows.Clear();
            }
        }
        if (rows.Count > 0 && !dropRemainder)
            yield return Gather();

        Element Gather()
        {
            var (lo, hi) = part?.Invoke(first) ?? (0, rows.Count);
            return slices.Gather([.. rows.GetRange((int)lo, (int)(hi - lo))]);
        }
    }

    /// <summary>
    /// The part <paramref name="part"/> names of each batch <see cref="Stacked"/> makes, from an input asked to skip the
    /// other rows.
    /// </summary>
    private IEnumerator<Element> StackedParts(Func<long, (long Lo, long Hi)> part)
    {
        var pending = new List<Element?>(Math.Min(batchSize, 1024));
        using var source = input.OpenRows(Wanted);
        try
        {
            long first = 0;
            while (true)
            {
                while (pending.Count < batchSize && source.MoveNext()) pending.Add(source.Current);
                if (pending.Count == 0 || (pending.Count < batchSize && dropRemainder)) yield break;
                var (lo, hi) = part(first);
                long take = Math.Max(hi - lo, 1);
                if (lo + take > pending.Count || pending.Skip((int)lo).Take((int)take).Any(e => e is null))
                    throw new InvalidOperationException(
                        $"Internal error: the batch at element {first} ({pending.Count} elements) lacks rows of its part [{lo}, {hi}) " +
                        $"(the input's cardinality is {input.Cardinality()}); train without DataParallel and report it.");
                var batch = Stacking.Stack(pending.GetRange((int)lo, (int)take)!, first + lo, "Batch");
                if (hi == lo) batch = NoRows(batch);
                first += pending.Count;
                foreach (var element in pending) element?.DisposeTensors();
                pending.Clear();
                yield return batch;
            }
        }
        finally
        {
            foreach (var element in pending) element?.DisposeTensors();
        }

        // The part's rows; the first row of a batch whose part has none (its structure and shapes).
        bool Wanted(long index)
        {
            long first = index / batchSize * batchSize, at = index - first;
            var (lo, hi) = part(first);
            return lo == hi ? at == 0 : at >= lo && at < hi;
        }
    }

    /// <summary>A batch with none of its rows: each tensor narrowed to zero rows (strings, which no model takes, stay).</summary>
    private static Element NoRows(Element batch)
    {
        var empty = batch.Rebuild(leaf => leaf.Owned is { } t ? new Component(Owned.Detach(t.narrow(0, 0, 0))) : leaf);
        batch.DisposeTensors();
        return empty;
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
