namespace Sequential.Layers;

/// <summary>Formatting and arithmetic of shapes, shared by every layer so messages read the same.</summary>
public static class Shapes
{
    /// <summary>Formats a shape as Keras prints it: <c>(28, 28)</c>.</summary>
    /// <param name="shape">The shape.</param>
    /// <returns>The text.</returns>
    public static string Format(IEnumerable<long> shape)
    {
        var dims = shape.ToArray();
        return dims.Length == 1 ? $"({dims[0]},)" : "(" + string.Join(", ", dims) + ")";
    }

    /// <summary>Formats a per-sample shape with Keras's batch placeholder: <c>(None, 28, 28)</c>.</summary>
    /// <param name="sampleShape">The per-sample shape.</param>
    /// <returns>The text.</returns>
    public static string FormatBatch(IEnumerable<long> sampleShape) => "(" + string.Join(", ", new[] { "None" }.Concat(sampleShape.Select(d => d.ToString()))) + ")";

    /// <summary>The product of the sizes.</summary>
    /// <param name="shape">The shape.</param>
    /// <returns>Number of elements.</returns>
    public static long Product(IEnumerable<long> shape) => shape.Aggregate(1L, (a, b) => a * b);
}
