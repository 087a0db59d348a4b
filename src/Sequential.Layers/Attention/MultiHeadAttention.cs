using Sequential.Initializers;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sequential.Layers;

/// <summary>
/// Multi-head attention (Keras's <c>MultiHeadAttention</c>, "Attention is all you need"): the query, key and value are
/// projected to <c>numHeads</c> heads, each query step attends to the key steps with softmax weights of the scaled dot
/// products (scale <c>1/sqrt(keyDim)</c>, applied to the query as Keras does), and the heads' results are projected back to
/// the query's feature size (or <c>outputShape</c>). Weights, their names and shapes are Keras's: sublayers <c>query</c>,
/// <c>key</c>, <c>value</c> (kernels <c>(features, heads, keyDim)</c>, biases <c>(heads, keyDim)</c>) and
/// <c>attention_output</c> (kernel <c>(heads, valueDim, features)</c>), so parameter counts equal Keras's.
/// </summary>
/// <remarks>
/// Called on <c>query</c> and <c>value</c> (and optionally <c>key</c>, default <c>value</c>), in Keras's order:
/// <c>Apply(query, value)</c> or <c>Apply(query, value, key)</c>, on symbolic tensors in a functional model or on batches.
/// Rank-3 inputs with attention over the steps run on libtorch's <c>scaled_dot_product_attention</c>; asking for the
/// scores, dropout while training, or attention over other axes (<c>attentionAxes</c>, inputs of higher rank) run the
/// explicit einsum form, which gives the same numbers. The inputs' masks (Embedding's <c>maskZero</c>) combine into the
/// attention mask as Keras's <c>_compute_attention_mask</c> does; the output's mask is the query's. A query step that may
/// attend to no key step (its row of the mask all false) gets zero attention, as Keras's masked softmax gives it.
/// Keras 3's newer <c>use_gate</c>, <c>sliding_window</c> and <c>flash_attention</c> arguments, regularizers and
/// constraints are not supported.
/// </remarks>
/// <example>
/// <code>
/// // Keras: output = layers.MultiHeadAttention(num_heads=2, key_dim=16)(query, value)
/// var output = new MultiHeadAttention(numHeads: 2, keyDim: 16).Apply(query, value);
/// // Keras: output, scores = mha(x, x, use_causal_mask=True, return_attention_scores=True)
/// var (y, scores) = mha.ApplyWithScores(x, x, useCausalMask: true);
/// </code>
/// </example>
public sealed class MultiHeadAttention : Layer
{
    private const string Letters = "abcdefghijklmnopqrstuvwxyz";

    private readonly Initializer _kernelInitializer, _biasInitializer;
    private readonly int[]? _attentionAxes;
    private readonly int[]? _outputShape;
    private readonly double _scale;
    private AttentionProjection? _query, _key, _value, _output;
    // Fixed by the first build: the per-sample shapes, the attention axes (of the projected tensors, batch axis 0) and
    // Keras's einsum equations over them.
    private long[]? _queryShape, _valueShape, _keyShape;
    private int[] _axes = [];
    private string _dotEquation = "", _combineEquation = "";
    private Generator? _dropoutGenerator;
    private readonly object _generatorLock = new();

