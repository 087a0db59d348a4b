using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Returns its input unchanged (Keras's <c>Identity</c>): a placeholder where a model needs a layer that does nothing.
/// </summary>
/// <example><code>var head = useDropout ? new Dropout(0.5) : (Layer)new Identity();</code></example>
public sealed class Identity : Layer
{
    /// <summary>True: the input's mask passes on to the output (Keras's <c>supports_masking</c>).</summary>
    public override bool SupportsMasking => true;

    /// <summary>Creates an Identity layer.</summary>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default identity.</param>
    public Identity(long[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) => (long[])inputShape.Clone();

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training) => x;
}
