using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Multiplies inputs by <c>scale</c> and adds <c>offset</c> (Keras's <c>Rescaling</c>); integer inputs (e.g. uint8
/// pixels) become float32 first.
/// </summary>
/// <example><code>new Rescaling(1.0 / 255, inputShape: [150, 150, 3])   // pixels 0..255 -> 0..1
/// new Rescaling(1.0 / 127.5, offset: -1)                 // pixels 0..255 -> -1..1</code></example>
public sealed class Rescaling : Layer
{
    /// <summary>True: the input's mask passes on to the output (Keras's <c>supports_masking</c>).</summary>
    public override bool SupportsMasking => true;

    /// <summary>Creates a Rescaling layer.</summary>
    /// <param name="scale">Factor applied to the inputs.</param>
    /// <param name="offset">Added after scaling.</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default rescaling.</param>
    public Rescaling(double scale, double offset = 0.0, long[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (!double.IsFinite(scale) || !double.IsFinite(offset))
            throw new ArgumentOutOfRangeException(nameof(scale), $"Rescaling scale and offset must be finite numbers; got scale {scale}, offset {offset}.");
        Scale = scale;
        Offset = offset;
    }

    /// <summary>Factor applied to the inputs.</summary>
    public double Scale { get; }

    /// <summary>Added after scaling.</summary>
    public double Offset { get; }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) => (long[])inputShape.Clone();

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        if (!x.is_floating_point()) x = x.to(ScalarType.Float32);
        var y = x * Scale;
        return Offset == 0 ? y : y.add_(Offset);
    }
}
