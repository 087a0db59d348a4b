using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>The element-wise minimum of its inputs (Keras's <c>Minimum</c>).</summary>
/// <example><code>var y = new Minimum().Apply(a, b);</code></example>
/// <param name="name">Layer name.</param>
public sealed class Minimum(string? name = null) : Merge(name)
{
    /// <inheritdoc/>
    protected override Tensor Combine(Tensor result, Tensor next) => minimum(result, next);
}
