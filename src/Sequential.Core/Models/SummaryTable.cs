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
    /// <summary>The table for a stack or a subclassed model: layer, output shape, parameters.</summary>
    public static string Format(string model, IReadOnlyList<Layer> layers) => Table(model,
        widths: [33, 24, 15], header: ["Layer (type)", "Output Shape", "Param #"], rightAligned: 2,
        rows: [.. layers.Select(l => new[] { $"{l.Name} ({l.TypeName})", OutputShape(l), Params(l) })], layers);

    /// <summary>
    /// The table for a functional model, with Keras 3's "Connected to" column (<c>layer[node][tensor]</c>) and a row per
    /// input, as Keras shows its InputLayer.
    /// </summary>
    public static string Format(string model, FunctionalGraph graph)
    {
        var rows = graph.Inputs.Select((i, n) => new[] { $"{graph.InputNames[n]} (InputLayer)", Shapes.FormatBatch(i.Shape.ToArray()), "0", "-" }).ToList();
        rows.AddRange(graph.Layers.Select(l => new[] { $"{l.Name} ({l.TypeName})", OutputShapes(l, graph), Params(l), graph.ConnectedTo(l) }));
        // Keras 3's functional layout: 108 characters at positions 0.3, 0.56, 0.74, 1.0.
        return Table(model, widths: [32, 28, 19, 29], header: ["Layer (type)", "Output Shape", "Param #", "Connected to"],
            rightAligned: 2, rows, graph.Layers);
    }

    /// <summary>A graph layer's output shape; a list of them, as Keras prints it, for a call with several outputs.</summary>
    private static string OutputShapes(Layer layer, FunctionalGraph graph) => graph.OutputShapesOf(layer) is { Count: > 1 } shapes
        ? $"[{string.Join(", ", shapes.Select(Shapes.FormatBatch))}]"
        : OutputShape(layer);

    private static string OutputShape(Layer layer) => layer.Built ? Shapes.FormatBatch(layer.OutputShape!) : "?";

    private static string Params(Layer layer) => layer.Built ? layer.CountParams().ToString("N0", CultureInfo.InvariantCulture) : "0 (unbuilt)";

    private static string Table(string model, int[] widths, string[] header, int rightAligned, List<string[]> rows, IReadOnlyList<Layer> layers)
    {
        var text = new StringBuilder();
        text.Append("Model: \"").Append(model).Append("\"\n");
        Rule(text, widths, '┏', '━', '┳', '┓');
        Row(text, widths, header, rightAligned, '┃');
        Rule(text, widths, '┡', '━', '╇', '┩');
        for (int i = 0; i < rows.Count; i++)
        {
            Row(text, widths, rows[i], rightAligned, '│');
            if (i < rows.Count - 1) Rule(text, widths, '├', '─', '┼', '┤');
        }
        Rule(text, widths, '└', '─', '┴', '┘');
        long total = layers.Where(l => l.Built).Sum(l => l.CountParams());
        long trainable = layers.Where(l => l.Built).Sum(l => l.CountTrainableParams());
        text.Append(" Total params: ").Append(Count(total)).Append('\n');
        text.Append(" Trainable params: ").Append(Count(trainable)).Append('\n');
        text.Append(" Non-trainable params: ").Append(Count(total - trainable)).Append('\n');
        return text.ToString();

        static string Count(long n) => $"{n.ToString("N0", CultureInfo.InvariantCulture)} ({MemorySize(n * 4)})";
    }

    private static void Rule(StringBuilder text, int[] widths, char left, char line, char cross, char right)
    {
        text.Append(left);
        for (int i = 0; i < widths.Length; i++)
            text.Append(line, widths[i]).Append(i < widths.Length - 1 ? cross : right);
        text.Append('\n');
    }

    /// <summary>One table row; a cell wider than its column wraps onto further lines, at spaces where it can, as Keras's
    /// (rich) table does.</summary>
    private static void Row(StringBuilder text, int[] widths, string[] cells, int rightAligned, char bar)
    {
        var lines = cells.Select((cell, i) => Wrap(cell, widths[i] - 2)).ToList();
        int height = lines.Max(l => l.Count);
        for (int line = 0; line < height; line++)
        {
            for (int i = 0; i < widths.Length; i++)
            {
                int width = widths[i] - 2;
                string cell = line < lines[i].Count ? lines[i][line] : "";
                text.Append(bar).Append(' ').Append(i == rightAligned ? cell.PadLeft(width) : cell.PadRight(width)).Append(' ');
            }
            text.Append(bar).Append('\n');
        }
    }

    private static List<string> Wrap(string cell, int width)
    {
        var lines = new List<string>();
        var current = new StringBuilder();
        foreach (var word in cell.Split(' '))
        {
            if (current.Length > 0 && current.Length + 1 + word.Length > width)
            {
                lines.Add(current.ToString());
                current.Clear();
            }
            if (current.Length > 0) current.Append(' ');
            current.Append(word);
            while (current.Length > width)
            {
                lines.Add(current.ToString(0, width));
                current.Remove(0, width);
            }
        }
        lines.Add(current.ToString());
        return lines;
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
