using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>Removes steps at the start and end of each sequence (Keras's <c>Cropping1D</c>), channels last.</summary>
/// <example><code>new Cropping1D((1, 2))   // (None, 5, 7) -> (None, 2, 7)</code></example>
public sealed class Cropping1D : Layer
{
    /// <summary>Creates a Cropping1D layer with (start, end) cropping.</summary>
    /// <param name="cropping">(steps removed at the start, steps removed at the end), none negative.</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default cropping1d.</param>
    /// <exception cref="ArgumentOutOfRangeException">A cropping is negative.</exception>
    public Cropping1D((int, int) cropping, long[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (cropping.Item1 < 0 || cropping.Item2 < 0)
            throw new ArgumentOutOfRangeException(nameof(cropping), cropping, $"Cropping1D cropping must not be negative; got (start, end) = {cropping}.");
        Cropping = cropping;
    }

    /// <summary>Creates a Cropping1D layer removing the same number of steps at both ends (Keras's int shorthand).</summary>
    /// <param name="cropping">Steps removed at each end; default 1, as Keras.</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name.</param>
    public Cropping1D(int cropping = 1, long[]? inputShape = null, string? name = null) : this((cropping, cropping), inputShape, name) { }

    /// <summary>(start, end).</summary>
    public (int, int) Cropping { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The input is not (steps, features), or the cropping removes every step.</exception>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        if (inputShape.Length != 2)
            throw new ArgumentException(
                $"Layer \"{Name}\" (Cropping1D) expects sequences of shape (None, steps, features); got {Shapes.FormatBatch(inputShape)}.");
        if (inputShape[0] == Shapes.None) return [Shapes.None, inputShape[1]]; // checked per batch, in Call
        long remaining = inputShape[0] - Cropping.Item1 - Cropping.Item2;
        if (remaining <= 0)
            throw new ArgumentException(
                $"Layer \"{Name}\" (Cropping1D): cropping (start, end) = {Cropping} must leave at least one of the {inputShape[0]} steps " +
                $"(input shape {Shapes.FormatBatch(inputShape)}). Crop less.");
        return [remaining, inputShape[1]];
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        var shape = ComputeOutputShape(x.shape[1..]);   // our message, not libtorch's, for a batch too short to crop
        return x.narrow(1, Cropping.Item1, shape[0]);
    }
}
