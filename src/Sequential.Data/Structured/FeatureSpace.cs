using Microsoft.Data.Analysis;
using Sequential.Layers;
using static TorchSharp.torch;

namespace Sequential.Data;

/// <summary>
/// One-stop preprocessing and encoding of structured data (Keras's <c>keras.utils.FeatureSpace</c>): each named feature
/// is read as a float, integer or string column, preprocessed by a Keras layer (Normalization, Discretization,
/// IntegerLookup, StringLookup, Hashing, Rescaling), optionally one-hot encoded, crossed with other features by hashing,
/// and the results concatenated into one float32 vector per sample (<c>outputMode: "concat"</c>) or returned by name
/// (<c>"dict"</c>).
/// </summary>
/// <remarks>
/// <para>
/// As in Keras, the concatenation order is the features sorted by name (ordinal), then the crosses sorted by name
/// (<c>a_X_b</c>); categorical features and crosses in <c>one_hot</c> mode take their preprocessor's number of indices
/// (vocabulary size, <c>numBins</c>, <c>crossingDim</c>), so the output size equals Keras's for the same specification
/// and data. <see cref="Adapt(DataFrame)"/> learns vocabularies, means and variances, and bin boundaries (Discretization
/// in Keras's batches of 32 rows, as Keras's <c>adapt</c> on unbatched data does).
/// </para>
/// <para>
/// The preprocessing runs on the host, before the model (Keras's "asynchronous preprocessing in tf.data"); tensors
/// cannot hold strings, so there is no in-model variant. Missing values are refused: fill or drop them first.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var featureSpace = new FeatureSpace(
///     features: new Dictionary&lt;string, Feature&gt;
///     {
///         ["sex"] = FeatureSpace.StringCategorical(numOovIndices: 0),
///         ["island"] = "string_categorical",
///         ["body_mass_g"] = "float_normalized",
///         ["bill_length_mm"] = FeatureSpace.FloatDiscretized(numBins: 10),
///     },
///     crosses: [FeatureSpace.Cross(["sex", "island"], crossingDim: 16)],
///     outputMode: "concat");
/// featureSpace.Adapt(trainFrame);
/// Tensor x = featureSpace.Apply(trainFrame);          // float32 [N, featureSpace.OutputSize]
/// </code>
/// </example>
public sealed class FeatureSpace
{
    private readonly Dictionary<string, Feature> _features;
    private readonly List<Cross> _crosses;
    private readonly Dictionary<string, HashedCrossing> _crossers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CategoryEncoding> _encoders = new(StringComparer.Ordinal);
    private readonly HashSet<object> _adaptedByThis = new(ReferenceEqualityComparer.Instance);
    private readonly string[] _featureOrder;
    private readonly string[] _crossOrder;
    private bool _adapted;
    private int? _outputSize;
    private SymbolicTensor? _encodedFeatures;

