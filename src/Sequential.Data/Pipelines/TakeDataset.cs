namespace Sequential.Data;

/// <summary>
/// <see cref="Dataset.Take"/>: the first <c>count</c> elements (all for -1). The input's pass is closed as soon as the
/// last one is taken, before it is handed on, so workers upstream stop at once.
/// </summary>
internal sealed class TakeDataset(Dataset input, long count) : Dataset
{
    internal override bool FixedValues => input.FixedValues;

    public override long Cardinality()
    {
        long n = input.Cardinality();
        if (n == UnknownCardinality) return UnknownCardinality;
        if (count < 0) return n;
        if (n == InfiniteCardinality) return count;
        return Math.Min(n, count);
    }

    internal override IEnumerator<Element> Open()
    {
        if (count == 0) yield break;
        var source = input.Open();
        try
        {
            for (long taken = 0; count < 0 || taken < count; taken++)
            {
                if (!source.MoveNext()) yield break;
                var element = source.Current;
                if (taken == count - 1) source.Dispose();
                yield return element;
            }
        }
        finally
        {
            source.Dispose();
        }
    }
}
