using Sequential.Activations;
using Sequential.Initializers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// What SimpleRNN, LSTM and GRU share (Keras's <c>RNN</c> layer around a cell): weights in Keras's layout
/// (<c>kernel</c> <c>[features, gates·units]</c>, <c>recurrent_kernel</c> <c>[units, gates·units]</c>, <c>bias</c>),
/// the loop over timesteps with Keras's options (<c>returnSequences</c>, <c>returnState</c>, <c>goBackwards</c>,
/// <c>stateful</c>, <c>dropout</c>, <c>recurrentDropout</c>), masks, and the choice between libtorch's fused kernel and
/// a step loop with Keras's cell equations.
/// </summary>
/// <remarks>
/// Inputs are <c>[batch, timesteps, features]</c>. The fused kernel runs whenever Keras's semantics allow it: activations
/// as libtorch has them (tanh and sigmoid; SimpleRNN tanh or relu), no recurrent dropout in training, and no mask (or a
/// mask keeping every step); otherwise the step loop runs. Both give the same numbers.
/// <para>In a functional model, a layer with <c>returnState</c> returns its output then its final states, and takes start
/// states by keyword, as Keras's: <c>var (outputs, h, c) = new LSTM(64, returnState: true).Apply(x);</c> and
/// <c>new LSTM(64).Apply(y, initialState: [h, c])</c>. Called on batches, <see cref="CallWithStates"/> returns them; in a
/// stack of layers (SequentialModel) only the output goes on.</para>
/// </remarks>
public abstract class RecurrentLayer : Layer
{
    private readonly LayerRandom _random;
    private Tensor[]? _states;   // stateful: the states after the last batch (detached, as Keras assigns them to variables)

    /// <summary>Sets the options every recurrent layer takes (Keras's names in camelCase).</summary>
    /// <param name="units">Size of the output and of each state (positive).</param>
    /// <param name="activation">Activation of the candidate (and output for SimpleRNN).</param>
    /// <param name="useBias">Whether the layer has a bias.</param>
    /// <param name="kernelInitializer">Initializer of <c>kernel</c>.</param>
    /// <param name="recurrentInitializer">Initializer of <c>recurrent_kernel</c>.</param>
    /// <param name="biasInitializer">Initializer of <c>bias</c>.</param>
    /// <param name="dropout">Fraction of the inputs dropped in training, one mask per sequence, in [0, 1].</param>
    /// <param name="recurrentDropout">Fraction of the recurrent state dropped in training, in [0, 1].</param>
    /// <param name="returnSequences">Return every step's output <c>[N, T, units]</c> instead of the last <c>[N, units]</c>.</param>
    /// <param name="returnState">Also return the final states (see <see cref="CallWithStates"/>).</param>
    /// <param name="goBackwards">Process the sequence backwards (outputs come in processing order, as in Keras).</param>
    /// <param name="stateful">Each batch starts from the final states of the previous one; see <see cref="ResetStates"/>.</param>
    /// <param name="seed">Seed of the dropout masks; null draws from the global generator.</param>
    /// <param name="inputShape">Per-sample input shape <c>[timesteps, features]</c> for a model's first layer.</param>
    /// <param name="name">Layer name.</param>
    private protected RecurrentLayer(int units, string? activation, bool useBias, string kernelInitializer, string recurrentInitializer,
        string biasInitializer, double dropout, double recurrentDropout, bool returnSequences, bool returnState, bool goBackwards,
        bool stateful, int? seed, long[]? inputShape, string? name)
        : base(name, inputShape)
    {
        string type = GetType().Name;
        Units = ConvArithmetic.Positive(units, nameof(units), type);
        Activation = ActivationRegistry.Get(activation);
        UseBias = useBias;
        KernelInitializer = InitializerRegistry.Get(kernelInitializer);
        RecurrentInitializer = InitializerRegistry.Get(recurrentInitializer);
        BiasInitializer = InitializerRegistry.Get(biasInitializer);
        Dropout = Arguments.InRange(dropout, 1, nameof(dropout), type);
        RecurrentDropout = Arguments.InRange(recurrentDropout, 1, nameof(recurrentDropout), type);
        ReturnSequences = returnSequences;
        ReturnState = returnState;
        GoBackwards = goBackwards;
        Stateful = stateful;
        Seed = seed;
        _random = new LayerRandom(seed);
    }

    /// <summary>Size of the output and of each state.</summary>
    public int Units { get; }

