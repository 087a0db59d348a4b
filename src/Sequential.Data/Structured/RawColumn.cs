using System.Collections;
using System.Globalization;
using Microsoft.Data.Analysis;
using static TorchSharp.torch;

namespace Sequential.Data;

/// <summary>
/// One named column of raw feature values as <see cref="FeatureSpace"/> receives it (a DataFrame column, an array, a
/// tensor or one value), converted on demand to the dtype its feature reads: strings, float32 <c>[N, 1]</c> or int64
/// <c>[N, 1]</c>.
/// </summary>
internal sealed class RawColumn
{
    private readonly string[]? _strings;
    private readonly double[]? _doubles;
    private readonly long[]? _longs;
    private readonly Tensor? _tensor;

    private RawColumn(string name, int rows, string[]? strings = null, double[]? doubles = null, long[]? longs = null, Tensor? tensor = null)
    {
        Name = name;
        Rows = rows;
        _strings = strings;
        _doubles = doubles;
        _longs = longs;
        _tensor = tensor;
    }

    public string Name { get; }

    public int Rows { get; }

    /// <summary>Reads a DataFrame column; nulls are refused with the column's name and the fix.</summary>
    public static RawColumn From(DataFrameColumn column)
    {
        if (column.NullCount > 0)
            throw new ArgumentException(
                $"Column \"{column.Name}\" has {column.NullCount} null value{(column.NullCount == 1 ? "" : "s")}; FeatureSpace reads complete " +
                "columns (Keras's tf.data cannot hold None either): fill them first, e.g. column.FillNulls(\"unknown\") for strings or the " +
                "training mean for numbers, or drop those rows.");
        int rows = checked((int)column.Length);
        var type = column.DataType;
        if (column is StringDataFrameColumn strings)
            return new RawColumn(column.Name, rows, strings: [.. Enumerable.Range(0, rows).Select(i => strings[i])]);
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
            return new RawColumn(column.Name, rows, doubles: [.. Enumerable.Range(0, rows).Select(i => Convert.ToDouble(column[i], CultureInfo.InvariantCulture))]);
        if (type == typeof(long) || type == typeof(int) || type == typeof(short) || type == typeof(byte) || type == typeof(sbyte)
            || type == typeof(ushort) || type == typeof(uint) || type == typeof(bool))
            return new RawColumn(column.Name, rows, longs: [.. Enumerable.Range(0, rows).Select(i => Convert.ToInt64(column[i], CultureInfo.InvariantCulture))]);
        throw new ArgumentException($"Column \"{column.Name}\" has type {type.Name}; FeatureSpace reads string, number and bool columns.");
    }

    /// <summary>Reads a value of a name-keyed dictionary: an array or list (strings, numbers, bools), a tensor, or one value
    /// (an unbatched sample).</summary>
    public static RawColumn From(string name, object? value, out bool scalar)
    {
        scalar = false;
        switch (value)
        {
            case null:
                throw new ArgumentException($"Feature \"{name}\" is null; give its values as an array, a list or a tensor.");
            case Component component:
                return component.Kind switch
                {
                    ComponentKind.Tensor => From(name, component.Tensor, out scalar),
                    ComponentKind.Strings => From(name, component.Strings, out scalar),
                    _ => throw new ArgumentException(
                        $"Feature \"{name}\" is a dictionary in this dataset's elements; FeatureSpace takes one tensor or strings per feature."),
                };
            case StringTensor strings:
                if (strings.Shape.Count > 2 || (strings.Shape.Count == 2 && strings.Shape[1] != 1))
                    throw new ArgumentException($"Feature \"{name}\" has shape {Layers.Shapes.Format([.. strings.Shape])}; FeatureSpace takes one value per sample: [N] or [N, 1].");
                scalar = strings.Shape.Count == 0;
                return new RawColumn(name, strings.Count, strings: strings.ToArray());
            case Tensor t:
                if (t.dim() > 2 || (t.dim() == 2 && t.shape[1] != 1))
                    throw new ArgumentException($"Feature \"{name}\" has shape {Layers.Shapes.Format(t.shape)}; FeatureSpace takes one value per sample: [N] or [N, 1].");
                scalar = t.dim() == 0;
                return new RawColumn(name, scalar ? 1 : checked((int)t.shape[0]), tensor: t);
            case string s:
                scalar = true;
                return new RawColumn(name, 1, strings: [s]);
            case double or float or decimal:
                scalar = true;
                return new RawColumn(name, 1, doubles: [Convert.ToDouble(value, CultureInfo.InvariantCulture)]);
            case long or int or short or byte or sbyte or ushort or uint or bool:
                scalar = true;
                return new RawColumn(name, 1, longs: [Convert.ToInt64(value, CultureInfo.InvariantCulture)]);
            case IEnumerable<string> strings:
                var list = strings.ToArray();
                if (list.Any(v => v is null))
                    throw new ArgumentException($"Feature \"{name}\" has null values; fill them first (e.g. with \"unknown\").");
                return new RawColumn(name, list.Length, strings: list);
            case double[] or float[] or decimal[]:
                var doubles = ((IEnumerable)value).Cast<object>().Select(v => Convert.ToDouble(v, CultureInfo.InvariantCulture)).ToArray();
                return new RawColumn(name, doubles.Length, doubles: doubles);
            case long[] or int[] or short[] or byte[] or sbyte[] or ushort[] or uint[] or bool[]:
                var longs = ((IEnumerable)value).Cast<object>().Select(v => Convert.ToInt64(v, CultureInfo.InvariantCulture)).ToArray();
                return new RawColumn(name, longs.Length, longs: longs);
            case IEnumerable items:
                var objects = items.Cast<object?>().ToArray();
                if (objects.All(o => o is string)) return new RawColumn(name, objects.Length, strings: [.. objects.Cast<string>()]);
                if (objects.All(o => o is long or int or short or byte or bool))
                    return new RawColumn(name, objects.Length, longs: [.. objects.Select(o => Convert.ToInt64(o, CultureInfo.InvariantCulture))]);
                if (objects.All(o => o is double or float or decimal or long or int or short or byte))
                    return new RawColumn(name, objects.Length, doubles: [.. objects.Select(o => Convert.ToDouble(o, CultureInfo.InvariantCulture))]);
                throw new ArgumentException($"Feature \"{name}\" mixes value types or has nulls; give strings, numbers or bools.");
            default:
                throw new ArgumentException($"Feature \"{name}\" is a {value.GetType().Name}; give an array, a list, a tensor or one value.");
        }
    }

