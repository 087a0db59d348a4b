using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>Reshapes each sample to <c>targetShape</c> (Keras's <c>Reshape</c>); one size may be -1.</summary>
/// <example><code>new Reshape([28, 28, 1], inputShape: [784])   // (None, 784) -> (None, 28, 28, 1)</code></example>
public sealed class Reshape : Layer
{
    /// <summary>Creates a Reshape layer.</summary>
    /// <param name="targetShape">Per-sample output shape; at most one entry may be -1 (inferred).</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name.</param>
    public Reshape(long[] targetShape, long[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        ArgumentNullException.ThrowIfNull(targetShape);
        if (targetShape.Length == 0 || targetShape.Count(d => d == -1) > 1 || targetShape.Any(d => d == 0 || d < -1))
            throw new ArgumentException(
                $"Reshape targetShape must list positive sizes with at most one -1; got {Shapes.Format(targetShape)}.", nameof(targetShape));
        TargetShape = (long[])targetShape.Clone();
    }

    /// <summary>The requested per-sample shape (may contain -1).</summary>
    public long[] TargetShape { get; }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        if (Shapes.HasNone(inputShape)) return [.. TargetShape]; // the sizes meet when data arrives; -1 stays unknown (None)
        long size = Shapes.Product(inputShape);
        long known = Shapes.Product(TargetShape.Where(d => d != -1));
        bool infer = TargetShape.Contains(-1);
        if ((infer && size % known != 0) || (!infer && size != known))
            throw new ArgumentException(
                $"Layer \"{Name}\" (Reshape) cannot reshape an input of shape {Shapes.FormatBatch(inputShape)} ({size} values per sample) " +
                $"to (None, {string.Join(", ", TargetShape)}): the sizes must multiply to {size}.");
        return TargetShape.Select(d => d == -1 ? size / known : d).ToArray();
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training) => x.reshape([x.shape[0], .. OutputShape!]);
}