    /// <summary>Activation of the candidate state (SimpleRNN: of the output).</summary>
    public ActivationFunction Activation { get; }

    /// <summary>Whether the layer has a bias.</summary>
    public bool UseBias { get; }

    /// <summary>Initializer of <c>kernel</c>.</summary>
    public Initializer KernelInitializer { get; }

    /// <summary>Initializer of <c>recurrent_kernel</c>.</summary>
    public Initializer RecurrentInitializer { get; }

    /// <summary>Initializer of <c>bias</c>.</summary>
    public Initializer BiasInitializer { get; }

    /// <summary>Fraction of the inputs dropped in training.</summary>
    public double Dropout { get; }

    /// <summary>Fraction of the recurrent state dropped in training.</summary>
    public double RecurrentDropout { get; }

    /// <summary>Whether every step's output is returned.</summary>
    public bool ReturnSequences { get; }

    /// <summary>Whether the final states are returned too (by <see cref="CallWithStates"/>).</summary>
    public bool ReturnState { get; }

    /// <summary>Whether the sequence is processed backwards.</summary>
    public bool GoBackwards { get; }

    /// <summary>Whether each batch starts from the previous batch's final states.</summary>
    public bool Stateful { get; }

    /// <summary>Seed of the dropout masks.</summary>
    public int? Seed { get; }

    /// <summary>Keras's <c>zero_output_for_mask</c>: masked steps output zeros instead of the previous output
    /// (Bidirectional sets it when it returns sequences).</summary>
    internal bool ZeroOutputForMask { get; set; }

    /// <summary>Whether the fused kernel may run (tests switch it off to compare it with the step loop).</summary>
    internal bool AllowFused { get; set; } = true;

    /// <summary>Number of gate blocks in the kernels (SimpleRNN 1, GRU 3, LSTM 4).</summary>
    private protected abstract int Gates { get; }

    /// <summary>Number of states (LSTM 2: h and c; others 1).</summary>
    internal virtual int StateCount => 1;

    /// <summary>The fused kernel this configuration maps to, or null when only the step loop has Keras's semantics.</summary>
    private protected abstract RecurrentKind? FusedKind { get; }

    /// <summary>The kernel <c>[features, gates·units]</c> (Keras's layout), or null before the layer is built.</summary>
    public Parameter? Kernel => Built ? get_parameter("kernel") : null;

    /// <summary>The recurrent kernel <c>[units, gates·units]</c> (Keras's layout), or null before the layer is built.</summary>
    public Parameter? RecurrentKernel => Built ? get_parameter("recurrent_kernel") : null;

    /// <summary>The bias (<c>[gates·units]</c>; GRU with resetAfter <c>[2, 3·units]</c>), or null.</summary>
    public Parameter? Bias => Built && UseBias ? get_parameter("bias") : null;

    /// <summary>The states a stateful layer carries into the next batch (null before its first batch or after
    /// <see cref="ResetStates"/>); each <c>[batch, units]</c>, h first (then c for an LSTM).</summary>
    public IReadOnlyList<Tensor>? States => _states;

    /// <summary>Forgets the states a stateful layer carries (Keras's <c>reset_states()</c>): the next batch starts from zeros.</summary>
    public void ResetStates()
    {
        if (_states is null) return;
        foreach (var s in _states) s.Dispose();
        _states = null;
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        if (inputShape.Length != 2)
            throw new ArgumentException(
                $"Layer \"{Name}\" ({TypeName}) expects 3-D input [batch, timesteps, features]; got input with shape " +
                $"{Shapes.FormatBatch(inputShape)}. Feed sequences, e.g. through an Embedding, or Reshape to add a time axis.");
        return ReturnSequences ? [inputShape[0], Units] : [Units];
    }

    /// <inheritdoc/>
    public override void Build(long[] inputShape)
    {
        long features = inputShape[^1], width = (long)Gates * Units;
        AddWeight("kernel", [features, width], KernelInitializer, features, width);
        AddWeight("recurrent_kernel", [Units, width], RecurrentInitializer, Units, width);
        if (UseBias) BuildBias(width);
    }

    /// <summary>Creates the bias (LSTM and GRU override it for unitForgetBias and resetAfter).</summary>
    private protected virtual void BuildBias(long width) => AddWeight("bias", [width], BiasInitializer, width, width);

