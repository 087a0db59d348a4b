namespace Sequential.Data;

/// <summary>
/// <see cref="Dataset.Repeat"/>: the input's passes one after another, <c>count</c> times or, for -1, forever (a new
/// pass each time, so a <see cref="Dataset.Shuffle"/> before it reshuffles). An input with no elements ends the
/// repetition, as in tf.data, instead of looping forever.
/// </summary>
internal sealed class RepeatDataset(Dataset input, long count) : Dataset
{
    internal override bool FixedValues => input.FixedValues;

    public override long Cardinality()
    {
        if (count == 0) return 0;
        long n = input.Cardinality();
        if (n == 0) return 0;
        if (count < 0) return n == UnknownCardinality ? UnknownCardinality : InfiniteCardinality;
        if (n < 0) return n;
        try
        {
            return checked(n * count);
        }
        catch (OverflowException)
        {
            return InfiniteCardinality;
        }
    }

    internal override IEnumerator<Element> Open()
    {
        for (long pass = 0; count < 0 || pass < count; pass++)
        {
            bool any = false;
            using var source = input.Open();
            while (source.MoveNext())
            {
                any = true;
                yield return source.Current;
            }
            if (!any) yield break;
        }
    }
}
