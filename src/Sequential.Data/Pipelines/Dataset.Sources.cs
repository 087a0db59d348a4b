using Sequential.Layers;
using static TorchSharp.torch;

namespace Sequential.Data;

public partial class Dataset
{
    /// <summary>
    /// A dataset of the rows of <paramref name="x"/> (tf.data's <c>from_tensor_slices(x)</c>): element <c>i</c> is
    /// <c>x[i]</c>, without targets (for <c>Predict</c>, or a custom <c>TrainStep</c>).
    /// </summary>
    /// <param name="x">The samples, <c>[N, ...]</c>. The dataset keeps its own copy.</param>
    /// <returns>A dataset of N elements.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> is a scalar.</exception>
    /// <example><code>Tensor predictions = model.Predict(Dataset.FromTensorSlices(xTest).Batch(64));</code></example>
    public static Dataset FromTensorSlices(Tensor x) => FromTensorSlices(new Component(x), null);

    /// <summary>
    /// A dataset of the rows of <paramref name="x"/> and <paramref name="y"/> (tf.data's
    /// <c>from_tensor_slices((x, y))</c>): element <c>i</c> is <c>(x[i], y[i])</c>.
    /// </summary>
    /// <param name="x">The inputs, <c>[N, ...]</c>. The dataset keeps its own copy.</param>
    /// <param name="y">The targets, <c>[N, ...]</c>. The dataset keeps its own copy.</param>
    /// <returns>A dataset of N elements.</returns>
    /// <exception cref="ArgumentException">A tensor is a scalar, or the first dimensions differ (the message names both shapes).</exception>
    /// <example><code>var ds = Dataset.FromTensorSlices(xTrain, yTrain).Shuffle(1024, seed: 1).Batch(32);</code></example>
    public static Dataset FromTensorSlices(Tensor x, Tensor y) => FromTensorSlices(new Component(x), new Component(y));

    /// <summary>
    /// A dataset of inputs by name (Keras's <c>from_tensor_slices({"image": images, "meta": meta})</c>), for models with
    /// several inputs: element <c>i</c> is <c>{name: tensor[i], ...}</c>, without targets.
    /// </summary>
    /// <param name="x">The inputs by <c>Input</c> name, <c>[N, ...]</c> each.</param>
    /// <returns>A dataset of N elements.</returns>
    /// <exception cref="ArgumentException">No entries, a scalar, or first dimensions that differ.</exception>
    /// <example><code>var ds = Dataset.FromTensorSlices(new Dictionary&lt;string, Tensor&gt; { ["image"] = images, ["meta"] = meta }).Batch(32);</code></example>
    public static Dataset FromTensorSlices(IReadOnlyDictionary<string, Tensor> x) => FromTensorSlices(new Component(x), null);

    /// <summary>
    /// A dataset of inputs by name with targets (Keras's <c>from_tensor_slices(({"image": images, "meta": meta}, y))</c>).
    /// </summary>
    /// <param name="x">The inputs by <c>Input</c> name, <c>[N, ...]</c> each.</param>
    /// <param name="y">The targets, <c>[N, ...]</c>.</param>
    /// <returns>A dataset of N elements.</returns>
    /// <exception cref="ArgumentException">No entries, a scalar, or first dimensions that differ.</exception>
    /// <example><code>model.Fit(Dataset.FromTensorSlices(new Dictionary&lt;string, Tensor&gt; { ["image"] = images, ["meta"] = meta }, y).Batch(32));</code></example>
    public static Dataset FromTensorSlices(IReadOnlyDictionary<string, Tensor> x, Tensor y) =>
        FromTensorSlices(new Component(x), new Component(y));

    /// <summary>
    /// A dataset of inputs and targets by name, for models with several inputs and outputs (Keras's
    /// <c>from_tensor_slices(({"image": ...}, {"class": ..., "box": ...}))</c>).
    /// </summary>
    /// <param name="x">The inputs by <c>Input</c> name.</param>
    /// <param name="y">The targets by output name.</param>
    /// <returns>A dataset of N elements.</returns>
    /// <exception cref="ArgumentException">No entries, a scalar, or first dimensions that differ.</exception>
    /// <example><code>var ds = Dataset.FromTensorSlices(inputs, new Dictionary&lt;string, Tensor&gt; { ["class"] = labels, ["box"] = boxes });</code></example>
    public static Dataset FromTensorSlices(IReadOnlyDictionary<string, Tensor> x, IReadOnlyDictionary<string, Tensor> y) =>
        FromTensorSlices(new Component(x), new Component(y));

