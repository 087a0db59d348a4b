using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sequential.Layers;

/// <summary>
/// Exponential linear unit, <c>f(x) = x</c> for <c>x &gt; 0</c> and <c>alpha · (exp(x) - 1)</c> otherwise (Keras's
/// <c>ELU</c> layer).
/// </summary>
/// <example><code>new ELU(alpha: 0.7)</code></example>
public sealed class ELU : Layer
{
    /// <summary>True: the input's mask passes on to the output (Keras's <c>supports_masking</c>).</summary>
    public override bool SupportsMasking => true;

    /// <summary>Creates an ELU layer.</summary>
    /// <param name="alpha">Scale of the negative part; default 1.</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default elu.</param>
    /// <exception cref="ArgumentOutOfRangeException">alpha is not finite.</exception>
    public ELU(double alpha = 1.0, long[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        Alpha = Arguments.Finite(alpha, nameof(alpha), nameof(ELU));
    }

    /// <summary>Scale of the negative part.</summary>
    public double Alpha { get; }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) => (long[])inputShape.Clone();

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training) => F.elu(x, Alpha);
}
