using System.Collections;
using Sequential.Layers;
using Sequential.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Data;

/// <summary>
/// A tf.data-style input pipeline (Keras 3's <c>tf.data.Dataset</c>): a source such as
/// <see cref="FromTensorSlices(Tensor, Tensor)"/> followed by transformations (<see cref="Map(Func{Tensor, Tensor, ValueTuple{Tensor, Tensor}}, int?)"/>,
/// <see cref="Shuffle"/>, <see cref="Batch"/>, <see cref="Prefetch"/>, ...), each returning a new dataset. One enumeration
/// is one pass over the data; <c>Fit</c>, <c>Evaluate</c> and <c>Predict</c> take a dataset as they take any iterator.
/// </summary>
/// <remarks>
/// <para>Elements are <see cref="Element"/>s: inputs <c>x</c> (a tensor, strings, or a dictionary by input name) and,
/// when the data has them, targets <c>y</c>. Enumerating a dataset as <c>(Tensor x, Tensor y)</c> pairs works for
/// tensor elements with targets; <see cref="Elements"/> and <see cref="GetBatches"/> work for all.</para>
/// <para>Work runs where the pipeline says: <see cref="Map(Func{Tensor, Tensor, ValueTuple{Tensor, Tensor}}, int?)"/> with
/// <c>numParallelCalls</c> on that many worker threads (order kept), <see cref="Prefetch"/> on a background thread that
/// stays up to its buffer ahead. Memory is bounded by the prefetch buffers, the shuffle buffer and the parallel calls (a parallel Map holds up to four
/// elements per worker, so that workers do not wait for the oldest one).
/// Abandoning an enumeration part-way (<see cref="Take"/>, a <c>stepsPerEpoch</c>, an exception) stops the workers and
/// disposes the tensors they made.</para>
/// <para>The tensors handed out join the caller's <c>torch.NewDisposeScope()</c> (as in <c>Model.Fit</c>), otherwise
/// the caller owns them. Do not change them in place.</para>
/// <para>A subclass that adds information to a pipeline (as <c>ImageDatasetFromDirectory</c>'s <see cref="ClassNames"/>)
/// derives from <see cref="Dataset"/> with <see cref="Dataset(Dataset)"/> and sets the properties in its constructor.</para>
/// </remarks>
/// <example>
/// Keras's <c>tf.data.Dataset.from_tensor_slices((x, y)).shuffle(1024, seed=1).batch(32).prefetch(tf.data.AUTOTUNE)</c>:
/// <code>
/// var train = Dataset.FromTensorSlices(x, y).Shuffle(1024, seed: 1).Batch(32).Prefetch(Dataset.Autotune);
/// model.Fit(train, epochs: 10, validationData: Dataset.FromTensorSlices(xVal, yVal).Batch(32));
/// </code>
/// </example>
public partial class Dataset : IBatchSource, IShardedSource
{
    /// <summary>
    /// tf.data's <c>AUTOTUNE</c>: for <c>numParallelCalls</c>, the processor count; for <see cref="Prefetch"/>, 2 elements
    /// (batches, after <see cref="Batch"/>), which keeps one batch ready while the next is made.
    /// </summary>
    /// <example><code>ds.Map(f, numParallelCalls: Dataset.Autotune).Prefetch(Dataset.Autotune)</code></example>
    public const int Autotune = -1;

    /// <summary>tf.data's <c>INFINITE_CARDINALITY</c> (-1): what <see cref="Cardinality"/> returns after <c>Repeat()</c>.</summary>
    /// <example><code>if (ds.Cardinality() == Dataset.InfiniteCardinality) steps = 100;</code></example>
    public const long InfiniteCardinality = -1;

    /// <summary>tf.data's <c>UNKNOWN_CARDINALITY</c> (-2): what <see cref="Cardinality"/> returns after <see cref="Filter(Func{Tensor, Tensor, bool})"/>.</summary>
    /// <example><code>if (ds.Cardinality() == Dataset.UnknownCardinality) Console.WriteLine("size unknown");</code></example>
    public const long UnknownCardinality = -2;

