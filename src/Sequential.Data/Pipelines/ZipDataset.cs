namespace Sequential.Data;

/// <summary>
/// <see cref="Dataset.Zip(Dataset, Dataset)"/>: element <c>i</c> is <c>(x: first's element i, y: second's element i)</c>,
/// both datasets of inputs alone; it ends with the shorter one.
/// </summary>
internal sealed class ZipDataset(Dataset x, Dataset y) : Dataset
{
    internal override bool FixedValues => x.FixedValues && y.FixedValues;

    public override long Cardinality()
    {
        long a = x.Cardinality(), b = y.Cardinality();
        if (a == UnknownCardinality || b == UnknownCardinality) return UnknownCardinality;
        if (a == InfiniteCardinality) return b;
        if (b == InfiniteCardinality) return a;
        return Math.Min(a, b);
    }

    internal override IEnumerator<Element> Open()
    {
        using var first = x.Open();
        using var second = y.Open();
        for (long index = 0; first.MoveNext(); index++)
        {
            var a = first.Current;
            bool more;
            try
            {
                more = second.MoveNext();
            }
            catch
            {
                a.DisposeTensors();
                throw;
            }
            if (!more)
            {
                a.DisposeTensors();
                yield break;
            }
            var b = second.Current;
            if (a.Y is not null || b.Y is not null)
            {
                a.DisposeTensors();
                b.DisposeTensors();
                throw new InvalidOperationException(
                    $"Dataset.Zip pairs two datasets of inputs alone into (x, y), but element {index} of the " +
                    $"{(a.Y is not null ? "first" : "second")} dataset is {(a.Y is not null ? a : b).StructureText()}. " +
                    "Map each dataset to its inputs first (Map(e => new Element(e.X))).");
            }
            yield return new Element(a.X, b.X);
        }
    }
}
