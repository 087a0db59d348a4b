using System.Text;
using Microsoft.Data.Analysis;
using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Maps strings to integer indices from a vocabulary (Keras's <c>StringLookup</c>), so that a categorical string
/// column can feed a model: <see cref="Transform"/> replaces the column of a DataFrame by its indices
/// (<c>outputMode: "int"</c>) or by one 0/1 column per vocabulary entry (<c>"one_hot"</c>).
/// </summary>
/// <remarks>
/// <para>
/// Index layout, as in Keras: the mask token (when given) is 0, then <c>numOovIndices</c> out-of-vocabulary indices
/// (default one: index 0 without a mask token), then the vocabulary. <see cref="Adapt(IEnumerable{string})"/> orders
/// the vocabulary by frequency, most frequent first, breaking ties as Keras does (<c>np.lexsort</c> reversed): by the
/// tokens' UTF-8 bytes in descending order.
/// </para>
/// <para>
/// Unlike Keras's, this is not a model layer: tensors cannot hold strings, so the lookup runs on the host before the
/// data reaches the model (where Keras's guide puts preprocessing anyway, in the <c>tf.data</c> pipeline). With more
/// than one OOV index, unknown tokens are spread by a 64-bit FNV-1a hash of their UTF-8 bytes, not by Keras's FarmHash,
/// so the bucket of a given token differs from Keras's.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var lookup = new StringLookup(outputMode: "one_hot");
/// lookup.Adapt(train, "thal");                         // learn the vocabulary from the training rows
/// train = lookup.Transform(train, "thal");             // "thal" becomes thal_[UNK], thal_normal, thal_reversible, ...
/// test = lookup.Transform(test, "thal");
/// model.Fit(train, labelColumn: "target", epochs: 20);
/// </code>
/// </example>
public sealed class StringLookup
{
    private static readonly string[] OutputModes = ["int", "one_hot", "multi_hot", "count"];

    private readonly Dictionary<string, long> _index = new(StringComparer.Ordinal);
    private List<string> _vocabulary = [];

    /// <summary>Creates a lookup.</summary>
    /// <param name="vocabulary">A fixed vocabulary; null: learn one with <c>Adapt</c>. As in Keras, it may start with the
    /// special entries exactly as <see cref="GetVocabulary"/> returns them (the mask token, then the OOV token once per
    /// OOV index), which are then skipped; anywhere else a special token is refused.</param>
    /// <param name="numOovIndices">Indices reserved for out-of-vocabulary tokens (default 1). With 0, an unknown token throws.</param>
    /// <param name="maskToken">A token that maps to index 0 (padding), or null for none (the default).</param>
    /// <param name="oovToken">The name of the OOV entry in <see cref="GetVocabulary"/> (default <c>"[UNK]"</c>).</param>
    /// <param name="outputMode"><c>"int"</c> (indices, the default), or <c>"one_hot"</c>; <c>"multi_hot"</c> and <c>"count"</c>
    /// give the same as <c>"one_hot"</c> for one token per row.</param>
    /// <param name="maxTokens">Largest vocabulary size counting the mask and OOV entries; null for no limit.</param>
    /// <exception cref="ArgumentException">An unknown output mode, a mask token with a non-int mode, a negative count, or a
    /// vocabulary with duplicates or special tokens.</exception>
    public StringLookup(IReadOnlyList<string>? vocabulary = null, int numOovIndices = 1, string? maskToken = null,
        string oovToken = "[UNK]", string outputMode = "int", int? maxTokens = null)
    {
        ArgumentNullException.ThrowIfNull(oovToken);
        ArgumentNullException.ThrowIfNull(outputMode);
        if (numOovIndices < 0)
            throw new ArgumentOutOfRangeException(nameof(numOovIndices), numOovIndices, $"numOovIndices must be >= 0; got {numOovIndices}.");
        OutputMode = outputMode.ToLowerInvariant();
        if (!OutputModes.Contains(OutputMode))
            throw new ArgumentException(
                $"Unknown outputMode \"{outputMode}\" for StringLookup; accepted: {string.Join(", ", OutputModes.Select(m => $"\"{m}\""))}.",
                nameof(outputMode));
        if (maskToken is not null && OutputMode != "int")
            throw new ArgumentException(
                $"maskToken is only supported with outputMode \"int\" here; got outputMode \"{outputMode}\".", nameof(maskToken));
        NumOovIndices = numOovIndices;
        MaskToken = maskToken;
        OovToken = oovToken;
        MaxTokens = maxTokens;
        if (maxTokens is { } max && max <= TokenStart)
            throw new ArgumentOutOfRangeException(nameof(maxTokens), maxTokens,
                $"maxTokens must leave room for a token after the {TokenStart} mask and OOV entries; got {maxTokens}.");
        if (vocabulary is not null) SetVocabulary(vocabulary);
    }

    /// <summary>Indices reserved for out-of-vocabulary tokens.</summary>
    public int NumOovIndices { get; }

    /// <summary>The token mapped to 0, or null.</summary>
    public string? MaskToken { get; }

    /// <summary>The name of the OOV entry in <see cref="GetVocabulary"/>.</summary>
    public string OovToken { get; }

    /// <summary>The output mode, lower case: <c>int</c>, <c>one_hot</c>, <c>multi_hot</c> or <c>count</c>.</summary>
    public string OutputMode { get; }

    /// <summary>The largest vocabulary size (with the special entries), or null.</summary>
    public int? MaxTokens { get; }

    /// <summary>Whether the lookup has a vocabulary (given or adapted).</summary>
    public bool HasVocabulary => _vocabulary.Count > 0;

    private int TokenStart => (MaskToken is null ? 0 : 1) + NumOovIndices;

    /// <summary>The size of the index space: mask entry, OOV entries and tokens (Keras's <c>vocabulary_size()</c>).</summary>
    /// <returns>The number of distinct indices, i.e. the width of one-hot outputs.</returns>
    public int VocabularySize() => TokenStart + _vocabulary.Count;

    /// <summary>The vocabulary in index order (Keras's <c>get_vocabulary()</c>).</summary>
    /// <param name="includeSpecialTokens">Include the mask token and the OOV entries (repeated once per OOV index).</param>
    /// <returns>Entry i is the token of index i.</returns>
    public IReadOnlyList<string> GetVocabulary(bool includeSpecialTokens = true)
    {
        if (!includeSpecialTokens) return [.. _vocabulary];
        var all = new List<string>(VocabularySize());
        if (MaskToken is not null) all.Add(MaskToken);
        all.AddRange(Enumerable.Repeat(OovToken, NumOovIndices));
        all.AddRange(_vocabulary);
        return all;
    }

    /// <summary>Learns the vocabulary: every distinct token, most frequent first (Keras's <c>adapt</c>).</summary>
    /// <param name="data">The tokens, one per row; the mask and OOV tokens are not counted.</param>
    /// <exception cref="ArgumentException">A token is null, or there are no tokens.</exception>
    public void Adapt(IEnumerable<string> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        long nulls = 0;
        foreach (var token in data)
        {
            if (token is null) { nulls++; continue; }
            if (token == MaskToken || token == OovToken) continue;
            counts[token] = counts.GetValueOrDefault(token) + 1;
        }
        if (nulls > 0)
            throw new ArgumentException(
                $"The data has {nulls} null value{(nulls == 1 ? "" : "s")}; fill them first (e.g. column.FillNulls(\"missing\")).", nameof(data));
        if (counts.Count == 0)
            throw new ArgumentException("Adapt needs at least one token that is not the mask or OOV token; the data had none.", nameof(data));
        var ordered = counts
            .Select(pair => (pair.Key, Count: pair.Value, Bytes: Encoding.UTF8.GetBytes(pair.Key)))
            .OrderByDescending(t => t.Count)
            .ThenByDescending(t => t.Bytes, Utf8Order.Instance)
            .Select(t => t.Key);
        if (MaxTokens is { } max) ordered = ordered.Take(max - TokenStart);
        SetVocabulary([.. ordered]);
    }

    /// <summary>Learns the vocabulary from a string column of a DataFrame.</summary>
    /// <param name="data">The rows to learn from, usually the training frame only.</param>
    /// <param name="column">The name of a string column.</param>
    /// <exception cref="ArgumentException">The column is missing (the message lists the columns), not a string column, or has nulls.</exception>
    public void Adapt(DataFrame data, string column) => Adapt(Strings(data, column));

    /// <summary>Looks tokens up (Keras's <c>layer(tokens)</c>).</summary>
    /// <param name="tokens">One token per row.</param>
    /// <returns><c>int</c> mode: int64 <c>[rows]</c> indices (unknown tokens: the OOV index, 0 by default); other modes: float32
    /// <c>[rows, VocabularySize()]</c> with a 1 at each row's index.</returns>
    /// <exception cref="InvalidOperationException">No vocabulary yet.</exception>
    /// <exception cref="ArgumentException">A token is null, or unknown with <c>numOovIndices: 0</c>.</exception>
    public Tensor Lookup(IEnumerable<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var indices = Indices(tokens);
        if (OutputMode == "int") return tensor(indices, [indices.LongLength]);
        int width = VocabularySize();
        var values = new float[indices.LongLength * width];
        for (long row = 0; row < indices.LongLength; row++) values[row * width + indices[row]] = 1f;
        return tensor(values, [indices.LongLength, width]);
    }

    /// <summary>
    /// Returns a copy of <paramref name="data"/> in which a string column is replaced, at the same position, by its
    /// lookup: <c>int</c> mode, an int64 column of the same name; other modes, one float column per index named
    /// <c>{column}_{token}</c> in <see cref="GetVocabulary"/> order (OOV entries <c>{column}_[UNK]</c>, or
    /// <c>{column}_[UNK]_{i}</c> when there are several).
    /// </summary>
    /// <param name="data">The frame; it is not changed.</param>
    /// <param name="column">The name of a string column.</param>
    /// <returns>The new frame, ready for <c>Fit</c>, <c>Evaluate</c> or <c>Predict</c>.</returns>
    /// <exception cref="InvalidOperationException">No vocabulary yet.</exception>
    /// <exception cref="ArgumentException">The column is missing, not a string column, or has nulls; or an output
    /// column name is already taken.</exception>
    public DataFrame Transform(DataFrame data, string column)
    {
        var indices = Indices(Strings(data, column));
        int position = data.Columns.IndexOf(column);
        List<DataFrameColumn> replacement;
        if (OutputMode == "int")
        {
            replacement = [new Int64DataFrameColumn(column, indices)];
        }
        else
        {
            var vocabulary = GetVocabulary();
            replacement = [];
            for (int i = 0; i < vocabulary.Count; i++)
            {
                string name = i >= (MaskToken is null ? 0 : 1) && i < TokenStart && NumOovIndices > 1
                    ? $"{column}_{OovToken}_{i - (MaskToken is null ? 0 : 1)}"
                    : $"{column}_{vocabulary[i]}";
                int index = i;
                replacement.Add(new SingleDataFrameColumn(name, indices.Select(v => v == index ? 1f : 0f)));
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

    private void SetVocabulary(IReadOnlyList<string> vocabulary)
    {
        // Keras's set_vocabulary: a vocabulary that starts with exactly the special entries (what get_vocabulary()
        // returns: the mask token, then the OOV token once per OOV index) is taken without them.
        string[] special = [.. (MaskToken is null ? [] : new[] { MaskToken }), .. Enumerable.Repeat(OovToken, NumOovIndices)];
        if (special.Length > 0 && vocabulary.Count >= special.Length && vocabulary.Take(special.Length).SequenceEqual(special, StringComparer.Ordinal))
        {
            vocabulary = [.. vocabulary.Skip(special.Length)];
            if (vocabulary.Count == 0)
                throw new ArgumentException(
                    $"The vocabulary holds only the special entries ({string.Join(", ", special.Select(t => $"\"{t}\""))}); give at least one ordinary token.",
                    nameof(vocabulary));
        }
        var duplicate = vocabulary.GroupBy(t => t, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"The vocabulary contains \"{duplicate.Key}\" more than once.", nameof(vocabulary));
        foreach (var token in vocabulary)
        {
            if (token is null) throw new ArgumentException("The vocabulary contains a null token.", nameof(vocabulary));
            if (token == MaskToken || token == OovToken)
                throw new ArgumentException(
                    $"The vocabulary contains the special token \"{token}\"; give only the ordinary tokens (the mask and OOV entries are added).",
                    nameof(vocabulary));
        }
        if (MaxTokens is { } max && TokenStart + vocabulary.Count > max)
            throw new ArgumentException(
                $"The vocabulary has {vocabulary.Count} tokens, more than maxTokens {max} allows after the {TokenStart} special entries.", nameof(vocabulary));
        _vocabulary = [.. vocabulary];
        _index.Clear();
        for (int i = 0; i < _vocabulary.Count; i++) _index[_vocabulary[i]] = TokenStart + i;
    }

    private long[] Indices(IEnumerable<string> tokens)
    {
        if (!HasVocabulary)
            throw new InvalidOperationException(
                "StringLookup has no vocabulary: call Adapt(trainingTokens) or pass vocabulary: [...] to the constructor first.");
        var list = tokens as IReadOnlyList<string> ?? [.. tokens];
        var indices = new long[list.Count];
        long nulls = 0;
        int maskOffset = MaskToken is null ? 0 : 1;
        for (int i = 0; i < list.Count; i++)
        {
            var token = list[i];
            if (token is null) { nulls++; continue; }
            if (_index.TryGetValue(token, out long index)) indices[i] = index;
            else if (token == MaskToken) indices[i] = 0;
            else if (NumOovIndices == 1) indices[i] = maskOffset;
            else if (NumOovIndices > 1) indices[i] = maskOffset + (long)(Fnv1a(token) % (ulong)NumOovIndices);
            else
                throw new ArgumentException(
                    $"Token \"{token}\" is not in the vocabulary and numOovIndices is 0; add it to the vocabulary or allow OOV indices.", nameof(tokens));
        }
        if (nulls > 0)
            throw new ArgumentException(
                $"The data has {nulls} null value{(nulls == 1 ? "" : "s")}; fill them first (e.g. column.FillNulls(\"missing\")).", nameof(tokens));
        return indices;
    }

    private static List<string> Strings(DataFrame data, string column)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(column);
        int position = data.Columns.IndexOf(column);
        if (position < 0)
            throw new ArgumentException(
                $"The DataFrame has no column \"{column}\". Its columns are: {string.Join(", ", data.Columns.Select(c => $"\"{c.Name}\""))}.",
                nameof(column));
        var values = data.Columns[position];
        if (values is not StringDataFrameColumn strings)
            throw new ArgumentException(
                $"Column \"{column}\" has type {values.DataType.Name}; StringLookup reads string columns. Numeric columns can go to Fit as they are.",
                nameof(column));
        if (strings.NullCount > 0)
            throw new ArgumentException(
                $"Column \"{column}\" has {strings.NullCount} null value{(strings.NullCount == 1 ? "" : "s")}; fill them first (e.g. column.FillNulls(\"missing\")).",
                nameof(column));
        var list = new List<string>((int)strings.Length);
        for (long i = 0; i < strings.Length; i++) list.Add(strings[i]);
        return list;
    }

    private static ulong Fnv1a(string token)
    {
        ulong hash = 14695981039346656037;
        foreach (byte b in Encoding.UTF8.GetBytes(token)) hash = (hash ^ b) * 1099511628211;
        return hash;
    }

    /// <summary>Byte-wise comparison of UTF-8 encodings (numpy's order for bytes tokens).</summary>
    private sealed class Utf8Order : IComparer<byte[]>
    {
        public static readonly Utf8Order Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
