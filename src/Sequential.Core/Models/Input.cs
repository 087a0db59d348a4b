using Sequential.Layers;

namespace Sequential;

/// <summary>
/// The start of a functional model (Keras's <c>keras.Input</c>): a symbolic batch of samples of <paramref name="shape"/>.
/// </summary>
/// <param name="shape">Per-sample shape, without the batch dimension, e.g. <c>[28, 28, 1]</c>.</param>
/// <param name="name">The input's name, shown by <c>Summary</c>; default <c>input_layer</c>.</param>
/// <example><code>var inputs = new Input(shape: [150, 150, 3], name: "image");</code></example>
public sealed class Input(long[] shape, string? name = null)
    : SymbolicTensor(CheckShape(shape), null, [], 0, name ?? "input_layer")
{
    /// <summary>Whether the name was given (and so must not be renamed).</summary>
    internal bool NameWasGiven { get; } = name is not null;

    private static long[] CheckShape(long[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length == 0 || shape.Any(d => d <= 0))
            throw new ArgumentException(
                $"Input shape must list positive sizes without the batch dimension, e.g. [28, 28]; got {Shapes.Format(shape)}.", nameof(shape));
        return shape;
    }
}
