namespace Sequential.Data;

/// <summary>
/// <see cref="Dataset.FromTensorSlices(Component, Component?)"/>: element <c>i</c> holds row <c>i</c> of each source.
/// Tensor rows are handed on as slices (not read), so that <see cref="BatchDataset"/> gathers a batch of them with one
/// copy and a shuffle buffer holds only indices.
/// </summary>
internal sealed class TensorSlicesDataset(Element sources, long count) : Dataset
{
    internal override bool FixedValues => true;

    public override long Cardinality() => count;

    internal override IEnumerator<Element> Open()
    {
        for (long i = 0; i < count; i++)
        {
            long row = i;
            yield return sources.Rebuild(leaf => leaf.Kind == ComponentKind.Tensor
                ? Component.Slice(leaf.Tensor, row)
                : new Component(Row(leaf.Strings, row)));
        }
    }

    /// <summary>Row <paramref name="row"/> of strings whose first dimension is the sample.</summary>
    internal static StringTensor Row(StringTensor strings, long row)
    {
        long[] inner = [.. strings.Shape.Skip(1)];
        int size = checked((int)inner.Aggregate(1L, (a, b) => checked(a * b)));
        return StringTensor.Wrap(strings.Span.Slice(checked((int)(row * size)), size).ToArray(), inner);
    }
}