    /// <summary>Creates a multi-head attention layer.</summary>
    /// <param name="numHeads">Number of attention heads.</param>
    /// <param name="keyDim">Size of each head for query and key.</param>
    /// <param name="valueDim">Size of each head for value; default <paramref name="keyDim"/>.</param>
    /// <param name="dropout">Dropout rate on the attention weights while training.</param>
    /// <param name="useBias">Whether the projections add biases.</param>
    /// <param name="outputShape">The output's per-step shape; default the query's feature size.</param>
    /// <param name="attentionAxes">The axes attention runs over, counted as Keras counts them (batch 0; negative from the
    /// end, the features -1); default every axis but the batch and the features.</param>
    /// <param name="kernelInitializer">Initializer of the projection kernels.</param>
    /// <param name="biasInitializer">Initializer of the projection biases.</param>
    /// <param name="seed">Seed of the attention dropout; default the global random state.</param>
    /// <param name="name">Layer name.</param>
    /// <exception cref="ArgumentException">A size that is not positive, a dropout rate outside [0, 1), an empty or
    /// non-positive <paramref name="outputShape"/>, or an unknown initializer name.</exception>
    public MultiHeadAttention(int numHeads, int keyDim, int? valueDim = null, double dropout = 0.0, bool useBias = true,
        int[]? outputShape = null, int[]? attentionAxes = null, string kernelInitializer = "glorot_uniform",
        string biasInitializer = "zeros", int? seed = null, string? name = null) : base(name)
    {
        if (numHeads <= 0)
            throw new ArgumentOutOfRangeException(nameof(numHeads), numHeads,
                $"Received an invalid value for argument `num_heads`, expected a positive integer. Received: num_heads={numHeads}");
        if (keyDim <= 0)
            throw new ArgumentOutOfRangeException(nameof(keyDim), keyDim,
                $"Received an invalid value for argument `key_dim`, expected a positive integer. Received: key_dim={keyDim}");
        if (valueDim is <= 0)
            throw new ArgumentOutOfRangeException(nameof(valueDim), valueDim,
                $"Received an invalid value for argument `value_dim`, expected a positive integer or null. Received: value_dim={valueDim}");
        if (!(dropout >= 0 && dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, $"MultiHeadAttention dropout must be in [0, 1); got {dropout}.");
        if (outputShape is not null && (outputShape.Length == 0 || outputShape.Any(d => d <= 0)))
            throw new ArgumentException(
                $"Invalid `output_shape`: ({string.Join(", ", outputShape)}). When specified, it lists the positive sizes of each output step, e.g. [64].",
                nameof(outputShape));
        NumHeads = numHeads;
        KeyDim = keyDim;
        ValueDim = valueDim ?? keyDim;
        Dropout = dropout;
        UseBias = useBias;
        _outputShape = outputShape is null ? null : (int[])outputShape.Clone();
        _attentionAxes = attentionAxes is null ? null : (int[])attentionAxes.Clone();
        _kernelInitializer = InitializerRegistry.Get(kernelInitializer);
        _biasInitializer = InitializerRegistry.Get(biasInitializer);
        Seed = seed;
        _scale = 1.0 / Math.Sqrt(keyDim);
    }

    /// <summary>Number of attention heads.</summary>
    public int NumHeads { get; }

    /// <summary>Size of each head for query and key.</summary>
    public int KeyDim { get; }

    /// <summary>Size of each head for value.</summary>
    public int ValueDim { get; }

    /// <summary>Dropout rate on the attention weights.</summary>
    public double Dropout { get; }

    /// <summary>Whether the projections add biases.</summary>
    public bool UseBias { get; }

    /// <summary>The output's per-step shape as given (Keras's <c>output_shape</c> argument); null: the query's feature size.
    /// (Not <see cref="Layer.OutputShape"/>, the built layer's whole per-sample output shape.)</summary>
    public IReadOnlyList<int>? ProjectedShape => _outputShape;

    /// <summary>The attention axes as given; null: every axis but the batch and the features.</summary>
    public IReadOnlyList<int>? AttentionAxes => _attentionAxes;

    /// <summary>Initializer of the projection kernels.</summary>
    public Initializer KernelInitializer => _kernelInitializer;

    /// <summary>Initializer of the projection biases.</summary>
    public Initializer BiasInitializer => _biasInitializer;

    /// <summary>Seed of the attention dropout.</summary>
    public int? Seed { get; }

    /// <inheritdoc/>
    protected override bool TakesSeveralInputs => true;

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["num_heads"] = NumHeads,
        ["key_dim"] = KeyDim,
        ["value_dim"] = ValueDim,
        ["dropout"] = Dropout,
        ["use_bias"] = UseBias,
        ["output_shape"] = _outputShape,
        ["attention_axes"] = _attentionAxes,
        ["kernel_initializer"] = _kernelInitializer.Name,
        ["bias_initializer"] = _biasInitializer.Name,
        ["seed"] = Seed,
        ["name"] = Name,
    };

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">Always: the layer takes a query and a value.</exception>
    public override long[] ComputeOutputShape(long[] inputShape) => throw OneInput(Shapes.FormatBatch(inputShape));

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">Always: the layer takes a query and a value.</exception>
    public override Tensor Call(Tensor x, bool training) => throw OneInput(Shapes.Format(x.shape));

