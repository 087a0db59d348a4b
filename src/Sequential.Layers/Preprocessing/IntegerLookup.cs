using Microsoft.Data.Analysis;
using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Maps integer category values to contiguous indices from a vocabulary (Keras's <c>IntegerLookup</c>), as a layer that
/// works inside models and on tensors: <c>outputMode</c> <c>"int"</c> (indices), <c>"one_hot"</c>, <c>"multi_hot"</c>,
/// <c>"count"</c> or <c>"tf_idf"</c>.
/// </summary>
/// <remarks>
/// <para>
/// Index layout, as in Keras: the mask token (when given, in int mode) is 0, then <c>numOovIndices</c> out-of-vocabulary
/// indices, then the vocabulary. <see cref="Adapt(Tensor)"/> orders the vocabulary by frequency, ties by value, largest
/// first. With several OOV indices an unknown value goes to <c>value % numOovIndices</c> (Keras's default
/// <c>oovMethod: "floormod"</c>) or to the bucket of its decimal text's FarmHash64 (<c>"farmhash"</c>; SipHash64 with a
/// <c>salt</c>), as in Keras.
/// </para>
/// <para>
/// The vocabulary (and tf_idf weights) are part of the layer's configuration, so a saved model carries them and a loaded
/// one looks values up the same way. A batch of scalars <c>[N]</c> is read as <c>[N, 1]</c> by the encoding modes.
/// Inputs may be any integer dtype, or floats holding whole numbers (what <c>Fit</c> passes from a float array).
/// </para>
/// </remarks>
/// <example>
/// <code>
/// // Keras: layer = IntegerLookup(); layer.adapt([1, 1, 1, 2, 2, 3]); layer([1, 2, 4]) -> [1, 2, 0]
/// var lookup = new IntegerLookup();
/// lookup.Adapt(tensor(new long[] { 1, 1, 1, 2, 2, 3 }));
/// var model = new SequentialModel(new IntegerLookup(vocabulary: [12, 36, 1138, 42], outputMode: "one_hot"),
///     new Dense(1, activation: "sigmoid"));
/// </code>
/// </example>
public sealed class IntegerLookup : Layer
{
    private static readonly string[] OutputModes = ["int", "one_hot", "multi_hot", "count", "tf_idf"];

    private readonly IndexLookupTable<long> _table;
    private int? _frozenDepth;

    /// <summary>Creates an IntegerLookup layer.</summary>
    /// <param name="maxTokens">Largest vocabulary size counting the mask and OOV entries; null for no limit.</param>
    /// <param name="numOovIndices">Indices reserved for out-of-vocabulary values (default 1). With 0, an unknown value throws.</param>
    /// <param name="maskToken">A value that maps to index 0 in int mode and to nothing in the other modes; null for none.</param>
    /// <param name="oovToken">The OOV entry of <see cref="GetVocabulary"/>, and what <c>invert</c> returns for unknown indices (default -1).</param>
    /// <param name="vocabulary">A fixed vocabulary, optionally preceded by the special entries as <see cref="GetVocabulary"/>
    /// lists them; null: learn one with <c>Adapt</c>.</param>
    /// <param name="idfWeights">With <c>"tf_idf"</c> and a vocabulary: one inverse document frequency per vocabulary entry.</param>
    /// <param name="invert">Map indices back to values; int mode only.</param>
    /// <param name="outputMode"><c>"int"</c> (default), <c>"one_hot"</c>, <c>"multi_hot"</c>, <c>"count"</c> or <c>"tf_idf"</c>.</param>
    /// <param name="padToMaxTokens">Encoded outputs are <paramref name="maxTokens"/> wide whatever the vocabulary size.</param>
    /// <param name="oovMethod"><c>"floormod"</c> (default) or <c>"farmhash"</c>: how several OOV indices are chosen.</param>
    /// <param name="salt">With <c>"farmhash"</c>: one or two integers keying SipHash64 instead of FarmHash64.</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default integer_lookup, ...</param>
    /// <exception cref="ArgumentException">Keras's checks on the arguments and the vocabulary.</exception>
    public IntegerLookup(int? maxTokens = null, int numOovIndices = 1, long? maskToken = null, long oovToken = -1,
        IReadOnlyList<long>? vocabulary = null, IReadOnlyList<double>? idfWeights = null, bool invert = false,
        string outputMode = "int", bool padToMaxTokens = false, string oovMethod = "floormod", IReadOnlyList<long>? salt = null,
        long[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        var mode = LookupArguments.Check("IntegerLookup", outputMode, OutputModes, maxTokens, numOovIndices, invert, padToMaxTokens);
        ArgumentNullException.ThrowIfNull(oovMethod);
        if (oovMethod is not ("floormod" or "farmhash"))
            throw new ArgumentException($"Unknown oovMethod \"{oovMethod}\" for IntegerLookup; accepted: \"floormod\", \"farmhash\".", nameof(oovMethod));
        if (salt is not null && oovMethod != "farmhash")
            throw new ArgumentException($"salt can only be used when oovMethod is \"farmhash\". Received: oovMethod=\"{oovMethod}\".", nameof(salt));
        _table = new IndexLookupTable<long>($"IntegerLookup \"{Name}\"", maxTokens, numOovIndices, maskToken is not null,
            maskToken ?? 0, oovToken, mode, padToMaxTokens, invert, oovMethod, LookupArguments.Salt("IntegerLookup", salt),
            Comparer<long>.Default, v => IndexLookupTable<long>.Format(v));
        if (vocabulary is not null) _table.SetVocabulary(vocabulary, idfWeights, fromConstructor: true);
        else if (idfWeights is not null)
            throw new ArgumentException("idfWeights were given without a vocabulary; give both, or neither and call Adapt.", nameof(idfWeights));
    }

    /// <summary>The largest vocabulary size (with the special entries), or null.</summary>
    public int? MaxTokens => _table.MaxTokens;

    /// <summary>Indices reserved for out-of-vocabulary values.</summary>
    public int NumOovIndices => _table.NumOovIndices;

    /// <summary>The mask value, or null.</summary>
    public long? MaskToken => _table.HasMask ? _table.MaskToken : null;

    /// <summary>The OOV entry's value.</summary>
    public long OovToken => _table.OovToken;

    /// <summary>
    /// The current vocabulary with its special entries (what <see cref="GetVocabulary"/> returns), or null before one is
    /// given or adapted. The configuration saves it, so a loaded model has the adapted vocabulary.
    /// </summary>
    public IReadOnlyList<long>? Vocabulary => _table.HasVocabulary ? _table.GetVocabulary(includeSpecialTokens: true) : null;

    /// <summary>The tf_idf weights of the vocabulary entries (with the special ones; without padding), or null.</summary>
    public IReadOnlyList<double>? IdfWeights =>
        _table.IdfWeights is { } w && _table.HasVocabulary ? w.Take(_table.VocabularySize).Select(v => (double)v).ToArray() : null;

    /// <summary>Whether the layer maps indices to values.</summary>
    public bool Invert => _table.Invert;

    /// <summary>The output mode, lower case.</summary>
    public string OutputMode => _table.OutputMode;

    /// <summary>Whether encoded outputs are <see cref="MaxTokens"/> wide.</summary>
    public bool PadToMaxTokens => _table.PadToMaxTokens;

    /// <summary>How several OOV indices are chosen: <c>floormod</c> or <c>farmhash</c>.</summary>
    public string OovMethod => _table.OovMethod;

    /// <summary>The SipHash key (two integers), or null.</summary>
    public IReadOnlyList<long>? Salt => _table.Salt is { } s ? [s.Item1, s.Item2] : null;

    /// <inheritdoc/>
    /// <remarks>Null: the layer takes the data's dtype as it is (integers, or floats holding whole numbers).</remarks>
    public override ScalarType? InputDtype => null;

    /// <summary>The size of the index space (Keras's <c>vocabulary_size()</c>).</summary>
    /// <returns>Mask entry (int mode), OOV entries and values.</returns>
    public int VocabularySize() => _table.VocabularySize;

    /// <summary>The vocabulary in index order (Keras's <c>get_vocabulary()</c>).</summary>
    /// <param name="includeSpecialTokens">Include the mask value (int mode) and the OOV entries.</param>
    /// <returns>Entry i is the value of index i.</returns>
    public IReadOnlyList<long> GetVocabulary(bool includeSpecialTokens = true) => _table.GetVocabulary(includeSpecialTokens);

    /// <summary>Sets the vocabulary directly (Keras's <c>set_vocabulary</c>).</summary>
    /// <param name="vocabulary">The values, optionally preceded by the special entries.</param>
    /// <param name="idfWeights">For tf_idf: one weight per vocabulary entry.</param>
    /// <exception cref="ArgumentException">Keras's checks on the vocabulary.</exception>
    /// <exception cref="InvalidOperationException">The layer is built for another output width.</exception>
    public void SetVocabulary(IReadOnlyList<long> vocabulary, IReadOnlyList<double>? idfWeights = null)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        _table.SetVocabulary(vocabulary, idfWeights, fromConstructor: false);
        CheckDepthUnchanged();
    }

    /// <summary>Learns the vocabulary from values (Keras's <c>adapt</c> on a list: each value is a sample).</summary>
    /// <param name="data">The values.</param>
    /// <exception cref="ArgumentException">No values besides the mask and OOV values.</exception>
    /// <exception cref="InvalidOperationException">The layer was given a vocabulary, or is built for another output width.</exception>
    public void Adapt(IEnumerable<long> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _table.Adapt(data.Select(v => (IReadOnlyList<long>)[v]));
        CheckDepthUnchanged();
    }

    /// <summary>Learns the vocabulary from values (Keras's <c>adapt</c> on a list: each value is a sample). An array overload,
    /// so that <c>long[]</c> does not convert to a tensor.</summary>
    /// <param name="data">The values.</param>
    /// <exception cref="ArgumentException">No values besides the mask and OOV values.</exception>
    /// <exception cref="InvalidOperationException">The layer was given a vocabulary, or is built for another output width.</exception>
    public void Adapt(long[] data) => Adapt((IEnumerable<long>)data);

    /// <summary>Learns the vocabulary from a tensor (Keras's <c>adapt</c>): <c>[N]</c> is N one-value samples, <c>[N, k]</c>
    /// N samples of k values (documents, for tf_idf).</summary>
    /// <param name="data">Integer values, or floats holding whole numbers.</param>
    /// <exception cref="ArgumentException">Fractional values, or no values besides the mask and OOV values.</exception>
    /// <exception cref="InvalidOperationException">The layer was given a vocabulary, or is built for another output width.</exception>
    public void Adapt(Tensor data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var values = Values(data, "Adapt data");
        long width = data.dim() <= 1 ? 1 : data.shape[1..].Aggregate(1L, (a, b) => a * b);
        long rows = width == 0 ? 0 : values.LongLength / width;
        _table.Adapt(Enumerable.Range(0, checked((int)rows)).Select(r => (IReadOnlyList<long>)new ArraySegment<long>(values, (int)(r * width), (int)width)));
        CheckDepthUnchanged();
    }

    /// <summary>Learns the vocabulary from an integer column of a DataFrame.</summary>
    /// <param name="data">The rows to learn from, usually the training frame only.</param>
    /// <param name="column">The column's name.</param>
    /// <exception cref="ArgumentException">The column is missing, not an integer column, or has nulls.</exception>
    public void Adapt(DataFrame data, string column) => Adapt(Column(data, column));

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        if (OutputMode == "int") return (long[])inputShape.Clone();
        if (!_table.HasVocabulary && !PadToMaxTokens)
            throw new InvalidOperationException(
                $"Layer \"{Name}\" (IntegerLookup) with outputMode \"{OutputMode}\" needs its vocabulary before it is built: pass vocabulary: [...] " +
                "or call Adapt(trainingData) first.");
        _frozenDepth = _table.Depth;
        return CategoricalEncoder.OutputShape(inputShape, OutputMode, _table.Depth);
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        var values = Values(x, $"The input of layer \"{Name}\" (IntegerLookup)");
        long[] result = Invert ? _table.Inverse(values) : _table.Lookup(values);
        using var ids = tensor(result, x.shape).to(x.device);
        if (OutputMode == "int") return ids.clone();
        using var idf = _table.IdfWeights is { } w ? tensor(w, device: x.device) : null;
        return CategoricalEncoder.Encode(ids, OutputMode, _table.Depth, idf);
    }

    private void CheckDepthUnchanged()
    {
        if (_frozenDepth is { } depth && _table.Depth != depth)
            throw new InvalidOperationException(
                $"Layer \"{Name}\" (IntegerLookup) was built for outputs {depth} wide; its new vocabulary gives {_table.Depth}. With outputMode " +
                $"\"{OutputMode}\" the vocabulary size cannot change after the layer is built (Keras says the same); create a new layer, or use padToMaxTokens.");
    }

    /// <summary>A tensor's values as int64 on the host; floats must hold whole numbers.</summary>
    private static long[] Values(Tensor data, string what)
    {
        using var scope = NewDisposeScope();
        var x = data.cpu();
        if (x.is_floating_point())
        {
            if (x.isnan().any().item<bool>() || (x != x.floor()).any().item<bool>())
                throw new ArgumentException($"{what} must hold integer values; it has fractional or NaN values.");
        }
        else if (x.dtype == ScalarType.Bool || x.is_complex())
        {
            throw new ArgumentException($"{what} must hold integer values; got dtype {x.dtype}.");
        }
        return x.to_type(ScalarType.Int64).contiguous().data<long>().ToArray();
    }

    private static List<long> Column(DataFrame data, string column)
    {
        var values = FrameColumns.Find(data, column);
        var type = values.DataType;
        if (type != typeof(long) && type != typeof(int) && type != typeof(short) && type != typeof(byte) && type != typeof(sbyte)
            && type != typeof(ushort) && type != typeof(uint))
            throw new ArgumentException(
                $"Column \"{column}\" has type {type.Name}; IntegerLookup reads integer columns (StringLookup reads string columns).", nameof(column));
        if (values.NullCount > 0)
            throw new ArgumentException(
                $"Column \"{column}\" has {values.NullCount} null value{(values.NullCount == 1 ? "" : "s")}; fill them first (e.g. column.FillNulls(-1)).",
                nameof(column));
        var list = new List<long>((int)values.Length);
        for (long i = 0; i < values.Length; i++) list.Add(Convert.ToInt64(values[i], System.Globalization.CultureInfo.InvariantCulture));
        return list;
    }
}
