using Sequential.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Data;

/// <summary>
/// Stacks elements of the same structure into one whose tensors and strings have a new first dimension (tf.data's
/// <c>batch</c>): shared by <see cref="BatchDataset"/> and <c>Utils.SplitDataset</c>.
/// </summary>
internal static class Stacking
{
    /// <summary>
    /// One element whose leaves stack those of <paramref name="elements"/>. The inputs are not consumed; the result owns
    /// new tensors (in no DisposeScope). <paramref name="firstIndex"/> numbers the elements in error messages.
    /// </summary>
    /// <exception cref="InvalidOperationException">The elements differ in structure, or a tensor in shape or dtype.</exception>
    public static Element Stack(IReadOnlyList<Element> elements, long firstIndex, string operation)
    {
        var template = elements[0];
        for (int i = 1; i < elements.Count; i++)
            if (!elements[i].SameStructure(template))
                throw new InvalidOperationException(
                    $"{operation} cannot put element {firstIndex + i} {elements[i].StructureText()} with element {firstIndex} " +
                    $"{template.StructureText()}: every element needs the same structure (the same kinds and names).");
        var leaves = elements.Select(e => e.Leaves()).ToList();
        var made = new List<Tensor>();
        int next = 0;
        try
        {
            return template.Rebuild(_ =>
            {
                int leaf = next++;
                var stacked = StackLeaf(leaves.Select(l => l[leaf].Leaf).ToList(), leaves[0][leaf].Path, firstIndex, operation);
                if (stacked.Owned is { } t) made.Add(t);
                return stacked;
            });
        }
        catch
        {
            foreach (var t in made) t.Dispose();
            throw;
        }
    }

    private static Component StackLeaf(List<Component> column, string path, long firstIndex, string operation)
    {
        var first = column[0];
        if (first.Kind == ComponentKind.Strings)
        {
            var shape = first.Strings.Shape;
            var values = new List<string>(column.Count * first.Strings.Count);
            for (int i = 0; i < column.Count; i++)
            {
                var strings = column[i].Strings;
                if (!strings.Shape.SequenceEqual(shape))
                    throw Mismatch(operation, path, firstIndex, i, column[i], first);
                values.AddRange(strings);
            }
            return new Component(StringTensor.Wrap([.. values], [column.Count, .. shape]));
        }

        // Rows of one source tensor (FromTensorSlices, possibly shuffled): same dtype and shape by construction, one gather.
        if (first.IsSlice && column.TrueForAll(c => c.IsSlice && ReferenceEquals(c.Source, first.Source)))
            return new Component(Gather(first.Source, column.ConvertAll(c => c.Row).ToArray()));

        var dtype = first.DType;
        var sampleShape = first.Shape;
        for (int i = 1; i < column.Count; i++)
            if (column[i].DType != dtype || !column[i].Shape.AsSpan().SequenceEqual(sampleShape))
                throw Mismatch(operation, path, firstIndex, i, column[i], first);

        var made = new List<Tensor>();
        try
        {
            var tensors = column.Select(c =>
            {
                if (!c.IsSlice) return c.Tensor;
                var copy = Element.Read(c);
                made.Add(copy);
                return copy;
            }).ToList();
            return new Component(Owned.Detach(StackTensors(tensors, dtype, sampleShape)));
        }
        finally
        {
            foreach (var t in made) t.Dispose();
        }
    }

    /// <summary>
    /// <c>torch.stack(tensors, 0)</c>; contiguous CPU tensors are copied byte for byte into the new tensor instead, because
    /// libtorch's copy of a large batch runs on OpenMP threads whose spinning afterwards cost more CPU than the copy (a
    /// batch of 32 decoded images, on a pipeline's worker thread).
    /// </summary>
    private static Tensor StackTensors(List<Tensor> tensors, ScalarType dtype, long[] sampleShape)
    {
        long total = tensors.Sum(t => t.NumberOfElements * t.ElementSize);
        if (total > int.MaxValue || !tensors.TrueForAll(t => t.device_type == DeviceType.CPU && t.is_contiguous()))
            return torch.stack(tensors, 0);   // a span holds at most 2 GiB
        var stacked = torch.empty([tensors.Count, .. sampleShape], dtype);
        var dest = stacked.bytes;
        int at = 0;
        foreach (var t in tensors)
        {
            var from = t.bytes;
            from.CopyTo(dest[at..]);
            at += from.Length;
        }
        return stacked;
    }

    /// <summary>Rows of <paramref name="source"/> as a new tensor: one copy of a contiguous run, else one gather.</summary>
    private static Tensor Gather(Tensor source, long[] rows)
    {
        bool run = true;
        for (int i = 1; i < rows.Length && run; i++) run = rows[i] == rows[0] + i;
        if (run)
        {
            using var view = source.narrow(0, rows[0], rows.Length);
            return Owned.Detach(view.clone());
        }
        using var index = torch.tensor(rows, device: source.device);
        return Owned.Detach(source.index_select(0, index));
    }

    private static InvalidOperationException Mismatch(string operation, string path, long firstIndex, int i, Component other, Component first) => new(
        $"{operation} cannot stack element {firstIndex + i} with element {firstIndex}: its {path} is {other} but element {firstIndex}'s is {first}. " +
        "Elements put in one batch need the same shape and dtype; resize or pad them in a Map first (tf.data's padded_batch is not available).");
}
