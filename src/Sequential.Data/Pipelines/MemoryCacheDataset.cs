namespace Sequential.Data;

/// <summary>
/// <see cref="Dataset.Cache()"/> in memory: the first complete pass keeps its elements; later passes hand out copies
/// of them (so that a later stage may dispose or change what it gets). A pass abandoned part-way keeps nothing, as in
/// tf.data. Rows of a <c>FromTensorSlices</c> source are kept as rows, without a copy.
/// </summary>
internal sealed class MemoryCacheDataset(Dataset input) : Dataset
{
    private List<Element>? _cache;

    internal override bool FixedValues => input.FixedValues;

    public override long Cardinality() => input.Cardinality();

    internal override IEnumerator<Element> Open()
    {
        if (Volatile.Read(ref _cache) is { } cached)
        {
            foreach (var element in cached) yield return element.CloneTensors();
            yield break;
        }
        var pending = new List<Element>();
        bool complete = false;
        try
        {
            using (var source = input.Open())
            {
                while (source.MoveNext())
                {
                    pending.Add(source.Current);
                    yield return source.Current.CloneTensors();
                }
            }
            complete = Interlocked.CompareExchange(ref _cache, pending, null) is null;
        }
        finally
        {
            if (!complete)
                foreach (var element in pending) element.DisposeTensors();
        }
    }
}
