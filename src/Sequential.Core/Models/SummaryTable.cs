using System.Globalization;
using System.Text;
using Sequential.Layers;

namespace Sequential;

/// <summary>
/// Keras's <c>model.summary()</c> table: one row per layer with its output shape and parameter count, then the totals.
/// One printer for every kind of model.
/// </summary>
internal static class SummaryTable
{
    private const int NameWidth = 33, ShapeWidth = 24, ParamsWidth = 15;

    /// <summary>The table for a model named <paramref name="model"/> whose layers are <paramref name="layers"/>.</summary>
    public static string Format(string model, IReadOnlyList<Layer> layers)
    {
        const int c1 = NameWidth, c2 = ShapeWidth, c3 = ParamsWidth;
        var text = new StringBuilder();
        text.Append("Model: \"").Append(model).Append("\"\n");
        text.Append('┏').Append('━', c1).Append('┳').Append('━', c2).Append('┳').Append('━', c3).Append("┓\n");
        text.Append("┃ ").Append("Layer (type)".PadRight(c1 - 2)).Append(" ┃ ").Append("Output Shape".PadRight(c2 - 2))
            .Append(" ┃ ").Append("Param #".PadLeft(c3 - 2)).Append(" ┃\n");
        text.Append('┡').Append('━', c1).Append('╇').Append('━', c2).Append('╇').Append('━', c3).Append("┩\n");
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            string shape = layer.Built ? Shapes.FormatBatch(layer.OutputShape!) : "?";
            string parameters = layer.Built ? layer.CountParams().ToString("N0", CultureInfo.InvariantCulture) : "0 (unbuilt)";
            text.Append("│ ").Append(Fit($"{layer.Name} ({layer.TypeName})", c1 - 2)).Append(" │ ").Append(Fit(shape, c2 - 2))
                .Append(" │ ").Append(parameters.PadLeft(c3 - 2)).Append(" │\n");
            if (i < layers.Count - 1)
                text.Append('├').Append('─', c1).Append('┼').Append('─', c2).Append('┼').Append('─', c3).Append("┤\n");
        }
        text.Append('└').Append('─', c1).Append('┴').Append('─', c2).Append('┴').Append('─', c3).Append("┘\n");
        long total = layers.Where(l => l.Built).Sum(l => l.CountParams());
        long trainable = layers.Where(l => l.Built).Sum(l => l.CountTrainableParams());
        text.Append(" Total params: ").Append(Count(total)).Append('\n');
        text.Append(" Trainable params: ").Append(Count(trainable)).Append('\n');
        text.Append(" Non-trainable params: ").Append(Count(total - trainable)).Append('\n');
        return text.ToString();

        static string Fit(string s, int width) => s.Length <= width ? s.PadRight(width) : s[..(width - 1)] + "…";
        static string Count(long n) => $"{n.ToString("N0", CultureInfo.InvariantCulture)} ({MemorySize(n * 4)})";
    }

    /// <summary>Keras's readable memory size: 1024-based units with two decimals ("397.54 KB").</summary>
    internal static string MemorySize(double bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB", "PB"];
        foreach (var unit in units)
        {
            if (bytes / 1024 < 1) return bytes.ToString("0.00", CultureInfo.InvariantCulture) + " " + unit;
            bytes /= 1024;
        }
        return bytes.ToString("0.00", CultureInfo.InvariantCulture) + " EB";
    }
}