    /// <summary>Creates a FeatureSpace (Keras's <c>FeatureSpace(features, output_mode, crosses, crossing_dim, hashing_dim,
    /// num_discretization_bins)</c>).</summary>
    /// <param name="features">Feature name -> specification: a factory's result (<see cref="FloatNormalized"/>, ...) or a type
    /// name such as <c>"integer_categorical"</c>.</param>
    /// <param name="outputMode"><c>"concat"</c> (default: one float32 vector per sample) or <c>"dict"</c> (one tensor per feature and cross).</param>
    /// <param name="crosses">Feature crosses: <see cref="Cross(IReadOnlyList{string}, int, string)"/> or tuples of names (<c>("a", "b")</c>).</param>
    /// <param name="crossingDim">The bins of crosses given as tuples (default 32).</param>
    /// <param name="hashingDim">The bins of <c>"integer_hashed"</c> and <c>"string_hashed"</c> type names (default 32).</param>
    /// <param name="numDiscretizationBins">The bins of the <c>"float_discretized"</c> type name (default 32).</param>
    /// <exception cref="ArgumentException">No features, an unknown output mode, a cross naming an unknown feature, or crosses
    /// without a crossingDim (Keras's messages).</exception>
    public FeatureSpace(IReadOnlyDictionary<string, Feature> features, string outputMode = "concat", IReadOnlyList<Cross>? crosses = null,
        int? crossingDim = 32, int hashingDim = 32, int numDiscretizationBins = 32)
    {
        if (features is null || features.Count == 0)
            throw new ArgumentException("The features argument cannot be null or empty.", nameof(features));
        ArgumentNullException.ThrowIfNull(outputMode);
        CrossingDim = crossingDim;
        HashingDim = hashingDim;
        NumDiscretizationBins = numDiscretizationBins;
        _features = new Dictionary<string, Feature>(StringComparer.Ordinal);
        foreach (var (name, feature) in features)
        {
            ArgumentNullException.ThrowIfNull(feature, $"features[\"{name}\"]");
            _features[name] = Standardize(name, feature);
        }
        _crosses = [];
        foreach (var cross in crosses ?? [])
        {
            ArgumentNullException.ThrowIfNull(cross, nameof(crosses));
            if (cross.CrossingDim is null)
            {
                if (crossingDim is null or <= 0)
                    throw new ArgumentException(
                        "When specifying crosses, the argument crossingDim (dimensionality of the crossing space) should be specified as well.",
                        nameof(crossingDim));
                cross.CrossingDim = crossingDim;
            }
            var unknown = cross.FeatureNames.Where(n => !_features.ContainsKey(n)).ToList();
            if (unknown.Count > 0)
                throw new ArgumentException(
                    $"All features referenced in the crosses argument should be present in the features dict. Received unknown features: " +
                    $"[{string.Join(", ", unknown)}] in cross ({string.Join(", ", cross.FeatureNames)}).", nameof(crosses));
            _crosses.Add(cross);
            _crossers[cross.Name] = new HashedCrossing(cross.CrossingDim!.Value, name: cross.Name);
        }
        if (outputMode is not ("dict" or "concat"))
            throw new ArgumentException(
                $"Invalid value for argument outputMode. Expected one of \"dict\", \"concat\". Received: outputMode=\"{outputMode}\".", nameof(outputMode));
        OutputMode = outputMode;
        _featureOrder = [.. _features.Keys.Order(StringComparer.Ordinal)];
        _crossOrder = [.. _crosses.Select(c => c.Name).Order(StringComparer.Ordinal)];
    }

    /// <summary>The features by name, with their preprocessors.</summary>
    public IReadOnlyDictionary<string, Feature> Features => _features;

    /// <summary>The crosses.</summary>
    public IReadOnlyList<Cross> Crosses => _crosses;

    /// <summary><c>concat</c> or <c>dict</c>.</summary>
    public string OutputMode { get; }

    /// <summary>The default bins of crosses given as names.</summary>
    public int? CrossingDim { get; }

    /// <summary>The bins of hashed features given as type names.</summary>
    public int HashingDim { get; }

    /// <summary>The bins of discretized features given as type names.</summary>
    public int NumDiscretizationBins { get; }

    /// <summary>The preprocessing layer of each feature (Keras's <c>feature_space.preprocessors</c>); null for plain floats.</summary>
    public IReadOnlyDictionary<string, object?> Preprocessors => _features.ToDictionary(p => p.Key, p => p.Value.Preprocessor, StringComparer.Ordinal);

    /// <summary>The HashedCrossing layer of each cross, by the cross's name (Keras's <c>feature_space.crossers</c>).</summary>
    public IReadOnlyDictionary<string, HashedCrossing> Crossers => _crossers;

    /// <summary>Whether <c>Adapt</c> has run (or nothing needed adapting).</summary>
    public bool IsAdapted => _adapted || !AdaptableFeatures().Any();

    /// <summary>The width of the concatenated output (Keras's <c>get_encoded_features().shape[-1]</c>), known after <c>Adapt</c>.</summary>
    /// <exception cref="InvalidOperationException">Before <c>Adapt</c> (when a feature needs it), or in dict mode.</exception>
    public int OutputSize
    {
        get
        {
            if (OutputMode != "concat")
                throw new InvalidOperationException("OutputSize is the width of the concatenated output; this FeatureSpace has outputMode \"dict\".");
            CheckAdapted();
            return _outputSize ?? throw new InvalidOperationException(
                "The output size is known once the FeatureSpace has seen data: call Adapt(data) or Apply(data) first.");
        }
    }

    // ---- Keras's factories (FeatureSpace.float(), FeatureSpace.float_normalized(), ...) ----

    /// <summary>Plain float values (Keras's <c>FeatureSpace.float</c>).</summary>
    /// <param name="name">Unused name (Keras names the identity preprocessor with it).</param>
    /// <returns>The specification.</returns>
    public static Feature Float(string? name = null) => new("float", "float32", "float");

