using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sequential.Layers;

/// <summary>
/// Leaky rectified linear unit, <c>f(x) = x</c> for <c>x &gt;= 0</c> and <c>negativeSlope · x</c> otherwise (Keras's
/// <c>LeakyReLU</c> layer). The default slope is Keras 3's 0.3 (PyTorch's is 0.01; the <c>"leaky_relu"</c>
/// activation string uses Keras's function default, 0.2).
/// </summary>
/// <example><code>new LeakyReLU()                       // slope 0.3
/// new LeakyReLU(negativeSlope: 0.5)    // [-10, -5, 0, 5, 10] -> [-5, -2.5, 0, 5, 10]</code></example>
public sealed class LeakyReLU : Layer
{
    /// <summary>True: the input's mask passes on to the output (Keras's <c>supports_masking</c>).</summary>
    public override bool SupportsMasking => true;

    /// <summary>Creates a LeakyReLU layer.</summary>
    /// <param name="negativeSlope">Slope for negative inputs (&gt;= 0); default 0.3.</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default leaky_re_lu.</param>
    /// <exception cref="ArgumentOutOfRangeException">negativeSlope is negative or not finite.</exception>
    public LeakyReLU(double negativeSlope = 0.3, long[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        NegativeSlope = Arguments.NonNegative(negativeSlope, nameof(negativeSlope), nameof(LeakyReLU));
    }

    /// <summary>Slope for negative inputs.</summary>
    public double NegativeSlope { get; }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) => (long[])inputShape.Clone();

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training) => F.leaky_relu(x, NegativeSlope);
}
