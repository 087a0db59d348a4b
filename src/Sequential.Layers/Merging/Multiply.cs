using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>Multiplies its inputs element-wise (Keras's <c>Multiply</c>).</summary>
/// <example><code>var y = new Multiply().Apply(a, b);</code></example>
/// <param name="name">Layer name.</param>
public sealed class Multiply(string? name = null) : Merge(name)
{
    /// <inheritdoc/>
    protected override Tensor Combine(Tensor result, Tensor next) => result * next;

    /// <summary>Keras's masked product: a masked value counts as 1; when every input has a mask, values masked in all of
    /// them are 0.</summary>
    /// <param name="inputs">The inputs.</param>
    /// <param name="masks">Their masks.</param>
    /// <param name="training">Unused.</param>
    /// <returns>The product.</returns>
    protected override Tensor Call(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks, bool training)
    {
        bool everyInputMasked = masks.All(m => m is not null);
        Tensor? output = null, outputMask = null;
        for (int i = 0; i < inputs.Count; i++)
        {
            var x = inputs[i];
            if (Widen(masks[i], x) is { } mask)
            {
                x = where(mask, x, ones_like(x));
                if (everyInputMasked) outputMask = outputMask is null ? mask : outputMask.logical_or(mask);
            }
            output = output is null ? x : Combine(output, x);
        }
        return outputMask is null ? output! : where(outputMask, output!, zeros_like(output!));
    }
}
