using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>Multiplies its inputs element-wise (Keras's <c>Multiply</c>).</summary>
/// <example><code>var y = new Multiply().Apply(a, b);</code></example>
/// <param name="name">Layer name.</param>
public sealed class Multiply(string? name = null) : Merge(name)
{
    /// <inheritdoc/>
    protected override Tensor Combine(Tensor result, Tensor next) => result * next;
}
