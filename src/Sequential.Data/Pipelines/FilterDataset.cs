namespace Sequential.Data;

/// <summary><see cref="Dataset.Filter(Func{Element, bool})"/>: the elements the predicate accepts, in order.</summary>
internal sealed class FilterDataset(Dataset input, Func<Element, bool> predicate) : Dataset
{
    public override long Cardinality() => UnknownCardinality;

    internal override IEnumerator<Element> Open()
    {
        using var pass = input.Open();
        for (long index = 0; pass.MoveNext(); index++)
        {
            var element = pass.Current;
            bool keep;
            try
            {
                keep = UserFunction.Test(predicate, element, index);
            }
            catch
            {
                element.DisposeTensors();
                throw;
            }
            if (keep) yield return element;
            else element.DisposeTensors();
        }
    }
}
