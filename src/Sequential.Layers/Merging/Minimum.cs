using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>The element-wise minimum of its inputs (Keras's <c>Minimum</c>).</summary>
/// <example><code>var y = new Minimum().Apply(a, b);</code></example>
/// <param name="name">Layer name.</param>
public sealed class Minimum(string? name = null) : Merge(name)
{
    /// <inheritdoc/>
    protected override Tensor Combine(Tensor result, Tensor next) => minimum(result, next);

    /// <summary>Masked values are left out of the comparison, as in Keras.</summary>
    /// <param name="inputs">The inputs.</param>
    /// <param name="masks">Their masks.</param>
    /// <param name="training">Unused.</param>
    /// <returns>The element-wise minimum of the kept values.</returns>
    protected override Tensor Call(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks, bool training) => CombineKept(inputs, masks);
}