    /// <summary>Float values rescaled as <c>x * scale + offset</c> by a <see cref="Rescaling"/> layer (Keras's <c>FeatureSpace.float_rescaled</c>).</summary>
    /// <param name="scale">The scale.</param>
    /// <param name="offset">The offset.</param>
    /// <param name="name">Prefix of the preprocessor's name (<c>{name}_preprocessor</c>).</param>
    /// <returns>The specification.</returns>
    public static Feature FloatRescaled(double scale = 1.0, double offset = 0.0, string? name = null) =>
        new("float_rescaled", "float32", "float", new Rescaling(scale, offset, name: $"{name ?? "float_rescaled"}_preprocessor"));

    /// <summary>Float values standardized by a <see cref="Normalization"/> layer (Keras's <c>FeatureSpace.float_normalized</c>).</summary>
    /// <param name="name">Prefix of the preprocessor's name.</param>
    /// <returns>The specification.</returns>
    public static Feature FloatNormalized(string? name = null) =>
        new("float_normalized", "float32", "float", new Normalization(axis: -1, name: $"{name ?? "float_normalized"}_preprocessor"));

    /// <summary>Float values bucketed by a <see cref="Discretization"/> layer, one-hot encoded by default (Keras's <c>FeatureSpace.float_discretized</c>).</summary>
    /// <param name="numBins">The bins to learn with <c>Adapt</c>; also the one-hot width.</param>
    /// <param name="binBoundaries">Fixed boundaries instead (then the one-hot width is boundaries + 1 when larger than numBins).</param>
    /// <param name="outputMode"><c>"one_hot"</c> (default) or <c>"int"</c>.</param>
    /// <param name="name">Prefix of the preprocessor's name.</param>
    /// <returns>The specification.</returns>
    public static Feature FloatDiscretized(int numBins, IReadOnlyList<double>? binBoundaries = null, string outputMode = "one_hot", string? name = null) =>
        new("float_discretized", "float32", outputMode, binBoundaries is null
            ? new Discretization(numBins: numBins, name: $"{name ?? "float_discretized"}_preprocessor")
            : new Discretization(binBoundaries, name: $"{name ?? "float_discretized"}_preprocessor"))
        { DiscretizationBins = numBins };

    /// <summary>Integer values indexed by an <see cref="IntegerLookup"/> layer, one-hot encoded by default (Keras's <c>FeatureSpace.integer_categorical</c>).</summary>
    /// <param name="maxTokens">The largest vocabulary (with the OOV entries); null for no limit.</param>
    /// <param name="numOovIndices">Indices for values not seen by <c>Adapt</c> (default 1; 0 when every value is known).</param>
    /// <param name="outputMode"><c>"one_hot"</c> (default) or <c>"int"</c>.</param>
    /// <param name="name">Prefix of the preprocessor's name.</param>
    /// <returns>The specification.</returns>
    public static Feature IntegerCategorical(int? maxTokens = null, int numOovIndices = 1, string outputMode = "one_hot", string? name = null) =>
        new("integer_categorical", "int32", outputMode,
            new IntegerLookup(maxTokens: maxTokens, numOovIndices: numOovIndices, name: $"{name ?? "integer_categorical"}_preprocessor"));

    /// <summary>String values indexed by a <see cref="StringLookup"/>, one-hot encoded by default (Keras's <c>FeatureSpace.string_categorical</c>).</summary>
    /// <param name="maxTokens">The largest vocabulary (with the OOV entries); null for no limit.</param>
    /// <param name="numOovIndices">Indices for values not seen by <c>Adapt</c> (default 1; 0 when every value is known).</param>
    /// <param name="outputMode"><c>"one_hot"</c> (default) or <c>"int"</c>.</param>
    /// <param name="name">Unused (Keras names the lookup layer with it).</param>
    /// <returns>The specification.</returns>
    public static Feature StringCategorical(int? maxTokens = null, int numOovIndices = 1, string outputMode = "one_hot", string? name = null) =>
        new("string_categorical", "string", outputMode, new StringLookup(maxTokens: maxTokens, numOovIndices: numOovIndices));

    /// <summary>String values hashed into <paramref name="numBins"/> bins by a <see cref="Hashing"/> layer (Keras's <c>FeatureSpace.string_hashed</c>).</summary>
    /// <param name="numBins">The bins.</param>
    /// <param name="outputMode"><c>"one_hot"</c> (default) or <c>"int"</c>.</param>
    /// <param name="name">Prefix of the preprocessor's name.</param>
    /// <returns>The specification.</returns>
    public static Feature StringHashed(int numBins, string outputMode = "one_hot", string? name = null) =>
        new("string_hashed", "string", outputMode, new Hashing(numBins, name: $"{name ?? "string_hashed"}_preprocessor"));

