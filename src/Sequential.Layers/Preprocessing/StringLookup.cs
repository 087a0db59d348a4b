using System.Text;
using Microsoft.Data.Analysis;
using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Maps strings to integer indices from a vocabulary (Keras's <c>StringLookup</c>), so that a categorical string
/// column can feed a model: <see cref="Apply(IReadOnlyList{string})"/> looks tokens up (<c>outputMode</c> <c>"int"</c>,
/// <c>"one_hot"</c>, <c>"multi_hot"</c>, <c>"count"</c> or <c>"tf_idf"</c>) and <see cref="Transform"/> replaces the
/// column of a DataFrame by its indices or encoding.
/// </summary>
/// <remarks>
/// <para>
/// Index layout, as in Keras: the mask token (when given, in int mode) is 0, then <c>numOovIndices</c> out-of-vocabulary
/// indices (default one: index 0 without a mask token), then the vocabulary. <see cref="Adapt(IEnumerable{string})"/>
/// orders the vocabulary by frequency, most frequent first, breaking ties as Keras does (<c>np.lexsort</c> reversed): by
/// the tokens' UTF-8 bytes in descending order. With several OOV indices an unknown token goes to the bucket Keras gives it
/// (FarmHash64 of its UTF-8 bytes, or SipHash64 with a <c>salt</c>). In a non-int mode the mask token encodes as zeros.
/// </para>
/// <para>
/// Unlike Keras's, this is not a model layer: tensors cannot hold strings, so the lookup runs on the host before the
/// data reaches the model, where Keras's guides put it too (in the <c>tf.data</c> pipeline, or FeatureSpace).
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var lookup = new StringLookup(outputMode: "one_hot");
/// lookup.Adapt(train, "thal");                         // learn the vocabulary from the training rows
/// train = lookup.Transform(train, "thal");             // "thal" becomes thal_[UNK], thal_normal, thal_reversible, ...
/// test = lookup.Transform(test, "thal");
///
/// // Keras: StringLookup(vocabulary=["a", "b", "c", "d"])([["a", "c", "d"], ["d", "z", "b"]]) -> [[1, 3, 4], [4, 0, 2]]
/// Tensor ids = new StringLookup(vocabulary: ["a", "b", "c", "d"]).Apply([["a", "c", "d"], ["d", "z", "b"]]);
/// </code>
/// </example>
public sealed class StringLookup
{
    private static readonly string[] OutputModes = ["int", "one_hot", "multi_hot", "count", "tf_idf"];

    private readonly IndexLookupTable<string> _table;

    /// <summary>Creates a lookup.</summary>
    /// <param name="vocabulary">A fixed vocabulary; null: learn one with <c>Adapt</c>. As in Keras, it may start with the
    /// special entries exactly as <see cref="GetVocabulary"/> returns them (the mask token, then the OOV token once per
    /// OOV index), which are then skipped.</param>
    /// <param name="numOovIndices">Indices reserved for out-of-vocabulary tokens (default 1). With 0, an unknown token throws.</param>
    /// <param name="maskToken">A token that maps to index 0 in int mode (padding) and to nothing in the other modes, or null
    /// for none (the default).</param>
    /// <param name="oovToken">The name of the OOV entry in <see cref="GetVocabulary"/> (default <c>"[UNK]"</c>).</param>
    /// <param name="outputMode"><c>"int"</c> (indices, the default), <c>"one_hot"</c>, <c>"multi_hot"</c>, <c>"count"</c> or
    /// <c>"tf_idf"</c> (counts times inverse document frequencies).</param>
    /// <param name="maxTokens">Largest vocabulary size counting the mask and OOV entries; null for no limit.</param>
    /// <param name="idfWeights">With <c>"tf_idf"</c> and a vocabulary: one inverse document frequency per vocabulary entry.</param>
    /// <param name="invert">Map indices back to tokens (<see cref="Apply(IReadOnlyList{long})"/>); int mode only.</param>
    /// <param name="padToMaxTokens">Encoded outputs are <paramref name="maxTokens"/> wide whatever the vocabulary size.</param>
    /// <param name="salt">One or two integers: hash OOV tokens with SipHash64 keyed by them instead of FarmHash64.</param>
    /// <exception cref="ArgumentException">Keras's checks on the arguments and the vocabulary.</exception>
    public StringLookup(IReadOnlyList<string>? vocabulary = null, int numOovIndices = 1, string? maskToken = null,
        string oovToken = "[UNK]", string outputMode = "int", int? maxTokens = null, IReadOnlyList<double>? idfWeights = null,
        bool invert = false, bool padToMaxTokens = false, IReadOnlyList<long>? salt = null)
    {
        ArgumentNullException.ThrowIfNull(oovToken);
        var mode = LookupArguments.Check("StringLookup", outputMode, OutputModes, maxTokens, numOovIndices, invert, padToMaxTokens);
        var key = LookupArguments.Salt("StringLookup", salt);
        _table = new IndexLookupTable<string>("StringLookup", maxTokens, numOovIndices, maskToken is not null, maskToken ?? "",
            oovToken, mode, padToMaxTokens, invert, "farmhash", key, Utf8Order.Instance, t => $"\"{t}\"");
        if (maxTokens is { } max && max <= _table.TokenStart)
            throw new ArgumentOutOfRangeException(nameof(maxTokens), maxTokens,
                $"maxTokens must leave room for a token after the {_table.TokenStart} mask and OOV entries; got {maxTokens}.");
        if (vocabulary is not null) SetVocabulary(vocabulary, idfWeights, fromConstructor: true);
        else if (idfWeights is not null)
            throw new ArgumentException("idfWeights were given without a vocabulary; give both, or neither and call Adapt.", nameof(idfWeights));
    }

    /// <summary>Indices reserved for out-of-vocabulary tokens.</summary>
    public int NumOovIndices => _table.NumOovIndices;

    /// <summary>The mask token, or null.</summary>
    public string? MaskToken => _table.HasMask ? _table.MaskToken : null;

    /// <summary>The name of the OOV entry in <see cref="GetVocabulary"/>.</summary>
    public string OovToken => _table.OovToken;

    /// <summary>The output mode, lower case: <c>int</c>, <c>one_hot</c>, <c>multi_hot</c>, <c>count</c> or <c>tf_idf</c>.</summary>
    public string OutputMode => _table.OutputMode;

    /// <summary>The largest vocabulary size (with the special entries), or null.</summary>
    public int? MaxTokens => _table.MaxTokens;

    /// <summary>Whether the lookup maps indices to tokens.</summary>
    public bool Invert => _table.Invert;

    /// <summary>Whether encoded outputs are <see cref="MaxTokens"/> wide.</summary>
    public bool PadToMaxTokens => _table.PadToMaxTokens;

    /// <summary>The SipHash key for OOV buckets (two integers), or null for FarmHash64.</summary>
    public IReadOnlyList<long>? Salt => _table.Salt is { } s ? [s.Item1, s.Item2] : null;

    /// <summary>The tf_idf weights, one per output position, or null.</summary>
    public IReadOnlyList<float>? IdfWeights => _table.IdfWeights;

    /// <summary>Whether the lookup has a vocabulary (given or adapted).</summary>
    public bool HasVocabulary => _table.HasVocabulary;

    /// <summary>The size of the index space: mask entry, OOV entries and tokens (Keras's <c>vocabulary_size()</c>).</summary>
    /// <returns>The number of distinct indices, i.e. the width of one-hot outputs (without padding).</returns>
    public int VocabularySize() => _table.VocabularySize;

    /// <summary>The vocabulary in index order (Keras's <c>get_vocabulary()</c>).</summary>
    /// <param name="includeSpecialTokens">Include the mask token (int mode) and the OOV entries (repeated once per OOV index).</param>
    /// <returns>Entry i is the token of index i.</returns>
    public IReadOnlyList<string> GetVocabulary(bool includeSpecialTokens = true) => _table.GetVocabulary(includeSpecialTokens);

    /// <summary>Sets the vocabulary (and, for tf_idf, the inverse document frequencies) directly (Keras's <c>set_vocabulary</c>).</summary>
    /// <param name="vocabulary">The tokens, optionally preceded by the special entries as <see cref="GetVocabulary"/> lists them.</param>
    /// <param name="idfWeights">For tf_idf: one weight per vocabulary entry.</param>
    /// <exception cref="ArgumentException">Keras's checks: empty, repeated terms, a misplaced mask token, too many tokens, idf weights.</exception>
    public void SetVocabulary(IReadOnlyList<string> vocabulary, IReadOnlyList<double>? idfWeights = null) =>
        SetVocabulary(vocabulary, idfWeights, fromConstructor: false);

    private void SetVocabulary(IReadOnlyList<string> vocabulary, IReadOnlyList<double>? idfWeights, bool fromConstructor)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        if (vocabulary.Any(t => t is null)) throw new ArgumentException("The vocabulary contains a null token.", nameof(vocabulary));
        _table.SetVocabulary(vocabulary, idfWeights, fromConstructor);
    }

    /// <summary>Learns the vocabulary: every distinct token, most frequent first (Keras's <c>adapt</c> on a list of strings,
    /// each one a sample; for tf_idf each is a document).</summary>
    /// <param name="data">The tokens, one per row; the mask and OOV tokens are not counted.</param>
    /// <exception cref="ArgumentException">A token is null, or there are no tokens.</exception>
    /// <exception cref="InvalidOperationException">The lookup was given a vocabulary in its constructor.</exception>
    public void Adapt(IEnumerable<string> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _table.Adapt(NoNulls(data, nameof(data)).Select(token => (IReadOnlyList<string>)[token]));
    }

    /// <summary>Learns the vocabulary from samples of several tokens each (Keras's <c>adapt</c> on a 2-D string array;
    /// for tf_idf each sample is a document).</summary>
    /// <param name="data">The samples.</param>
    /// <exception cref="ArgumentException">A token is null, or there are no tokens.</exception>
    /// <exception cref="InvalidOperationException">The lookup was given a vocabulary in its constructor.</exception>
    public void Adapt(IEnumerable<IReadOnlyList<string>> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _table.Adapt(data.Select(row => (IReadOnlyList<string>)[.. NoNulls(row ?? throw new ArgumentException("A sample is null.", nameof(data)), nameof(data))]));
    }

    /// <summary>Learns the vocabulary from a string column of a DataFrame.</summary>
    /// <param name="data">The rows to learn from, usually the training frame only.</param>
    /// <param name="column">The name of a string column.</param>
    /// <exception cref="ArgumentException">The column is missing (the message lists the columns), not a string column, or has nulls.</exception>
    public void Adapt(DataFrame data, string column) => Adapt(Strings(data, column));

    /// <summary>Looks tokens up, one per sample (Keras's <c>layer(tokens)</c> on a list of strings).</summary>
    /// <param name="tokens">One token per row.</param>
    /// <returns><c>int</c> mode: int64 <c>[rows]</c> indices (unknown tokens: the OOV index, 0 by default); other modes: float32
    /// <c>[rows, depth]</c> encodings (depth: <see cref="VocabularySize"/>, or <c>maxTokens</c> with padding).</returns>
    /// <exception cref="InvalidOperationException">No vocabulary yet, or the lookup inverts.</exception>
    /// <exception cref="ArgumentException">A token is null, or unknown with <c>numOovIndices: 0</c>.</exception>
    public Tensor Lookup(IEnumerable<string> tokens) => Apply([.. NoNulls(tokens ?? throw new ArgumentNullException(nameof(tokens)), nameof(tokens))]);

    /// <summary>Looks tokens up, one per sample (Keras's <c>layer(tokens)</c>).</summary>
    /// <param name="tokens">One token per row.</param>
    /// <returns>As <see cref="Lookup"/>.</returns>
    /// <exception cref="InvalidOperationException">No vocabulary yet, or the lookup inverts.</exception>
    /// <exception cref="ArgumentException">A token is null, or unknown with <c>numOovIndices: 0</c>.</exception>
    public Tensor Apply(IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var indices = Indices([.. NoNulls(tokens, nameof(tokens))]);
        using var ids = tensor(indices, [indices.LongLength]);
        return OutputMode == "int" ? ids.clone() : Encode(ids);
    }

    /// <summary>Looks up samples of several tokens each (Keras's <c>layer(tokens)</c> on a 2-D string array).</summary>
    /// <param name="samples">The samples; in int and one_hot modes they must all have the same number of tokens.</param>
    /// <returns><c>int</c>: int64 <c>[rows, tokens]</c>; <c>one_hot</c>: float32 <c>[rows, tokens, depth]</c>; <c>multi_hot</c>,
    /// <c>count</c>, <c>tf_idf</c>: float32 <c>[rows, depth]</c>.</returns>
    /// <exception cref="InvalidOperationException">No vocabulary yet, or the lookup inverts.</exception>
    /// <exception cref="ArgumentException">A token is null, rows of different lengths in int or one_hot mode, or an unknown token with
    /// <c>numOovIndices: 0</c>.</exception>
    public Tensor Apply(IEnumerable<IReadOnlyList<string>> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var rows = samples.Select(row => row ?? throw new ArgumentException("A sample is null.", nameof(samples))).ToList();
        var lengths = rows.Select(r => r.Count).Distinct().ToList();
        if (lengths.Count == 1)
        {
            var indices = Indices([.. rows.SelectMany(r => NoNulls(r, nameof(samples)))]);
            using var ids = tensor(indices, [rows.Count, lengths[0]]);
            return OutputMode == "int" ? ids.clone() : Encode(ids);
        }
        if (OutputMode is "int" or "one_hot" || rows.Count == 0)
            throw new ArgumentException(
                $"The samples have different numbers of tokens ({string.Join(", ", lengths.Take(5))}); outputMode \"{OutputMode}\" needs " +
                "them all the same length (pad them with the mask token).", nameof(samples));
        // Ragged samples in a reducing mode: encode each and stack.
        var encoded = rows.Select(r => Apply((IEnumerable<IReadOnlyList<string>>)[r])).ToList();
        try { return cat(encoded, 0); }
        finally { foreach (var t in encoded) t.Dispose(); }
    }

    /// <summary>Maps indices back to tokens (Keras's <c>StringLookup(invert=True)</c>): 0 is the mask token when there is
    /// one, unknown indices give the OOV token.</summary>
    /// <param name="indices">The indices.</param>
    /// <returns>The tokens.</returns>
    /// <exception cref="InvalidOperationException">The lookup was not created with <c>invert: true</c>, or has no vocabulary.</exception>
    public string[] Apply(IReadOnlyList<long> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (!Invert)
            throw new InvalidOperationException("This StringLookup maps tokens to indices; create one with invert: true to map indices back.");
        return _table.Inverse(indices);
    }

    /// <summary>
    /// Returns a copy of <paramref name="data"/> in which a string column is replaced, at the same position, by its
    /// lookup: <c>int</c> mode, an int64 column of the same name; other modes, one float column per index named
    /// <c>{column}_{token}</c> in <see cref="GetVocabulary"/> order (OOV entries <c>{column}_[UNK]</c>, or
    /// <c>{column}_[UNK]_{i}</c> when there are several; padding positions <c>{column}_{index}</c>).
    /// </summary>
    /// <param name="data">The frame; it is not changed.</param>
    /// <param name="column">The name of a string column.</param>
    /// <returns>The new frame, ready for <c>Fit</c>, <c>Evaluate</c> or <c>Predict</c>.</returns>
    /// <exception cref="InvalidOperationException">No vocabulary yet.</exception>
    /// <exception cref="ArgumentException">The column is missing, not a string column, or has nulls; or an output
    /// column name is already taken.</exception>
    public DataFrame Transform(DataFrame data, string column)
    {
        var tokens = Strings(data, column);
        int position = data.Columns.IndexOf(column);
        List<DataFrameColumn> replacement;
        if (OutputMode == "int")
        {
            replacement = [new Int64DataFrameColumn(column, Indices(tokens))];
        }
        else
        {
            using var encoded = Apply(tokens);
            var values = encoded.data<float>().ToArray();
            int width = (int)encoded.shape[1];
            var vocabulary = GetVocabulary();
            replacement = [];
            for (int i = 0; i < width; i++)
            {
                string name = i >= vocabulary.Count ? $"{column}_{i}"
                    : i >= _table.OovStart && i < _table.TokenStart && NumOovIndices > 1 ? $"{column}_{OovToken}_{i - _table.OovStart}"
                    : $"{column}_{vocabulary[i]}";
                int index = i;
                replacement.Add(new SingleDataFrameColumn(name, Enumerable.Range(0, tokens.Count).Select(row => values[(long)row * width + index])));
            }
        }
        var result = data.Clone();
        result.Columns.RemoveAt(position);
        foreach (var added in replacement)
        {
            if (result.Columns.IndexOf(added.Name) >= 0)
                throw new ArgumentException(
                    $"Transform would add column \"{added.Name}\", but the DataFrame already has one; rename that column first.", nameof(data));
        }
        for (int i = 0; i < replacement.Count; i++) result.Columns.Insert(position + i, replacement[i]);
        return result;
    }

    private long[] Indices(IReadOnlyList<string> tokens)
    {
        if (Invert)
            throw new InvalidOperationException("This StringLookup was created with invert: true: it maps indices to tokens; pass indices.");
        return _table.Lookup(tokens);
    }

    private Tensor Encode(Tensor ids)
    {
        using var idf = _table.IdfWeights is { } w ? tensor(w) : null;
        return CategoricalEncoder.Encode(ids, OutputMode, _table.Depth, idf);
    }

    private static IEnumerable<string> NoNulls(IEnumerable<string> tokens, string parameter)
    {
        long nulls = 0;
        var list = new List<string>();
        foreach (var token in tokens)
        {
            if (token is null) nulls++;
            else list.Add(token);
        }
        if (nulls > 0)
            throw new ArgumentException(
                $"The data has {nulls} null value{(nulls == 1 ? "" : "s")}; fill them first (e.g. column.FillNulls(\"missing\")).", parameter);
        return list;
    }

    private static List<string> Strings(DataFrame data, string column) => FrameColumns.Strings(data, column, "StringLookup");
}
