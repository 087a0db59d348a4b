using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sequential.Layers;

/// <summary>
/// Rectified linear unit with an optional cap, threshold and leak (Keras's <c>ReLU</c> layer):
/// <c>f(x) = maxValue</c> for <c>x &gt;= maxValue</c>, <c>x</c> for <c>threshold &lt; x &lt; maxValue</c>,
/// and <c>negativeSlope · (x - threshold)</c> otherwise.
/// </summary>
/// <example><code>new ReLU()                                         // max(x, 0)
/// new ReLU(maxValue: 6)                              // relu6
/// new ReLU(maxValue: 10, negativeSlope: 0.5)          // [-10, -5, 0, 5, 10] -> [-5, -2.5, 0, 5, 10]</code></example>
public sealed class ReLU : Layer
{
    /// <summary>True: the input's mask passes on to the output (Keras's <c>supports_masking</c>).</summary>
    public override bool SupportsMasking => true;

    /// <summary>Creates a ReLU layer.</summary>
    /// <param name="maxValue">Largest output (&gt;= 0); null for no cap (Keras's default).</param>
    /// <param name="negativeSlope">Slope below the threshold (&gt;= 0); default 0.</param>
    /// <param name="threshold">Inputs at or below it are damped (&gt;= 0); default 0.</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default re_lu.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is negative or not finite.</exception>
    public ReLU(double? maxValue = null, double negativeSlope = 0.0, double threshold = 0.0, long[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        MaxValue = maxValue is double max ? Arguments.NonNegative(max, nameof(maxValue), nameof(ReLU)) : null;
        NegativeSlope = Arguments.NonNegative(negativeSlope, nameof(negativeSlope), nameof(ReLU));
        Threshold = Arguments.NonNegative(threshold, nameof(threshold), nameof(ReLU));
    }

    /// <summary>Largest output, or null for none.</summary>
    public double? MaxValue { get; }

    /// <summary>Slope below the threshold.</summary>
    public double NegativeSlope { get; }

    /// <summary>Inputs at or below it are damped.</summary>
    public double Threshold { get; }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) => (long[])inputShape.Clone();

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        if (NegativeSlope != 0 && MaxValue is null && Threshold == 0) return F.leaky_relu(x, NegativeSlope);
        var y = Threshold != 0 ? F.threshold(x, Threshold, 0) : MaxValue == 6 ? F.relu6(x) : F.relu(x);
        if (MaxValue is double max && !(Threshold == 0 && max == 6)) y = y.clamp(0, max);
        // The leak is added after the cap, as Keras does: below the threshold the output is slope · (x - threshold).
        return NegativeSlope == 0 ? y : y - NegativeSlope * F.relu(Threshold - x);
    }
}