    /// <summary>Integer values hashed into <paramref name="numBins"/> bins by a <see cref="Hashing"/> layer (Keras's <c>FeatureSpace.integer_hashed</c>).</summary>
    /// <param name="numBins">The bins.</param>
    /// <param name="outputMode"><c>"one_hot"</c> (default) or <c>"int"</c>.</param>
    /// <param name="name">Prefix of the preprocessor's name.</param>
    /// <returns>The specification.</returns>
    public static Feature IntegerHashed(int numBins, string outputMode = "one_hot", string? name = null) =>
        new("integer_hashed", "int32", outputMode, new Hashing(numBins, name: $"{name ?? "integer_hashed"}_preprocessor"));

    /// <summary>A feature cross (Keras's <c>FeatureSpace.cross(feature_names, crossing_dim, output_mode)</c>).</summary>
    /// <param name="featureNames">The crossed features, two or more.</param>
    /// <param name="crossingDim">The hash bins.</param>
    /// <param name="outputMode"><c>"one_hot"</c> (default) or <c>"int"</c>.</param>
    /// <returns>The cross.</returns>
    public static Cross Cross(IReadOnlyList<string> featureNames, int crossingDim, string outputMode = "one_hot") =>
        new(featureNames, crossingDim, outputMode);

    /// <summary>A feature with your own preprocessor (Keras's <c>FeatureSpace.feature(dtype, preprocessor, output_mode)</c>).</summary>
    /// <param name="dtype"><c>"float32"</c>, <c>"int32"</c> or <c>"string"</c>: how the raw values are read.</param>
    /// <param name="preprocessor">A layer (for numbers: it receives <c>[N, 1]</c>), or a <see cref="StringLookup"/> or
    /// <see cref="Hashing"/> (for strings).</param>
    /// <param name="outputMode"><c>"float"</c>, <c>"int"</c> or <c>"one_hot"</c>.</param>
    /// <returns>The specification.</returns>
    /// <exception cref="ArgumentException">An unknown dtype, or a preprocessor that cannot take it.</exception>
    public static Feature Feature(string dtype, object preprocessor, string outputMode)
    {
        ArgumentNullException.ThrowIfNull(preprocessor);
        if (dtype is not ("float32" or "int32" or "int64" or "string"))
            throw new ArgumentException($"Unknown dtype \"{dtype}\" for a FeatureSpace feature; accepted: \"float32\", \"int32\", \"string\".", nameof(dtype));
        if (dtype == "string" ? preprocessor is not (StringLookup or Hashing) : preprocessor is not Layer)
            throw new ArgumentException(
                $"A {dtype} feature's preprocessor must be {(dtype == "string" ? "a StringLookup or a Hashing layer" : "a layer")}; got {preprocessor.GetType().Name}.",
                nameof(preprocessor));
        return new("custom", dtype, outputMode, preprocessor);
    }

    // ---- adapt ----

    /// <summary>Learns each feature's statistics and vocabulary from a DataFrame (Keras's <c>adapt</c>); other columns (the label) are ignored.</summary>
    /// <param name="data">The training rows.</param>
    /// <exception cref="ArgumentException">A feature's column is missing, has nulls, or holds the wrong kind of values.</exception>
    public void Adapt(DataFrame data) => Adapt(InBatchesOf32(Columns(data, out _)));

    /// <summary>Learns each feature's statistics and vocabulary from name-keyed columns (Keras's <c>adapt</c> on a dict of arrays).</summary>
    /// <param name="data">Feature name -> values: <c>string[]</c>, <c>double[]</c>, <c>float[]</c>, <c>long[]</c>, <c>int[]</c>,
    /// a list, or a tensor <c>[N]</c> / <c>[N, 1]</c>.</param>
    /// <exception cref="ArgumentException">A feature is missing, columns differ in length, or values are of the wrong kind.</exception>
    public void Adapt(IReadOnlyDictionary<string, object> data) => Adapt(InBatchesOf32(Columns(data, out _)));

