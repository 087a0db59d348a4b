using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Runs a recurrent layer over the sequence forwards and a copy of it backwards, and merges the two outputs (Keras's
/// <c>Bidirectional</c>). The backward output is flipped back into time order when sequences are returned.
/// </summary>
/// <remarks>
/// As in Keras the given layer is not used itself: a copy named <c>forward_{name}</c> runs forwards and a copy with
/// <c>goBackwards</c> flipped, <c>backward_{name}</c>, runs backwards (or the backward layer given).
/// <c>returnSequences</c>, <c>returnState</c> and <c>stateful</c> come from the layer. Merge modes: "concat" (the
/// default), "sum", "mul", "ave", or null for the two outputs apart, which a functional model's call returns as two
/// tensors (<c>var (forward, backward) = layer.Apply(x);</c>) and <see cref="CallWithStates"/> on batches. With
/// <c>returnState</c> the forward states then the backward ones follow the output(s) (Keras's order). Parameters: the
/// two layers'.
/// </remarks>
/// <example>
/// <code>
/// new Bidirectional(new LSTM(64, returnSequences: true))  // (None, 200, 128) -> (None, 200, 128), 98,816 parameters
/// new Bidirectional(new GRU(32), mergeMode: "sum")
/// </code>
/// </example>
public sealed class Bidirectional : Layer
{
    private static readonly string[] MergeModes = ["concat", "sum", "mul", "ave"];

    /// <summary>Creates a Bidirectional wrapper.</summary>
    /// <param name="layer">The recurrent layer to run both ways (copied; see remarks).</param>
    /// <param name="mergeMode">"concat", "sum", "mul", "ave", or null (outputs apart, see <see cref="CallWithStates"/>).</param>
    /// <param name="backwardLayer">The layer to run backwards, with <c>goBackwards</c> the opposite of
    /// <paramref name="layer"/>'s and the same returnSequences, returnState and stateful; default: a copy of the layer.</param>
    /// <param name="inputShape">Per-sample input shape <c>[timesteps, features]</c>; default the layer's.</param>
    /// <param name="name">Layer name; default bidirectional, bidirectional_1, ...</param>
    /// <exception cref="ArgumentException">Unknown merge mode, or a backward layer that does not pair with the layer.</exception>
    public Bidirectional(RecurrentLayer layer, string? mergeMode = "concat", RecurrentLayer? backwardLayer = null,
        long[]? inputShape = null, string? name = null)
        : base(name, inputShape ?? layer?.InputShape)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (mergeMode is not null && !MergeModes.Contains(mergeMode))
            throw new ArgumentException(
                $"Invalid merge mode. Received: \"{mergeMode}\". Merge mode should be one of \"sum\", \"mul\", \"ave\", \"concat\" or null.",
                nameof(mergeMode));
        MergeMode = mergeMode;
        Layer = Copy(layer, $"forward_{RemovePrefix(layer.Name, "forward_")}", layer.GoBackwards);
        BackwardLayer = backwardLayer ?? Copy(layer, $"backward_{RemovePrefix(layer.Name, "backward_")}", !layer.GoBackwards);
        if (Layer.GoBackwards == BackwardLayer.GoBackwards)
            throw new ArgumentException(
                "Forward layer and backward layer should have different goBackwards values. Received: forward layer goBackwards " +
                $"{Layer.GoBackwards}, backward layer goBackwards {BackwardLayer.GoBackwards}.", nameof(backwardLayer));
        foreach (var (attribute, forward, backward) in new[]
                 {
                     ("stateful", Layer.Stateful, BackwardLayer.Stateful),
                     ("returnSequences", Layer.ReturnSequences, BackwardLayer.ReturnSequences),
                     ("returnState", Layer.ReturnState, BackwardLayer.ReturnState),
                 })
            if (forward != backward)
                throw new ArgumentException(
                    $"Forward layer and backward layer are expected to have the same value for attribute \"{attribute}\", got " +
                    $"\"{forward}\" for forward layer and \"{backward}\" for backward layer.", nameof(backwardLayer));
        // Keras's force_zero_output_for_mask: masked steps of returned sequences are zeros, so the flipped halves line up.
        Layer.ZeroOutputForMask = BackwardLayer.ZeroOutputForMask = Layer.ReturnSequences;
        register_module("forward_layer", Layer);
        register_module("backward_layer", BackwardLayer);
    }

    /// <summary>The layer that runs forwards (a copy of the one given, named <c>forward_{name}</c>).</summary>
    public RecurrentLayer Layer { get; }

    /// <summary>The layer that runs backwards.</summary>
    public RecurrentLayer BackwardLayer { get; }

    /// <summary>How the two outputs merge: "concat", "sum", "mul", "ave", or null.</summary>
    public string? MergeMode { get; }

    /// <summary>Whether sequences are returned (the layer's setting).</summary>
    public bool ReturnSequences => Layer.ReturnSequences;

    /// <summary>Whether states are returned by <see cref="CallWithStates"/> (the layer's setting).</summary>
    public bool ReturnState => Layer.ReturnState;

    /// <summary>Whether the two layers carry their states between batches (the layer's setting).</summary>
    public bool Stateful => Layer.Stateful;

    /// <summary>Forgets the states both layers carry when stateful (Keras's <c>reset_states()</c>).</summary>
    public void ResetStates()
    {
        Layer.ResetStates();
        BackwardLayer.ResetStates();
    }

    private static RecurrentLayer Copy(RecurrentLayer layer, string name, bool goBackwards)
    {
        var config = layer.GetConfig().ToDictionary(kv => kv.Key, kv => kv.Value);
        config["name"] = name;
        config["go_backwards"] = goBackwards;
        config["input_shape"] = null;
        return (RecurrentLayer)LayerRegistry.FromConfig(layer.GetType().Name, config);
    }

    private static string RemovePrefix(string name, string prefix) => name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : name;

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        var shape = Layer.ComputeOutputShape(inputShape);
        if (MergeMode == "concat") shape[^1] *= 2;
        return shape;
    }

    /// <inheritdoc/>
    public override void Build(long[] inputShape)
    {
        Layer.EnsureBuilt(inputShape);
        BackwardLayer.EnsureBuilt(inputShape);
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">mergeMode is null: the two outputs come from <see cref="CallWithStates"/>.</exception>
    public override Tensor Call(Tensor x, bool training)
    {
        return Call(x, null, training);
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">mergeMode is null: the two outputs come from <see cref="CallWithStates"/>.</exception>
    public override Tensor Call(Tensor x, Tensor? mask, bool training)
    {
        if (MergeMode is null) throw TwoOutputs();
        return Run(x, null, mask, training, needStates: Stateful).Outputs[0];
    }

    /// <summary>
    /// Calls the layer in a functional model with start states (Keras's <c>Bidirectional(...)(x, initial_state=[...])</c>):
    /// the forward layer's states, then the backward layer's.
    /// </summary>
    /// <param name="x">Sequences <c>(None, timesteps, features)</c>.</param>
    /// <param name="initialState">The forward layer's start states then the backward layer's, <c>(None, units)</c> each.</param>
    /// <returns>The output; deconstruct the further outputs (see <see cref="SymbolicTensor.CallOutputs"/>) with
    /// <c>mergeMode: null</c> or <c>returnState</c>.</returns>
    /// <exception cref="ArgumentException">A count or shape that does not fit.</exception>
    public SymbolicTensor Apply(SymbolicTensor x, IReadOnlyList<SymbolicTensor> initialState) => Apply(RecurrentStates.Inputs(x, initialState));

    /// <inheritdoc/>
    protected override string? ExtraInputsArgument => "initial_state";

    /// <summary>The inputs of a call with start states: the sequences, then both layers' states.</summary>
    /// <param name="inputShapes">Per-sample shapes: the sequences, then the states.</param>
    /// <returns>The output shape.</returns>
    /// <exception cref="ArgumentException">A count or shape that does not fit.</exception>
    public override long[] ComputeOutputShapeForInputs(IReadOnlyList<long[]> inputShapes) =>
        RecurrentStates.OutputShape(this, inputShapes, 2 * Layer.StateCount, Layer.Units);

    /// <summary>Builds for the sequences' shape.</summary>
    /// <param name="inputShapes">Per-sample shapes: the sequences, then the states.</param>
    public override void BuildForInputs(IReadOnlyList<long[]> inputShapes) => EnsureBuilt(inputShapes[0]);

    /// <summary>Keras's outputs: the merged output (the forward then the backward one with <c>mergeMode: null</c>), then,
    /// with <c>returnState</c>, the forward layer's final states and the backward layer's.</summary>
    /// <param name="inputShapes">Per-sample input shapes.</param>
    /// <param name="outputShape">The (first) output's shape.</param>
    /// <param name="callOptions">The call's options (none).</param>
    /// <returns>The shapes of the call's outputs.</returns>
    public override IReadOnlyList<long[]> ComputeOutputShapes(IReadOnlyList<long[]> inputShapes, long[] outputShape,
        IReadOnlyDictionary<string, object> callOptions)
    {
        var shapes = new List<long[]> { outputShape };
        if (MergeMode is null) shapes.Add((long[])outputShape.Clone());
        if (ReturnState) shapes.AddRange(Enumerable.Range(0, 2 * Layer.StateCount).Select(_ => new long[] { Layer.Units }));
        return shapes;
    }

    /// <summary>A graph node's call: start states from the inputs after the first; every output Keras's call returns.</summary>
    /// <param name="inputs">The sequences, then any start states.</param>
    /// <param name="masks">Their masks (the sequences' is used).</param>
    /// <param name="callOptions">The call's options (none).</param>
    /// <param name="training">Whether dropout is active.</param>
    /// <returns>The output(s), then the final states with returnState.</returns>
    protected override IReadOnlyList<Tensor> CallOutputs(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks,
        IReadOnlyDictionary<string, object> callOptions, bool training)
    {
        var (outputs, states) = Run(inputs[0], inputs.Count > 1 ? inputs.Skip(1).ToArray() : null, masks[0], training,
            needStates: ReturnState || Stateful);
        return ReturnState ? [.. outputs, .. states] : outputs;
    }

    /// <summary>A call on sequences and start states with one output (a merge mode, no returnState).</summary>
    /// <param name="inputs">The sequences, then the start states.</param>
    /// <param name="training">Whether dropout is active.</param>
    /// <returns>The output.</returns>
    protected override Tensor Call(IReadOnlyList<Tensor> inputs, bool training) => Call(inputs, new Tensor?[inputs.Count], training);

    /// <summary>As <see cref="Call(IReadOnlyList{Tensor}, bool)"/>, with the sequences' mask.</summary>
    /// <param name="inputs">The sequences, then the start states.</param>
    /// <param name="masks">Their masks.</param>
    /// <param name="training">Whether dropout is active.</param>
    /// <returns>The output.</returns>
    protected override Tensor Call(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks, bool training)
    {
        if (MergeMode is null) throw TwoOutputs();
        return CallOutputs(inputs, masks, NoCallOptions, training)[0];
    }

    /// <summary>The output's mask for a call with start states: the sequences' rule.</summary>
    /// <param name="inputs">The sequences, then the states.</param>
    /// <param name="masks">Their masks.</param>
    /// <returns>The output's mask.</returns>
    public override Tensor? ComputeMask(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks) => ComputeMask(inputs[0], masks[0]);

    private InvalidOperationException TwoOutputs() => new(
        $"Layer \"{Name}\" (Bidirectional) has mergeMode null, so it has two outputs, and this call returns one. In a functional " +
        "model take both (var (forward, backward) = layer.Apply(x);), call CallWithStates(x) on batches, or choose mergeMode " +
        "\"concat\", \"sum\", \"mul\" or \"ave\".");

    /// <summary>With returnSequences the output keeps the input's mask; otherwise it has none (Keras's compute_mask).</summary>
    /// <param name="x">The input.</param>
    /// <param name="mask">The input's mask.</param>
    /// <returns>The output's mask.</returns>
    public override Tensor? ComputeMask(Tensor x, Tensor? mask) => ReturnSequences ? mask : null;

    /// <summary>
    /// Runs both layers and returns the merged output (two outputs, forward then backward, when mergeMode is null) and the
    /// final states, the forward layer's then the backward layer's (Keras's <c>output, *states</c>).
    /// </summary>
    /// <param name="x">Sequences <c>[N, T, features]</c>.</param>
    /// <param name="initialState">Start states: the forward layer's then the backward layer's (an even count), or null.</param>
    /// <param name="mask">Boolean <c>[N, T]</c>, true for steps to use.</param>
    /// <param name="training">Whether dropout is active.</param>
    /// <returns>The output(s) and the states.</returns>
    /// <exception cref="ArgumentException">Shapes that do not fit, or an odd number of initial states.</exception>
    public (IReadOnlyList<Tensor> Outputs, IReadOnlyList<Tensor> States) CallWithStates(Tensor x, IReadOnlyList<Tensor>? initialState = null,
        Tensor? mask = null, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        EnsureBuilt(x.dim() == 3 ? x.shape[1..] : x.shape);
        return Run(x, initialState, mask, training, needStates: true);
    }

    private (Tensor[] Outputs, Tensor[] States) Run(Tensor x, IReadOnlyList<Tensor>? initialState, Tensor? mask, bool training, bool needStates)
    {
        IReadOnlyList<Tensor>? forwardState = null, backwardState = null;
        if (initialState is not null)
        {
            if (initialState.Count % 2 != 0)
                throw new ArgumentException(
                    $"Layer \"{Name}\" (Bidirectional) takes the initial states of the forward layer then of the backward layer, an even " +
                    $"count; got {initialState.Count}.", nameof(initialState));
            int half = initialState.Count / 2;
            forwardState = initialState.Take(half).ToArray();
            backwardState = initialState.Skip(half).ToArray();
        }
        var (y, forwardStates) = Layer.Run(x, forwardState, mask, training, needStates);
        var (yReversed, backwardStates) = BackwardLayer.Run(x, backwardState, mask, training, needStates);
        if (ReturnSequences) yReversed = yReversed.flip(1);
        Tensor[] outputs = MergeMode switch
        {
            "concat" => [cat([y, yReversed], -1)],
            "sum" => [y + yReversed],
            "ave" => [(y + yReversed) / 2],
            "mul" => [y * yReversed],
            _ => [y, yReversed],
        };
        return (outputs, [.. forwardStates, .. backwardStates]);
    }
}
