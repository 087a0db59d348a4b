using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>The element-wise mean of its inputs (Keras's <c>Average</c>).</summary>
/// <example><code>var y = new Average().Apply(a, b, c);</code></example>
/// <param name="name">Layer name.</param>
public sealed class Average(string? name = null) : Merge(name)
{
    /// <inheritdoc/>
    protected override Tensor Combine(Tensor result, Tensor next) => result + next;

    /// <inheritdoc/>
    protected override Tensor Finish(Tensor result, int count) => result / count;
}