    /// <summary>
    /// Learns each feature's statistics and vocabulary from batches of name-keyed columns (Keras's <c>adapt</c> on a batched
    /// <c>tf.data.Dataset</c> of dicts): Discretization summarizes batch by batch, as Keras does. Batches of single values
    /// (an unbatched dataset) are grouped by 32, as Keras's <c>adapt</c> batches them.
    /// </summary>
    /// <param name="batches">The batches: feature name -> values (as for <see cref="Adapt(IReadOnlyDictionary{string, object})"/>),
    /// or -> one value each.</param>
    /// <exception cref="ArgumentException">No batches, a feature is missing, or values are of the wrong kind.</exception>
    public void Adapt(IEnumerable<IReadOnlyDictionary<string, object>> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var list = new List<Dictionary<string, RawColumn>>();
        bool unbatched = true;
        foreach (var batch in batches)
        {
            list.Add(Columns(batch, out bool scalar));
            unbatched &= scalar;
        }
        if (list.Count == 0) throw new ArgumentException("Adapt needs at least one batch; the data had none.", nameof(batches));
        if (unbatched) list = [.. list.Chunk(32).Select(group => _featureOrder.ToDictionary(n => n, n => RawColumn.Concat([.. group.Select(b => b[n])]), StringComparer.Ordinal))];
        Adapt(list);
    }

    /// <summary>
    /// Learns each feature's statistics and vocabulary from a <see cref="Dataset"/> of name-keyed elements (Keras's
    /// <c>feature_space.adapt(train_ds.map(lambda x, _: x))</c>): each element's <c>x</c> is a dictionary of tensors and
    /// strings, batched (Discretization summarizes batch by batch) or single samples (grouped by 32, as Keras does). Targets,
    /// when the elements have them, are ignored.
    /// </summary>
    /// <param name="dataset">The training pipeline, e.g. <c>Dataset.FromTensorSlices(columns).Batch(32)</c>.</param>
    /// <exception cref="ArgumentException">The elements are not dictionaries, a feature is missing, or values are of the wrong kind.</exception>
    /// <example>
    /// <code>
    /// featureSpace.Adapt(trainDs);                       // Keras: feature_space.adapt(train_ds.map(lambda x, _: x))
    /// var preprocessed = trainDs.Map(e => new Element(featureSpace.Apply(e.X.Dictionary), e.Y), numParallelCalls: Dataset.Autotune);
    /// </code>
    /// </example>
    public void Adapt(Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        using var scope = NewDisposeScope();   // the elements' tensors join it
        var batches = new List<IReadOnlyDictionary<string, object>>();
        foreach (var element in dataset.Elements())
        {
            if (element.X.Kind != ComponentKind.Dictionary)
                throw new ArgumentException(
                    $"FeatureSpace adapts on a dataset of dictionaries (feature name -> values); this dataset's elements are {element}. " +
                    "Make it with Dataset.FromTensorSlices(new Component(columns)) or map its elements to dictionaries.", nameof(dataset));
            batches.Add(element.X.Dictionary.ToDictionary(p => p.Key, p => (object)p.Value, StringComparer.Ordinal));
        }
        Adapt(batches);
    }

    /// <summary>Keras batches unbatched data by 32 before adapting (feature_space.py: <c>dataset.batch(32)</c>).</summary>
    private List<Dictionary<string, RawColumn>> InBatchesOf32(Dictionary<string, RawColumn> columns)
    {
        int rows = columns.Values.First().Rows;
        if (rows == 0) throw new ArgumentException("Adapt needs at least one row; the data had none.", "data");
        return [.. Enumerable.Range(0, (rows + 31) / 32).Select(b => columns.ToDictionary(
            p => p.Key, p => p.Value.Slice(b * 32, Math.Min(32, rows - b * 32)), StringComparer.Ordinal))];
    }

    private void Adapt(List<Dictionary<string, RawColumn>> batches)
    {
        using (var scope = NewDisposeScope())
        {
            foreach (var name in AdaptableFeatures())
            {
                var columns = batches.Select(b => b[name]).ToList();
                switch (_features[name].Preprocessor)
                {
                    case Normalization normalization:
                        normalization.Adapt(cat([.. columns.Select(c => c.Floats())], 0));
                        break;
                    case Discretization discretization:
                        discretization.Adapt(columns.Select(c => c.Floats()).ToList());
                        break;
                    case IntegerLookup integers:
                        integers.Adapt(cat([.. columns.Select(c => c.Integers())], 0));
                        break;
                    case StringLookup strings:
                        strings.Adapt(columns.SelectMany(c => c.Strings()));
                        break;
                }
                _adaptedByThis.Add(_features[name].Preprocessor!);
            }
        }
        _adapted = true;
        _encoders.Clear();
        _encodedFeatures = null;
        CreateEncoders();
        // The output size, from the first sample.
        if (OutputMode == "concat")
        {
            var first = batches[0].ToDictionary(p => p.Key, p => p.Value.Slice(0, 1), StringComparer.Ordinal);
            Run(first).Dispose();
        }
    }

