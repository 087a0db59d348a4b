using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Base of the element-wise merge layers (Keras's <c>Merge</c>): <see cref="Add"/>, <see cref="Subtract"/>,
/// <see cref="Multiply"/>, <see cref="Average"/>, <see cref="Maximum"/>, <see cref="Minimum"/>. They take two or more
/// tensors of the same rank whose sizes are equal or 1 (broadcast), and have no weights.
/// </summary>
public abstract class Merge : Layer
{
    /// <summary>True: the input's mask passes on to the output (Keras's <c>supports_masking</c>).</summary>
    public override bool SupportsMasking => true;

    /// <summary>Creates a merge layer.</summary>
    /// <param name="name">Layer name.</param>
    protected Merge(string? name) : base(name) { }

    /// <inheritdoc/>
    protected override bool TakesSeveralInputs => true;

    /// <summary>The fewest inputs the layer takes (2); <see cref="Subtract"/> takes exactly 2.</summary>
    protected virtual (int Min, int Max) InputCount => (2, int.MaxValue);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">Always: a merge layer takes a list of inputs.</exception>
    public override long[] ComputeOutputShape(long[] inputShape) => throw new ArgumentException(
        $"A merge layer should be called on a list of at least {InputCount.Min} inputs; layer \"{Name}\" ({TypeName}) got one, " +
        $"of shape {Shapes.FormatBatch(inputShape)}.", nameof(inputShape));

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">Too few or too many inputs, or shapes that neither match nor broadcast; the
    /// message names the layer and the shapes.</exception>
    public override long[] ComputeOutputShapeForInputs(IReadOnlyList<long[]> inputShapes)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        var (min, max) = InputCount;
        if (inputShapes.Count < min || inputShapes.Count > max)
            throw new ArgumentException(
                min == max
                    ? $"A `{TypeName}` layer should be called on exactly {min} inputs; layer \"{Name}\" got {inputShapes.Count}."
                    : $"A merge layer should be called on a list of at least {min} inputs; layer \"{Name}\" ({TypeName}) got {inputShapes.Count}.",
                nameof(inputShapes));
        var output = (long[])inputShapes[0].Clone();
        foreach (var shape in inputShapes.Skip(1))
        {
            bool fits = shape.Length == output.Length;
            for (int i = 0; fits && i < shape.Length; i++)
            {
                if (shape[i] == output[i] || shape[i] == 1) continue;
                if (output[i] == 1 || output[i] == Shapes.None || shape[i] == Shapes.None) output[i] = output[i] == 1 ? shape[i] : Shapes.None;
                else fits = false;
            }
            if (!fits)
                throw new ArgumentException(
                    $"Inputs have incompatible shapes: layer \"{Name}\" ({TypeName}) received shapes " +
                    $"{string.Join(" and ", inputShapes.Select(Shapes.FormatBatch))}. Element-wise merges need the same rank and, " +
                    "per axis, equal sizes or 1.", nameof(inputShapes));
        }
        return output;
    }

    /// <summary>The output's mask, as Keras's merge layers compute it: null when any input has no mask, else the
    /// element-wise OR of the masks (a step counts when it counts in any input).</summary>
    /// <param name="inputs">The inputs.</param>
    /// <param name="masks">Their masks.</param>
    /// <returns>The OR of the masks, or null.</returns>
    public override Tensor? ComputeMask(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks)
    {
        if (masks.Count == 0 || masks.Any(m => m is null)) return null;
        var result = masks[0]!;
        for (int i = 1; i < masks.Count; i++) result = result.logical_or(masks[i]!);
        return result;
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training) => throw new ArgumentException(
        $"A merge layer should be called on a list of at least {InputCount.Min} inputs; layer \"{Name}\" ({TypeName}) got one.", nameof(x));

    /// <inheritdoc/>
    protected override Tensor Call(IReadOnlyList<Tensor> inputs, bool training)
    {
        var result = inputs[0];
        for (int i = 1; i < inputs.Count; i++) result = Combine(result, inputs[i]);
        return Finish(result, inputs.Count);
    }

    /// <summary>
    /// Keras's <c>_apply_merge_op_and_or_mask</c> (Maximum, Minimum: operations without an identity element): a masked
    /// value of one input takes the running result's value, a masked value of the running result takes the input's, so
    /// masked values never win.
    /// </summary>
    /// <param name="inputs">The inputs.</param>
    /// <param name="masks">Their masks (null where none).</param>
    /// <returns>The combined output.</returns>
    private protected Tensor CombineKept(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks)
    {
        var output = inputs[0];
        var outputMask = Widen(masks[0], output);
        for (int i = 1; i < inputs.Count; i++)
        {
            var x = inputs[i];
            var mask = Widen(masks[i], x);
            if (mask is not null) x = where(mask, x, output);
            if (outputMask is not null) output = where(outputMask, output, x);
            outputMask = mask is not null && outputMask is not null ? outputMask.logical_or(mask) : null;
            output = Combine(output, x);
        }
        return output;
    }

    /// <summary>A [N, steps] mask widened to the shape of its input (each feature of a step shares the step's flag).</summary>
    private protected static Tensor? Widen(Tensor? mask, Tensor x) =>
        mask is null ? null : mask.dim() < x.dim() ? mask.unsqueeze(-1).expand(x.shape) : mask;

    /// <summary>Combines the running result with the next input.</summary>
    /// <param name="result">The result so far.</param>
    /// <param name="next">The next input.</param>
    /// <returns>The new result.</returns>
    protected abstract Tensor Combine(Tensor result, Tensor next);

    /// <summary>Turns the combined result into the output (<see cref="Average"/> divides by the count).</summary>
    /// <param name="result">The combined inputs.</param>
    /// <param name="count">How many inputs were combined.</param>
    /// <returns>The output.</returns>
    protected virtual Tensor Finish(Tensor result, int count) => result;
}
