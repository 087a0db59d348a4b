using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Masks the timesteps whose features all equal <see cref="MaskValue"/> (Keras's <c>Masking</c>): those steps are
/// zeroed and the output carries a mask that leaves them out of the recurrent layers, pooling, losses and metrics that
/// follow (see <see cref="Masks"/>).
/// </summary>
/// <example>
/// <code>
/// // Keras: layers.Masking(mask_value=0.0) in front of an LSTM, for sequences padded with zeros
/// var model = new SequentialModel(new Masking(maskValue: 0.0, inputShape: [10, 8]), new LSTM(32), new Dense(1));
/// </code>
/// </example>
public sealed class Masking : Layer
{
    /// <summary>Creates a Masking layer.</summary>
    /// <param name="maskValue">A timestep is masked when every one of its features equals this value.</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model, e.g. <c>[timesteps, features]</c>.</param>
    /// <param name="name">Layer name; default masking.</param>
    public Masking(double maskValue = 0.0, long[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        MaskValue = maskValue;
    }

    /// <summary>The value that marks a padded timestep.</summary>
    public double MaskValue { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The input has no feature axis (per-sample rank 0).</exception>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        if (inputShape.Length == 0)
            throw new ArgumentException(
                $"Layer \"{Name}\" (Masking) needs inputs with a feature axis, e.g. (None, timesteps, features); got {Shapes.FormatBatch(inputShape)}.",
                nameof(inputShape));
        return (long[])inputShape.Clone();
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        var keep = Keep(x);
        var output = x * keep.unsqueeze(-1).to_type(x.dtype);
        Masks.Set(output, keep);
        return output;
    }

    /// <summary>The mask: true for the timesteps with any feature other than <see cref="MaskValue"/>.</summary>
    /// <param name="x">The input.</param>
    /// <param name="mask">Unused (replaced, as in Keras).</param>
    /// <returns>A boolean tensor of the input's shape without its last axis.</returns>
    public override Tensor? ComputeMask(Tensor x, Tensor? mask) => Keep(x);

    private Tensor Keep(Tensor x) => x.ne(MaskValue).any(-1);
}
