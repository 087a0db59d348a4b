using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sequential.Layers;

/// <summary>
/// Softmax along one axis (Keras's <c>Softmax</c> layer): <c>exp(x - max(x)) / sum(exp(x - max(x)))</c>.
/// </summary>
/// <remarks>
/// The axis counts the batch axis as Keras does: -1 (the default) is the last axis, 1 the first axis of a sample.
/// Keras's tuple of axes and its <c>mask</c> call argument are not supported.
/// </remarks>
/// <example><code>new Softmax()           // [1, 2, 1] -> [0.2119, 0.5761, 0.2119]
/// new Softmax(axis: 1)    // over the first per-sample axis</code></example>
public sealed class Softmax : Layer
{
    /// <summary>True: the input's mask passes on to the output (Keras's <c>supports_masking</c>).</summary>
    public override bool SupportsMasking => true;

    /// <summary>Creates a Softmax layer.</summary>
    /// <param name="axis">Axis to normalise over, counting the batch axis as 0; negative counts from the end. Default -1.</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default softmax.</param>
    public Softmax(int axis = -1, long[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        Axis = axis;
    }

    /// <summary>Axis normalised over (batch axis = 0).</summary>
    public int Axis { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The axis does not exist for inputs of this shape.</exception>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        int rank = inputShape.Length + 1;
        if (Axis < -rank || Axis >= rank)
            throw new ArgumentException(
                $"Layer \"{Name}\" (Softmax): axis {Axis} does not exist for inputs of shape {Shapes.FormatBatch(inputShape)} " +
                $"(rank {rank}); use an axis in [{-rank}, {rank - 1}].");
        return (long[])inputShape.Clone();
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training) => F.softmax(x, Axis);

    /// <summary>Softmax with masked positions left out (Keras's <c>Softmax.call(inputs, mask)</c>): where the mask is
    /// false (or, for a numeric mask, not above 0.5) the input is replaced by -1e9 (-3e4 for float16), so those
    /// positions get (almost) zero probability.</summary>
    /// <param name="x">Input batch.</param>
    /// <param name="mask">A mask that broadcasts against the inputs from the right, or null.</param>
    /// <param name="training">Unused.</param>
    /// <returns>The probabilities.</returns>
    /// <exception cref="ArgumentException">The mask does not broadcast to the inputs; the message names both shapes.</exception>
    public override Tensor Call(Tensor x, Tensor? mask, bool training)
    {
        if (mask is null) return Call(x, training);
        long[] m = mask.shape, s = x.shape;
        bool fits = m.Length <= s.Length;
        for (int i = 1; fits && i <= m.Length; i++) fits = m[^i] == 1 || m[^i] == s[^i];
        if (!fits)
            throw new ArgumentException(
                $"Layer \"{Name}\" (Softmax): the mask must be broadcastable to the inputs and must not have more dimensions; " +
                $"received inputs of shape {Shapes.Format(s)} and a mask of shape {Shapes.Format(m)}.", nameof(mask));
        var keep = mask.dtype == ScalarType.Bool ? mask : mask.gt(0.5);
        double large = x.dtype == ScalarType.Float16 ? -3e4 : -1e9;   // Keras's _large_negative_number
        return F.softmax(where(keep, x, full_like(x, large)), Axis);
    }
}
