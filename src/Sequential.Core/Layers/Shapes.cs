namespace Sequential.Layers;

/// <summary>Formatting and arithmetic of shapes, shared by every layer so messages read the same.</summary>
public static class Shapes
{
    /// <summary>
    /// The size of an axis whose length is known only when data arrives (Keras's <c>None</c> in a shape): a per-sample
    /// shape such as <c>[Shapes.None]</c> takes sequences of any length, e.g. <c>new Input(shape: [Shapes.None], dtype:
    /// ScalarType.Int64)</c>, as Keras's <c>keras.Input(shape=(None,), dtype="int64")</c>.
    /// </summary>
    public const long None = -1;

    /// <summary>Formats a shape as Keras prints it: <c>(28, 28)</c>; an unknown size as <c>None</c>.</summary>
    /// <param name="shape">The shape.</param>
    /// <returns>The text.</returns>
    public static string Format(IEnumerable<long> shape)
    {
        var dims = shape.Select(Dim).ToArray();
        return dims.Length == 1 ? $"({dims[0]},)" : "(" + string.Join(", ", dims) + ")";
    }

    private static string Dim(long size) => size == None ? "None" : size.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Whether two per-sample shapes can describe the same batch (Keras's shape compatibility): the same rank, and at every
    /// axis the same size or <see cref="None"/> on either side.
    /// </summary>
    /// <param name="shape">A shape (of data, or of a symbolic tensor).</param>
    /// <param name="other">The shape it is checked against.</param>
    /// <returns>True when compatible.</returns>
    public static bool Compatible(IReadOnlyList<long> shape, IReadOnlyList<long> other)
    {
        if (shape.Count != other.Count) return false;
        for (int i = 0; i < shape.Count; i++)
            if (shape[i] != other[i] && shape[i] != None && other[i] != None) return false;
        return true;
    }

    /// <summary>Whether a shape has an axis of unknown size.</summary>
    /// <param name="shape">A per-sample shape.</param>
    /// <returns>True when some size is <see cref="None"/>.</returns>
    public static bool HasNone(IEnumerable<long> shape) => shape.Contains(None);

    /// <summary>Formats a per-sample shape with Keras's batch placeholder: <c>(None, 28, 28)</c>.</summary>
    /// <param name="sampleShape">The per-sample shape.</param>
    /// <returns>The text.</returns>
    public static string FormatBatch(IEnumerable<long> sampleShape) => "(" + string.Join(", ", new[] { "None" }.Concat(sampleShape.Select(Dim))) + ")";

    /// <summary>The product of the sizes.</summary>
    /// <param name="shape">The shape.</param>
    /// <returns>Number of elements.</returns>
    public static long Product(IEnumerable<long> shape) => shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>The product of the sizes, or <see cref="None"/> when one is unknown (Keras's Flatten of a None axis).</summary>
    /// <param name="shape">The shape.</param>
    /// <returns>Number of elements, or None.</returns>
    public static long ProductOrNone(IEnumerable<long> shape) => HasNone(shape) ? None : Product(shape);
}
