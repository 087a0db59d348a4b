using System.Globalization;

namespace Sequential.Layers;

/// <summary>
/// The vocabulary logic of Keras's <c>IndexLookup</c> (the base of <c>StringLookup</c> and <c>IntegerLookup</c>): index
/// layout (mask, OOV indices, tokens), <c>adapt</c> by frequency with Keras's tie order, <c>set_vocabulary</c>'s rules
/// for special tokens, <c>max_tokens</c>, <c>pad_to_max_tokens</c>, inverse document frequencies for <c>tf_idf</c>, and
/// the OOV buckets. The layers hold one and convert their inputs to and from it.
/// </summary>
/// <typeparam name="T">The token type: string or long.</typeparam>
internal sealed class IndexLookupTable<T> where T : notnull
{
    private readonly IComparer<T> _tieOrder;
    private readonly Func<T, string> _text;
    private readonly string _layer;
    private readonly Dictionary<T, long> _index = [];
    private List<T> _tokens = [];
    private float[]? _idf;

    /// <summary>Creates an empty table; the arguments are Keras's and are validated by the layer.</summary>
    public IndexLookupTable(string layer, int? maxTokens, int numOovIndices, bool hasMask, T maskToken, T oovToken,
        string outputMode, bool padToMaxTokens, bool invert, string oovMethod, (long, long)? salt, IComparer<T> tieOrder,
        Func<T, string> text)
    {
        _layer = layer;
        MaxTokens = maxTokens;
        NumOovIndices = numOovIndices;
        HasMask = hasMask;
        MaskToken = maskToken;
        OovToken = oovToken;
        OutputMode = outputMode;
        PadToMaxTokens = padToMaxTokens;
        Invert = invert;
        OovMethod = oovMethod;
        Salt = salt;
        _tieOrder = tieOrder;
        _text = text;
    }

    public int? MaxTokens { get; }
    public int NumOovIndices { get; }
    public bool HasMask { get; }
    public T MaskToken { get; }
    public T OovToken { get; }
    public string OutputMode { get; }
    public bool PadToMaxTokens { get; }
    public bool Invert { get; }
    public string OovMethod { get; }
    public (long, long)? Salt { get; }

    /// <summary>Whether a vocabulary was given (it cannot be adapted then, as in Keras).</summary>
    public bool HasInputVocabulary { get; private set; }

    /// <summary>Whether the table has tokens (given or adapted).</summary>
    public bool HasVocabulary => _tokens.Count > 0;

    /// <summary>Keras's <c>_oov_start_index</c>: 1 with a mask token in int mode, else 0.</summary>
    public int OovStart => HasMask && OutputMode == "int" ? 1 : 0;

    /// <summary>Keras's <c>_token_start_index</c>.</summary>
    public int TokenStart => OovStart + NumOovIndices;

    /// <summary>Keras's <c>vocabulary_size()</c>.</summary>
    public int VocabularySize => TokenStart + _tokens.Count;

    /// <summary>The width of encoded outputs: <c>max_tokens</c> with <c>pad_to_max_tokens</c>, else the vocabulary size.</summary>
    public int Depth => PadToMaxTokens ? MaxTokens!.Value : VocabularySize;

    /// <summary>The tf_idf weights, <see cref="Depth"/> long, or null.</summary>
    public float[]? IdfWeights => _idf;

    /// <summary>Keras's <c>get_vocabulary(include_special_tokens)</c>.</summary>
    public List<T> GetVocabulary(bool includeSpecialTokens)
    {
        if (!includeSpecialTokens) return [.. _tokens];
        var all = new List<T>(VocabularySize);
        if (OovStart == 1) all.Add(MaskToken);
        all.AddRange(Enumerable.Repeat(OovToken, NumOovIndices));
        all.AddRange(_tokens);
        return all;
    }