    /// <summary>What the prefetch buffer and numParallelCalls are when given as <see cref="Autotune"/>.</summary>
    internal const int AutotunePrefetch = 2;

    private readonly Dataset? _source;
    private readonly IReadOnlyList<string>? _classNames;
    private readonly IReadOnlyList<string>? _filePaths;

    /// <summary>For the pipeline's own stages (they override <see cref="Open"/> and <see cref="Cardinality"/>).</summary>
    private protected Dataset() => Backend.EnsureNativeLoaded();

    /// <summary>
    /// A dataset with the elements of <paramref name="source"/>, for a subclass that adds properties (as
    /// <c>ImageDatasetFromDirectory</c>'s <see cref="ClassNames"/>) to a pipeline.
    /// </summary>
    /// <param name="source">The pipeline whose elements and cardinality this dataset has.</param>
    /// <example>
    /// <code>
    /// sealed class LabeledDataset : Dataset
    /// {
    ///     public LabeledDataset(Dataset pipeline, IReadOnlyList&lt;string&gt; classNames) : base(pipeline) => ClassNames = classNames;
    /// }
    /// </code>
    /// </example>
    protected Dataset(Dataset source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
    }

    /// <summary>The pipeline a subclass made with <see cref="Dataset(Dataset)"/> wraps; null for the pipeline's own stages.</summary>
    internal Dataset? Source => _source;

    /// <summary>
    /// Whether every pass yields the same values (perhaps reordered or regrouped): true for slices of tensors through
    /// stages that only select, reorder, group, cache or prefetch them; false once a Map or Filter runs user code.
    /// </summary>
    internal virtual bool FixedValues => _source?.FixedValues ?? false;

    /// <summary>
    /// One pass over the elements. The caller owns the tensors of each element it takes (they are in no DisposeScope)
    /// and must dispose them or pass them on; elements may hold slices (rows not read yet) that only this assembly
    /// sees. Disposing the enumerator stops any work started for the pass and disposes what it had made.
    /// </summary>
    internal virtual IEnumerator<Element> Open() => _source!.Open();

    /// <summary>
    /// One pass as <see cref="Open"/> gives it, except that an element whose index <paramref name="wanted"/> refuses may
    /// come out as null, its work (a Map's function) not done. Stages that keep element i as element i (Map, Prefetch)
    /// skip; the others give every element.
    /// </summary>
    internal virtual IEnumerator<Element?> OpenRows(Func<long, bool> wanted) => _source is { } source ? source.OpenRows(wanted) : Open();

    /// <summary>
    /// How to open a pass whose batches are part <paramref name="shard"/> of <paramref name="shards"/> of this dataset's
    /// elements (rows <c>[N shard / shards, N (shard + 1) / shards)</c> of each batch of N, the same values), reading and
    /// mapping only those rows where it can; null when this pipeline cannot (it does not end in <see cref="Batch"/>,
    /// perhaps followed by <see cref="Prefetch"/>, or the batches' sizes are unknown before a pass).
    /// </summary>
    internal virtual Func<IEnumerator<Element>>? OpenShard(int shard, int shards) => _source?.OpenShard(shard, shards);

    /// <summary>
    /// The number of elements in one pass, as tf.data's <c>cardinality()</c>: a count, <see cref="InfiniteCardinality"/>
    /// after <c>Repeat()</c>, or <see cref="UnknownCardinality"/> when it cannot be known without a pass (after
    /// <see cref="Filter(Func{Tensor, Tensor, bool})"/> or <see cref="Unbatch"/>).
    /// </summary>
    /// <returns>The count, -1 (infinite) or -2 (unknown).</returns>
    /// <example><code>long batches = Dataset.FromTensorSlices(x, y).Batch(32).Cardinality();   // ceil(N / 32)</code></example>
    public virtual long Cardinality() => _source!.Cardinality();

