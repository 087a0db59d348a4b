using Microsoft.Data.Analysis;

namespace Sequential.Layers;

/// <summary>Finds a DataFrame column by name for the lookup layers' <c>Adapt</c>, with one message for a missing one.</summary>
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
}
