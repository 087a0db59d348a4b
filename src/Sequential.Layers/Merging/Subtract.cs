using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>Subtracts its second input from its first, element-wise (Keras's <c>Subtract</c>); exactly two inputs.</summary>
/// <example><code>var difference = new Subtract().Apply(a, b);</code></example>
/// <param name="name">Layer name.</param>
public sealed class Subtract(string? name = null) : Merge(name)
{
    /// <inheritdoc/>
    protected override (int Min, int Max) InputCount => (2, 2);

    /// <inheritdoc/>
    protected override Tensor Combine(Tensor result, Tensor next) => result - next;
}