    /// <summary>
    /// The class names, in label order, of a dataset made from class folders (Keras's <c>class_names</c> on what
    /// <c>image_dataset_from_directory</c> returns). Transformations return datasets without them, as in Keras.
    /// </summary>
    /// <exception cref="InvalidOperationException">This dataset has no class names.</exception>
    /// <example><code>IReadOnlyList&lt;string&gt; names = train.ClassNames;   // ["Cat", "Dog"]</code></example>
    public IReadOnlyList<string> ClassNames
    {
        get => _classNames ?? throw new InvalidOperationException(
            "This dataset has no class names: only the dataset a directory loader such as ImageDatasetFromDirectory returns has them " +
            "(read them before calling Map, Batch and the like, which return new datasets).");
        protected init => _classNames = value ?? throw new ArgumentNullException(nameof(ClassNames));
    }

    /// <summary>The file of each sample, in the dataset's order, of a dataset made from files (Keras's <c>file_paths</c>).</summary>
    /// <exception cref="InvalidOperationException">This dataset has no file paths.</exception>
    /// <example><code>string first = train.FilePaths[0];</code></example>
    public IReadOnlyList<string> FilePaths
    {
        get => _filePaths ?? throw new InvalidOperationException(
            "This dataset has no file paths: only the dataset a directory loader such as ImageDatasetFromDirectory returns has them " +
            "(read them before calling Map, Batch and the like, which return new datasets).");
        protected init => _filePaths = value ?? throw new ArgumentNullException(nameof(FilePaths));
    }

    /// <summary>
    /// One pass over the elements, each with its tensors read and attached to the caller's current DisposeScope (the
    /// caller owns them when none is open). Works for every kind of element: dictionaries, strings, no targets.
    /// </summary>
    /// <returns>The elements of one pass.</returns>
    /// <exception cref="InvalidOperationException">An element's structure differs from the first's (a name or a kind changed).</exception>
    /// <example>
    /// Keras's <c>for x, y in ds: ...</c> for any element:
    /// <code>
    /// foreach (var (x, y) in ds.Elements())
    ///     Console.WriteLine($"x: {x}, y: {y}");
    /// </code>
    /// </example>
    public IEnumerable<Element> Elements() => ElementsOf(Open);

    private static IEnumerable<Element> ElementsOf(Func<IEnumerator<Element>> open)
    {
        using var pass = open();
        Element? first = null;
        for (long index = 0; pass.MoveNext(); index++)
        {
            var element = pass.Current.Materialize();
            element.AttachTo(torch.CurrentDisposeScope);
            if (first is null)
                first = element;
            else if (!element.SameStructure(first))
                throw new InvalidOperationException(
                    $"Element {index} of this dataset has the structure {element.StructureText()}, but element 0 had {first.StructureText()}. " +
                    "Every element of a dataset needs the same structure; make the Map function return the same kinds and names for every element.");
            yield return element;
        }
    }

