using Sequential.Layers;
using static TorchSharp.torch;

namespace Sequential.Data;

/// <summary>
/// <see cref="TextVectorization"/> on a <see cref="Dataset"/> of strings (Keras's <c>vectorize_layer.adapt(text_ds)</c>),
/// which lives here because the layer's assembly does not know datasets.
/// </summary>
public static class TextVectorizationExtensions
{
    /// <summary>
    /// Learns the vocabulary from a dataset whose elements' <c>x</c> are strings, batched or not (Keras's <c>adapt</c> on a
    /// <c>tf.data.Dataset</c>): every string is one document. Targets, when the elements have them, are ignored (Keras's
    /// guides adapt on <c>train_ds.map(lambda x, y: x)</c>).
    /// </summary>
    /// <param name="layer">The layer.</param>
    /// <param name="data">The dataset, e.g. what <see cref="Utils.TextDatasetFromDirectory"/> returns.</param>
    /// <param name="steps">Read only this many elements (batches, once batched); needed for a repeated dataset.</param>
    /// <exception cref="ArgumentException">An element's <c>x</c> is not strings, or the dataset repeats forever without <paramref name="steps"/>.</exception>
    /// <exception cref="InvalidOperationException">The layer was given a vocabulary in its constructor.</exception>
    /// <example>
    /// <code>
    /// var vectorize = new TextVectorization(maxTokens: 20000, outputSequenceLength: 500);
    /// vectorize.Adapt(train);                                                        // texts of (text, label) batches
    /// var ready = train.Map(e => new Element(vectorize.Apply(e.X.Strings), e.Y), numParallelCalls: Dataset.Autotune);
    /// </code>
    /// </example>
    public static void Adapt(this TextVectorization layer, Dataset data, int? steps = null)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(data);
        if (steps is < 0)
            throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be 0 or more, or null for the whole dataset.");
        if (steps is null && data.Cardinality() == Dataset.InfiniteCardinality)
            throw new ArgumentException("The dataset repeats forever; pass steps: the number of elements to adapt on.", nameof(data));
        layer.Adapt(Texts(data, steps));
    }

    private static IEnumerable<string> Texts(Dataset data, int? steps)
    {
        using var scope = NewDisposeScope();   // targets' tensors join it
        long index = 0;
        foreach (var element in data.Elements())
        {
            if (steps is int limit && index >= limit) yield break;
            if (element.X.Kind != ComponentKind.Strings)
                throw new ArgumentException(
                    $"TextVectorization adapts on strings; element {index} of this dataset has x = {element.X}. Adapt on a dataset of texts, " +
                    "e.g. Dataset.FromTensorSlices(texts) or TextDatasetFromDirectory(...).", nameof(data));
            foreach (var text in element.X.Strings) yield return text;
            index++;
        }
    }
}