    /// <summary>
    /// A dataset of strings (Keras's <c>from_tensor_slices(texts)</c>): element <c>i</c> is the string <c>texts[i]</c>
    /// (a <see cref="StringTensor"/> of shape <c>()</c>), without targets; for <c>TextVectorization.Adapt</c>.
    /// </summary>
    /// <param name="texts">The strings.</param>
    /// <returns>A dataset of <c>texts.Count</c> elements.</returns>
    /// <example><code>var textOnly = Dataset.FromTensorSlices(reviews).Batch(256);</code></example>
    public static Dataset FromTensorSlices(IReadOnlyList<string> texts) => FromTensorSlices(new Component(new StringTensor(texts)), null);

    /// <summary>
    /// A dataset of strings with targets (Keras's <c>from_tensor_slices((texts, labels))</c>).
    /// </summary>
    /// <param name="texts">The strings.</param>
    /// <param name="y">The targets, <c>[texts.Count, ...]</c>.</param>
    /// <returns>A dataset of <c>texts.Count</c> elements.</returns>
    /// <exception cref="ArgumentException">The number of strings and of targets differ.</exception>
    /// <example>
    /// <code>
    /// var raw = Dataset.FromTensorSlices(reviews, labels).Batch(32);
    /// var vectorized = raw.Map(e => new Element(vectorize.Apply(e.X.Strings), e.Y));
    /// </code>
    /// </example>
    public static Dataset FromTensorSlices(IReadOnlyList<string> texts, Tensor y) =>
        FromTensorSlices(new Component(new StringTensor(texts)), new Component(y));

    /// <summary>
    /// A dataset of the rows of any structure (tf.data's <c>from_tensor_slices(structure)</c>): tensors, strings and
    /// dictionaries of them, all with the same first dimension N; element <c>i</c> has row <c>i</c> of each.
    /// </summary>
    /// <param name="x">The inputs.</param>
    /// <param name="y">The targets, or null.</param>
    /// <returns>A dataset of N elements.</returns>
    /// <exception cref="ArgumentException">A scalar part, or first dimensions that differ (the message names both shapes).</exception>
    /// <example>
    /// A table with a numeric and a text column:
    /// <code>
    /// var features = new Component(new Dictionary&lt;string, Component&gt; { ["age"] = ages, ["city"] = new StringTensor(cities) });
    /// var ds = Dataset.FromTensorSlices(features, labels).Batch(32);
    /// </code>
    /// </example>
    public static Dataset FromTensorSlices(Component x, Component? y = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        var element = new Element(x, y);
        (string Path, long[] Shape, string Text)? first = null;
        foreach (var (path, leaf) in element.Leaves())
        {
            if (leaf.IsSlice)
                throw new ArgumentException($"{path} is a row of another dataset; pass tensors or strings.", path == "x" ? nameof(x) : nameof(y));
            long[] shape = leaf.Kind == ComponentKind.Tensor ? leaf.Tensor.shape : [.. leaf.Strings.Shape];
            if (shape.Length == 0)
                throw new ArgumentException(
                    $"FromTensorSlices slices along the first dimension, but {path} is a scalar (shape ()); give it a sample dimension " +
                    "(for example t.reshape(1) or t.unsqueeze(0)).", path.StartsWith('y') ? nameof(y) : nameof(x));
            string text = leaf.Kind == ComponentKind.Strings ? $"{Shapes.Format(shape)} (strings)" : Shapes.Format(shape);
            if (first is null)
                first = (path, shape, text);
            else if (shape[0] != first.Value.Shape[0])
                throw new ArgumentException(
                    $"FromTensorSlices needs the same first dimension (number of samples) in every tensor; got {first.Value.Path} " +
                    $"{first.Value.Text} and {path} {text}.", path.StartsWith('y') ? nameof(y) : nameof(x));
        }
        // The dataset keeps its own copies (as tf.data copies arrays in): nothing the caller does later changes it.
        var sources = element.Rebuild(leaf => leaf.Kind == ComponentKind.Tensor
            ? new Component(Owned.Detach(CopyOf(leaf.Tensor)))
            : leaf);
        return new TensorSlicesDataset(sources, first!.Value.Shape[0]);
    }

    private static Tensor CopyOf(Tensor t)
    {
        using var detached = t.detach();
        return detached.clone();
    }

    /// <summary>
    /// Pairs two datasets of inputs alone into one of <c>(x, y)</c> elements (tf.data's
    /// <c>Dataset.zip((images, labels))</c>); it ends with the shorter one.
    /// </summary>
    /// <param name="x">The dataset of inputs (elements without targets).</param>
    /// <param name="y">The dataset of targets (elements without targets).</param>
    /// <returns>The zipped dataset.</returns>
    /// <example>
    /// <code>
    /// var ds = Dataset.Zip(Dataset.FromTensorSlices(images), Dataset.FromTensorSlices(labels)).Batch(32);
    /// </code>
    /// </example>
    public static Dataset Zip(Dataset x, Dataset y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        return new ZipDataset(x, y);
    }
}
