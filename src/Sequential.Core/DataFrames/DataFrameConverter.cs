using System.Numerics;
using System.Runtime.InteropServices;
using Microsoft.Data.Analysis;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential;

/// <summary>
/// Turns DataFrame columns into tensors: column selection, type and null checks, and a bulk copy from
/// the columns' typed buffers (no per-cell boxing) into one row-major float array that becomes the tensor.
/// </summary>
internal static class DataFrameConverter
{
    // Rows copied per block: one block of a 20-column frame is 4,096 x 20 floats = 320 KB, so the
    // column-by-column writes into it stay in cache instead of striding over the whole output.
    private const int BlockRows = 4096;

    /// <summary>Largest tensor written through <c>Tensor.bytes</c> (a Span: 2 GB); larger ones go through a block buffer. Tests lower it.</summary>
    internal static long DirectWriteLimitBytes = int.MaxValue;

    /// <summary>The DataFrame column types the conversion reads, for error messages.</summary>
    internal const string SupportedTypes =
        "byte, sbyte, short, ushort, int, uint, long, ulong, float, double, decimal and bool";

    /// <summary>Resolves column names to columns; a missing name fails with the list of the frame's columns.</summary>
    internal static List<DataFrameColumn> Columns(DataFrame data, IEnumerable<string> names, string parameter)
    {
        var columns = new List<DataFrameColumn>();
        foreach (var name in names)
        {
            if (name is null)
                throw new ArgumentException($"{parameter} contains a null column name.", parameter);
            int index = data.Columns.IndexOf(name);
            if (index < 0)
                throw new ArgumentException(
                    $"{parameter}: the DataFrame has no column \"{name}\". Its columns are: {Available(data)}.", parameter);
            columns.Add(data.Columns[index]);
        }
        return columns;
    }

    /// <summary>The frame's column names, quoted and comma-separated.</summary>
    internal static string Available(DataFrame data) =>
        data.Columns.Count == 0 ? "(none)" : string.Join(", ", data.Columns.Select(c => $"\"{c.Name}\""));