    /// <summary>Keras's <c>set_vocabulary(vocabulary, idf_weights)</c>.</summary>
    /// <exception cref="ArgumentException">Keras's checks: empty, repeated or misplaced special tokens, too long, idf weights.</exception>
    public void SetVocabulary(IReadOnlyList<T> vocabulary, IReadOnlyList<double>? idfWeights, bool fromConstructor)
    {
        if (OutputMode == "tf_idf" && idfWeights is null)
            throw new ArgumentException(
                $"{_layer}: outputMode \"tf_idf\" with a given vocabulary needs idfWeights too (one per vocabulary entry).", nameof(idfWeights));
        if (OutputMode != "tf_idf" && idfWeights is not null)
            throw new ArgumentException(
                $"{_layer}: idfWeights should only be set if outputMode is \"tf_idf\"; got outputMode \"{OutputMode}\".", nameof(idfWeights));
        if (vocabulary.Count == 0)
            throw new ArgumentException($"{_layer}: cannot set an empty vocabulary.", nameof(vocabulary));
        var special = GetVocabulary(includeSpecialTokens: true).Take(TokenStart).ToList();
        bool foundSpecial = vocabulary.Count >= special.Count && vocabulary.Take(special.Count).SequenceEqual(special);
        var tokens = foundSpecial ? vocabulary.Skip(special.Count).ToList() : [.. vocabulary];
        if (tokens.Count == 0)
            throw new ArgumentException(
                $"{_layer}: the vocabulary holds only the special entries ({string.Join(", ", special.Select(_text))}); give at least one ordinary token.",
                nameof(vocabulary));
        var repeated = tokens.GroupBy(t => t).Where(g => g.Count() > 1).Select(g => _text(g.Key)).ToList();
        if (repeated.Count > 0)
            throw new ArgumentException(
                $"{_layer}: the vocabulary has at least one repeated term; give each once. The repeated terms are: {string.Join(", ", repeated)}.",
                nameof(vocabulary));
        if (HasMask && tokens.Contains(MaskToken))
            throw new ArgumentException(
                $"{_layer}: found the mask token {_text(MaskToken)} at an unexpected place in the vocabulary. The vocabulary does not need " +
                $"the mask and OOV tokens: remove them, or put them only at its start in this order: [{string.Join(", ", special.Select(_text))}].",
                nameof(vocabulary));
        if (Invert && tokens.Contains(OovToken))
            throw new ArgumentException(
                $"{_layer}: found the OOV token {_text(OovToken)} at an unexpected place in the vocabulary. Remove it, or put the special " +
                $"tokens only at the start in this order: [{string.Join(", ", special.Select(_text))}].", nameof(vocabulary));
        if (MaxTokens is { } max && TokenStart + tokens.Count > max)
            throw new ArgumentException(
                $"{_layer}: attempted to set a vocabulary larger than the maximum vocab size. Received vocabulary size is " +
                $"{TokenStart + tokens.Count}; maxTokens is {max}.", nameof(vocabulary));
        float[]? idf = null;
        if (idfWeights is not null)
        {
            if (idfWeights.Count != vocabulary.Count)
                throw new ArgumentException(
                    $"{_layer}: idfWeights must be as long as the vocabulary; it has {idfWeights.Count} values, the vocabulary {vocabulary.Count}.",
                    nameof(idfWeights));
            // Without special tokens, Keras pads the front with the average weight (no real document frequency for OOV).
            int front = foundSpecial ? 0 : TokenStart;
            double frontValue = foundSpecial ? 0 : idfWeights.Average();
            int back = PadToMaxTokens ? MaxTokens!.Value - front - idfWeights.Count : 0;
            idf = [.. Enumerable.Repeat((float)frontValue, front), .. idfWeights.Select(w => (float)w), .. new float[Math.Max(back, 0)]];
        }
        SetTokens(tokens, idf);
        if (fromConstructor) HasInputVocabulary = true;
    }

    /// <summary>
    /// Keras's <c>adapt</c>: counts every token (mask and OOV tokens left out), orders by count, most frequent first, ties by
    /// the tokens in descending order (<c>np.lexsort</c> reversed), keeps <c>max_tokens</c>; for tf_idf, counts documents.
    /// </summary>
    /// <param name="documents">The data, one document (a sample's tokens) per item.</param>
    public void Adapt(IEnumerable<IReadOnlyList<T>> documents)
    {
        EnsureAdaptable();
        var counts = new Dictionary<T, long>();
        var documentCounts = new Dictionary<T, long>();
        long numDocuments = 0;
        var seen = new HashSet<T>();
        foreach (var document in documents)
        {
            seen.Clear();
            foreach (var token in document)
            {
                counts[token] = counts.GetValueOrDefault(token) + 1;
                if (seen.Add(token)) documentCounts[token] = documentCounts.GetValueOrDefault(token) + 1;
            }
            numDocuments++;
        }
        Adapt(counts, t => documentCounts[t], numDocuments);
    }

    /// <summary>Throws when the table was given a vocabulary in the layer's constructor (Keras refuses to adapt then).</summary>
    public void EnsureAdaptable()
    {
        if (HasInputVocabulary)
            throw new InvalidOperationException(
                $"Cannot adapt {_layer} after setting a static vocabulary via the vocabulary argument; create it without one to adapt it.");
    }

