using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Data;

public partial class Dataset
{
    /// <summary>
    /// Applies <paramref name="map"/> to each element of inputs alone (tf.data's <c>map(lambda x: ...)</c>).
    /// </summary>
    /// <param name="map">Maps <c>x</c> to the new <c>x</c>.</param>
    /// <param name="numParallelCalls">Null: the function runs on the thread that pulls the elements. A number (or
    /// <see cref="Autotune"/>, the processor count): that many worker threads run it, at most that many elements in
    /// flight, and the elements keep their order.</param>
    /// <returns>The mapped dataset.</returns>
    /// <exception cref="InvalidOperationException">While enumerating: the elements have targets or are not tensors (the
    /// message says which overload fits), or the function threw (the message names the element; the original
    /// exception is the inner one).</exception>
    /// <example><code>var scaled = Dataset.FromTensorSlices(images).Map(x => x / 255f, numParallelCalls: Dataset.Autotune);</code></example>
    public Dataset Map(Func<Tensor, Tensor> map, int? numParallelCalls = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        return new MapDataset(this, (e, _) => new Element(map(TensorX(e, withY: false, "Map(x => ...)"))), numParallelCalls, null);
    }

    /// <summary>
    /// Applies <paramref name="map"/> to each <c>(x, y)</c> element (tf.data's <c>map(lambda x, y: (f(x), y))</c>).
    /// </summary>
    /// <param name="map">Maps <c>(x, y)</c> to the new <c>(x, y)</c>.</param>
    /// <param name="numParallelCalls">Null: the function runs on the thread that pulls the elements. A number (or
    /// <see cref="Autotune"/>): that many worker threads, order kept.</param>
    /// <returns>The mapped dataset.</returns>
    /// <exception cref="InvalidOperationException">While enumerating: the elements are not <c>(tensor, tensor)</c>, or the
    /// function threw (the message names the element).</exception>
    /// <example>
    /// Keras's <c>train.map(lambda x, y: (data_augmentation(x, training=True), y), num_parallel_calls=tf.data.AUTOTUNE)</c>:
    /// <code>train = train.Map((x, y) => (augment.Apply(x, training: true), y), numParallelCalls: Dataset.Autotune);</code>
    /// </example>
    public Dataset Map(Func<Tensor, Tensor, (Tensor x, Tensor y)> map, int? numParallelCalls = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        return new MapDataset(this, (e, _) =>
        {
            var (x, y) = map(TensorX(e, withY: true, "Map((x, y) => ...)"), e.Y!.Tensor);
            return new Element(x ?? throw NullPart("x"), y ?? throw NullPart("y"));
        }, numParallelCalls, null);
    }

    /// <summary>
    /// Maps each <c>(x, y)</c> element to inputs alone (Keras's <c>ds.map(lambda x, y: x)</c>, which drops the targets).
    /// </summary>
    /// <param name="map">Maps <c>(x, y)</c> to the new <c>x</c>.</param>
    /// <param name="numParallelCalls">As in the other overloads.</param>
    /// <returns>A dataset of inputs alone.</returns>
    /// <exception cref="InvalidOperationException">While enumerating: the elements are not <c>(tensor, tensor)</c>, or the function threw.</exception>
    /// <example><code>Dataset imagesOnly = train.Map((x, y) => x);</code></example>
    public Dataset Map(Func<Tensor, Tensor, Tensor> map, int? numParallelCalls = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        return new MapDataset(this, (e, _) => new Element(map(TensorX(e, withY: true, "Map((x, y) => ...)"), e.Y!.Tensor) ?? throw NullPart("x")),
            numParallelCalls, null);
    }

    /// <summary>
    /// Applies a random <paramref name="map"/> to each <c>(x, y)</c> element, reproducibly: the function gets a generator
    /// seeded from (<paramref name="seed"/>, pass, element index), so the result is the same whatever
    /// <paramref name="numParallelCalls"/> and thread timing, and differs from pass to pass (epoch to epoch).
    /// </summary>
    /// <param name="map">Maps <c>(x, y, generator)</c> to the new <c>(x, y)</c>; draw randomness from the generator
    /// (<c>torch.rand(..., generator: g)</c>).</param>
    /// <param name="numParallelCalls">As in the other overloads.</param>
    /// <param name="seed">The seed; null takes one from <see cref="RandomSeed"/>'s generator now (so <c>RandomSeed.Set</c>
    /// makes runs reproducible).</param>
    /// <returns>The mapped dataset.</returns>
    /// <exception cref="InvalidOperationException">While enumerating: the elements are not <c>(tensor, tensor)</c>, or the function threw.</exception>
    /// <example>
    /// <code>
    /// var noisy = train.Map((x, y, g) => (x + 0.1f * torch.randn(x.shape, generator: g), y), numParallelCalls: 4, seed: 1);
    /// </code>
    /// </example>
    public Dataset Map(Func<Tensor, Tensor, Generator, (Tensor x, Tensor y)> map, int? numParallelCalls = null, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        return new MapDataset(this, (e, g) =>
        {
            var (x, y) = map(TensorX(e, withY: true, "Map((x, y, generator) => ...)"), e.Y!.Tensor, g!);
            return new Element(x ?? throw NullPart("x"), y ?? throw NullPart("y"));
        }, numParallelCalls, seed ?? RandomSeed.Shared.NextInt64());
    }

