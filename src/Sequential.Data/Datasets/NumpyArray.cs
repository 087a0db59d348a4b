using System.Runtime.InteropServices;
using Sequential.Layers;
using Sequential.Persistence;
using TorchSharp;

namespace Sequential.Data;

/// <summary>
/// A numpy array read from an <c>.npy</c> member or from a pickle: its dtype and shape, and either its raw
/// little-endian bytes (numeric dtypes) or its Python items (object dtype, e.g. IMDB's reviews as lists of ints).
/// </summary>
internal sealed class NumpyArray
{
    /// <summary>An array whose state a pickle's <c>BUILD</c> will set (what <c>_reconstruct</c> returns).</summary>
    public NumpyArray() { }

    /// <summary>A numeric array over <paramref name="data"/>, whose length the caller has checked.</summary>
    public NumpyArray(NumpyDtype dtype, long[] shape, bool fortranOrder, ReadOnlyMemory<byte> data)
    {
        Dtype = dtype;
        Shape = shape;
        FortranOrder = fortranOrder;
        Data = data;
        IsBuilt = true;
    }

    /// <summary>The element type; set once built.</summary>
    public NumpyDtype Dtype { get; private set; } = null!;

    /// <summary>The sizes; set once built.</summary>
    public long[] Shape { get; private set; } = [];

    /// <summary>Column-major data (numpy's <c>fortran_order</c>).</summary>
    public bool FortranOrder { get; private set; }

    /// <summary>The raw bytes of a numeric array.</summary>
    public ReadOnlyMemory<byte> Data { get; private set; }

    /// <summary>The items of an object array, in C order.</summary>
    public PickleList? Items { get; private set; }

    /// <summary>Whether the state is set (a pickle's <c>BUILD</c> ran, or it was read from an <c>.npy</c> header).</summary>
    public bool IsBuilt { get; private set; }

    /// <summary>
    /// Bytes the array took in its file (the <c>.npy</c> data or pickle), set by <see cref="NpyFile"/>: a bound on how many
    /// values its items may expand to, since a real pickle spends at least one byte per value and only a crafted one shares
    /// a list many times over.
    /// </summary>
    public long EncodedBytes { get; set; }

    /// <summary>Number of elements.</summary>
    public long Count => SafeTensors.Elements(Shape);

    /// <summary>numpy's <c>shape</c> and <c>dtype</c> for messages: <c>shape (25000,), dtype '|O'</c>.</summary>
    public string Describe() => $"shape {Shapes.Format(Shape)}, dtype {Dtype}";

    /// <summary>
    /// numpy's <c>ndarray.__setstate__</c>: <c>(version, shape, dtype, is_fortran, data)</c> or the same without the version,
    /// where data is the raw bytes (numeric) or a list of the items (object dtype).
    /// </summary>
    /// <returns>False with <paramref name="problem"/> when the state is not one numpy writes or does not fit together.</returns>
    public bool SetState(object? state, out string problem)
    {
        problem = "";
        if (IsBuilt)
        {
            problem = "the pickle sets an array's state twice";
            return false;
        }
        if (state is not object?[] tuple || tuple.Length is not (4 or 5))
        {
            problem = "an ndarray's state is not the (version, shape, dtype, is_fortran, data) tuple numpy writes";
            return false;
        }
        int at = tuple.Length - 4;
        if (tuple[at] is not object?[] shapeItems || shapeItems.Any(s => s is not long size || size < 0) ||
            tuple[at + 1] is not NumpyDtype dtype || !PickleReader.IsBoolean(tuple[at + 2], out bool fortran))
        {
            problem = "an ndarray's state does not hold a shape of non-negative integers, a numpy.dtype and an is_fortran flag";
            return false;
        }
        long[] shape = [.. shapeItems.Cast<long>()];
        long count;
        try
        {
            count = SafeTensors.Elements(shape);
        }
        catch (OverflowException)
        {
            problem = $"an ndarray's shape {Shapes.Format(shape)} has more elements than fit in 64 bits";
            return false;
        }
        (Dtype, Shape, FortranOrder) = (dtype, shape, fortran);
        object? data = tuple[at + 3];
        if (dtype.IsObject)
        {
            if (data is not PickleList items || items.Count != count)
            {
                problem = $"an object ndarray of shape {Shapes.Format(shape)} holds " +
                          (data is PickleList list ? $"{list.Count} items, not {count}" : "no list of its items");
                return false;
            }
            Items = items;
        }
        else
        {
            if (data is not ReadOnlyMemory<byte> bytes)
            {
                problem = $"a numeric ndarray ({Describe()}) holds no bytes for its data";
                return false;
            }
            if (count > bytes.Length / dtype.ItemSize || bytes.Length != count * dtype.ItemSize)
            {
                problem = $"an ndarray of {Describe()} needs {(count > long.MaxValue / dtype.ItemSize ? "more than 2^63" : count * dtype.ItemSize)} " +
                          $"bytes but its data holds {bytes.Length}";
                return false;
            }
            Data = bytes;
        }
        IsBuilt = true;
        return true;
    }

    /// <summary>A new CPU tensor of the array's dtype and shape (the caller owns it).</summary>
    public torch.Tensor ToTensor()
    {
        Backend.EnsureNativeLoaded();
        if (!FortranOrder || Shape.Length < 2)
        {
            var tensor = torch.empty(Shape, Dtype.ScalarType);
            if (Data.Length > 0) Data.Span.CopyTo(tensor.bytes);
            return tensor;
        }
        // Column-major: the bytes are the C-order array of the reversed shape, transposed.
        using var reversed = torch.empty(Shape.Reverse().ToArray(), Dtype.ScalarType);
        if (Data.Length > 0) Data.Span.CopyTo(reversed.bytes);
        using var view = reversed.permute([.. Enumerable.Range(0, Shape.Length).Reverse().Select(d => (long)d)]);
        return view.contiguous();
    }

    /// <summary>The values of a 1-D integer array as <c>long</c>s.</summary>
    /// <returns>Null with <paramref name="problem"/> when this is not a 1-D integer array.</returns>
    public long[]? ToInt64s(out string problem)
    {
        problem = "";
        if (!IsBuilt || Dtype.IsObject || !Dtype.IsInteger || Shape.Length != 1)
        {
            problem = IsBuilt ? $"expected a 1-D integer array, found {Describe()}" : "expected a 1-D integer array, found an array the pickle never filled";
            return null;
        }
        var span = Data.Span;
        var values = new long[Shape[0]];
        switch (Dtype.Code)
        {
            case "i8": MemoryMarshal.Cast<byte, long>(span).CopyTo(values); break;
            case "i4": Widen(MemoryMarshal.Cast<byte, int>(span), values, v => v); break;
            case "i2": Widen(MemoryMarshal.Cast<byte, short>(span), values, v => v); break;
            case "i1": Widen(MemoryMarshal.Cast<byte, sbyte>(span), values, v => v); break;
            default: Widen(span, values, v => v); break;
        }
        return values;
    }

    private static void Widen<T>(ReadOnlySpan<T> source, long[] target, Func<T, long> widen)
    {
        for (int i = 0; i < target.Length; i++) target[i] = widen(source[i]);
    }
}
