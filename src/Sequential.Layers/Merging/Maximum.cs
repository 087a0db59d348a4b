using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>The element-wise maximum of its inputs (Keras's <c>Maximum</c>).</summary>
/// <example><code>var y = new Maximum().Apply(a, b);</code></example>
/// <param name="name">Layer name.</param>
public sealed class Maximum(string? name = null) : Merge(name)
{
    /// <inheritdoc/>
    protected override Tensor Combine(Tensor result, Tensor next) => maximum(result, next);
}
