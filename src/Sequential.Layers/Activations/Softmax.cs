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
}