    // ---- apply ----

    /// <summary>Preprocesses and encodes a DataFrame's rows (Keras's <c>feature_space(data)</c> in concat mode); other columns are ignored.</summary>
    /// <param name="data">The rows.</param>
    /// <returns>Float32 <c>[rows, OutputSize]</c>.</returns>
    /// <exception cref="InvalidOperationException">Not adapted yet, or the FeatureSpace has outputMode "dict".</exception>
    /// <exception cref="ArgumentException">A feature's column is missing, has nulls, or holds the wrong kind of values.</exception>
    public Tensor Apply(DataFrame data) => Concat(Columns(data, out _), squeeze: false);

    /// <summary>Preprocesses and encodes name-keyed columns, or one sample of name-keyed values (Keras's <c>feature_space(dict)</c>, concat mode).</summary>
    /// <param name="data">Feature name -> values (as for <see cref="Adapt(IReadOnlyDictionary{string, object})"/>), or -> one value each.</param>
    /// <returns>Float32 <c>[N, OutputSize]</c>; <c>[OutputSize]</c> for one sample of single values.</returns>
    /// <exception cref="InvalidOperationException">Not adapted yet, or the FeatureSpace has outputMode "dict".</exception>
    /// <exception cref="ArgumentException">A feature is missing, columns differ in length, or values are of the wrong kind.</exception>
    public Tensor Apply(IReadOnlyDictionary<string, object> data)
    {
        var columns = Columns(data, out bool scalar);
        return Concat(columns, squeeze: scalar);
    }

    /// <summary>Preprocesses and encodes a DataFrame's rows into one tensor per feature and cross (Keras's dict output mode).</summary>
    /// <param name="data">The rows.</param>
    /// <returns>Name -> tensor: float32 <c>[rows, width]</c> for encoded and float features, int64 <c>[rows, 1]</c> for int outputs.</returns>
    /// <exception cref="InvalidOperationException">Not adapted yet, or the FeatureSpace has outputMode "concat".</exception>
    /// <exception cref="ArgumentException">A feature's column is missing, has nulls, or holds the wrong kind of values.</exception>
    public IReadOnlyDictionary<string, Tensor> ApplyDict(DataFrame data) => Dict(Columns(data, out _), squeeze: false);

    /// <summary>Preprocesses and encodes name-keyed columns (or one sample) into one tensor per feature and cross (dict mode).</summary>
    /// <param name="data">Feature name -> values, or -> one value each.</param>
    /// <returns>Name -> tensor, as <see cref="ApplyDict(DataFrame)"/>; without the batch axis for one sample of single values.</returns>
    /// <exception cref="InvalidOperationException">Not adapted yet, or the FeatureSpace has outputMode "concat".</exception>
    /// <exception cref="ArgumentException">A feature is missing, columns differ in length, or values are of the wrong kind.</exception>
    public IReadOnlyDictionary<string, Tensor> ApplyDict(IReadOnlyDictionary<string, object> data)
    {
        var columns = Columns(data, out bool scalar);
        return Dict(columns, squeeze: scalar);
    }

    /// <summary>Preprocesses and encodes a dataset element's dictionary (Keras's <c>ds.map(lambda x, y: (feature_space(x), y))</c>):
    /// a batch of tensors and strings by feature name, or one sample.</summary>
    /// <param name="data">Feature name -> component (a tensor <c>[N]</c> / <c>[N, 1]</c>, or strings), e.g. <c>element.X.Dictionary</c>.</param>
    /// <returns>Float32 <c>[N, OutputSize]</c>; <c>[OutputSize]</c> for one sample.</returns>
    /// <exception cref="InvalidOperationException">Not adapted yet, or the FeatureSpace has outputMode "dict".</exception>
    /// <exception cref="ArgumentException">A feature is missing, or values are of the wrong kind.</exception>
    /// <example><code>var preprocessed = trainDs.Map(e => new Element(featureSpace.Apply(e.X.Dictionary), e.Y));</code></example>
    public Tensor Apply(IReadOnlyDictionary<string, Component> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Apply(data.ToDictionary(p => p.Key, p => (object)p.Value, StringComparer.Ordinal));
    }