    /// <summary>
    /// Applies <paramref name="map"/> to each element, whatever it holds (dictionaries by input name, strings, no
    /// targets): the general form of tf.data's <c>map</c>.
    /// </summary>
    /// <param name="map">Maps an element to a new one.</param>
    /// <param name="numParallelCalls">As in the other overloads.</param>
    /// <returns>The mapped dataset.</returns>
    /// <exception cref="InvalidOperationException">While enumerating: the function threw or returned null (the message names the element).</exception>
    /// <example>
    /// Keras's <c>text_ds.map(lambda x, y: (vectorize_layer(x), y))</c> and a structured-data map:
    /// <code>
    /// var ids = textDs.Map(e => new Element(vectorize.Apply(e.X.Strings), e.Y));
    /// var features = tableDs.Map(e => new Element(featureSpace.Apply(e.X.Dictionary), e.Y));
    /// </code>
    /// </example>
    public Dataset Map(Func<Element, Element> map, int? numParallelCalls = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        return new MapDataset(this, (e, _) => map(e), numParallelCalls, null);
    }

    private static InvalidOperationException NullPart(string part) => new($"The function given to Map returned a null {part}; return a tensor.");

    /// <summary>The tensor x of an element of the form a typed overload expects, else a message naming the fitting overload.</summary>
    private static Tensor TensorX(Element e, bool withY, string form)
    {
        bool fits = e.X.Kind == ComponentKind.Tensor && (withY ? e.Y is { Kind: ComponentKind.Tensor } : e.Y is null);
        if (fits) return e.X.Tensor;
        string advice = withY && e.Y is null && e.X.Kind == ComponentKind.Tensor
            ? "they have no targets: write x => ... instead"
            : !withY && e.Y is not null && e.X.Kind == ComponentKind.Tensor && e.Y.Kind == ComponentKind.Tensor
                ? "write (x, y) => ... instead"
                : "write e => ... and read e.X and e.Y (e.X.Strings, e.X.Dictionary, e.X[\"name\"])";
        throw UserFunction.StructureMismatch(
            $"{form} takes elements of {(withY ? "(x: tensor, y: tensor)" : "(x: tensor)")}, but this dataset's elements are {e.StructureText()}; {advice}.");
    }

    /// <summary>Keeps the elements of inputs alone for which <paramref name="predicate"/> is true (tf.data's <c>filter</c>).</summary>
    /// <param name="predicate">True to keep <c>x</c>.</param>
    /// <returns>The filtered dataset (its <see cref="Cardinality"/> is unknown).</returns>
    /// <exception cref="InvalidOperationException">While enumerating: the elements have targets, or the predicate threw.</exception>
    /// <example><code>var bright = Dataset.FromTensorSlices(images).Filter(x => x.mean().item&lt;float&gt;() &gt; 0.5f);</code></example>
    public Dataset Filter(Func<Tensor, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return new FilterDataset(this, e => predicate(TensorX(e, withY: false, "Filter(x => ...)")));
    }

    /// <summary>Keeps the <c>(x, y)</c> elements for which <paramref name="predicate"/> is true (tf.data's <c>filter(lambda x, y: ...)</c>).</summary>
    /// <param name="predicate">True to keep the element.</param>
    /// <returns>The filtered dataset (its <see cref="Cardinality"/> is unknown).</returns>
    /// <exception cref="InvalidOperationException">While enumerating: the elements are not <c>(tensor, tensor)</c>, or the predicate threw.</exception>
    /// <example>Keras's <c>ds.filter(lambda x, y: y &lt; 5)</c>: <code>var small = ds.Filter((x, y) => y.item&lt;long&gt;() &lt; 5);</code></example>
    public Dataset Filter(Func<Tensor, Tensor, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return new FilterDataset(this, e => predicate(TensorX(e, withY: true, "Filter((x, y) => ...)"), e.Y!.Tensor));
    }

