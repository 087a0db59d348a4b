using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Declares the per-sample input shape of a model (Keras's <c>InputLayer</c> / <c>keras.Input(shape=...)</c>).
/// Passes its input through unchanged and, as in Keras 3, is not listed by <c>Summary</c>'s parameters.
/// </summary>
/// <example><code>new SequentialModel(new InputLayer(shape: [28, 28]), new Flatten(), new Dense(10));</code></example>
public sealed class InputLayer : Layer
{
    /// <summary>Creates an input layer.</summary>
    /// <param name="shape">Per-sample shape, without the batch dimension, e.g. [28, 28].</param>
    /// <param name="name">Layer name.</param>
    public InputLayer(long[] shape, string? name = null)
        : base(name, shape ?? throw new ArgumentNullException(nameof(shape), "InputLayer needs a shape, e.g. shape: [28, 28]."))
    {
    }

    /// <summary>The per-sample shape (the <c>shape</c> argument; the same as <see cref="Layer.InputShape"/>).</summary>
    public long[] Shape => InputShape!;

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) => (long[])inputShape.Clone();

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training) => x;
}