    /// <summary>
    /// The feature columns: the given names, or every column not in <paramref name="exclude"/>.
    /// </summary>
    internal static List<DataFrameColumn> FeatureColumns(DataFrame data, IReadOnlyList<string>? featureColumns,
        IReadOnlyCollection<string> exclude, string parameter)
    {
        var names = featureColumns ?? data.Columns.Select(c => c.Name).Where(n => !exclude.Contains(n)).ToList();
        if (names.Count == 0)
            throw new ArgumentException(
                featureColumns is null
                    ? $"The DataFrame has no feature columns: its only columns are {Available(data)}, all of them labels."
                    : $"{parameter} is empty; name at least one column. The DataFrame's columns are: {Available(data)}.",
                parameter);
        var duplicate = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"{parameter} names column \"{duplicate.Key}\" more than once.", parameter);
        var overlap = names.FirstOrDefault(exclude.Contains);
        if (overlap is not null)
            throw new ArgumentException(
                $"Column \"{overlap}\" is both a feature and a label column; a model must not see its own target.", parameter);
        return Columns(data, names, parameter);
    }

    /// <summary>Checks that every column is numeric or bool and, unless rows are to be dropped, free of nulls.</summary>
    internal static void Check(DataFrame data, IReadOnlyList<DataFrameColumn> columns, NullHandling nullHandling)
    {
        if (data.Rows.Count == 0)
            throw new ArgumentException("The DataFrame is empty: it has 0 rows.", nameof(data));
        foreach (var column in columns)
        {
            if (column is StringDataFrameColumn or ArrowStringDataFrameColumn)
                throw new ArgumentException(
                    $"Column \"{column.Name}\" holds strings, which cannot become tensor values. Encode it first: " +
                    "StringLookup.Adapt(data, column) then StringLookup.Transform(data, column) replaces it by integer indices " +
                    "(outputMode: \"int\", for CategoryEncoding or an embedding) or by one-hot columns (outputMode: \"one_hot\"); " +
                    "or leave it out with featureColumns.", nameof(data));
            if (!IsSupported(column))
                throw new ArgumentException(
                    $"Column \"{column.Name}\" has type {column.DataType.Name}; only {SupportedTypes} columns can become tensor values. " +
                    "Convert it or leave it out with featureColumns.", nameof(data));
        }
        if (nullHandling == NullHandling.Error)
        {
            var withNulls = columns.Where(c => c.NullCount > 0).ToList();
            if (withNulls.Count > 0)
                throw new ArgumentException(
                    "Missing values: " + string.Join(", ", withNulls.Select(c => $"column \"{c.Name}\" has {c.NullCount} null value{(c.NullCount == 1 ? "" : "s")}")) +
                    ". Fill them (column.FillNulls(value)) or pass nullHandling: NullHandling.Drop to leave those rows out.",
                    nameof(data));
        }
    }

    /// <summary>
    /// With <see cref="NullHandling.Drop"/>, the rows of <paramref name="data"/> without nulls in <paramref name="columns"/>
    /// (every column of the frame kept); otherwise <paramref name="data"/> itself.
    /// </summary>
    internal static DataFrame DropNullRows(DataFrame data, IReadOnlyList<string> columns, NullHandling nullHandling)
    {
        if (nullHandling != NullHandling.Drop) return data;
        var read = Columns(data, columns, nameof(columns)).Where(c => c.NullCount > 0).ToList();
        if (read.Count == 0) return data;
        long rows = data.Rows.Count;
        var keep = new PrimitiveDataFrameColumn<long>("rows");
        for (long row = 0; row < rows; row++)
        {
            bool valid = true;
            foreach (var column in read)
                if (!column.IsValid(row)) { valid = false; break; }
            if (valid) keep.Append(row);
        }
        if (keep.Length == 0)
            throw new ArgumentException(
                $"Every row has a null in at least one of the columns {string.Join(", ", read.Select(c => $"\"{c.Name}\""))}; " +
                "dropping them leaves nothing. Fill the nulls instead (column.FillNulls(value)).", nameof(data));
        return data.Filter(keep);
    }

    /// <summary>Copies the columns into a float32 tensor <c>[rows, columns]</c> (checked with <see cref="Check"/> first).</summary>
    internal static Tensor ToFloatTensor(IReadOnlyList<DataFrameColumn> columns, long rows)
    {
        int width = columns.Count;
        // Write into the tensor's own storage: torch.tensor(float[]) copies the array in TorchSharp 0.107,
        // which would double the peak memory of a large frame.
        var result = torch.empty([rows, width], ScalarType.Float32);
        var readers = columns.Select(ReaderFor).ToArray();
        if (rows * width * sizeof(float) <= DirectWriteLimitBytes)
        {
            // Tensor.bytes is a view of a contiguous CPU tensor's storage (a Span, so at most 2 GB).
            var values = MemoryMarshal.Cast<byte, float>(result.bytes);
            for (long start = 0; start < rows; start += BlockRows)
            {
                int count = (int)Math.Min(BlockRows, rows - start);
                var block = values.Slice((int)(start * width), count * width);
                for (int c = 0; c < width; c++)
                    readers[c].Copy(start, count, block, c, width);
            }
            return result;
        }
        var buffer = new float[BlockRows * width];
        using var storage = result.data<float>();
        for (long start = 0; start < rows; start += BlockRows)
        {
            int count = (int)Math.Min(BlockRows, rows - start);
            for (int c = 0; c < width; c++)
                readers[c].Copy(start, count, buffer, c, width);
            storage.CopyFrom(new ReadOnlySpan<float>(buffer, 0, count * width), 0, start * width);
        }
        return result;
    }

    /// <summary>
    /// The target tensor: one integer column gives int64 <c>[rows]</c> (class indices), one other column float32
    /// <c>[rows]</c>, several columns float32 <c>[rows, k]</c>. Losses convert further as they need.
    /// </summary>
    internal static Tensor ToLabelTensor(IReadOnlyList<DataFrameColumn> columns, long rows)
    {
        if (columns.Count == 1 && IsInteger(columns[0]))
        {
            var labels = new long[rows];
            ReaderFor(columns[0]).CopyInt64(labels);
            return torch.tensor(labels, [rows]);
        }
        var y = ToFloatTensor(columns, rows);
        return columns.Count == 1 ? y.reshape(rows) : y;
    }

    private static bool IsInteger(DataFrameColumn column) =>
        column.DataType == typeof(byte) || column.DataType == typeof(sbyte) || column.DataType == typeof(short) ||
        column.DataType == typeof(ushort) || column.DataType == typeof(int) || column.DataType == typeof(uint) ||
        column.DataType == typeof(long) || column.DataType == typeof(ulong);

    private static bool IsSupported(DataFrameColumn column) =>
        IsInteger(column) || column.DataType == typeof(float) || column.DataType == typeof(double) ||
        column.DataType == typeof(decimal) || column.DataType == typeof(bool);

    private static ColumnReader ReaderFor(DataFrameColumn column) => column switch
    {
        PrimitiveDataFrameColumn<byte> c => new Reader<byte, Number<byte>>(c),
        PrimitiveDataFrameColumn<sbyte> c => new Reader<sbyte, Number<sbyte>>(c),
        PrimitiveDataFrameColumn<short> c => new Reader<short, Number<short>>(c),
        PrimitiveDataFrameColumn<ushort> c => new Reader<ushort, Number<ushort>>(c),
        PrimitiveDataFrameColumn<int> c => new Reader<int, Number<int>>(c),
        PrimitiveDataFrameColumn<uint> c => new Reader<uint, Number<uint>>(c),
        PrimitiveDataFrameColumn<long> c => new Reader<long, Number<long>>(c),
        PrimitiveDataFrameColumn<ulong> c => new Reader<ulong, Number<ulong>>(c),
        PrimitiveDataFrameColumn<float> c => new Reader<float, Number<float>>(c),
        PrimitiveDataFrameColumn<double> c => new Reader<double, Number<double>>(c),
        PrimitiveDataFrameColumn<decimal> c => new Reader<decimal, Number<decimal>>(c),
        PrimitiveDataFrameColumn<bool> c => new Reader<bool, Boolean>(c),
        _ => throw new ArgumentException(
            $"Column \"{column.Name}\" has type {column.DataType.Name} ({column.GetType().Name}); only {SupportedTypes} columns can become tensor values."),
    };

    /// <summary>Reads one column's typed buffers; a column is stored in one or more contiguous chunks.</summary>
    private abstract class ColumnReader
    {
        /// <summary>Writes rows [start, start + count) to <c>values[offset + row * width]</c>.</summary>
        public abstract void Copy(long start, int count, Span<float> values, int offset, int width);

        /// <summary>Writes the whole column as int64.</summary>
        public abstract void CopyInt64(long[] destination);
    }

    /// <summary>Element conversions, as static abstract members so the JIT specialises each reader (no delegate per value).</summary>
    private interface IConversion<T>
    {
        static abstract float ToSingle(T value);
        static abstract long ToInt64(T value);
    }

    private readonly struct Number<T> : IConversion<T> where T : INumberBase<T>
    {
        public static float ToSingle(T value) => float.CreateTruncating(value);
        public static long ToInt64(T value) => long.CreateTruncating(value);
    }

    private readonly struct Boolean : IConversion<bool>
    {
        public static float ToSingle(bool value) => value ? 1f : 0f;
        public static long ToInt64(bool value) => value ? 1 : 0;
    }

    private sealed class Reader<T, TConversion>(PrimitiveDataFrameColumn<T> column) : ColumnReader
        where T : unmanaged where TConversion : IConversion<T>
    {
        private readonly ReadOnlyMemory<T>[] _chunks = [.. column.GetReadOnlyDataBuffers()];

        public override void Copy(long start, int count, Span<float> values, int offset, int width)
        {
            int done = 0;
            long chunkStart = 0;
            foreach (var chunk in _chunks)
            {
                long chunkEnd = chunkStart + chunk.Length;
                if (done < count && start + done < chunkEnd)
                {
                    int from = (int)(start + done - chunkStart);
                    int length = (int)Math.Min(count - done, chunkEnd - (start + done));
                    var piece = chunk.Span.Slice(from, length);
                    int index = offset + done * width;
                    for (int i = 0; i < piece.Length; i++, index += width)
                        values[index] = TConversion.ToSingle(piece[i]);
                    done += length;
                }
                if (done == count) return;
                chunkStart = chunkEnd;
            }
        }

        public override void CopyInt64(long[] destination)
        {
            int index = 0;
            foreach (var chunk in _chunks)
            {
                var piece = chunk.Span;
                for (int i = 0; i < piece.Length; i++)
                    destination[index++] = TConversion.ToInt64(piece[i]);
            }
        }
    }
}
