using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>Adds its inputs element-wise (Keras's <c>Add</c>), e.g. a residual connection.</summary>
/// <example><code>var y = new Add().Apply(x, residual);</code></example>
/// <param name="name">Layer name.</param>
public sealed class Add(string? name = null) : Merge(name)
{
    /// <inheritdoc/>
    protected override Tensor Combine(Tensor result, Tensor next) => result + next;
}
