using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Reorders the axes of each sample (Keras's <c>Permute</c>); the batch axis stays first.
/// </summary>
/// <remarks><c>dims</c> is 1-based as in Keras: <c>[2, 1]</c> swaps the two axes of a sample.</remarks>
/// <example><code>new Permute([2, 1], inputShape: [10, 64])   // (None, 10, 64) -> (None, 64, 10)</code></example>
public sealed class Permute : Layer
{
    private readonly int[] _dims;
    private readonly long[] _permutation;

    /// <summary>Creates a Permute layer.</summary>
    /// <param name="dims">A permutation of 1..rank of a sample, e.g. [3, 1, 2].</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default permute.</param>
    /// <exception cref="ArgumentException">dims is not a permutation of 1..n.</exception>
    public Permute(int[] dims, long[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        ArgumentNullException.ThrowIfNull(dims);
        if (dims.Length == 0 || !dims.Order().SequenceEqual(Enumerable.Range(1, dims.Length)))
            throw new ArgumentException(
                $"Permute dims must be a permutation of 1..{Math.Max(dims.Length, 1)} (1-based sample axes; the batch axis does not move); " +
                $"got [{string.Join(", ", dims)}].", nameof(dims));
        _dims = [.. dims];
        _permutation = [0, .. dims.Select(d => (long)d)];
    }

    /// <summary>The permutation, 1-based.</summary>
    public int[] Dims => [.. _dims];

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The input's rank is not the permutation's length.</exception>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        if (inputShape.Length != _dims.Length)
            throw new ArgumentException(
                $"Layer \"{Name}\" (Permute) with dims [{string.Join(", ", _dims)}] expects samples with {_dims.Length} axes; " +
                $"got input shape {Shapes.FormatBatch(inputShape)}.");
        return [.. _dims.Select(d => inputShape[d - 1])];
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training) => x.permute(_permutation);
}