    /// <summary>Keeps the elements, whatever they hold, for which <paramref name="predicate"/> is true.</summary>
    /// <param name="predicate">True to keep the element.</param>
    /// <returns>The filtered dataset (its <see cref="Cardinality"/> is unknown).</returns>
    /// <exception cref="InvalidOperationException">While enumerating: the predicate threw.</exception>
    /// <example><code>var nonEmpty = textDs.Filter(e => e.X.Strings.Value.Length &gt; 0);</code></example>
    public Dataset Filter(Func<Element, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return new FilterDataset(this, predicate);
    }

    /// <summary>
    /// Shuffles with tf.data's buffer: the first <paramref name="bufferSize"/> elements fill a buffer, and each element
    /// given is drawn uniformly from it and replaced by the next input element. A buffer at least as large as the
    /// dataset gives a uniform shuffle; a buffer of 1 does not shuffle.
    /// </summary>
    /// <param name="bufferSize">Elements in the buffer (at least 1); memory grows with it.</param>
    /// <param name="seed">The seed; null takes one from <see cref="RandomSeed"/>'s generator now.</param>
    /// <param name="reshuffleEachIteration">True (tf.data's default): each pass (epoch) has a new order; false: every pass the same.</param>
    /// <returns>The shuffled dataset.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bufferSize"/> is less than 1.</exception>
    /// <example><code>var train = Dataset.FromTensorSlices(x, y).Shuffle(bufferSize: 1024, seed: 1).Batch(32);</code></example>
    public Dataset Shuffle(int bufferSize, int? seed = null, bool reshuffleEachIteration = true)
    {
        if (bufferSize < 1)
            throw new ArgumentOutOfRangeException(nameof(bufferSize), bufferSize,
                $"bufferSize must be at least 1 (1 does not shuffle; the dataset's size shuffles uniformly); got {bufferSize}.");
        return new ShuffleDataset(this, bufferSize, seed ?? RandomSeed.Shared.NextInt64(), reshuffleEachIteration);
    }

