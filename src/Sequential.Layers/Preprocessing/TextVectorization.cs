using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Analysis;
using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Turns raw text into token indices or bag-of-words vectors (Keras's <c>TextVectorization</c>): each document is
/// standardized (lowercased, punctuation stripped), split into words (or characters), optionally combined into ngrams, and
/// looked up in a vocabulary that <see cref="Adapt(IEnumerable{string})"/> learns or that is given.
/// </summary>
/// <remarks>
/// <para>
/// Index layout, as in Keras: in <c>"int"</c> mode 0 is padding (the mask token <c>""</c>) and 1 is <c>"[UNK]"</c>, then the
/// vocabulary, most frequent token first, ties broken by the tokens' UTF-8 bytes in descending order (as Keras's
/// <c>adapt</c>); in the other modes index 0 is <c>"[UNK]"</c>. <c>maxTokens</c> counts these special entries.
/// </para>
/// <para>
/// Text is handled as Keras 3 handles it on TensorFlow: <c>"lower"</c> lowercases the ASCII letters A-Z only (Keras's
/// <c>tf.strings.lower</c> without an encoding), so <c>"Élan"</c> stays <c>"Élan"</c>; <c>"strip_punctuation"</c> removes
/// the 32 ASCII symbols of Python's <c>string.punctuation</c> and keeps every other character (<c>«</c>, <c>—</c>, <c>é</c>);
/// <c>"whitespace"</c> splits on ASCII whitespace (space, tab, line feed, vertical tab, form feed, carriage return), not on a
/// no-break space; <c>"character"</c> splits into Unicode code points. An empty document has no tokens: in int mode its row is
/// all padding. Use a <c>standardizeFunction</c> for Unicode lowercasing (<c>s =&gt; s.ToLowerInvariant()</c>).
/// </para>
/// <para>
/// It runs on the host, in a Dataset's <c>Map</c> or before <c>Fit</c>/<c>Predict</c>, which is where Keras's guides put
/// it for training. <see cref="Apply(IReadOnlyList{string})"/> may be called from several threads at once (it only reads
/// the vocabulary), so it fits a parallel <c>Map</c>: on batched elements
/// <c>ds.Map(e =&gt; new Element(vectorize.Apply(e.X.Strings), e.Y))</c> gives <c>[batch, length]</c>, on single elements
/// <c>vectorize.Apply(e.X.Strings.Value)</c> gives <c>[length]</c>.
/// </para>
/// <para>
/// It is also a layer, for Keras's "end-to-end model" that takes raw strings: apply it to a string Input
/// (<c>new Input(shape: [1], dtype: "string")</c>), and the model, fed a Dataset of strings, vectorizes each batch before
/// its other layers; saved whole, the model keeps the vocabulary in its configuration. The strings reach it attached to a
/// carrier tensor (<see cref="StringInputs"/>), since libtorch has no string tensors.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var vectorize = new TextVectorization(maxTokens: 20000, outputMode: "int", outputSequenceLength: 500);
/// vectorize.Adapt(trainTexts);                                      // learn the vocabulary
/// Tensor ids = vectorize.Apply(["The movie was great!"]);          // int64 [1, 500]
///
/// // Keras's docstring: adapt(["foo bar", "bar baz", "baz bada boom"]), then [["foo qux bar"], ["qux baz"]] -> [[4, 1, 3, 0], [1, 2, 0, 0]]
///
/// // Keras's end-to-end model: raw strings in, predictions out.
/// var inputs = new Input(shape: [1], dtype: "string");
/// var endToEnd = new Model(inputs, model.Apply(vectorize.Apply(inputs)));
/// </code>
/// </example>
public sealed class TextVectorization : Layer
{
    private static readonly string[] OutputModes = ["int", "multi_hot", "count", "tf_idf"];
    private static readonly string[] Standardizations = ["lower_and_strip_punctuation", "lower", "strip_punctuation"];
    private static readonly string[] Splits = ["whitespace", "character"];

    private readonly IndexLookupTable<string> _table;
    private readonly TextTokenizer _tokenizer;

    /// <summary>Creates the layer.</summary>
    /// <param name="maxTokens">Largest vocabulary size, counting the padding and OOV entries (in int mode the vocabulary keeps
    /// <c>maxTokens - 2</c> tokens); null for no limit.</param>
    /// <param name="standardize"><c>"lower_and_strip_punctuation"</c> (the default), <c>"lower"</c>, <c>"strip_punctuation"</c>
    /// or null for none.</param>
    /// <param name="split"><c>"whitespace"</c> (the default), <c>"character"</c>, or null: each document is one token.</param>
    /// <param name="ngrams">Also make ngrams up to this width (2: words and pairs of words); null for none.</param>
    /// <param name="outputMode"><c>"int"</c> (token indices, the default), <c>"multi_hot"</c> (1 where a token occurs),
    /// <c>"count"</c> (occurrences) or <c>"tf_idf"</c> (occurrences times the inverse document frequency).</param>
    /// <param name="outputSequenceLength">Int mode only: pad with 0 or cut each row to this many tokens; null: as long as the
    /// longest document of the call.</param>
    /// <param name="padToMaxTokens">Non-int modes: make the output <paramref name="maxTokens"/> wide whatever the vocabulary size.</param>
    /// <param name="vocabulary">A fixed vocabulary (then no Adapt), optionally starting with the special entries as
    /// <see cref="GetVocabulary"/> returns them.</param>
    /// <param name="idfWeights">With <c>"tf_idf"</c> and a vocabulary: one weight per vocabulary entry.</param>
    /// <param name="ngramWidths">Instead of <paramref name="ngrams"/>: exactly these widths, in this order (Keras's tuple,
    /// e.g. <c>[1, 3]</c> for words and triples).</param>
    /// <param name="standardizeFunction">Replaces <paramref name="standardize"/>: receives each raw document, returns it standardized.</param>
    /// <param name="splitFunction">Replaces <paramref name="split"/>: receives each standardized document, returns its tokens.</param>
    /// <param name="name">The layer's name in a model; default <c>text_vectorization</c>.</param>
    /// <exception cref="ArgumentException">Keras's checks on the arguments and the vocabulary, with its messages.</exception>
    public TextVectorization(int? maxTokens = null, string? standardize = "lower_and_strip_punctuation", string? split = "whitespace",
        int? ngrams = null, string outputMode = "int", int? outputSequenceLength = null, bool padToMaxTokens = false,
        IReadOnlyList<string>? vocabulary = null, IReadOnlyList<double>? idfWeights = null, IReadOnlyList<int>? ngramWidths = null,
        Func<string, string>? standardizeFunction = null, Func<string, IEnumerable<string>>? splitFunction = null, string? name = null)
        : base(name)
    {
        if (standardize is not null && !Standardizations.Contains(standardize))
            throw new ArgumentException(
                $"Unknown standardize \"{standardize}\" for TextVectorization; accepted: {Quote(Standardizations)}, null, or a standardizeFunction.",
                nameof(standardize));
        if (split is not null && !Splits.Contains(split))
            throw new ArgumentException(
                $"Unknown split \"{split}\" for TextVectorization; accepted: {Quote(Splits)}, null, or a splitFunction.", nameof(split));
        if (outputMode?.ToLowerInvariant() == "one_hot")
            throw new ArgumentException(
                "TextVectorization's outputMode \"one_hot\" runs on Keras's TensorFlow backend only and is not supported here; use \"int\" " +
                "and a one-hot encoding of the indices, or \"multi_hot\".", nameof(outputMode));
        var mode = LookupArguments.Check("TextVectorization", outputMode!, OutputModes, maxTokens, 1, false, padToMaxTokens);
        if (ngrams is not null && ngramWidths is not null)
            throw new ArgumentException("Give ngrams (up to a width) or ngramWidths (exact widths), not both.", nameof(ngramWidths));
        if (ngrams is < 1)
            throw new ArgumentOutOfRangeException(nameof(ngrams), ngrams, $"ngrams must be 1 or more (2: words and pairs); got {ngrams}.");
        if (ngramWidths is not null && (ngramWidths.Count == 0 || ngramWidths.Any(w => w < 1)))
            throw new ArgumentException(
                $"ngramWidths must hold widths of 1 or more; got [{string.Join(", ", ngramWidths)}].", nameof(ngramWidths));
        if (mode == "int" && outputSequenceLength is < 0)
            throw new ArgumentOutOfRangeException(nameof(outputSequenceLength), outputSequenceLength,
                $"outputSequenceLength must be 0 or more, or null; got {outputSequenceLength}.");
        if (mode != "int" && outputSequenceLength is not null)
            throw new ArgumentException(
                $"outputSequenceLength must not be set if outputMode is not \"int\". Received outputSequenceLength={outputSequenceLength}.",
                nameof(outputSequenceLength));

        _table = new IndexLookupTable<string>("TextVectorization", maxTokens, 1, hasMask: true, "", "[UNK]", mode, padToMaxTokens,
            invert: false, "farmhash", null, Utf8Order.Instance, t => $"\"{t}\"");
        if (maxTokens is { } max && max <= _table.TokenStart)
            throw new ArgumentOutOfRangeException(nameof(maxTokens), maxTokens,
                $"maxTokens must leave room for a token after the {_table.TokenStart} padding and OOV entries; got {maxTokens}.");
        Standardize = standardizeFunction is null ? standardize : null;
        Split = splitFunction is null ? split : null;
        StandardizeFunction = standardizeFunction;
        SplitFunction = splitFunction;
        Ngrams = ngramWidths is not null ? [.. ngramWidths] : ngrams is { } n ? [.. Enumerable.Range(1, n)] : null;
        OutputSequenceLength = outputSequenceLength;
        _tokenizer = new TextTokenizer(Standardize, standardizeFunction, Split, splitFunction, Ngrams?.ToArray());
        if (vocabulary is not null) SetVocabulary(vocabulary, idfWeights, fromConstructor: true);
        else if (idfWeights is not null)
            throw new ArgumentException("idfWeights were given without a vocabulary; give both, or neither and call Adapt.", nameof(idfWeights));
    }

    /// <summary>The largest vocabulary size (with the special entries), or null.</summary>
    public int? MaxTokens => _table.MaxTokens;

    /// <summary>The built-in standardization, or null (none, or a <see cref="StandardizeFunction"/>).</summary>
    public string? Standardize { get; }

    /// <summary>The built-in split, or null (none: one token per document, or a <see cref="SplitFunction"/>).</summary>
    public string? Split { get; }

    /// <summary>The custom standardization, or null.</summary>
    public Func<string, string>? StandardizeFunction { get; }

    /// <summary>The custom split, or null.</summary>
    public Func<string, IEnumerable<string>>? SplitFunction { get; }

    /// <summary>The ngram widths in the order their ngrams are listed (<c>ngrams: 3</c> gives 1, 2, 3), or null for none.</summary>
    public IReadOnlyList<int>? Ngrams { get; }

    /// <summary>The output mode, lower case: <c>int</c>, <c>multi_hot</c>, <c>count</c> or <c>tf_idf</c>.</summary>
    public string OutputMode => _table.OutputMode;

    /// <summary>The length of every int output row, or null (the longest document of each call).</summary>
    public int? OutputSequenceLength { get; }

    /// <summary>Whether non-int outputs are <see cref="MaxTokens"/> wide.</summary>
    public bool PadToMaxTokens => _table.PadToMaxTokens;

    /// <summary>Whether the layer has a vocabulary (given or adapted).</summary>
    public bool HasVocabulary => _table.HasVocabulary;

    /// <summary>Whether the vocabulary was given to the constructor (then Adapt is refused, as in Keras).</summary>
    public bool HasInputVocabulary => _table.HasInputVocabulary;

    /// <summary>The tf_idf weights, one per output position, or null.</summary>
    public IReadOnlyList<float>? IdfWeights => _table.IdfWeights;

    /// <summary>The number of indices: padding (int mode), <c>"[UNK]"</c> and the tokens (Keras's <c>vocabulary_size()</c>).</summary>
    /// <returns>The size; the <c>inputDim</c> an Embedding after this layer needs.</returns>
    public int VocabularySize() => _table.VocabularySize;

    /// <summary>The vocabulary in index order (Keras's <c>get_vocabulary()</c>).</summary>
    /// <param name="includeSpecialTokens">Include <c>""</c> (int mode) and <c>"[UNK]"</c> so that entry i is index i's token.</param>
    /// <returns>The tokens.</returns>
    public IReadOnlyList<string> GetVocabulary(bool includeSpecialTokens = true) => _table.GetVocabulary(includeSpecialTokens);

    /// <summary>Sets the vocabulary (and, for tf_idf, the inverse document frequencies) directly (Keras's <c>set_vocabulary</c>).</summary>
    /// <param name="vocabulary">The tokens, optionally preceded by the special entries as <see cref="GetVocabulary"/> lists them.</param>
    /// <param name="idfWeights">For tf_idf: one weight per vocabulary entry.</param>
    /// <exception cref="ArgumentException">Keras's checks: empty, repeated terms, a misplaced <c>""</c>, too many tokens, idf weights.</exception>
    public void SetVocabulary(IReadOnlyList<string> vocabulary, IReadOnlyList<double>? idfWeights = null) =>
        SetVocabulary(vocabulary, idfWeights, fromConstructor: false);

    private void SetVocabulary(IReadOnlyList<string> vocabulary, IReadOnlyList<double>? idfWeights, bool fromConstructor)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        if (vocabulary.Any(t => t is null)) throw new ArgumentException("The vocabulary contains a null token.", nameof(vocabulary));
        _table.SetVocabulary(vocabulary, idfWeights, fromConstructor);
    }

    /// <summary>
    /// Learns the vocabulary from documents (Keras's <c>adapt</c>): every token after standardize, split and ngrams, most
    /// frequent first, ties by the tokens' UTF-8 bytes in descending order, cut to <c>maxTokens</c>; for tf_idf also the
    /// inverse document frequencies. A second Adapt replaces the vocabulary.
    /// </summary>
    /// <param name="data">The documents, one string each (read once).</param>
    /// <exception cref="ArgumentException">A document is null, or the documents have no tokens at all.</exception>
    /// <exception cref="InvalidOperationException">The layer was given a vocabulary in its constructor.</exception>
    public void Adapt(IEnumerable<string> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _table.EnsureAdaptable();
        bool tfIdf = OutputMode == "tf_idf";
        var counts = new Dictionary<string, long>();
        var countsBySpan = counts.GetAlternateLookup<ReadOnlySpan<char>>();
        // For tf_idf: per token, the documents it occurs in and the last document that counted it.
        var documents = new Dictionary<string, (long Count, long Last)>();
        var documentsBySpan = documents.GetAlternateLookup<ReadOnlySpan<char>>();
        var tokens = new TokenBuffer();
        long numDocuments = 0;
        foreach (var text in data)
        {
            if (text is null)
                throw new ArgumentException($"Document {numDocuments} is null; give \"\" for a document without text.", nameof(data));
            _tokenizer.Tokenize(text, tokens);
            for (int i = 0; i < tokens.Count; i++)
            {
                var token = tokens[i];
                CollectionsMarshal.GetValueRefOrAddDefault(countsBySpan, token, out _)++;
                if (tfIdf)
                {
                    ref var seen = ref CollectionsMarshal.GetValueRefOrAddDefault(documentsBySpan, token, out bool exists);
                    if (!exists || seen.Last != numDocuments) seen = (seen.Count + 1, numDocuments);
                }
            }
            numDocuments++;
        }
        _table.Adapt(counts, t => documents[t].Count, numDocuments);
    }

    /// <summary>Learns the vocabulary from a string column of a DataFrame (one document per row).</summary>
    /// <param name="data">The rows to learn from, usually the training frame only.</param>
    /// <param name="column">The name of a string column.</param>
    /// <exception cref="ArgumentException">The column is missing (the message lists the columns), not a string column, or has nulls.</exception>
    /// <exception cref="InvalidOperationException">The layer was given a vocabulary in its constructor.</exception>
    public void Adapt(DataFrame data, string column) => Adapt(FrameColumns.Strings(data, column, "TextVectorization"));

    /// <inheritdoc/>
    public override bool TakesStrings => true;

    /// <summary>Strings are not cast: the layer reads them from their carrier.</summary>
    public override ScalarType? InputDtype => null;

    /// <summary>
    /// One string per sample, <c>(None,)</c> or <c>(None, 1)</c>, to int mode's <c>(None, outputSequenceLength)</c>
    /// (<c>(None, None)</c> without one: as long as the batch's longest document) or the other modes'
    /// <c>(None, depth)</c>.
    /// </summary>
    /// <param name="inputShape">The per-sample shape of the strings.</param>
    /// <returns>The per-sample output shape.</returns>
    /// <exception cref="ArgumentException">More than one string per sample.</exception>
    /// <exception cref="InvalidOperationException">A non-int mode without a vocabulary yet (its depth is unknown).</exception>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape is not ([] or [1]))
            throw new ArgumentException(
                $"Layer \"{Name}\" (TextVectorization) takes one string per sample, batches of shape (None,) or (None, 1); got " +
                $"{Shapes.FormatBatch(inputShape)}.", nameof(inputShape));
        if (OutputMode == "int") return [OutputSequenceLength ?? Shapes.None];
        _table.EnsureVocabulary();
        return [_table.Depth];
    }

    /// <summary>The layer in a model: the strings of the batch's carrier (<see cref="StringInputs"/>), vectorized, on the
    /// carrier's device.</summary>
    /// <param name="x">A carrier of one string per sample.</param>
    /// <param name="training">Unused.</param>
    /// <returns>As <see cref="Apply(IReadOnlyList{string})"/>.</returns>
    /// <exception cref="ArgumentException">The tensor carries no strings.</exception>
    public override Tensor Call(Tensor x, bool training)
    {
        ArgumentNullException.ThrowIfNull(x);
        var texts = StringInputs.Get(x) ?? throw new ArgumentException(
            $"Layer \"{Name}\" (TextVectorization) takes strings, but got a {x.dtype} tensor of shape {Shapes.Format(x.shape)}. Call " +
            "Apply(texts) on strings, or feed the model a Dataset of strings through a string Input.", nameof(x));
        var vectors = Apply(texts);
        return x.device_type == TorchSharp.DeviceType.CPU ? vectors : vectors.to(x.device);
    }

    /// <summary>
    /// The configuration a model file keeps, vocabulary included (Keras keeps it as an asset): the arguments, the
    /// vocabulary with its special entries, and the idf weights for <c>tf_idf</c>.
    /// </summary>
    /// <returns>The configuration.</returns>
    /// <exception cref="NotSupportedException">A custom standardize or split function (code, which a file cannot hold).</exception>
    /// <exception cref="InvalidOperationException">No vocabulary yet.</exception>
    public override IReadOnlyDictionary<string, object?> GetConfig()
    {
        if (StandardizeFunction is not null || SplitFunction is not null)
            throw new NotSupportedException(
                $"Layer \"{Name}\" (TextVectorization) has a custom standardize or split function, which a model file cannot hold. Save " +
                "the weights (SaveWeights) and build the model again in code, or use the built-in standardize and split.");
        _table.EnsureVocabulary();
        return new Dictionary<string, object?>
        {
            ["max_tokens"] = MaxTokens,
            ["standardize"] = Standardize,
            ["split"] = Split,
            ["ngram_widths"] = Ngrams?.ToArray(),
            ["output_mode"] = OutputMode,
            ["output_sequence_length"] = OutputSequenceLength,
            ["pad_to_max_tokens"] = PadToMaxTokens,
            ["vocabulary"] = GetVocabulary().ToArray(),
            ["idf_weights"] = IdfWeights?.Take(VocabularySize()).Select(w => (double)w).ToArray(),
            ["name"] = Name,
        };
    }

    /// <summary>Throws when there is no vocabulary yet.</summary>
    /// <exception cref="InvalidOperationException">No vocabulary yet; the message says to call Adapt or give one.</exception>
    public void EnsureVocabulary() => _table.EnsureVocabulary();

    /// <summary>Vectorizes one document (Keras's <c>layer("some text")</c>).</summary>
    /// <param name="text">The document.</param>
    /// <returns>Int mode: int64 <c>[tokens]</c> (or <c>[outputSequenceLength]</c>); other modes: float32 <c>[depth]</c>.</returns>
    /// <exception cref="InvalidOperationException">No vocabulary yet.</exception>
    public Tensor Apply(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var batch = Apply([text]);
        return batch[0].clone();
    }

    /// <summary>Vectorizes documents, one per row (Keras's <c>layer(texts)</c>).</summary>
    /// <param name="texts">The documents.</param>
    /// <returns>Int mode: int64 <c>[rows, length]</c>, indices padded with 0 (length: <c>outputSequenceLength</c>, or the most
    /// tokens of any row); other modes: float32 <c>[rows, depth]</c> (depth: <see cref="VocabularySize"/>, or <c>maxTokens</c>
    /// with <c>padToMaxTokens</c>).</returns>
    /// <exception cref="InvalidOperationException">No vocabulary yet (call Adapt or give one).</exception>
    /// <exception cref="ArgumentException">A document is null.</exception>
    public Tensor Apply(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        _table.EnsureVocabulary();
        var lookup = _table.IndexMap.GetAlternateLookup<ReadOnlySpan<char>>();
        long oov = _table.OovStart;
        var tokens = new TokenBuffer();
        int rows = texts.Count;
        if (OutputMode == "int")
        {
            if (OutputSequenceLength is { } length)
            {
                return Dense<long>(rows, length, ScalarType.Int64, (row, line) =>
                {
                    Tokenize(texts, row, tokens);
                    int n = Math.Min(tokens.Count, length);
                    for (int i = 0; i < n; i++) line[i] = Index(lookup, tokens[i], oov, 0);
                });
            }
            var flat = new List<long>();
            var ends = new int[rows];
            int longest = 0;
            for (int row = 0; row < rows; row++)
            {
                Tokenize(texts, row, tokens);
                for (int i = 0; i < tokens.Count; i++) flat.Add(Index(lookup, tokens[i], oov, 0));
                ends[row] = flat.Count;
                longest = Math.Max(longest, tokens.Count);
            }
            return Dense<long>(rows, longest, ScalarType.Int64, (row, line) =>
                CollectionsMarshal.AsSpan(flat)[(row == 0 ? 0 : ends[row - 1])..ends[row]].CopyTo(line));
        }

        long depth = _table.Depth;
        bool multiHot = OutputMode == "multi_hot";
        var idf = _table.IdfWeights;
        return Dense<float>(rows, depth, ScalarType.Float32, (row, line) =>
        {
            Tokenize(texts, row, tokens);
            for (int i = 0; i < tokens.Count; i++)
            {
                long index = Index(lookup, tokens[i], oov, -1);
                if (index < 0 || index >= depth) continue;
                if (multiHot) line[(int)index] = 1;
                else line[(int)index]++;
            }
            if (idf is not null)
                for (int i = 0; i < line.Length; i++) line[i] *= idf[i];
        });
    }

    private delegate void RowWriter<T>(int row, Span<T> line);

    /// <summary>The largest output written straight into the tensor (a span's limit); tests lower it to reach the row-by-row path.</summary>
    internal static long DirectWriteLimitBytes = int.MaxValue;

    /// <summary>
    /// A zero <c>[rows, width]</c> tensor whose rows <paramref name="write"/> fills, straight in libtorch's memory when the
    /// tensor fits a span (2 GB), else row by row through a buffer: a dense output is written once, with no managed copy
    /// of it (multi_hot over a 20,000-token vocabulary is 80 MB per 1,024 documents).
    /// </summary>
    private static Tensor Dense<T>(int rows, long width, ScalarType type, RowWriter<T> write) where T : unmanaged
    {
        long count = checked(rows * width);
        var result = empty([rows, width], type);
        try
        {
            if (checked(count * Unsafe.SizeOf<T>()) <= Math.Min(DirectWriteLimitBytes, int.MaxValue))
            {
                var all = MemoryMarshal.Cast<byte, T>(result.bytes);
                all.Clear();
                for (int row = 0; row < rows; row++) write(row, all.Slice((int)(row * width), (int)width));
                return result;
            }
            using var storage = result.data<T>();
            var buffer = new T[width];
            for (int row = 0; row < rows; row++)
            {
                Array.Clear(buffer);
                write(row, buffer);
                storage.CopyFrom(buffer, 0, row * width);
            }
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>Keras's lookup of one token: the mask token <c>""</c> gives <paramref name="mask"/> (0 in int mode, nothing
    /// otherwise), an unknown token the OOV index.</summary>
    private static long Index(Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> lookup, ReadOnlySpan<char> token, long oov, long mask) =>
        token.IsEmpty ? mask : lookup.TryGetValue(token, out long index) ? index : oov;

    private void Tokenize(IReadOnlyList<string> texts, int row, TokenBuffer tokens) =>
        _tokenizer.Tokenize(texts[row] ?? throw new ArgumentException(
            $"Document {row} is null; give \"\" for a document without text.", nameof(texts)), tokens);

    private static string Quote(IEnumerable<string> values) => string.Join(", ", values.Select(v => $"\"{v}\""));
}
