using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>Repeats each step of a sequence <c>size</c> times (Keras's <c>UpSampling1D</c>), channels last.</summary>
/// <example><code>new UpSampling1D(2)   // (None, 5, 4) -> (None, 10, 4)</code></example>
public sealed class UpSampling1D : Layer
{
    /// <summary>Creates an UpSampling1D layer.</summary>
    /// <param name="size">How many times each step is repeated; default 2, as Keras.</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default up_sampling1d.</param>
    /// <exception cref="ArgumentException">size is not positive (Keras's message).</exception>
    public UpSampling1D(int size = 2, long[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (size <= 0)
            throw new ArgumentException($"The `size` argument should be a positive integer. Received: size={size}", nameof(size));
        Size = size;
    }

    /// <summary>How many times each step is repeated.</summary>
    public int Size { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The input is not (steps, features).</exception>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        if (inputShape.Length != 2)
            throw new ArgumentException(
                $"Layer \"{Name}\" (UpSampling1D) expects sequences of shape (None, steps, features); got {Shapes.FormatBatch(inputShape)}.");
        return [inputShape[0] == Shapes.None ? Shapes.None : inputShape[0] * Size, inputShape[1]];
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training) => x.repeat_interleave(Size, dim: 1);
}
