using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Concatenates its inputs along an axis (Keras's <c>Concatenate</c>): every other axis must match.
/// </summary>
/// <example><code>var h = new Concatenate().Apply(new Flatten().Apply(image), meta);</code></example>
public sealed class Concatenate : Layer
{
    /// <summary>True: the input's mask passes on to the output (Keras's <c>supports_masking</c>).</summary>
    public override bool SupportsMasking => true;

    /// <summary>Creates a Concatenate layer.</summary>
    /// <param name="axis">The axis to join along, counted as Keras counts it, with the batch axis as 0; -1 (default) is the last.</param>
    /// <param name="name">Layer name.</param>
    /// <exception cref="ArgumentException">axis 0 (the batch axis).</exception>
    public Concatenate(int axis = -1, string? name = null) : base(name)
    {
        if (axis == 0)
            throw new ArgumentException("Concatenate cannot join along axis 0, the batch axis; use axis -1 (the default) or 1, 2, ...", nameof(axis));
        Axis = axis;
    }

    /// <summary>The axis joined along (batch axis 0, as Keras counts).</summary>
    public int Axis { get; }

    /// <inheritdoc/>
    protected override bool TakesSeveralInputs => true;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">Always: Concatenate takes a list of inputs.</exception>
    public override long[] ComputeOutputShape(long[] inputShape) => throw new ArgumentException(
        $"A `Concatenate` layer should be called on a list of at least 1 input; layer \"{Name}\" got a single tensor of shape " +
        $"{Shapes.FormatBatch(inputShape)}. Pass several: new Concatenate().Apply(a, b).", nameof(inputShape));

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">Ranks differ, the axis is out of range, or another axis does not match; the message
    /// names the layer and every shape.</exception>
    public override long[] ComputeOutputShapeForInputs(IReadOnlyList<long[]> inputShapes)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        int rank = inputShapes[0].Length;
        int axis = SampleAxis(rank);
        var output = (long[])inputShapes[0].Clone();
        foreach (var shape in inputShapes.Skip(1))
        {
            bool fits = shape.Length == rank && Enumerable.Range(0, rank).All(i => i == axis || shape[i] == output[i]
                || shape[i] == Shapes.None || output[i] == Shapes.None);
            if (!fits)
                throw new ArgumentException(
                    $"A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. Layer \"{Name}\" " +
                    $"(axis {Axis}) received shapes {string.Join(", ", inputShapes.Select(Shapes.FormatBatch))}.", nameof(inputShapes));
            output[axis] = output[axis] == Shapes.None || shape[axis] == Shapes.None ? Shapes.None : output[axis] + shape[axis];
        }
        return output;
    }

    /// <summary>The per-sample index of <see cref="Axis"/> for inputs of per-sample rank <paramref name="rank"/>.</summary>
    private int SampleAxis(int rank)
    {
        int axis = Axis < 0 ? rank + 1 + Axis : Axis;   // with the batch axis
        if (axis < 1 || axis > rank)
            throw new ArgumentException(
                $"Concatenate layer \"{Name}\": axis {Axis} is out of range for inputs of shape rank {rank + 1} (batch included).");
        return axis - 1;
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training) => throw new ArgumentException(
        $"A `Concatenate` layer should be called on a list of inputs; layer \"{Name}\" got one.", nameof(x));

    /// <summary>The output's mask, as Keras's Concatenate computes it: null when no input has a mask; otherwise each
    /// input's mask (all true where it has none) widened to the input's shape, concatenated along the axis, and reduced
    /// with "any" over the last axis.</summary>
    /// <param name="inputs">The inputs.</param>
    /// <param name="masks">Their masks.</param>
    /// <returns>The concatenated mask, or null.</returns>
    public override Tensor? ComputeMask(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks)
    {
        if (masks.All(m => m is null)) return null;
        var full = new Tensor[inputs.Count];
        for (int i = 0; i < full.Length; i++)
        {
            var mask = masks[i];
            full[i] = mask is null ? ones_like(inputs[i], dtype: ScalarType.Bool)
                : mask.dim() < inputs[i].dim() ? mask.unsqueeze(-1).expand(inputs[i].shape)
                : mask;
        }
        return cat(full, SampleAxis((int)inputs[0].dim() - 1) + 1).any(-1);
    }

    /// <inheritdoc/>
    protected override Tensor Call(IReadOnlyList<Tensor> inputs, bool training) => cat([.. inputs], SampleAxis((int)inputs[0].dim() - 1) + 1);
}
