namespace Sequential.Data;

/// <summary>
/// <see cref="Dataset.Concatenate"/>: the first dataset's elements, then the second's; the second's must have the same
/// structure and dtypes.
/// </summary>
internal sealed class ConcatenateDataset(Dataset first, Dataset second) : Dataset
{
    internal override bool FixedValues => first.FixedValues && second.FixedValues;

    public override long Cardinality()
    {
        long a = first.Cardinality();
        if (a == UnknownCardinality) return a;
        long b = second.Cardinality();
        if (b == UnknownCardinality) return b;
        if (a == InfiniteCardinality || b == InfiniteCardinality) return InfiniteCardinality;
        try
        {
            return checked(a + b);
        }
        catch (OverflowException)
        {
            return InfiniteCardinality;
        }
    }

    internal override IEnumerator<Element> Open()
    {
        string? expected = null; // read before the element is handed on (and possibly disposed downstream)
        using (var source = first.Open())
        {
            while (source.MoveNext())
            {
                expected ??= Signature(source.Current);
                yield return source.Current;
            }
        }
        using (var source = second.Open())
        {
            bool checkedFirst = false;
            while (source.MoveNext())
            {
                var element = source.Current;
                if (!checkedFirst && expected is not null && Signature(element) != expected)
                {
                    string found = Signature(element);
                    element.DisposeTensors();
                    throw new InvalidOperationException(
                        $"Concatenate needs datasets with the same element structure and dtypes; the first gives {expected}, " +
                        $"the second {found}. Map one of them to match the other first.");
                }
                checkedFirst = true;
                yield return element;
            }
        }
    }

    /// <summary>Structure and dtypes, without shapes (tf.data concatenates elements of different shapes).</summary>
    private static string Signature(Element element) =>
        element.StructureText() + " " + string.Join(", ", element.Leaves().Select(l =>
            l.Leaf.Kind == ComponentKind.Tensor ? $"{l.Path}: {Component.DTypeName(l.Leaf.DType)}" : $"{l.Path}: strings"));
}
