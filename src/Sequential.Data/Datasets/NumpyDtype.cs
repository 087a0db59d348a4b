using TorchSharp;

namespace Sequential.Data;

/// <summary>
/// A numpy dtype as an <c>.npy</c> header (<c>'&lt;f8'</c>, <c>'|u1'</c>, <c>'|O'</c>) or a pickled <c>numpy.dtype</c>
/// (<c>dtype('u1', False, True)</c> then its state, whose second item is the byte order) names it. Only the
/// types Keras's datasets use and libtorch holds are known: booleans, signed integers, <c>uint8</c>, floats and
/// Python objects.
/// </summary>
internal sealed class NumpyDtype
{
    private static readonly Dictionary<string, (torch.ScalarType Type, int Size)> Numeric = new()
    {
        ["b1"] = (torch.ScalarType.Bool, 1),
        ["i1"] = (torch.ScalarType.Int8, 1),
        ["u1"] = (torch.ScalarType.Byte, 1),
        ["i2"] = (torch.ScalarType.Int16, 2),
        ["i4"] = (torch.ScalarType.Int32, 4),
        ["i8"] = (torch.ScalarType.Int64, 8),
        ["f2"] = (torch.ScalarType.Float16, 2),
        ["f4"] = (torch.ScalarType.Float32, 4),
        ["f8"] = (torch.ScalarType.Float64, 8),
    };

    private NumpyDtype(string code, char byteOrder, bool isObject, torch.ScalarType type, int itemSize)
    {
        Code = code;
        ByteOrder = byteOrder;
        IsObject = isObject;
        ScalarType = type;
        ItemSize = itemSize;
    }

    /// <summary>Kind and size without the byte order: <c>f8</c>, <c>u1</c>, <c>O</c>.</summary>
    public string Code { get; }

    /// <summary><c>&lt;</c>, <c>&gt;</c>, <c>|</c> (not applicable) or <c>=</c> (native).</summary>
    public char ByteOrder { get; private set; }

    /// <summary>A Python-object dtype (<c>'|O'</c>): the array's items are pickled.</summary>
    public bool IsObject { get; }

    /// <summary>The tensor type for a numeric dtype.</summary>
    public torch.ScalarType ScalarType { get; }

    /// <summary>Bytes per element (8 for objects, as numpy says).</summary>
    public int ItemSize { get; }

    /// <summary>Whether the values are integers (<c>i1</c> to <c>i8</c>, <c>u1</c>).</summary>
    public bool IsInteger => Code[0] is 'i' or 'u';

    /// <summary>numpy's spelling, <c>'&lt;f8'</c>.</summary>
    public override string ToString() => $"'{ByteOrder}{Code}'";

    /// <summary>Parses a descriptor such as <c>&lt;f8</c>, <c>|u1</c>, <c>O8</c> or <c>u1</c>.</summary>
    /// <returns>The dtype, or null with <paramref name="problem"/> saying why it is not supported.</returns>
    public static NumpyDtype? Parse(string descriptor, out string problem)
    {
        problem = "";
        string code = descriptor;
        char order = '|';
        if (code.Length > 0 && code[0] is '<' or '>' or '|' or '=')
        {
            order = code[0];
            code = code[1..];
        }
        if (code is "O" or "O8")
            return new NumpyDtype("O", '|', isObject: true, torch.ScalarType.Int64, 8);
        if (!Numeric.TryGetValue(code, out var numeric))
        {
            problem = $"dtype '{descriptor}' is not one Sequential reads (it reads b1, i1, u1, i2, i4, i8, f2, f4, f8 and " +
                      "Python objects)";
            return null;
        }
        var dtype = new NumpyDtype(code, order, isObject: false, numeric.Type, numeric.Size);
        return dtype.WithByteOrder(order, out problem) ? dtype : null;
    }

    /// <summary>Sets the byte order from a pickled dtype's state; false with the reason for big-endian data.</summary>
    public bool WithByteOrder(char order, out string problem)
    {
        problem = "";
        if (order is not ('<' or '>' or '|' or '='))
        {
            problem = $"dtype {this} has the byte order '{order}', not one of < > | =";
            return false;
        }
        bool bigEndian = order == '>' || (order == '=' && !BitConverter.IsLittleEndian);
        if (bigEndian && ItemSize > 1)
        {
            problem = $"dtype '{order}{Code}' is big-endian; Sequential reads little-endian data " +
                      "(convert it in numpy with array.astype(array.dtype.newbyteorder('<')))";
            return false;
        }
        ByteOrder = ItemSize == 1 || IsObject ? '|' : order == '=' ? '<' : order;
        return true;
    }
}