    /// <summary>Preprocesses and encodes a dataset element's dictionary into one tensor per feature and cross (dict mode).</summary>
    /// <param name="data">Feature name -> component, e.g. <c>element.X.Dictionary</c>.</param>
    /// <returns>Name -> tensor, as <see cref="ApplyDict(DataFrame)"/>.</returns>
    /// <exception cref="InvalidOperationException">Not adapted yet, or the FeatureSpace has outputMode "concat".</exception>
    /// <exception cref="ArgumentException">A feature is missing, or values are of the wrong kind.</exception>
    public IReadOnlyDictionary<string, Tensor> ApplyDict(IReadOnlyDictionary<string, Component> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return ApplyDict(data.ToDictionary(p => p.Key, p => (object)p.Value, StringComparer.Ordinal));
    }

    /// <summary>
    /// The model input that receives this FeatureSpace's output (Keras's <c>get_encoded_features()</c>, used as
    /// <c>keras.Model(inputs=encoded_features, outputs=...)</c>): a float32 <see cref="Input"/> of shape <c>[OutputSize]</c>.
    /// </summary>
    /// <returns>The same input on every call.</returns>
    /// <exception cref="InvalidOperationException">Not adapted yet, or in dict mode.</exception>
    public SymbolicTensor GetEncodedFeatures() => _encodedFeatures ??= new Input([OutputSize], name: "encoded_features");

    private Tensor Concat(Dictionary<string, RawColumn> columns, bool squeeze)
    {
        if (OutputMode != "concat")
            throw new InvalidOperationException("This FeatureSpace has outputMode \"dict\": call ApplyDict(data).");
        using var scope = NewDisposeScope();
        var result = Run(columns);
        return (squeeze ? result.squeeze(0) : result).MoveToOuterDisposeScope();
    }

    private IReadOnlyDictionary<string, Tensor> Dict(Dictionary<string, RawColumn> columns, bool squeeze)
    {
        if (OutputMode != "dict")
            throw new InvalidOperationException("This FeatureSpace has outputMode \"concat\": call Apply(data).");
        using var scope = NewDisposeScope();
        var encoded = Encode(columns);
        return encoded.ToDictionary(p => p.Key, p => (squeeze ? p.Value.squeeze(0) : p.Value).MoveToOuterDisposeScope(), StringComparer.Ordinal);
    }