    /// <summary>
    /// Stacks consecutive elements into batches (tf.data's <c>batch</c>): each tensor and strings part gains a first
    /// dimension of <paramref name="batchSize"/>; the last batch is smaller unless <paramref name="dropRemainder"/>.
    /// </summary>
    /// <param name="batchSize">Elements per batch, at least 1.</param>
    /// <param name="dropRemainder">Drop a last batch smaller than <paramref name="batchSize"/>.</param>
    /// <returns>The batched dataset.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">While enumerating: elements of one batch differ in structure, shape or dtype (the message names both).</exception>
    /// <example><code>var batches = Dataset.FromTensorSlices(x, y).Batch(32, dropRemainder: true);</code></example>
    public Dataset Batch(int batchSize, bool dropRemainder = false)
    {
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"batchSize must be at least 1; got {batchSize}.");
        return new BatchDataset(this, batchSize, dropRemainder);
    }

    /// <summary>
    /// Splits each element along its first dimension into that many elements (tf.data's <c>unbatch</c>; the inverse of
    /// <see cref="Batch"/>).
    /// </summary>
    /// <returns>The unbatched dataset (its <see cref="Cardinality"/> is unknown).</returns>
    /// <exception cref="InvalidOperationException">While enumerating: a part is a scalar, or the parts' first dimensions differ.</exception>
    /// <example><code>var samples = Dataset.FromTensorSlices(x, y).Batch(32).Unbatch();   // the samples again</code></example>
    public Dataset Unbatch() => new UnbatchDataset(this);

    /// <summary>
    /// Keeps the elements of the first complete pass in memory; later passes read them from there instead of running
    /// the pipeline before it (tf.data's <c>cache()</c>). A pass abandoned part-way keeps nothing.
    /// </summary>
    /// <returns>The cached dataset.</returns>
    /// <example><code>var val = Dataset.FromTensorSlices(xVal, yVal).Map(Preprocess).Batch(64).Cache();</code></example>
    public Dataset Cache() => new MemoryCacheDataset(this);

    /// <summary>
    /// Keeps the elements of the first complete pass in a file (tf.data's <c>cache(filename)</c>): when the file exists,
    /// every pass reads it instead of running the pipeline before it, also in a later run of the program (delete it
    /// when the data changes). The file appears, complete, only when a pass completes; it is checked when read.
    /// </summary>
    /// <param name="filename">The cache file.</param>
    /// <returns>The cached dataset.</returns>
    /// <exception cref="ArgumentException"><paramref name="filename"/> is empty (use <see cref="Cache()"/> for memory).</exception>
    /// <exception cref="InvalidDataException">While enumerating: the file is not a valid cache file (truncated, corrupted,
    /// another format); the message names it.</exception>
    /// <example><code>var train = Dataset.FromTensorSlices(paths, labels).Map(Decode).Cache("train.cache").Shuffle(1000).Batch(32);</code></example>
    public Dataset Cache(string filename)
    {
        ArgumentNullException.ThrowIfNull(filename);
        if (filename.Length == 0)
            throw new ArgumentException("filename is empty; pass a file path, or call Cache() to cache in memory (tf.data's cache(\"\")).", nameof(filename));
        return new FileCacheDataset(this, filename);
    }

    /// <summary>
    /// Prepares elements on a background thread, up to <paramref name="bufferSize"/> ahead of the consumer (tf.data's
    /// <c>prefetch</c>), so that the pipeline before it runs while the model trains.
    /// </summary>
    /// <param name="bufferSize">Elements (batches, after <see cref="Batch"/>) kept ready; <see cref="Autotune"/> is 2; 0 does not prefetch.</param>
    /// <returns>The prefetching dataset.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bufferSize"/> is negative and not <see cref="Autotune"/>.</exception>
    /// <example><code>var train = ds.Shuffle(1024).Batch(32).Prefetch(Dataset.Autotune);</code></example>
    public Dataset Prefetch(int bufferSize)
    {
        if (bufferSize == Autotune) bufferSize = AutotunePrefetch;
        if (bufferSize < 0)
            throw new ArgumentOutOfRangeException(nameof(bufferSize), bufferSize,
                $"bufferSize must be 0 or more, or Dataset.Autotune; got {bufferSize}.");
        return bufferSize == 0 ? this : new PrefetchDataset(this, bufferSize);
    }

    /// <summary>
    /// Repeats the dataset <paramref name="count"/> times, or forever for -1 (tf.data's <c>repeat</c>); each repetition
    /// is a new pass (a <see cref="Shuffle"/> before it reshuffles). Fit on an endless dataset needs <c>stepsPerEpoch</c>.
    /// </summary>
    /// <param name="count">Repetitions; -1 (the default) repeats forever.</param>
    /// <returns>The repeated dataset.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below -1.</exception>
    /// <example><code>model.Fit(ds.Shuffle(1000).Batch(32).Repeat(), epochs: 10, stepsPerEpoch: 100);</code></example>
    public Dataset Repeat(long count = -1)
    {
        if (count < -1)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"count must be -1 (forever) or 0 or more; got {count}.");
        return new RepeatDataset(this, count);
    }

    /// <summary>The first <paramref name="count"/> elements (tf.data's <c>take</c>); -1 takes all.</summary>
    /// <param name="count">Elements to take; -1 for all.</param>
    /// <returns>The shorter dataset.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below -1.</exception>
    /// <example><code>foreach (var (x, y) in ds.Take(1)) Console.WriteLine(x.shape[0]);</code></example>
    public Dataset Take(long count)
    {
        if (count < -1)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"count must be -1 (all) or 0 or more; got {count}.");
        return new TakeDataset(this, count);
    }

    /// <summary>The elements after the first <paramref name="count"/> (tf.data's <c>skip</c>); -1 skips all.</summary>
    /// <param name="count">Elements to skip; -1 for all.</param>
    /// <returns>The shorter dataset.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below -1.</exception>
    /// <example><code>var validation = all.Take(1000); var train = all.Skip(1000);</code></example>
    public Dataset Skip(long count)
    {
        if (count < -1)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"count must be -1 (all) or 0 or more; got {count}.");
        return new SkipDataset(this, count);
    }

    /// <summary>
    /// Pairs this dataset of inputs alone with <paramref name="y"/>, a dataset of targets alone, into <c>(x, y)</c>
    /// elements (tf.data's <c>Dataset.zip((x, y))</c>); it ends with the shorter one.
    /// </summary>
    /// <param name="y">The dataset of targets.</param>
    /// <returns>The zipped dataset.</returns>
    /// <example><code>var ds = Dataset.FromTensorSlices(images).Zip(Dataset.FromTensorSlices(labels));</code></example>
    public Dataset Zip(Dataset y) => Zip(this, y);

    /// <summary>This dataset's elements, then <paramref name="dataset"/>'s (tf.data's <c>concatenate</c>).</summary>
    /// <param name="dataset">A dataset with elements of the same structure and dtypes.</param>
    /// <returns>The concatenated dataset.</returns>
    /// <exception cref="InvalidOperationException">While enumerating: the second dataset's elements differ in structure or dtype.</exception>
    /// <example><code>var all = trainDs.Concatenate(extraDs);</code></example>
    public Dataset Concatenate(Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return new ConcatenateDataset(this, dataset);
    }
}
