using Sequential.Layers;
using static TorchSharp.torch;

namespace Sequential.Data;

/// <summary>
/// <see cref="Dataset.Unbatch"/>: each element split along its first dimension into that many elements
/// (<c>ds.Batch(n).Unbatch()</c> gives back <c>ds</c>).
/// </summary>
internal sealed class UnbatchDataset(Dataset input) : Dataset
{
    internal override bool FixedValues => input.FixedValues;

    public override long Cardinality() => UnknownCardinality;

    internal override IEnumerator<Element> Open()
    {
        using var source = input.Open();
        for (long index = 0; source.MoveNext(); index++)
        {
            var batch = source.Current.Materialize();
            try
            {
                long rows = Rows(batch, index);
                for (long r = 0; r < rows; r++)
                {
                    long row = r;
                    yield return batch.Rebuild(leaf => leaf.Kind == ComponentKind.Tensor
                        ? new Component(Owned.Detach(leaf.Tensor.select(0, row)))
                        : new Component(TensorSlicesDataset.Row(leaf.Strings, row)));
                }
            }
            finally
            {
                // The rows handed out are views with their own handles: they keep the batch's memory alive.
                batch.DisposeTensors();
            }
        }
    }

    private static long Rows(Element batch, long index)
    {
        var leaves = batch.Leaves();
        long? rows = null;
        foreach (var (path, leaf) in leaves)
        {
            long[] shape = leaf.Kind == ComponentKind.Tensor ? leaf.Tensor.shape : [.. leaf.Strings.Shape];
            if (shape.Length == 0)
                throw new InvalidOperationException(
                    $"Unbatch splits elements along their first dimension, but element {index}'s {path} is a scalar (shape ()): " +
                    "every component needs a batch dimension.");
            rows ??= shape[0];
            if (shape[0] != rows)
                throw new InvalidOperationException(
                    $"Unbatch needs the same first (batch) dimension in every component; element {index} has " +
                    string.Join(" and ", leaves.Select(l => $"{l.Path} {Shapes.Format(l.Leaf.Kind == ComponentKind.Tensor ? l.Leaf.Tensor.shape : [.. l.Leaf.Strings.Shape])}")) + ".");
        }
        return rows ?? 0;
    }
}
