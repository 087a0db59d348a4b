namespace Sequential.Data;

/// <summary><see cref="Dataset.Skip"/>: the elements after the first <c>count</c> (none for -1).</summary>
internal sealed class SkipDataset(Dataset input, long count) : Dataset
{
    internal override bool FixedValues => input.FixedValues;

    public override long Cardinality()
    {
        long n = input.Cardinality();
        if (n < 0) return n;
        if (count < 0) return 0;
        return Math.Max(0, n - count);
    }

    internal override IEnumerator<Element> Open()
    {
        using var source = input.Open();
        for (long skipped = 0; count < 0 || skipped < count; skipped++)
        {
            if (!source.MoveNext()) yield break;
            source.Current.DisposeTensors();
        }
        while (source.MoveNext()) yield return source.Current;
    }
}