    /// <summary>
    /// The second half of Keras's <c>adapt</c> (its <c>finalize_state</c>) for counts gathered by the caller: drops the mask and
    /// OOV tokens, orders by count (ties by the tokens in descending order), keeps <c>max_tokens</c>, computes tf_idf weights.
    /// </summary>
    /// <param name="counts">Occurrences of each token; the mask and OOV tokens are removed from it.</param>
    /// <param name="documentCount">For tf_idf: the number of documents a kept token occurs in.</param>
    /// <param name="numDocuments">For tf_idf: the number of documents (those without tokens too).</param>
    public void Adapt(Dictionary<T, long> counts, Func<T, long> documentCount, long numDocuments)
    {
        EnsureAdaptable();
        if (HasMask) counts.Remove(MaskToken);
        counts.Remove(OovToken);
        if (counts.Count == 0)
            throw new ArgumentException(
                $"Adapt of {_layer} needs at least one token that is not the mask or OOV token; the data had none.", "data");
        IEnumerable<T> ordered = counts.OrderByDescending(p => p.Value).ThenByDescending(p => p.Key, _tieOrder).Select(p => p.Key);
        if (MaxTokens is { } max) ordered = ordered.Take(max - TokenStart);
        var tokens = ordered.ToList();
        float[]? idf = null;
        if (OutputMode == "tf_idf")
        {
            // Keras: log(1 + num_documents / (1 + document_count)) in float64, cast to float32; OOV entries get the mean.
            var weights = tokens.Select(t => (float)Math.Log(1 + (double)numDocuments / (1 + documentCount(t)))).ToArray();
            float mean = (float)weights.Select(w => (double)w).Average();
            int back = PadToMaxTokens ? MaxTokens!.Value - TokenStart - weights.Length : 0;
            idf = [.. Enumerable.Repeat(mean, TokenStart), .. weights, .. new float[Math.Max(back, 0)]];
        }
        SetTokens(tokens, idf);
    }

    /// <summary>Token to index, for a caller that looks tokens up without making them first (a span lookup on strings).
    /// Read it only; it changes when the vocabulary does.</summary>
    public Dictionary<T, long> IndexMap => _index;

    /// <summary>The index of each token: Keras's <c>_lookup_dense</c>. A mask token in a non-int mode gives -1 (dropped).</summary>
    /// <exception cref="InvalidOperationException">No vocabulary yet.</exception>
    /// <exception cref="ArgumentException">An unknown token with no OOV indices.</exception>
    public long[] Lookup(IReadOnlyList<T> tokens)
    {
        EnsureVocabulary();
        var indices = new long[tokens.Count];
        for (int i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (HasMask && EqualityComparer<T>.Default.Equals(token, MaskToken)) indices[i] = OutputMode == "int" ? 0 : -1;
            else if (_index.TryGetValue(token, out long index)) indices[i] = index;
            else if (NumOovIndices == 1) indices[i] = OovStart;
            else if (NumOovIndices > 1) indices[i] = OovStart + OovBucket(token);
            else
                throw new ArgumentException(
                    $"{_layer}: when numOovIndices is 0 all inputs should be in the vocabulary; found the OOV value {_text(token)}. " +
                    "Consider setting numOovIndices: 1.", nameof(tokens));
        }
        return indices;
    }

    /// <summary>Keras's <c>invert=True</c> lookup: index -> token; unknown indices give the OOV token, 0 the mask token.</summary>
    public T[] Inverse(IReadOnlyList<long> indices)
    {
        EnsureVocabulary();
        var tokens = new T[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            long index = indices[i];
            tokens[i] = HasMask && index == 0 ? MaskToken
                : index >= TokenStart && index < VocabularySize ? _tokens[(int)(index - TokenStart)]
                : OovToken;
        }
        return tokens;
    }

    /// <summary>Throws when there is no vocabulary yet.</summary>
    public void EnsureVocabulary()
    {
        if (!HasVocabulary)
            throw new InvalidOperationException(
                $"{_layer} has no vocabulary: call Adapt(trainingData) or pass vocabulary: [...] to its constructor first.");
    }

    private long OovBucket(T token)
    {
        // Keras: integers with oov_method "floormod" use token % num_oov_indices; strings, and integers with "farmhash",
        // hash the (decimal) text with FarmHash64, or SipHash64 with a salt.
        if (token is long value && OovMethod == "floormod") return ((value % NumOovIndices) + NumOovIndices) % NumOovIndices;
        return KerasHash.Bucket(Format(token), NumOovIndices, Salt);
    }

    private void SetTokens(List<T> tokens, float[]? idf)
    {
        _tokens = tokens;
        _index.Clear();
        for (int i = 0; i < tokens.Count; i++) _index[tokens[i]] = TokenStart + i;
        _idf = idf;
    }

    /// <summary>A token as text in messages and for hashing: strings as they are, integers in decimal.</summary>
    public static string Format(object token) => token switch
    {
        string s => s,
        long l => l.ToString(CultureInfo.InvariantCulture),
        _ => token.ToString() ?? "",
    };
}
