using Microsoft.Data.Analysis;

namespace Sequential.Layers;

/// <summary>Finds a DataFrame column by name for the lookup layers' <c>Adapt</c>, with one message for a missing one, and
/// reads a string column.</summary>
internal static class FrameColumns
{
    /// <summary>The column named <paramref name="column"/>.</summary>
    /// <exception cref="ArgumentException">No such column; the message lists the columns there are.</exception>
    public static DataFrameColumn Find(DataFrame data, string column)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(column);
        int position = data.Columns.IndexOf(column);
        if (position < 0)
            throw new ArgumentException(
                $"The DataFrame has no column \"{column}\". Its columns are: {string.Join(", ", data.Columns.Select(c => $"\"{c.Name}\""))}.",
                nameof(column));
        return data.Columns[position];
    }

    /// <summary>The values of string column <paramref name="column"/>.</summary>
    /// <param name="data">The frame.</param>
    /// <param name="column">The column's name.</param>
    /// <param name="layer">The layer that reads it, for the messages.</param>
    /// <exception cref="ArgumentException">No such column, not a string column, or it has nulls.</exception>
    public static List<string> Strings(DataFrame data, string column, string layer)
    {
        var values = Find(data, column);
        if (values is not StringDataFrameColumn strings)
            throw new ArgumentException(
                $"Column \"{column}\" has type {values.DataType.Name}; {layer} reads string columns. Numeric columns can go to Fit as they are.",
                nameof(column));
        if (strings.NullCount > 0)
            throw new ArgumentException(
                $"Column \"{column}\" has {strings.NullCount} null value{(strings.NullCount == 1 ? "" : "s")}; fill them first (e.g. column.FillNulls(\"missing\")).",
                nameof(column));
        var list = new List<string>((int)strings.Length);
        for (long i = 0; i < strings.Length; i++) list.Add(strings[i]);
        return list;
    }
}