    /// <summary>The values as strings, for string features.</summary>
    public string[] Strings() => _strings ?? throw new ArgumentException(
        $"Feature \"{Name}\" is a string feature, but its values are numbers; give strings (or declare it as a numeric feature).");

    /// <summary>The values as float32 <c>[N, 1]</c>.</summary>
    public Tensor Floats()
    {
        if (_strings is not null)
            throw new ArgumentException($"Feature \"{Name}\" is numeric, but its values are strings; give numbers (or declare it string_categorical).");
        var t = _tensor is not null ? _tensor.to_type(ScalarType.Float32)
            : _doubles is not null ? tensor(_doubles.Select(v => (float)v).ToArray())
            : tensor(_longs!.Select(v => (float)v).ToArray());
        return t.reshape(Rows, 1);
    }

    /// <summary>The values as int64 <c>[N, 1]</c>; floats must hold whole numbers.</summary>
    public Tensor Integers()
    {
        if (_strings is not null)
            throw new ArgumentException($"Feature \"{Name}\" is an integer feature, but its values are strings; give integers (or declare it string_categorical).");
        if (_longs is not null) return tensor(_longs).reshape(Rows, 1);
        using var values = _tensor is not null ? _tensor.to_type(ScalarType.Float64) : tensor(_doubles!);
        if ((values != values.floor()).any().item<bool>())
            throw new ArgumentException($"Feature \"{Name}\" is an integer feature, but it has fractional or NaN values.");
        return values.to_type(ScalarType.Int64).reshape(Rows, 1);
    }

    /// <summary>The rows of several columns of one feature, one after the other (batches of single values grouped).</summary>
    public static RawColumn Concat(IReadOnlyList<RawColumn> parts)
    {
        string name = parts[0].Name;
        int rows = parts.Sum(p => p.Rows);
        if (parts.All(p => p._strings is not null)) return new RawColumn(name, rows, strings: [.. parts.SelectMany(p => p._strings!)]);
        if (parts.Any(p => p._strings is not null))
            throw new ArgumentException($"Feature \"{name}\" has strings in some batches and numbers in others.");
        if (parts.All(p => p._longs is not null)) return new RawColumn(name, rows, longs: [.. parts.SelectMany(p => p._longs!)]);
        var tensors = parts.Select(p => p._tensor is not null ? p._tensor.to_type(ScalarType.Float64).reshape(-1)
            : p._doubles is not null ? tensor(p._doubles) : tensor(p._longs!.Select(v => (double)v).ToArray())).ToList();
        return new RawColumn(name, rows, tensor: cat(tensors, 0));
    }

    /// <summary>The rows [start, start + count) (for adapting in Keras's batches of 32).</summary>
    public RawColumn Slice(int start, int count) => new(Name, count,
        _strings?[start..(start + count)], _doubles?[start..(start + count)], _longs?[start..(start + count)],
        _tensor?.dim() == 0 ? _tensor : _tensor?.narrow(0, start, count));
}
