namespace Sequential.Layers;

/// <summary>The checks of a functional call with start states, shared by the recurrent layers and Bidirectional.</summary>
internal static class RecurrentStates
{
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
