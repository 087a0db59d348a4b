using TorchSharp;
using static TorchSharp.torch;

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

    /// <summary>Whether every source is a tensor (no strings): what <see cref="BatchDataset"/>'s row gathering takes.</summary>
    internal bool AllTensors { get; } = sources.Leaves().TrueForAll(l => l.Leaf.Kind == ComponentKind.Tensor);

    /// <summary>Rows <paramref name="first"/> to <paramref name="first"/> + <paramref name="n"/> - 1 of every source, stacked: one copy each.</summary>
    internal Element Gather(long first, long n) => Build(source =>
    {
        using var view = source.narrow(0, first, n);
        return view.clone();
    });

    /// <summary>Rows <paramref name="rows"/> of every source, stacked in that order: one gather each, one index tensor per device.</summary>
    internal Element Gather(long[] rows)
    {
        var indices = new Dictionary<Device, Tensor>();
        try
        {
            return Build(source =>
            {
                if (!indices.TryGetValue(source.device, out var index))
                    indices[source.device] = index = torch.tensor(rows, device: source.device);
                return source.index_select(0, index);
            });
        }
        finally
        {
            foreach (var index in indices.Values) index.Dispose();
        }
    }

    /// <summary>An element of <paramref name="gather"/>'s tensors, one per source, owned by the caller (all disposed if one fails).</summary>
    private Element Build(Func<Tensor, Tensor> gather)
    {
        var made = new List<Tensor>();
        try
        {
            return sources.Rebuild(leaf =>
            {
                var t = Owned.Detach(gather(leaf.Tensor));
                made.Add(t);
                return new Component(t);
            });
        }
        catch
        {
            foreach (var t in made) t.Dispose();
            throw;
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
