using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sequential.Layers;

/// <summary>
/// Sets a random fraction <c>rate</c> of inputs to 0 during training and scales the rest by 1/(1 - rate)
/// (Keras's <c>Dropout</c>); does nothing in <c>Evaluate</c> and <c>Predict</c>.
/// </summary>
/// <example><code>new Dropout(0.2)</code></example>
public sealed class Dropout : Layer
{
    /// <summary>True: the input's mask passes on to the output (Keras's <c>supports_masking</c>).</summary>
    public override bool SupportsMasking => true;

    /// <summary>Creates a Dropout layer.</summary>
    /// <param name="rate">Fraction of inputs to drop, in [0, 1).</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name.</param>
    public Dropout(double rate, long[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (!(rate >= 0 && rate < 1))
            throw new ArgumentOutOfRangeException(nameof(rate), rate, $"Dropout rate must be in [0, 1); got {rate}.");
        Rate = rate;
    }

    /// <summary>Fraction of inputs dropped during training.</summary>
    public double Rate { get; }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) => (long[])inputShape.Clone();

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training) => training && Rate > 0 ? F.dropout(x, Rate, training: true) : x;
}
