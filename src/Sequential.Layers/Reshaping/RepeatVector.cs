using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Repeats each sample's vector <c>n</c> times: <c>(None, features)</c> -> <c>(None, n, features)</c> (Keras's
/// <c>RepeatVector</c>), e.g. to feed an encoder's summary to every step of a decoder. No parameters.
/// </summary>
/// <example><code>new RepeatVector(4)   // (None, 128) -> (None, 4, 128): keras.io's addition RNN</code></example>
public sealed class RepeatVector : Layer
{
    /// <summary>Creates a RepeatVector layer.</summary>
    /// <param name="n">How many times to repeat (positive).</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default repeat_vector, repeat_vector_1, ...</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is not positive.</exception>
    public RepeatVector(int n, long[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (n <= 0)
            throw new ArgumentOutOfRangeException(nameof(n), n, $"RepeatVector n should be a positive integer; got {n}.");
        N = n;
    }

    /// <summary>How many times each vector is repeated.</summary>
    public int N { get; }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        if (inputShape.Length != 1)
            throw new ArgumentException(
                $"Layer \"{Name}\" (RepeatVector) expects vectors, i.e. batches (None, features); got input shape " +
                $"{Shapes.FormatBatch(inputShape)}. Flatten the input first (new Flatten()) if each sample has more axes.");
        return [N, inputShape[0]];
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        if (x.dim() != 2)
            throw new ArgumentException(
                $"Layer \"{Name}\" (RepeatVector) expects a batch of vectors with 2 axes; got a tensor of shape {Shapes.Format(x.shape)}.");
        return x.unsqueeze(1).expand(x.shape[0], N, x.shape[1]);
    }
}
