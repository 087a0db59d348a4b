using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// The dot product of two inputs along one axis of each, sample by sample (Keras's <c>Dot</c>, its <c>batch_dot</c>):
/// inputs <c>(batch, 3, 5)</c> and <c>(batch, 10, 3)</c> with <c>axes: (1, 2)</c> give <c>(batch, 5, 10)</c>; two
/// vectors give <c>(batch, 1)</c>. With <c>normalize: true</c> each sample is L2-normalised along its axis first, so the
/// result is the cosine similarity.
/// </summary>
/// <example>
/// <code>
/// // Keras: y = keras.layers.Dot(axes=1)([x1, x2])
/// var y = new Dot(axes: 1).Apply(x1, x2);
/// </code>
/// </example>
public sealed class Dot : Layer
{
    /// <summary>Creates a Dot layer that sums over the same axis of both inputs.</summary>
    /// <param name="axes">The axis, counted as Keras counts it with the batch axis as 0 (so 1 is the first per-sample axis);
    /// negative counts from the end.</param>
    /// <param name="normalize">L2-normalise each sample along the axis first (cosine similarity).</param>
    /// <param name="name">Layer name.</param>
    /// <exception cref="ArgumentException">axes 0 (the batch axis).</exception>
    public Dot(int axes, bool normalize = false, string? name = null) : this([axes, axes], normalize, name) { }

    /// <summary>Creates a Dot layer that sums over axis <c>axes[0]</c> of the first input and <c>axes[1]</c> of the second.</summary>
    /// <param name="axes">Two axes (Keras's tuple), batch axis 0 as Keras counts; negative counts from the end.</param>
    /// <param name="normalize">L2-normalise each sample along its axis first (cosine similarity).</param>
    /// <param name="name">Layer name.</param>
    /// <exception cref="ArgumentException">Not two axes, or an axis 0 (the batch axis).</exception>
    public Dot(int[] axes, bool normalize = false, string? name = null) : base(name)
    {
        ArgumentNullException.ThrowIfNull(axes);
        if (axes.Length != 2)
            throw new ArgumentException(
                $"Invalid format for argument `axes`: it should contain two elements. Received: axes=[{string.Join(", ", axes)}]", nameof(axes));
        if (axes.Contains(0))
            throw new ArgumentException(
                "Cannot perform batch_dot over axis 0, the batch axis; Dot takes per-sample axes 1, 2, ... or -1, -2, ...", nameof(axes));
        Axes = (int[])axes.Clone();
        Normalize = normalize;
    }

    /// <summary>The axis of each input summed over (batch axis 0, as Keras counts).</summary>
    public int[] Axes { get; }

    /// <summary>Whether samples are L2-normalised along the axes first.</summary>
    public bool Normalize { get; }

    /// <inheritdoc/>
    protected override bool TakesSeveralInputs => true;

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["axes"] = Axes,
        ["normalize"] = Normalize,
        ["name"] = Name,
    };

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">Always: Dot takes two inputs.</exception>
    public override long[] ComputeOutputShape(long[] inputShape) => throw new ArgumentException(
        $"A `Dot` layer should be called on a list of 2 inputs; layer \"{Name}\" got a single tensor of shape {Shapes.FormatBatch(inputShape)}.",
        nameof(inputShape));

    /// <summary>The per-sample axes (0 = first per-sample axis) for inputs of these per-sample ranks.</summary>
    private (int, int) SampleAxes(int rank1, int rank2)
    {
        int Resolve(int axis, int rank)
        {
            int withBatch = axis < 0 ? axis + rank + 1 : axis; // Keras: axis % ndim, ndim counting the batch axis
            if (withBatch < 1 || withBatch > rank)
                throw new ArgumentException(
                    $"Layer \"{Name}\" (Dot): axis {axis} is out of range for an input of shape (None{string.Concat(Enumerable.Repeat(", _", rank))}).");
            return withBatch - 1;
        }
        return (Resolve(Axes[0], rank1), Resolve(Axes[1], rank2));
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">Not two inputs, or the sizes along the axes differ; the message names both shapes.</exception>
    public override long[] ComputeOutputShapeForInputs(IReadOnlyList<long[]> inputShapes)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        if (inputShapes.Count != 2)
            throw new ArgumentException(
                $"A `Dot` layer should be called on a list of 2 inputs; layer \"{Name}\" got {inputShapes.Count}.", nameof(inputShapes));
        var (s1, s2) = (inputShapes[0], inputShapes[1]);
        var (a1, a2) = SampleAxes(s1.Length, s2.Length);
        if (s1[a1] != s2[a2])
            throw new ArgumentException(
                $"Incompatible input shapes: axis values {s1[a1]} (at axis {a1 + 1}) != {s2[a2]} (at axis {a2 + 1}). " +
                $"Full input shapes: {Shapes.FormatBatch(s1)}, {Shapes.FormatBatch(s2)} (layer \"{Name}\").", nameof(inputShapes));
        long[] output = [.. s1.Where((_, i) => i != a1), .. s2.Where((_, i) => i != a2)];
        return output.Length == 0 ? [1] : output;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">Always: Dot takes two inputs.</exception>
    public override Tensor Call(Tensor x, bool training) => throw new ArgumentException(
        $"A `Dot` layer should be called on a list of 2 inputs; layer \"{Name}\" got one.", nameof(x));

    /// <inheritdoc/>
    protected override Tensor Call(IReadOnlyList<Tensor> inputs, bool training)
    {
        var (x, y) = (inputs[0], inputs[1]);
        var (a1, a2) = SampleAxes((int)x.dim() - 1, (int)y.dim() - 1);
        if (Normalize)
        {
            x = L2Normalize(x, a1 + 1);
            y = L2Normalize(y, a2 + 1);
        }
        long batch = x.shape[0];
        // Keras's batch_dot: the summed axis of x last, of y first (after the batch), then one batched matmul.
        var xs = x.movedim([a1 + 1L], [-1L]);
        var ys = y.movedim([a2 + 1L], [1L]);
        long[] xRest = xs.shape[1..^1], yRest = ys.shape[2..];
        long d = xs.shape[^1];
        var product = bmm(xs.reshape(batch, -1, d), ys.reshape(batch, d, -1));
        long[] shape = [batch, .. xRest, .. yRest];
        return shape.Length == 1 ? product.reshape(batch, 1) : product.reshape(shape);
    }

    /// <summary>Keras's <c>ops.normalize</c> with order 2: <c>x * rsqrt(max(sum(x^2), epsilon^2))</c>, epsilon 1e-7.</summary>
    private static Tensor L2Normalize(Tensor x, int axis) =>
        x * x.square().sum(axis, keepdim: true).clamp_min(1e-14).rsqrt();
}
