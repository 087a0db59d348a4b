using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>Flattens each sample to one axis (Keras's <c>Flatten</c>); the batch axis is kept.</summary>
/// <example><code>new Flatten(inputShape: [28, 28])   // (None, 28, 28) -> (None, 784)</code></example>
public sealed class Flatten : Layer
{
    /// <summary>Creates a Flatten layer.</summary>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name.</param>
    public Flatten(long[]? inputShape = null, string? name = null) : base(name, inputShape) { }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) => [Shapes.ProductOrNone(inputShape)];

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training) => x.dim() == 2 ? x : x.flatten(1);
}