    /// <summary>
    /// One pass as <c>(x, y)</c> tensor pairs (after <see cref="Batch"/>, as <c>Fit</c>'s iterators give them).
    /// </summary>
    /// <returns>The pairs of one pass.</returns>
    /// <exception cref="InvalidOperationException">The elements are dictionaries, hold strings, or have no targets: pass the
    /// dataset to Fit/Evaluate/Predict, or enumerate <see cref="GetBatches"/> or <see cref="Elements"/>.</exception>
    /// <example><code>foreach (var (x, y) in Dataset.FromTensorSlices(x, y).Batch(32)) Console.WriteLine(x.shape[0]);</code></example>
    public IEnumerator<(Tensor x, Tensor y)> GetEnumerator()
    {
        foreach (var element in Elements())
        {
            if (element.X.Kind != ComponentKind.Tensor || element.Y is null || element.Y.Kind != ComponentKind.Tensor)
                throw new InvalidOperationException(
                    $"This dataset's elements are {element.StructureText()}, which a (Tensor x, Tensor y) pair cannot hold. " +
                    "Pass the dataset to Fit/Evaluate/Predict (they take dictionaries by input name and data without targets), " +
                    "or enumerate ds.GetBatches() or ds.Elements().");
            yield return (element.X.Tensor, element.Y.Tensor);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// One pass as the training loop's <see cref="Sequential.Batch"/>es: <c>x</c> and <c>y</c> tensors, or dictionaries by
    /// input (and output) name for models with several inputs, and null targets for elements without <c>y</c>.
    /// </summary>
    /// <returns>The batches of one pass.</returns>
    /// <exception cref="InvalidOperationException">An element holds strings (map them to tensors first, e.g. with
    /// TextVectorization), or nested dictionaries.</exception>
    /// <example>
    /// <code>
    /// foreach (var batch in Dataset.FromTensorSlices(inputs, y).Batch(32).GetBatches())
    ///     Console.WriteLine(batch);   // Batch { Inputs = [(32, 4), (32, 2)] (image, meta), ... }
    /// </code>
    /// </example>
    public IEnumerable<Sequential.Batch> GetBatches() => Batches(Open);

    /// <summary>Data-parallel training: each batch holds only rank <paramref name="shard"/>'s rows, when the pipeline can.</summary>
    IEnumerable<Sequential.Batch>? IShardedSource.GetBatches(int shard, int shards) =>
        OpenShard(shard, shards) is { } open ? Batches(open) : null;

    private static IEnumerable<Sequential.Batch> Batches(Func<IEnumerator<Element>> open)
    {
        long index = 0;
        foreach (var element in ElementsOf(open))
        {
            var inputs = BatchPart(element.X, "x", index);
            var targets = element.Y is null ? null : BatchPart(element.Y, "y", index);
            index++;
            yield return ToBatch(inputs, targets);
        }
    }

    private static Sequential.Batch ToBatch(object inputs, object? targets)
    {
        var namedTargets = targets as IReadOnlyDictionary<string, Tensor>;
        if (inputs is IReadOnlyDictionary<string, Tensor> named)
            return namedTargets is not null ? new Sequential.Batch(named, namedTargets)
                : new Sequential.Batch(named) { Targets = targets is Tensor y ? [y] : null };
        var x = (Tensor)inputs;
        return namedTargets is null ? new Sequential.Batch(x, (Tensor?)targets)
            : new Sequential.Batch([x]) { Targets = [.. namedTargets.Values], TargetNames = [.. namedTargets.Keys] };
    }

    /// <summary>A tensor, or a dictionary of tensors, for a <see cref="Sequential.Batch"/>.</summary>
    /// <remarks>Strings become <see cref="StringInputs"/> carriers, for a model whose input holds strings (a string Input
    /// followed by TextVectorization); the training loop refuses them, with the fix, for any other model.</remarks>
    private static object BatchPart(Component part, string name, long index)
    {
        if (part.Kind is ComponentKind.Tensor or ComponentKind.Strings) return Leaf(part);
        if (part.Kind == ComponentKind.Dictionary && part.Dictionary.Values.All(v => v.Kind is ComponentKind.Tensor or ComponentKind.Strings))
            return part.Dictionary.ToDictionary(p => p.Key, p => Leaf(p.Value));
        throw new InvalidOperationException(
            $"Element {index} of this dataset has {name} = {part}, which a model cannot take: a model takes a tensor (or strings) or a " +
            "dictionary of them by input name, not nested dictionaries.");

        static Tensor Leaf(Component c) => c.Kind == ComponentKind.Tensor ? c.Tensor : StringInputs.Carry(c.Strings, c.Strings.Shape);
    }

    /// <summary>Batches per pass for the training loop's progress bar: the cardinality when it is a known count.</summary>
    int? IBatchSource.BatchesPerPass => Cardinality() is >= 0 and <= int.MaxValue and var n ? (int)n : null;

    /// <inheritdoc/>
    bool IBatchSource.IsInfinite => Cardinality() == InfiniteCardinality;

    /// <inheritdoc/>
    bool IBatchSource.FixedValues => FixedValues;
}
