namespace Sequential.Layers;

/// <summary>The checks of a functional call with start states, shared by the recurrent layers and Bidirectional.</summary>
internal static class RecurrentStates
{
    /// <summary>The inputs of a symbolic call with start states: the sequences, then the states.</summary>
    public static SymbolicTensor[] Inputs(SymbolicTensor x, IReadOnlyList<SymbolicTensor> initialState)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(initialState);
        return [x, .. initialState];
    }

    /// <summary>The output shape of a call with start states, once they are checked (and, for a built layer, the
    /// sequences' shape against the one it was built for).</summary>
    /// <exception cref="ArgumentException">A count or shape that does not fit.</exception>
    public static long[] OutputShape(Layer layer, IReadOnlyList<long[]> inputShapes, int states, int units)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        CheckShapes(layer, inputShapes, states, units);
        if (layer.Built) layer.EnsureBuilt(inputShapes[0]);
        return layer.ComputeOutputShape(inputShapes[0]);
    }

    /// <summary>Checks that a call's inputs are sequences followed by <paramref name="states"/> states of
    /// <c>(units)</c> each; the message names the layer, the counts and the shapes, as Keras's does.</summary>
    /// <exception cref="ArgumentException">A count or shape that does not fit.</exception>
    public static void CheckShapes(Layer layer, IReadOnlyList<long[]> inputShapes, int states, int units)
    {
        if (inputShapes.Count != 1 + states)
            throw new ArgumentException(
                $"Layer \"{layer.Name}\" ({layer.TypeName}) takes sequences and {states} initial state(s) (initialState: [...]); got " +
                $"{inputShapes.Count} input(s): {string.Join(", ", inputShapes.Select(Shapes.FormatBatch))}.", nameof(inputShapes));
        for (int i = 1; i < inputShapes.Count; i++)
            if (inputShapes[i] is not [var size] || size != units)
                throw new ArgumentException(
                    $"Layer \"{layer.Name}\" ({layer.TypeName}) takes initial states of shape (None, {units}); initial state {i - 1} has " +
                    $"shape {Shapes.FormatBatch(inputShapes[i])}.", nameof(inputShapes));
    }
}