    /// <summary>The bias added to the input projection (GRU with resetAfter: its first row).</summary>
    private protected virtual Tensor? InputBias => Bias;

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training) => Run(x, null, null, training, needStates: Stateful).Output;

    /// <summary>Runs the layer on sequences whose masked steps (false in <paramref name="mask"/>) keep the previous state and
    /// output, as Keras's recurrent layers do.</summary>
    /// <param name="x">Sequences <c>[N, T, features]</c>.</param>
    /// <param name="mask">Boolean <c>[N, T]</c>, or null.</param>
    /// <param name="training">Whether dropout is active.</param>
    /// <returns>The output batch.</returns>
    /// <exception cref="ArgumentException">The mask is not <c>[N, T]</c>.</exception>
    public override Tensor Call(Tensor x, Tensor? mask, bool training) => Run(x, null, mask, training, needStates: Stateful).Output;

    /// <summary>With returnSequences the output keeps the input's mask (one entry per step); otherwise it has none.</summary>
    /// <param name="x">The input.</param>
    /// <param name="mask">The input's mask.</param>
    /// <returns>The output's mask.</returns>
    public override Tensor? ComputeMask(Tensor x, Tensor? mask) => ReturnSequences ? mask : null;

    /// <summary>
    /// Runs the layer and returns its output and final states (Keras's <c>layer(x, initial_state=...)</c> with
    /// <c>return_state=True</c>), building it first if needed. Works whatever <see cref="ReturnState"/> says.
    /// </summary>
    /// <param name="x">Sequences <c>[N, T, features]</c>.</param>
    /// <param name="initialState">Start states, <c>[N, units]</c> each (h, then c for an LSTM); null: zeros (or, when
    /// stateful, the carried states).</param>
    /// <param name="mask">Boolean <c>[N, T]</c>, true for steps to use; masked steps keep the previous state and output.</param>
    /// <param name="training">Whether dropout is active.</param>
    /// <returns>The output (<c>[N, T, units]</c> with returnSequences, else <c>[N, units]</c>) and the final states.</returns>
    /// <exception cref="ArgumentException">The input is not 3-D, a state or the mask has the wrong shape.</exception>
    /// <example>
    /// <code>
    /// var encoder = new LSTM(64, returnState: true);
    /// var (output, states) = encoder.CallWithStates(source);         // states: [h, c]
    /// var decoded = new LSTM(64, returnSequences: true).CallWithStates(target, states).Output;
    /// </code>
    /// </example>
    public (Tensor Output, IReadOnlyList<Tensor> States) CallWithStates(Tensor x, IReadOnlyList<Tensor>? initialState = null,
        Tensor? mask = null, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        CheckRank(x);
        EnsureBuilt(x.shape[1..]);
        var (output, states) = Run(x, initialState, mask, training, needStates: true);
        return (output, states);
    }

    /// <summary>
    /// Calls the layer in a functional model with start states (Keras's <c>layer(x, initial_state=[h, c])</c>), e.g. a
    /// decoder starting from an encoder's final states. The states are further inputs of the call: saved models record
    /// them under Keras's <c>initial_state</c>.
    /// </summary>
    /// <param name="x">Sequences <c>(None, timesteps, features)</c>.</param>
    /// <param name="initialState">The start states, <c>(None, units)</c> each: h (and c for an LSTM).</param>
    /// <returns>The output; with <c>returnState</c>, deconstruct the output and the final states from it.</returns>
    /// <exception cref="ArgumentException">A count or shape that does not fit; the message names the layer and the shapes.</exception>
    /// <example>
    /// <code>
    /// var (encoderOutputs, stateH, stateC) = new LSTM(256, returnState: true).Apply(encoderInputs);
    /// var decoderOutputs = new LSTM(256, returnSequences: true).Apply(decoderInputs, initialState: [stateH, stateC]);
    /// </code>
    /// </example>
    public SymbolicTensor Apply(SymbolicTensor x, IReadOnlyList<SymbolicTensor> initialState) => Apply(RecurrentStates.Inputs(x, initialState));

    /// <inheritdoc/>
    protected override string? ExtraInputsArgument => "initial_state";

    /// <summary>The inputs of a call with start states: the sequences, then <see cref="StateCount"/> states of
    /// <c>(units)</c> each, checked here so a graph fails at the line that built it.</summary>
    /// <param name="inputShapes">Per-sample shapes: the sequences, then the states.</param>
    /// <returns>The output shape.</returns>
    /// <exception cref="ArgumentException">A count or shape that does not fit.</exception>
    public override long[] ComputeOutputShapeForInputs(IReadOnlyList<long[]> inputShapes) =>
        RecurrentStates.OutputShape(this, inputShapes, StateCount, Units);

    /// <summary>Builds for the sequences' shape (the states have no weights of their own).</summary>
    /// <param name="inputShapes">Per-sample shapes: the sequences, then the states.</param>
    public override void BuildForInputs(IReadOnlyList<long[]> inputShapes) => EnsureBuilt(inputShapes[0]);

    /// <summary>The output, then, with <c>returnState</c>, the final states, <c>(units)</c> each.</summary>
    /// <param name="inputShapes">Per-sample input shapes.</param>
    /// <param name="outputShape">The output's shape.</param>
    /// <param name="callOptions">The call's options (none).</param>
    /// <returns>The shapes of the call's outputs.</returns>
    public override IReadOnlyList<long[]> ComputeOutputShapes(IReadOnlyList<long[]> inputShapes, long[] outputShape,
        IReadOnlyDictionary<string, object> callOptions) =>
        ReturnState ? [outputShape, .. Enumerable.Range(0, StateCount).Select(_ => new long[] { Units })] : [outputShape];

    /// <summary>A graph node's call: the sequences' mask, the states that follow them as start states; returns the output
    /// and, with <c>returnState</c>, the final states.</summary>
    /// <param name="inputs">The sequences, then any start states.</param>
    /// <param name="masks">Their masks (the sequences' is used).</param>
    /// <param name="callOptions">The call's options (none).</param>
    /// <param name="training">Whether dropout is active.</param>
    /// <returns>The output, then the final states with returnState.</returns>
    protected override IReadOnlyList<Tensor> CallOutputs(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks,
        IReadOnlyDictionary<string, object> callOptions, bool training)
    {
        var (output, states) = Run(inputs[0], inputs.Count > 1 ? inputs.Skip(1).ToArray() : null, masks[0], training,
            needStates: ReturnState || Stateful);
        return ReturnState ? [output, .. states] : [output];
    }

    /// <summary>A call on sequences and start states (a graph node, or <c>Apply([x, h, c])</c> on batches).</summary>
    /// <param name="inputs">The sequences, then the start states.</param>
    /// <param name="training">Whether dropout is active.</param>
    /// <returns>The output.</returns>
    protected override Tensor Call(IReadOnlyList<Tensor> inputs, bool training) => CallOutputs(inputs, new Tensor?[inputs.Count], NoCallOptions, training)[0];

    /// <summary>As <see cref="Call(IReadOnlyList{Tensor}, bool)"/>, with the sequences' mask.</summary>
    /// <param name="inputs">The sequences, then the start states.</param>
    /// <param name="masks">Their masks.</param>
    /// <param name="training">Whether dropout is active.</param>
    /// <returns>The output.</returns>
    protected override Tensor Call(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks, bool training) =>
        CallOutputs(inputs, masks, NoCallOptions, training)[0];

    /// <summary>The output's mask for a call with start states: the sequences' rule.</summary>
    /// <param name="inputs">The sequences, then the states.</param>
    /// <param name="masks">Their masks.</param>
    /// <returns>The output's mask.</returns>
    public override Tensor? ComputeMask(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks) => ComputeMask(inputs[0], masks[0]);

    private void CheckRank(Tensor x)
    {
        if (x.dim() != 3)
            throw new ArgumentException(
                $"Layer \"{Name}\" ({TypeName}) expects 3-D input [batch, timesteps, features]; got input with shape " +
                $"{Shapes.Format(x.shape)}. Feed sequences, e.g. through an Embedding, or Reshape to add a time axis.", nameof(x));
    }

    /// <summary>The whole computation: start states, dropout masks, fused or step loop, stateful bookkeeping.</summary>
    /// <remarks><paramref name="needStates"/> false lets an LSTM take the fused kernel under a right-padded mask, which gives
    /// the outputs and h but not c at each sequence's end, and lets the fused kernel's autograd node return the output
    /// alone; the returned states are then incomplete, and callers that pass false do not read them.</remarks>
    internal (Tensor Output, Tensor[] States) Run(Tensor x, IReadOnlyList<Tensor>? initialState, Tensor? mask, bool training, bool needStates)
    {
        CheckRank(x);
        long n = x.shape[0], steps = x.shape[1];
        if (mask is not null)
        {
            if (mask.dim() != 2 || mask.shape[0] != n || mask.shape[1] != steps)
                throw new ArgumentException(
                    $"Layer \"{Name}\" ({TypeName}) got a mask of shape {Shapes.Format(mask.shape)} for input of shape {Shapes.Format(x.shape)}; " +
                    $"the mask must be [batch, timesteps] = ({n}, {steps}), true for the steps to use.", nameof(mask));
            if (mask.dtype != ScalarType.Bool) mask = mask.to(ScalarType.Bool);
            if (mask.device != x.device) mask = mask.to(x.device);
        }
        var states = StartStates(x, initialState);
        var kernel = Kernel!;
        var recurrent = RecurrentKernel!;
        var input = training && Dropout is > 0 and < 1 ? x * DropoutMask(Dropout, [n, 1, x.shape[2]], x) : x;
        bool recurrentDropout = training && RecurrentDropout is > 0 and < 1; // Keras's cells drop only for rates in (0, 1)
        bool allKept = mask is null || mask.all().item<bool>();
        bool fusable = AllowFused && FusedKind is not null && !recurrentDropout && steps > 0;
        Tensor? lengths = !allKept && fusable && (!needStates || StateCount == 1) ? RightPaddedLengths(mask!) : null;
        Tensor sequence, last;
        Tensor[] final;
        if (fusable && allKept)
        {
            var ordered = GoBackwards ? input.flip(1) : input;
            (sequence, final) = FusedRecurrence.Run(FusedKind!.Value, ordered, states, kernel, recurrent, Bias, needStates);
            last = sequence.select(1, steps - 1);
        }
        else if (lengths is not null)
        {
            (sequence, final) = FusedRightPadded(input, lengths, states, needStates);
            last = sequence.select(1, steps - 1);
        }
        else
        {
            var recurrentMask = recurrentDropout ? DropoutMask(RecurrentDropout, [n, Units], x) : null;
            (sequence, last, final) = StepLoop(input, allKept ? null : mask, states, recurrentMask);
        }
        if (Stateful)
        {
            var kept = final.Select(s => s.detach().clone()).ToArray();
            foreach (var s in kept) s.DetachFromDisposeScope();
            ResetStates();
            _states = kept;
        }
        return (ReturnSequences ? sequence : last, final);
    }

    /// <summary>Each row's count of kept steps when every row of the mask keeps a prefix (right padding), else null.</summary>
    private static Tensor? RightPaddedLengths(Tensor mask)
    {
        var lengths = mask.sum(1, type: ScalarType.Int64);
        var prefix = arange(mask.shape[1], device: mask.device).unsqueeze(0).lt(lengths.unsqueeze(1));
        return prefix.eq(mask).all().item<bool>() ? lengths : null;
    }

    /// <summary>
    /// The fused kernel under a right-padded mask, equal to Keras's masked loop. Forwards: run the whole batch, then each
    /// row's steps past its length repeat its last kept output (zeros with <see cref="ZeroOutputForMask"/>) and h is the
    /// output at its last kept step. Backwards: Keras meets the padding first, keeping the start states and giving zero
    /// outputs, then runs the kept steps in reverse; so each row's kept prefix is reversed in place, run forwards, and
    /// shifted to the end of the output. c (LSTM) is not available this way; callers that need it take the step loop.
    /// </summary>
    private (Tensor Sequence, Tensor[] States) FusedRightPadded(Tensor input, Tensor lengths, Tensor[] states, bool needStates)
    {
        long n = input.shape[0], steps = input.shape[1];
        var time = arange(steps, device: input.device).unsqueeze(0).expand(n, steps);       // [N, T]
        var length = lengths.unsqueeze(1);                                                  // [N, 1]
        Tensor Gather(Tensor t, Tensor index) => t.gather(1, index.unsqueeze(2).expand(-1, -1, t.shape[2]));
        var ordered = GoBackwards ? Gather(input, where(time.lt(length), length - 1 - time, time)) : input;
        var (outputs, final) = FusedRecurrence.Run(FusedKind!.Value, ordered, states, Kernel!, RecurrentKernel!, Bias, needStates);
        var zero = zeros_like(outputs);
        var any = length.gt(0).unsqueeze(2);                                                // [N, 1, 1]
        Tensor sequence;
        if (GoBackwards)
        {
            var shifted = (time - (steps - length)).clamp_min(0);
            sequence = where(time.ge(steps - length).unsqueeze(2), Gather(outputs, shifted), zero);
        }
        else
        {
            var held = Gather(outputs, minimum(time, (length - 1).clamp_min(0)));
            var repeated = ZeroOutputForMask ? zero : where(any, held, zero);
            sequence = where(time.lt(length).unsqueeze(2), outputs, repeated);
        }
        var lastKept = Gather(outputs, (length - 1).clamp_min(0)).squeeze(1);
        var h = where(any.squeeze(2), lastKept, states[0]);
        return (sequence, final.Length < 2 ? [h] : [h, final[1]]);
    }

    private Tensor[] StartStates(Tensor x, IReadOnlyList<Tensor>? initialState)
    {
        long n = x.shape[0];
        if (initialState is null)
        {
            if (Stateful && _states is not null)
            {
                if (_states[0].shape[0] != n)
                    throw new ArgumentException(
                        $"Layer \"{Name}\" ({TypeName}) is stateful: the batch size of the input sequences must be the same as the batch " +
                        $"size of the carried states. Expected batch size: {_states[0].shape[0]}; received batch size: {n}. Use a " +
                        "fixed batch size (drop the last partial batch) or call ResetStates() between datasets.");
                return [.. _states.Select(s => s.to(x.dtype, x.device))];
            }
            return [.. Enumerable.Range(0, StateCount).Select(_ => zeros([n, Units], x.dtype, x.device))];
        }
        if (initialState.Count != StateCount)
            throw new ArgumentException(
                $"Layer \"{Name}\" ({TypeName}) takes {StateCount} initial state{(StateCount == 1 ? "" : "s")} " +
                $"({(StateCount == 1 ? "h" : "h and c")}); got {initialState.Count}.", nameof(initialState));
        foreach (var s in initialState)
            if (s.dim() != 2 || s.shape[0] != n || s.shape[1] != Units)
                throw new ArgumentException(
                    $"Layer \"{Name}\" ({TypeName}) takes initial states of shape ({n}, {Units}) [batch, units]; got {Shapes.Format(s.shape)}.",
                    nameof(initialState));
        return [.. initialState.Select(s => s.to(x.dtype, x.device))];
    }

    /// <summary>Keras's dropout mask: 0 with probability <paramref name="rate"/>, else 1/(1-rate).</summary>
    private Tensor DropoutMask(double rate, long[] shape, Tensor like) => _random.Bernoulli(shape, 1 - rate, like).div_(1 - rate);

    /// <summary>
    /// Keras's loop (its torch backend's <c>rnn</c>): the input projection for all steps at once, then one cell step per
    /// timestep; a masked step keeps the states and repeats the previous output (zeros with <see cref="ZeroOutputForMask"/>).
    /// Outputs come in processing order.
    /// </summary>
    private (Tensor Sequence, Tensor Last, Tensor[] States) StepLoop(Tensor input, Tensor? mask, Tensor[] states, Tensor? recurrentMask)
    {
        long steps = input.shape[1];
        var projected = matmul(input, Kernel!);
        if (InputBias is { } bias) projected = projected + bias;
        var zero = zeros([input.shape[0], Units], input.dtype, input.device);
        var previous = zero;
        var outputs = new List<Tensor>((int)Math.Min(steps, int.MaxValue));
        for (long s = 0; s < steps; s++)
        {
            long t = GoBackwards ? steps - 1 - s : s;
            var (output, next) = Step(projected.select(1, t), states, recurrentMask);
            if (mask is not null)
            {
                var keep = mask.select(1, t).unsqueeze(1);
                output = where(keep, output, ZeroOutputForMask ? zero : previous);
                for (int i = 0; i < next.Length; i++) next[i] = where(keep, next[i], states[i]);
            }
            outputs.Add(output);
            previous = output;
            states = next;
        }
        var sequence = steps == 0 ? zeros([input.shape[0], 0, Units], input.dtype, input.device) : stack(outputs, 1);
        return (sequence, previous, states);
    }

    /// <summary>One cell step (Keras's cell <c>call</c>): from the projected input <c>x·kernel + input bias</c> of this step and the
    /// states, the output and new states. <paramref name="recurrentMask"/> multiplies the previous h where Keras drops it.</summary>
    private protected abstract (Tensor Output, Tensor[] States) Step(Tensor projected, Tensor[] states, Tensor? recurrentMask);
}
