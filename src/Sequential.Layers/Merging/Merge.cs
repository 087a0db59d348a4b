using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Base of the element-wise merge layers (Keras's <c>Merge</c>): <see cref="Add"/>, <see cref="Subtract"/>,
/// <see cref="Multiply"/>, <see cref="Average"/>, <see cref="Maximum"/>, <see cref="Minimum"/>. They take two or more
/// tensors of the same rank whose sizes are equal or 1 (broadcast), and have no weights.
/// </summary>
public abstract class Merge : Layer
{
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
                if (output[i] == 1) output[i] = shape[i];
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