    private ArgumentException OneInput(string shape) => new(
        $"Layer \"{Name}\" (MultiHeadAttention) takes a query and a value (and optionally a key): Apply(query, value) or " +
        $"Apply(query, value, key); it got one input, of shape {shape}.");

    /// <summary>
    /// Keras's <c>compute_output_shape(query_shape, value_shape, key_shape)</c>: the query's shape with its last axis
    /// replaced by <c>outputShape</c> (default unchanged). Checks the shapes as Keras's build and einsums require them, and,
    /// once built, that they are the shapes it was built for.
    /// </summary>
    /// <param name="inputShapes">Per-sample shapes of query, value and (optionally) key.</param>
    /// <returns>The per-sample output shape.</returns>
    /// <exception cref="ArgumentException">Not 2 or 3 inputs, or shapes that do not fit; the message names the layer and
    /// the shapes.</exception>
    public override long[] ComputeOutputShapeForInputs(IReadOnlyList<long[]> inputShapes)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        if (inputShapes.Count is not (2 or 3))
            throw new ArgumentException(
                $"Layer \"{Name}\" (MultiHeadAttention) takes query and value, and optionally key: 2 or 3 inputs; got {inputShapes.Count}.",
                nameof(inputShapes));
        var (query, value) = (inputShapes[0], inputShapes[1]);
        var key = inputShapes.Count == 3 ? inputShapes[2] : value;
        string shapes = $"query_shape={Shapes.FormatBatch(query)}, value_shape={Shapes.FormatBatch(value)}" +
                        (inputShapes.Count == 3 ? $", key_shape={Shapes.FormatBatch(key)}" : "");
        if (!value[..^Math.Min(1, value.Length)].SequenceEqual(key[..^Math.Min(1, key.Length)]))
            throw new ArgumentException(
                $"All dimensions of `value` and `key`, except the last one, must be equal (layer \"{Name}\"). Received: {shapes}.",
                nameof(inputShapes));
        if (query.Length < 2 || query.Length != value.Length)
            throw new ArgumentException(
                $"Layer \"{Name}\" (MultiHeadAttention) needs query, value and key of the same rank, with at least one step axis " +
                $"before the features, e.g. (None, steps, features); received {shapes}.", nameof(inputShapes));
        var axes = AttentionAxesFor(query.Length + 2);
        for (int i = 1; i < query.Length; i++) // the per-sample axes but the features: those that are not attended over pair up
            if (!axes.Contains(i) && query[i - 1] != key[i - 1])
                throw new ArgumentException(
                    $"Layer \"{Name}\" (MultiHeadAttention): axis {i} is not an attention axis (attention_axes " +
                    $"({string.Join(", ", axes)})), so query and key must have the same size there; received {shapes}.", nameof(inputShapes));
        if (_queryShape is not null
            && (!query.SequenceEqual(_queryShape) || !value.SequenceEqual(_valueShape!) || !key.SequenceEqual(_keyShape!)))
            throw new ArgumentException(
                $"Layer \"{Name}\" (MultiHeadAttention) was built for query_shape={Shapes.FormatBatch(_queryShape)}, " +
                $"value_shape={Shapes.FormatBatch(_valueShape!)}, key_shape={Shapes.FormatBatch(_keyShape!)}, but received {shapes}.",
                nameof(inputShapes));
        return [.. query[..^1], .. _outputShape?.Select(d => (long)d) ?? [query[^1]]];
    }

    /// <summary>The attention axes of projected tensors of rank <paramref name="rank"/> (batch 0, heads and head size
    /// last), as Keras's <c>_build_attention</c> resolves them.</summary>
    private int[] AttentionAxesFor(int rank)
    {
        if (_attentionAxes is null) return [.. Enumerable.Range(1, rank - 3)];
        var axes = _attentionAxes.Select(a => a >= 0 ? a : rank - 1 + a).ToArray();
        if (axes.Any(a => a < 1 || a > rank - 3) || axes.Distinct().Count() != axes.Length)
            throw new ArgumentException(
                $"Layer \"{Name}\" (MultiHeadAttention): attention_axes ({string.Join(", ", _attentionAxes)}) must name distinct axes " +
                $"between the batch axis and the features, 1 to {rank - 3} (or -2 to {1 - (rank - 2)}) for inputs of rank {rank - 1}.");
        return axes;
    }

    /// <summary>Keras's <c>build(query_shape, value_shape, key_shape)</c>: the four projections, in Keras's weight order.</summary>
    /// <param name="inputShapes">Per-sample shapes of query, value and (optionally) key.</param>
    public override void BuildForInputs(IReadOnlyList<long[]> inputShapes)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        var (query, value) = (inputShapes[0], inputShapes[1]);
        var key = inputShapes.Count == 3 ? inputShapes[2] : value;
        _query = Projection("query", 1, [NumHeads, KeyDim], query);
        _key = Projection("key", 1, [NumHeads, KeyDim], key);
        _value = Projection("value", 1, [NumHeads, ValueDim], value);
        _output = Projection("attention_output", 2, _outputShape?.Select(d => (long)d).ToArray() ?? [query[^1]],
            [.. query[..^1], NumHeads, ValueDim]);
        int rank = query.Length + 2; // projected, with the batch axis
        _axes = AttentionAxesFor(rank);
        (_dotEquation, _combineEquation) = AttentionEquations(rank, _axes);
        (_queryShape, _valueShape, _keyShape) = ((long[])query.Clone(), (long[])value.Clone(), (long[])key.Clone());

        AttentionProjection Projection(string name, int bound, long[] outputs, long[] inputShape)
        {
            // The projections compute as the layer does (a policy set later reaches them as registered children).
            var projection = new AttentionProjection(name, bound, outputs, UseBias, _kernelInitializer, _biasInitializer) { DtypePolicy = DtypePolicy };
            register_module(name, projection);
            projection.EnsureBuilt(inputShape);
            return projection;
        }
    }

    /// <summary>
    /// Keras's <c>_build_attention_equation</c>: with the projected tensors' axes as letters, the query-key product
    /// <c>(batch dims, heads, query attention dims, key attention dims)</c> and the combination with the value.
    /// </summary>
    private static (string Dot, string Combine) AttentionEquations(int rank, int[] axes)
    {
        string target = Letters[..rank];
        var batch = Enumerable.Range(0, rank).Where(i => !axes.Contains(i) && i != rank - 1).ToArray();
        var source = new char[rank];
        int next = rank;
        for (int i = 0; i < rank; i++) source[i] = batch.Contains(i) || i == rank - 1 ? target[i] : Letters[next++];
        string product = string.Concat(batch.Select(i => target[i]).Concat(axes.Select(i => target[i])).Concat(axes.Select(i => source[i])));
        string sourceText = new(source);
        return ($"{sourceText},{target}->{product}", $"{product},{sourceText}->{target}");
    }

    /// <inheritdoc/>
    protected override Tensor Call(IReadOnlyList<Tensor> inputs, bool training) =>
        Attend(inputs[0], inputs[1], inputs.Count == 3 ? inputs[2] : null, null, null, null, null, false, false, training).Output;

    /// <summary>The call of a graph node or of <c>Apply([query, value, key])</c> whose inputs carry masks: Keras's
    /// <c>query_mask</c>, <c>value_mask</c> and <c>key_mask</c>, combined into the attention mask.</summary>
    /// <param name="inputs">Query, value and (optionally) key.</param>
    /// <param name="masks">Their masks (null where an input has none).</param>
    /// <param name="training">True inside training steps.</param>
    /// <returns>The output.</returns>
    protected override Tensor Call(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks, bool training) =>
        Attend(inputs[0], inputs[1], inputs.Count == 3 ? inputs[2] : null, masks[0], masks[1], masks.Count == 3 ? masks[2] : null,
            null, false, false, training).Output;

    /// <summary>The output's mask: the query's (Keras sets the query's mask on the output).</summary>
    /// <param name="inputs">Query, value and (optionally) key.</param>
    /// <param name="masks">Their masks.</param>
    /// <returns>The query's mask, or null.</returns>
    public override Tensor? ComputeMask(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks) => masks.Count > 0 ? masks[0] : null;

    /// <summary>
    /// Calls the layer in a functional model with Keras's call options (<c>mha(query, value, key,
    /// use_causal_mask=True, return_attention_scores=True)</c>). With <paramref name="returnAttentionScores"/> the call
    /// has two outputs: <c>var (output, scores) = mha.Apply(query, value, returnAttentionScores: true);</c>, the scores
    /// <c>(None, heads, T, S)</c> for sequences. Saved models record the options as Keras's call kwargs.
    /// </summary>
    /// <param name="query">Query, <c>(None, T, features)</c>.</param>
    /// <param name="value">Value, <c>(None, S, features)</c>.</param>
    /// <param name="key">Key; default <paramref name="value"/>.</param>
    /// <param name="useCausalMask">Whether step t may attend only to steps up to t.</param>
    /// <param name="returnAttentionScores">Whether the call also returns the attention scores.</param>
    /// <returns>The output (deconstruct the scores from it with returnAttentionScores).</returns>
    /// <exception cref="ArgumentException">Shapes that do not fit; the message names the layer and the shapes.</exception>
    public SymbolicTensor Apply(SymbolicTensor query, SymbolicTensor value, SymbolicTensor? key = null, bool useCausalMask = false,
        bool returnAttentionScores = false)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(value);
        var options = new Dictionary<string, object>();
        if (useCausalMask) options[UseCausalMaskOption] = true;
        if (returnAttentionScores) options[ReturnScoresOption] = true;
        return ApplyWithOptions(key is null ? [query, value] : [query, value, key], options);
    }

    private const string UseCausalMaskOption = "use_causal_mask", ReturnScoresOption = "return_attention_scores";

    /// <summary>Keras's call options: <c>use_causal_mask</c>, <c>return_attention_scores</c>.</summary>
    protected override IReadOnlyCollection<string> CallOptionNames => [UseCausalMaskOption, ReturnScoresOption];

    private static bool Option(IReadOnlyDictionary<string, object> options, string name) =>
        options.TryGetValue(name, out var value) && value is true;

    /// <summary>The output, then, with <c>return_attention_scores</c>, the scores: the batch dims and heads, the query's
    /// attention dims, the key's (Keras's layout).</summary>
    /// <param name="inputShapes">Per-sample shapes of query, value and (optionally) key.</param>
    /// <param name="outputShape">The output's shape.</param>
    /// <param name="callOptions">The call's options.</param>
    /// <returns>The shapes of the call's outputs.</returns>
    public override IReadOnlyList<long[]> ComputeOutputShapes(IReadOnlyList<long[]> inputShapes, long[] outputShape,
        IReadOnlyDictionary<string, object> callOptions)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        if (!Option(callOptions, ReturnScoresOption)) return [outputShape];
        var (query, key) = (inputShapes[0], inputShapes.Count == 3 ? inputShapes[2] : inputShapes[1]);
        int rank = query.Length + 2; // projected, with the batch axis: (B, ..., heads, size)
        var batch = Enumerable.Range(1, rank - 2).Where(i => !_axes.Contains(i)).Select(i => i == rank - 2 ? NumHeads : query[i - 1]);
        return [outputShape, [.. batch, .. _axes.Select(i => query[i - 1]), .. _axes.Select(i => key[i - 1])]];
    }

    /// <summary>A graph node's call: the inputs' masks and the call's options; the output, and the scores when asked.</summary>
    /// <param name="inputs">Query, value and (optionally) key.</param>
    /// <param name="masks">Their masks.</param>
    /// <param name="callOptions">The call's options.</param>
    /// <param name="training">True inside training steps.</param>
    /// <returns>The output, then the scores with return_attention_scores.</returns>
    protected override IReadOnlyList<Tensor> CallOutputs(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks,
        IReadOnlyDictionary<string, object> callOptions, bool training)
    {
        bool scores = Option(callOptions, ReturnScoresOption);
        var (output, probabilities) = Attend(inputs[0], inputs[1], inputs.Count == 3 ? inputs[2] : null, masks[0], masks[1],
            masks.Count == 3 ? masks[2] : null, null, Option(callOptions, UseCausalMaskOption), scores, training);
        return scores ? [output, probabilities!] : [output];
    }

    /// <summary>
    /// Calls the layer on batches with Keras's call arguments (<c>mha(query, value, key, attention_mask=...,
    /// use_causal_mask=...)</c>), building it first for their shapes. The masks attached to the inputs
    /// (<see cref="Masks"/>) join the attention mask; the output carries the query's mask.
    /// </summary>
    /// <param name="query">Query batch, <c>(B, T, features)</c>.</param>
    /// <param name="value">Value batch, <c>(B, S, features)</c>.</param>
    /// <param name="key">Key batch, <c>(B, S, features)</c>; default <paramref name="value"/>.</param>
    /// <param name="attentionMask">Which query steps may attend to which key steps, true (or non-zero) = attend, shape
    /// <c>(B, T, S)</c> or anything that broadcasts to the scores <c>(B, heads, T, S)</c> (e.g. <c>(T, S)</c>).</param>
    /// <param name="useCausalMask">Whether step t may attend only to steps up to t (a decoder's self-attention).</param>
    /// <param name="training">True inside training steps (attention dropout active).</param>
    /// <returns>The output, <c>(B, T, features)</c> or <c>(B, T, outputShape...)</c>.</returns>
    /// <exception cref="ArgumentException">Shapes or a mask that do not fit; the message names the layer and the shapes.</exception>
    public Tensor Apply(Tensor query, Tensor value, Tensor? key = null, Tensor? attentionMask = null, bool useCausalMask = false,
        bool training = false) =>
        Run(query, value, key, attentionMask, useCausalMask, scores: false, training).Output;

    /// <summary>
    /// As <see cref="Apply(Tensor, Tensor, Tensor?, Tensor?, bool, bool)"/>, also returning the attention scores
    /// (Keras's <c>return_attention_scores=True</c>): the softmax weights before dropout, <c>(B, heads, T, S)</c> for
    /// rank-3 inputs (Keras's layout for other attention axes).
    /// </summary>
    /// <param name="query">Query batch.</param>
    /// <param name="value">Value batch.</param>
    /// <param name="key">Key batch; default <paramref name="value"/>.</param>
    /// <param name="attentionMask">Which query steps may attend to which key steps (see Apply).</param>
    /// <param name="useCausalMask">Whether step t may attend only to steps up to t.</param>
    /// <param name="training">True inside training steps.</param>
    /// <returns>The output and the scores.</returns>
    /// <exception cref="ArgumentException">Shapes or a mask that do not fit.</exception>
    public (Tensor Output, Tensor Scores) ApplyWithScores(Tensor query, Tensor value, Tensor? key = null, Tensor? attentionMask = null,
        bool useCausalMask = false, bool training = false)
    {
        var (output, scores) = Run(query, value, key, attentionMask, useCausalMask, scores: true, training);
        return (output, scores!);
    }

    private (Tensor Output, Tensor? Scores) Run(Tensor query, Tensor value, Tensor? key, Tensor? attentionMask, bool useCausalMask,
        bool scores, bool training)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(value);
        foreach (var (tensor, what) in new[] { (query, "query"), (value, "value"), (key, "key") })
            if (tensor is not null && tensor.dim() == 0)
                throw new ArgumentException($"Layer \"{Name}\" (MultiHeadAttention) needs a batch for {what}, shape [N, ...]; got a scalar.", what);
        EnsureBuiltForInputs(key is null ? [query.shape[1..], value.shape[1..]] : [query.shape[1..], value.shape[1..], key.shape[1..]]);
        var (queryMask, valueMask, keyMask) = (Masks.Get(query), Masks.Get(value), key is null ? null : Masks.Get(key));
        var result = Attend(AutoCast(query), AutoCast(value), key is null ? null : AutoCast(key), queryMask, valueMask, keyMask,
            attentionMask, useCausalMask, scores, training);
        if (queryMask is not null && Masks.Get(result.Output) is null) Masks.Set(result.Output, queryMask);
        return result;
    }

    /// <summary>Keras's <c>call</c> on a built layer: the masks combined, the projections, the attention, the output
    /// projection.</summary>
    private (Tensor Output, Tensor? Scores) Attend(Tensor query, Tensor value, Tensor? key, Tensor? queryMask, Tensor? valueMask,
        Tensor? keyMask, Tensor? attentionMask, bool useCausalMask, bool returnScores, bool training)
    {
        key ??= value;
        bool causalOnly = useCausalMask && queryMask is null && valueMask is null && keyMask is null && attentionMask is null;
        var mask = causalOnly ? null : AttentionMask(query, value, key, queryMask, valueMask, keyMask, attentionMask, useCausalMask);
        var q = _query!.Call(query, training);   // (B, T, heads, keyDim)
        var k = _key!.Call(key, training);       // (B, S, heads, keyDim)
        var v = _value!.Call(value, training);   // (B, S, heads, valueDim)
        long[] scoresShape = ScoresShape(q.shape, k.shape);
        if (mask is not null) mask = Expanded(mask, scoresShape);
        bool fused = q.dim() == 4 && !returnScores && !(training && Dropout > 0);
        Tensor attended;
        Tensor? probabilities = null;
        if (fused)
        {
            attended = Fused(q, k, v, mask, causalOnly);
        }
        else
        {
            if (causalOnly) mask = Expanded(CausalMask(query, value), scoresShape);
            (attended, probabilities) = Explicit(q, k, v, mask, training);
        }
        return (_output!.Call(attended, training), probabilities);
    }

    /// <summary>libtorch's fused attention on <c>(B, heads, steps, size)</c> views. The boolean mask becomes Keras's additive
    /// large negative; query steps with no key step left get zeros, as the masked softmax of the explicit form gives.</summary>
    private Tensor Fused(Tensor q, Tensor k, Tensor v, Tensor? mask, bool causal)
    {
        Tensor? bias = mask is null ? null
            : zeros(mask.shape, q.dtype, q.device).masked_fill_(mask.logical_not(), LargeNegative(q.dtype));
        var attended = F.scaled_dot_product_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2), bias, 0.0, causal);
        if (mask is not null) attended = attended.mul(mask.any(-1, keepdim: true).to_type(attended.dtype));
        return attended.transpose(1, 2);
    }

    /// <summary>Keras's <c>_compute_attention</c> without the fused kernel: scaled query, einsum, masked softmax over the
    /// attention axes, dropout, einsum.</summary>
    private (Tensor Attended, Tensor Probabilities) Explicit(Tensor q, Tensor k, Tensor v, Tensor? mask, bool training)
    {
        var scores = einsum(_dotEquation, k, q.mul(_scale));
        if (mask is not null) scores = scores.masked_fill(mask.logical_not(), LargeNegative(scores.dtype));
        int n = _axes.Length;
        var probabilities = n == 1
            ? scores.softmax(-1)
            : scores.flatten(-n).softmax(-1).reshape(scores.shape);
        if (mask is not null) probabilities = probabilities.mul(mask.to_type(probabilities.dtype));
        var kept = training && Dropout > 0 ? DropoutOf(probabilities) : probabilities;
        return (einsum(_combineEquation, kept, v), probabilities);
    }

    private Tensor DropoutOf(Tensor x)
    {
        if (Seed is null) return F.dropout(x, Dropout, training: true);
        Tensor uniform;
        lock (_generatorLock)
        {
            _dropoutGenerator ??= new Generator((ulong)(uint)Seed.Value);
            uniform = rand(x.shape, generator: _dropoutGenerator);
        }
        return x.mul(uniform.to(x.device).ge(Dropout).to_type(x.dtype)).div(1 - Dropout);
    }

    /// <summary>Keras's <c>_large_negative_number</c>: what a masked score becomes before the softmax.</summary>
    private static double LargeNegative(ScalarType dtype) => dtype == ScalarType.Float16 ? -3e4 : -1e9;

    /// <summary>The scores' shape for projected query and key: batch dims (with the heads), query attention dims, key
    /// attention dims.</summary>
    private long[] ScoresShape(long[] q, long[] k)
    {
        int rank = q.Length;
        var batch = Enumerable.Range(0, rank).Where(i => !_axes.Contains(i) && i != rank - 1);
        return [.. batch.Select(i => q[i]), .. _axes.Select(i => q[i]), .. _axes.Select(i => k[i])];
    }

    /// <summary>The mask with Keras's expansion (new axes before the attention dims, from the heads axis) and checked to
    /// broadcast to the scores, as Keras's masked softmax requires.</summary>
    private Tensor Expanded(Tensor mask, long[] scoresShape)
    {
        int n = _axes.Length;
        var expanded = mask;
        if (expanded.dim() <= scoresShape.Length)
        {
            while (expanded.dim() < 2 * n) expanded = expanded.unsqueeze(0);
            while (expanded.dim() < scoresShape.Length) expanded = expanded.unsqueeze(-2 * n - 1); // Keras's expand_dims axis
        }
        if (expanded.dim() != scoresShape.Length || !expanded.shape.Zip(scoresShape).All(p => p.First == 1 || p.First == p.Second))
            throw new ArgumentException(
                $"Layer \"{Name}\" (MultiHeadAttention): the attention mask of shape {Shapes.Format(mask.shape)} does not fit the attention " +
                $"scores of shape {Shapes.Format(scoresShape)} (batch, heads, query steps, key steps); give a mask of shape " +
                $"{Shapes.Format(scoresShape.Where((_, i) => i != scoresShape.Length - 2 * n - 1))} (batch, query steps, key steps) " +
                "or one that broadcasts to it, each size equal or 1.", "attentionMask");
        return expanded;
    }

    /// <summary>Keras's <c>_compute_attention_mask</c>: the query's mask as <c>(B, T, 1)</c>, the value's and key's as
    /// <c>(B, 1, S)</c>, the causal mask <c>(1, T, S)</c> and the given mask, joined with AND.</summary>
    private Tensor? AttentionMask(Tensor query, Tensor value, Tensor key, Tensor? queryMask, Tensor? valueMask, Tensor? keyMask,
        Tensor? attentionMask, bool useCausalMask)
    {
        Tensor? mask = null;
        void And(Tensor m) => mask = mask is null ? m : mask.logical_and(m);
        if (queryMask is not null) And(InputMask(queryMask, query, "query").unsqueeze(-1));
        if (valueMask is not null) And(InputMask(valueMask, value, "value").unsqueeze(-2));
        if (keyMask is not null && !ReferenceEquals(key, value)) And(InputMask(keyMask, key, "key").unsqueeze(-2));
        if (useCausalMask) And(CausalMask(query, value));
        if (attentionMask is not null)
        {
            var given = Boolean(attentionMask).to(query.device); // a mask made on the CPU serves a model on CUDA
            mask = mask is null ? given : given.logical_and(mask);
        }
        return mask;
    }

    private static Tensor Boolean(Tensor mask) => mask.dtype == ScalarType.Bool ? mask : mask.ne(0);

    private Tensor InputMask(Tensor mask, Tensor input, string what)
    {
        if (!mask.shape.SequenceEqual(input.shape[..^1]))
            throw new ArgumentException(
                $"Layer \"{Name}\" (MultiHeadAttention): the mask of the {what} has shape {Shapes.Format(mask.shape)}, but the {what} has " +
                $"shape {Shapes.Format(input.shape)}; a mask covers every axis but the features.", what);
        return Boolean(mask);
    }

    /// <summary>Keras's <c>_compute_causal_mask</c>: <c>(1, T, S)</c>, step t of the query attends to value steps up to t.</summary>
    private static Tensor CausalMask(Tensor query, Tensor value) =>
        ones(query.shape[1], value.shape[1], ScalarType.Bool, query.device).tril().unsqueeze(0);
}