    /// <summary>The concatenated output; remembers its width.</summary>
    private Tensor Run(Dictionary<string, RawColumn> columns)
    {
        using var scope = NewDisposeScope();
        var encoded = Encode(columns);
        foreach (var (name, tensor) in encoded)
        {
            if (!tensor.is_floating_point())
                throw new InvalidOperationException(
                    $"Cannot concatenate features because feature '{name}' has not been encoded (it has dtype {tensor.dtype}). " +
                    "Consider using outputMode \"dict\".");
        }
        var result = cat([.. encoded.Values], 1);
        _outputSize = (int)result.shape[1];
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Keras's <c>_preprocess_features</c>, <c>_cross_features</c> and <c>_merge_features</c>, in Keras's order.</summary>
    private Dictionary<string, Tensor> Encode(Dictionary<string, RawColumn> columns)
    {
        CheckAdapted();
        if (_encoders.Count == 0) CreateEncoders();
        var preprocessed = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var name in _featureOrder) preprocessed[name] = Preprocess(_features[name], columns[name]);
        var crossed = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var cross in _crosses)
            crossed[cross.Name] = _crossers[cross.Name].Apply([.. cross.FeatureNames.Select(n => preprocessed[n])]);
        var merged = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var name in _featureOrder.Concat(_crossOrder))
        {
            var tensor = preprocessed.TryGetValue(name, out var p) ? p : crossed[name];
            merged[name] = _encoders.TryGetValue(name, out var encoder) ? encoder.Apply(tensor) : tensor;
        }
        return merged;
    }

    private static Tensor Preprocess(Feature feature, RawColumn column) => feature.Preprocessor switch
    {
        null => column.Floats(),
        StringLookup lookup => lookup.Apply(column.Strings()).reshape(column.Rows, -1),
        Hashing hashing when feature.Dtype == "string" => hashing.Apply(column.Strings()).reshape(column.Rows, -1),
        Layer layer => layer.Apply(feature.Dtype == "float32" ? column.Floats() : column.Integers()),
        var other => throw new InvalidOperationException($"Unknown preprocessor {other.GetType().Name}."),
    };

    /// <summary>Keras's one-hot encoders: a multi_hot CategoryEncoding as wide as the preprocessor's index space.</summary>
    private void CreateEncoders()
    {
        foreach (var name in _featureOrder)
        {
            var feature = _features[name];
            if (feature.OutputMode != "one_hot") continue;
            int cardinality = feature.Preprocessor switch
            {
                IntegerLookup lookup => lookup.VocabularySize(),
                StringLookup lookup => lookup.VocabularySize(),
                CategoryEncoding encoding => encoding.NumTokens,
                Discretization discretization => Math.Max(feature.DiscretizationBins ?? discretization.NumBins ?? 0,
                    (discretization.BinBoundaries?.Count ?? 0) + 1),
                Hashing hashing => hashing.NumBins,
                _ => throw new InvalidOperationException(
                    $"Feature '{name}' has outputMode \"one_hot\". However it isn't a standard feature and the dimensionality of its output space " +
                    "is not known, thus it cannot be one-hot encoded. Try using outputMode \"int\"."),
            };
            _encoders[name] = new CategoryEncoding(cardinality, outputMode: "multi_hot", name: $"{name}_encoder");
        }
        foreach (var cross in _crosses.Where(c => c.OutputMode == "one_hot"))
            _encoders[cross.Name] = new CategoryEncoding(cross.CrossingDim!.Value, outputMode: "multi_hot", name: $"{cross.Name}_encoder");
    }

    /// <summary>Keras's <c>_list_adaptable_preprocessors</c>: the features whose preprocessor learns from data (a Normalization
    /// without fixed statistics, a Discretization with numBins, a lookup without a given vocabulary).</summary>
    private IEnumerable<string> AdaptableFeatures() => _featureOrder.Where(name => _features[name].Preprocessor switch
    {
        Normalization normalization => normalization.GetConfig()["mean"] is null,
        Discretization discretization => discretization.NumBins is not null,
        IntegerLookup lookup => lookup.Vocabulary is null || _adaptedByThis.Contains(lookup),
        StringLookup lookup => !lookup.HasVocabulary || _adaptedByThis.Contains(lookup),
        _ => false,
    });

    private void CheckAdapted()
    {
        if (!IsAdapted)
            throw new InvalidOperationException("You need to call Adapt(data) on the FeatureSpace before you can start using it.");
    }

    private Feature Standardize(string name, Feature feature)
    {
        if (!feature.IsTypeName) return feature;
        return feature.Kind switch
        {
            "float" => Float(name),
            "float_normalized" => FloatNormalized(name),
            "float_rescaled" => FloatRescaled(name: name),
            "float_discretized" => FloatDiscretized(NumDiscretizationBins, name: name),
            "integer_categorical" => IntegerCategorical(name: name),
            "string_categorical" => StringCategorical(name: name),
            "integer_hashed" => IntegerHashed(HashingDim, name: name),
            _ => StringHashed(HashingDim, name: name),
        };
    }

    private Dictionary<string, RawColumn> Columns(DataFrame data, out bool scalar)
    {
        ArgumentNullException.ThrowIfNull(data);
        scalar = false;
        var columns = new Dictionary<string, RawColumn>(StringComparer.Ordinal);
        foreach (var name in _featureOrder)
        {
            int index = data.Columns.IndexOf(name);
            if (index < 0)
                throw new ArgumentException(
                    $"The DataFrame has no column \"{name}\", a feature of this FeatureSpace. Its columns are: " +
                    $"{string.Join(", ", data.Columns.Select(c => $"\"{c.Name}\""))}.", nameof(data));
            columns[name] = RawColumn.From(data.Columns[index]);
        }
        return columns;
    }

    private Dictionary<string, RawColumn> Columns(IReadOnlyDictionary<string, object> data, out bool scalar)
    {
        ArgumentNullException.ThrowIfNull(data);
        var columns = new Dictionary<string, RawColumn>(StringComparer.Ordinal);
        var scalars = new List<bool>();
        foreach (var name in _featureOrder)
        {
            if (!data.TryGetValue(name, out var value))
                throw new ArgumentException(
                    $"The data has no feature \"{name}\". It has: {string.Join(", ", data.Keys.Select(k => $"\"{k}\""))}.", nameof(data));
            columns[name] = RawColumn.From(name, value, out bool isScalar);
            scalars.Add(isScalar);
        }
        var rows = columns.Values.Select(c => c.Rows).Distinct().ToList();
        if (rows.Count > 1)
            throw new ArgumentException(
                $"The features have different numbers of values: {string.Join(", ", columns.Values.Select(c => $"{c.Name} {c.Rows}"))}.", nameof(data));
        scalar = scalars.All(s => s);
        return columns;
    }
}
