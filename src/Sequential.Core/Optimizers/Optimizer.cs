using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sequential.Optimizers;

/// <summary>
/// Base class of optimizers (Keras's <c>keras.optimizers.Optimizer</c>), with Keras's argument names, default values
/// and update rules: a subclass creates its state in <see cref="Build"/> and updates one variable in
/// <see cref="UpdateStep"/>, as a Keras optimizer does in <c>build</c> and <c>update_step</c>.
/// </summary>
/// <remarks>
/// <para>
/// An optimizer is bound to a model's trainable parameters by <c>Compile</c>/<c>Fit</c>; setting
/// <see cref="LearningRate"/> afterwards takes effect on the next step (this is how learning-rate callbacks work).
/// </para>
/// <para>
/// Updates are written with in-place libtorch operations on the parameters and on state tensors created once; SGD,
/// Adam, RMSprop, Adagrad and Lion allocate no parameter-sized memory per step (the others free their
/// temporaries at the end of the step). Gradients are cleared by dropping them (PyTorch's <c>set_to_none</c>):
/// a variable that got no gradient in a step is not updated, as in Keras.
/// </para>
/// </remarks>
public abstract partial class Optimizer
{
    private double _learningRate;
    private readonly LearningRateSchedule? _schedule;
    private List<Parameter>? _variables;
    private HashSet<Parameter>? _decayed;
    private IReadOnlyList<Tensor> _averages = [], _accumulators = [];
    private readonly HashSet<Parameter> _excludedFromDecay = new(ReferenceEqualityComparer.Instance);
    private System.Text.RegularExpressions.Regex? _excludedFromDecayNames;
    // The names variables were bound with (a model's weight names), kept for a later unnamed Bind (restoring a state).
    private readonly Dictionary<Parameter, string> _names = new(ReferenceEqualityComparer.Instance);
    private Dictionary<Parameter, int>? _indices;
    private readonly List<(string Name, IReadOnlyList<Tensor> Tensors)> _slots = [];
    private Tensor? _scratch;

    /// <summary>Creates an optimizer.</summary>
    /// <param name="name">The Keras name, e.g. <c>adam</c>.</param>
    /// <param name="learningRate">The learning rate: a number (converted implicitly) or a
    /// <see cref="LearningRateSchedule"/> evaluated at every step.</param>
    /// <param name="weightDecay">Keras's <c>weight_decay</c>: before each update, every variable is shrunk by
    /// <c>variable * weightDecay * learningRate</c>; 0 for none.</param>
    /// <param name="clipping">Keras's <c>clipnorm</c>, <c>clipvalue</c> and <c>global_clipnorm</c>; at most one set.</param>
    /// <param name="options">Keras's <c>use_ema</c>, <c>ema_momentum</c>, <c>ema_overwrite_frequency</c> and
    /// <c>gradient_accumulation_steps</c>.</param>
    protected Optimizer(string name, LearningRateSchedule learningRate, double weightDecay = 0.0, GradientClipping clipping = default,
        OptimizerOptions options = default)
    {
        ArgumentNullException.ThrowIfNull(learningRate);
        clipping.Validate(name);
        options.Validate(name);
        if (learningRate is ConstantLearningRate constant)
        {
            if (!(constant.Value > 0) || double.IsInfinity(constant.Value))
                throw new ArgumentOutOfRangeException(nameof(learningRate), constant.Value,
                    $"The learning rate of {name} must be a positive finite number; got {constant.Value}.");
            _learningRate = constant.Value;
        }
        else
        {
            _schedule = learningRate;
        }
        if (!(weightDecay >= 0) || double.IsInfinity(weightDecay))
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay,
                $"The weight decay of {name} must be a finite number >= 0 (0 for none); got {weightDecay}.");
        Name = name;
        WeightDecay = weightDecay;
        (Clipnorm, Clipvalue, GlobalClipnorm) = (clipping.Clipnorm, clipping.Clipvalue, clipping.GlobalClipnorm);
        (UseEma, EmaMomentum, EmaOverwriteFrequency, GradientAccumulationSteps) =
            (options.UseEma, options.EmaMomentum, options.EmaOverwriteFrequency, options.GradientAccumulationSteps);
    }

    /// <summary>The Keras name, e.g. <c>adam</c>.</summary>
    public string Name { get; }

    /// <summary>Decoupled weight decay (Keras's <c>weight_decay</c>); 0 for none.</summary>
    public double WeightDecay { get; }

    /// <summary>Keras's <c>clipnorm</c>: each gradient is scaled so that its L2 norm is at most this; null for none.</summary>
    public double? Clipnorm { get; }

    /// <summary>Keras's <c>clipvalue</c>: each gradient element is clipped to [-clipvalue, clipvalue]; null for none.</summary>
    public double? Clipvalue { get; }

    /// <summary>Keras's <c>global_clipnorm</c>: all gradients are scaled together so that their joint L2 norm is at most
    /// this; null for none.</summary>
    public double? GlobalClipnorm { get; }

    /// <summary>Keras's <c>use_ema</c>: keep an exponential moving average of the variables (see <see cref="EmaMomentum"/>).</summary>
    public bool UseEma { get; }

    /// <summary>Keras's <c>ema_momentum</c>: <c>average = emaMomentum·average + (1 - emaMomentum)·variable</c> after each step.</summary>
    public double EmaMomentum { get; }

    /// <summary>Keras's <c>ema_overwrite_frequency</c>: every this many updates the variables are overwritten with their
    /// average; null: only at the end of <c>Fit</c> (<see cref="FinalizeVariableValues"/>).</summary>
    public int? EmaOverwriteFrequency { get; }

    /// <summary>Keras's <c>gradient_accumulation_steps</c>: the variables are updated every this many steps with the mean
    /// of the gradients since the last update; null: every step.</summary>
    public int? GradientAccumulationSteps { get; }

    /// <summary>The schedule given as the learning rate, or null when it is a number.</summary>
    public LearningRateSchedule? Schedule => _schedule;

    /// <summary>
    /// The current learning rate (Keras's <c>optimizer.learning_rate</c>): with a <see cref="Schedule"/>, its value at
    /// the current step. Setting it takes effect from the next step.
    /// </summary>
    /// <exception cref="InvalidOperationException">Set on an optimizer created with a schedule.</exception>
    public virtual double LearningRate
    {
        get => _schedule is { } schedule ? schedule.Call(Steps) : _learningRate;
        set
        {
            if (_schedule is not null)
                throw new InvalidOperationException(
                    $"This {Name} optimizer was created with a learning-rate schedule ({_schedule.GetType().Name}), so its learning " +
                    "rate cannot be set. Create it with a number as learningRate to set it (e.g. from a callback).");
            if (!(value > 0) || double.IsInfinity(value))
                throw new ArgumentOutOfRangeException(nameof(value), value, "The learning rate must be a positive finite number.");
            _learningRate = value;
        }
    }

    /// <summary>
    /// Number of updates taken since the optimizer was bound (Keras's <c>iterations</c>): with
    /// <see cref="GradientAccumulationSteps"/>, the steps divided by it.
    /// </summary>
    public virtual long Iterations => Steps / (GradientAccumulationSteps ?? 1);

    /// <summary>Number of times gradients were applied (Keras's <c>_iterations</c>); schedules are evaluated at it.</summary>
    internal long Steps { get; private set; }

    /// <summary>The steps a model file's training state records (and restores with the state): <see cref="Steps"/>, or
    /// the inner optimizer's for one that hands its steps on (LossScaleOptimizer).</summary>
    internal virtual long SavedSteps => Steps;

    /// <summary>Whether the optimizer is bound to parameters (and has its state).</summary>
    internal bool IsBound => _variables is not null;

    /// <summary>Binds the optimizer to parameters (done by the model; rebinding replaces the state).</summary>
    /// <param name="parameters">The trainable parameters.</param>
    internal void Bind(IEnumerable<Parameter> parameters) => Bind(parameters.Select(p => (_names.GetValueOrDefault(p), p)));

    /// <summary>Binds the optimizer to named parameters (the names are matched by <see cref="ExcludeFromWeightDecay"/>).</summary>
    /// <param name="parameters">The trainable parameters with their names (null for none).</param>
    internal void Bind(IEnumerable<(string? Name, Parameter Parameter)> parameters)
    {
        DisposeState();
        var named = parameters.ToList();
        _variables = named.Select(p => p.Parameter).ToList();
        _decayed = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
        foreach (var (name, p) in named)
        {
            if (name is not null) _names[p] = name;
            if (!_excludedFromDecay.Contains(p) && !(_excludedFromDecayNames is { } pattern && (name ?? p.name) is { } n && pattern.IsMatch(n)))
                _decayed.Add(p);
        }
        _indices = new Dictionary<Parameter, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < _variables.Count; i++) _indices.TryAdd(_variables[i], i);
        var largest = _variables.MaxBy(v => v.numel());
        // One buffer as large as the largest variable holds each update's temporary (Adam's denominator...).
        _scratch = largest is null ? null : empty(largest.numel(), largest.dtype, largest.device).DetachFromDisposeScope();
        using (no_grad())
        {
            _averages = UseEma ? AddVariables("average") : [];
            _accumulators = GradientAccumulationSteps is not null ? AddVariables("gradient_accumulator") : [];
            Build(_variables);
        }
        Steps = 0;
    }

    /// <summary>
    /// Applies one update (Keras's <c>optimizer.apply(grads, trainable_variables)</c>), in Keras's order: gradient
    /// clipping, weight decay, then <see cref="UpdateStep"/> per variable; a null gradient leaves its variable alone.
    /// Creates the optimizer's state for <paramref name="variables"/> on the first call when the optimizer is not bound
    /// yet (a second optimizer of a custom training step, say); afterwards every variable must be one it was built
    /// for, in any order or subset.
    /// </summary>
    /// <param name="gradients">One gradient (or null) per variable, e.g. <c>weights.Select(w => w.grad).ToList()</c>.</param>
    /// <param name="variables">The variables to update, e.g. <see cref="Model.TrainableWeights"/>.</param>
    /// <exception cref="ArgumentException">The lists differ in length, a gradient's shape differs from its variable's,
    /// or a variable is not one the optimizer was built for (its state would be missing).</exception>
    /// <example>
    /// <code>
    /// var weights = TrainableWeights;
    /// loss.backward();
    /// using (torch.no_grad()) Optimizer!.Apply(weights.Select(w => w.grad).ToList(), weights);
    /// </code>
    /// </example>
    public virtual void Apply(IReadOnlyList<Tensor?> gradients, IReadOnlyList<Parameter> variables)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        ArgumentNullException.ThrowIfNull(variables);
        if (gradients.Count != variables.Count)
            throw new ArgumentException(
                $"{Name}.Apply got {gradients.Count} gradients for {variables.Count} variables; pass one gradient (or null) per variable.",
                nameof(gradients));
        if (_variables is null) Bind(variables);
        var indices = Indices(variables, nameof(variables));
        for (int i = 0; i < variables.Count; i++)
            if (gradients[i] is { } g && !g.shape.SequenceEqual(variables[i].shape))
                throw new ArgumentException(
                    $"Gradient {i} has shape {Layers.Shapes.Format(g.shape)} but its variable has shape {Layers.Shapes.Format(variables[i].shape)}.",
                    nameof(gradients));
        Update([.. gradients], variables, indices);
    }

    /// <summary>
    /// Keras's <c>optimizer.scale_loss</c>: what the training step differentiates instead of the loss. The loss itself,
    /// except for <see cref="LossScaleOptimizer"/>, which multiplies it by its dynamic scale so that float16 gradients
    /// do not underflow.
    /// </summary>
    /// <param name="loss">The batch's loss.</param>
    /// <returns>The tensor to call <c>backward()</c> on.</returns>
    public virtual Tensor ScaleLoss(Tensor loss) => loss;

    /// <summary>
    /// Keras's <c>apply_gradients</c>: <see cref="Apply"/> on (gradient, variable) pairs; a null gradient leaves its
    /// variable alone.
    /// </summary>
    /// <param name="gradientsAndVariables">The pairs, e.g. <c>weights.Select(w =&gt; (w.grad, w))</c>.</param>
    /// <exception cref="ArgumentException">As <see cref="Apply"/>.</exception>
    /// <example>
    /// <code>
    /// loss.backward();
    /// optimizer.ApplyGradients(model.TrainableWeights.Select(w =&gt; (w.grad, w)));
    /// </code>
    /// </example>
    public void ApplyGradients(IEnumerable<(Tensor? Gradient, Parameter Variable)> gradientsAndVariables)
    {
        ArgumentNullException.ThrowIfNull(gradientsAndVariables);
        var pairs = gradientsAndVariables.ToList();
        Apply([.. pairs.Select(p => p.Gradient)], [.. pairs.Select(p => p.Variable)]);
    }

    /// <summary>
    /// Keras's <c>exclude_from_weight_decay</c>: the variables given, and those whose name contains a match of one of the
    /// regular expressions in <paramref name="varNames"/> (Keras's <c>re.search</c>; a model's weights are named as in
    /// its <c>named_parameters()</c>, e.g. <c>dense.bias</c>), are not decayed. Call it before the optimizer is bound
    /// (before <c>Compile</c>, or before the first <see cref="Apply"/>).
    /// </summary>
    /// <param name="varList">Variables to exclude.</param>
    /// <param name="varNames">Patterns of names to exclude, e.g. <c>["bias"]</c>.</param>
    /// <exception cref="InvalidOperationException">The optimizer is already bound.</exception>
    public void ExcludeFromWeightDecay(IEnumerable<Parameter>? varList = null, IEnumerable<string>? varNames = null)
    {
        if (IsBound)
            throw new InvalidOperationException(
                $"ExcludeFromWeightDecay can only be called before the {Name} optimizer is bound to variables; call it before Compile " +
                "(or before the first Apply).");
        _excludedFromDecay.Clear();
        foreach (var v in varList ?? []) _excludedFromDecay.Add(v);
        var names = (varNames ?? []).Distinct().ToList();
        _excludedFromDecayNames = names.Count == 0 ? null
            : new System.Text.RegularExpressions.Regex(string.Join("|", names), System.Text.RegularExpressions.RegexOptions.CultureInvariant,
                TimeSpan.FromSeconds(1));
    }

    /// <summary>
    /// Keras's <c>finalize_variable_values</c>: with <see cref="UseEma"/>, overwrites the variables with their moving
    /// averages (done by <c>Fit</c> after the last epoch); otherwise does nothing.
    /// </summary>
    /// <param name="variables">Variables the optimizer was built for, e.g. <see cref="Model.TrainableWeights"/>.</param>
    /// <exception cref="ArgumentException">A variable is not one the optimizer was built for.</exception>
    public virtual void FinalizeVariableValues(IReadOnlyList<Parameter> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        if (!UseEma || !IsBound) return;
        var indices = Indices(variables, nameof(variables));
        using var noGrad = no_grad();
        for (int i = 0; i < variables.Count; i++) variables[i].copy_(_averages[indices[i]]);
    }

    /// <summary>Each variable's index in the bound list.</summary>
    private int[] Indices(IReadOnlyList<Parameter> variables, string argument)
    {
        var indices = new int[variables.Count];
        for (int i = 0; i < variables.Count; i++)
            if (!_indices!.TryGetValue(variables[i], out indices[i]))
                throw new ArgumentException(
                    $"Variable {i} of shape {Layers.Shapes.Format(variables[i].shape)} is not one this {Name} optimizer was built for " +
                    $"(it was built for {_variables!.Count} variables). A layer made trainable after Compile needs Compile again; a " +
                    "second set of weights needs its own optimizer.", argument);
        return indices;
    }

    /// <summary>
    /// One step in Keras's order: with gradient accumulation, either add the gradients to the accumulators or update with
    /// their mean; clipping, weight decay, <see cref="UpdateStep"/> per variable; then the moving averages.
    /// <paramref name="indices"/> maps each variable to its state.
    /// </summary>
    private void Update(List<Tensor?> gradients, IReadOnlyList<Parameter> variables, int[] indices)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        double learningRate = LearningRate;
        bool update = true;
        if (GradientAccumulationSteps is { } k)
        {
            update = (Steps + 1) % k == 0;
            for (int i = 0; i < variables.Count; i++)
            {
                if (gradients[i] is not { } g) continue;
                var accumulator = _accumulators[indices[i]];
                // The update uses the accumulator itself as the mean gradient (no copy); it is zeroed after the update.
                accumulator.add_(g);
                if (update) gradients[i] = accumulator.div_(k);
            }
        }
        if (update)
        {
            ClipGradients(gradients);
            for (int i = 0; i < variables.Count; i++)
            {
                if (gradients[i] is not { } gradient) continue;
                var variable = variables[i];
                if (WeightDecay > 0 && _decayed!.Contains(variable)) variable.mul_(1 - WeightDecay * learningRate);
                UpdateStep(gradient, variable, indices[i], learningRate);
            }
            foreach (var accumulator in _accumulators) accumulator.zero_();
        }
        if (UseEma) UpdateAverages();
        Steps++;
    }

    /// <summary>Keras's moving average of every bound variable, and the periodic overwrite.</summary>
    private void UpdateAverages()
    {
        double momentum = Iterations == 0 ? 0.0 : EmaMomentum;
        for (int i = 0; i < _variables!.Count; i++) _averages[i].lerp_(_variables[i], 1 - momentum);
        if (EmaOverwriteFrequency is { } frequency && (Iterations + 1) % frequency == 0)
            for (int i = 0; i < _variables.Count; i++) _variables[i].copy_(_averages[i]);
    }

    /// <summary>Keras's clipping, in place on the device (no value is read back to the host).</summary>
    private void ClipGradients(List<Tensor?> gradients)
    {
        var present = gradients.OfType<Tensor>().ToList();
        if (present.Count == 0) return;
        if (Clipvalue is { } value)
            foreach (var g in present) g.clamp_(-value, value);
        else if (Clipnorm is { } norm)
            foreach (var g in present) ScaleToNorm(g, g.norm(), norm);
        else if (GlobalClipnorm is { } globalNorm)
        {
            var total = stack(present.Select(g => g.square().sum())).sum().sqrt();
            foreach (var g in present) ScaleToNorm(g, total, globalNorm);
        }
    }

    /// <summary><c>g * limit / max(norm, limit)</c>: unchanged when the norm is within the limit.</summary>
    private static void ScaleToNorm(Tensor gradient, Tensor norm, double limit) =>
        gradient.mul_(norm.clamp_min(limit).reciprocal().mul_(limit));

    /// <summary>Creates the optimizer's state for the variables (Keras's <c>build</c>) with <see cref="AddVariables(string, double)"/>.</summary>
    /// <param name="variables">The trainable parameters, in a fixed order; <see cref="UpdateStep"/> receives their index.</param>
    protected abstract void Build(IReadOnlyList<Parameter> variables);

    /// <summary>
    /// Updates one variable in place from its gradient (Keras's <c>update_step</c>). Runs without autograd, inside a
    /// dispose scope: temporaries need no disposing. <see cref="Iterations"/> is the number of updates already taken
    /// (with gradient accumulation, steps that only accumulate do not count), so this update is number
    /// <c>Iterations + 1</c>.
    /// </summary>
    /// <param name="gradient">The variable's gradient.</param>
    /// <param name="variable">The variable to update in place.</param>
    /// <param name="index">The variable's index in the list given to <see cref="Build"/>.</param>
    /// <param name="learningRate">The learning rate of this step.</param>
    protected abstract void UpdateStep(Tensor gradient, Tensor variable, int index, double learningRate);

    /// <summary>Creates one state tensor per variable, shaped like it (Keras's <c>add_optimizer_variables</c>); saved with the model.</summary>
    /// <param name="name">The slot's name, e.g. <c>momentum</c>; unique within the optimizer.</param>
    /// <param name="initialValue">The value every element starts from.</param>
    /// <returns>The tensors, in variable order.</returns>
    protected IReadOnlyList<Tensor> AddVariables(string name, double initialValue = 0.0) => AddVariables(name, v => v.shape, initialValue);

    /// <summary>Creates one state tensor per variable with a shape of its own (Adafactor's factored second moments); saved
    /// with the model.</summary>
    /// <param name="name">The slot's name; unique within the optimizer.</param>
    /// <param name="shape">The shape of a variable's state tensor, from the variable.</param>
    /// <param name="initialValue">The value every element starts from.</param>
    /// <returns>The tensors, in variable order, with the variables' dtype and device.</returns>
    protected IReadOnlyList<Tensor> AddVariables(string name, Func<Tensor, long[]> shape, double initialValue = 0.0)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (_slots.Any(s => s.Name == name))
            throw new InvalidOperationException($"{GetType().Name} adds the optimizer variables '{name}' twice; slot names must be unique.");
        var tensors = _variables!.Select(v => full(shape(v), initialValue, v.dtype, v.device).DetachFromDisposeScope()).ToList();
        _slots.Add((name, tensors));
        return tensors;
    }

    /// <summary>Checks a decay rate such as <c>beta1</c> (a number in [0, 1)), with the same message for every optimizer.</summary>
    /// <param name="value">The value given.</param>
    /// <param name="parameter">The argument's name, e.g. <c>beta1</c>.</param>
    /// <param name="optimizer">The optimizer's name as the message should show it.</param>
    /// <param name="example">A typical value the message suggests, e.g. 0.9.</param>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in [0, 1).</exception>
    protected static void CheckDecay(double value, string parameter, string optimizer, double example)
    {
        if (!(value >= 0 && value < 1))
            throw new ArgumentOutOfRangeException(parameter, value, $"{optimizer} {parameter} must be in [0, 1), e.g. {example}; got {value}.");
    }

    /// <summary>Checks an epsilon argument (a positive finite number), with the same message for every optimizer.</summary>
    /// <param name="epsilon">The value given.</param>
    /// <param name="optimizer">The optimizer's name as the message should show it.</param>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a positive finite number.</exception>
    protected static void CheckEpsilon(double epsilon, string optimizer)
    {
        if (!(epsilon > 0) || double.IsInfinity(epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon,
                $"{optimizer} epsilon must be a positive finite number, e.g. 1e-7; got {epsilon}.");
    }

    /// <summary>
    /// A temporary shaped like <paramref name="like"/> whose memory is reused by every step (no allocation per step);
    /// valid until the next call.
    /// </summary>
    /// <param name="like">The tensor whose shape, dtype and device the temporary takes.</param>
    /// <returns>An uninitialised tensor.</returns>
    protected Tensor Scratch(Tensor like)
    {
        if (_scratch is { } s && s.dtype == like.dtype && s.device_type == like.device_type && s.device_index == like.device_index && s.numel() >= like.numel())
            return s.narrow(0, 0, like.numel()).view(like.shape);
        return empty_like(like);
    }

    private void DisposeState()
    {
        foreach (var (_, tensors) in _slots)
            foreach (var t in tensors) t.Dispose();
        _slots.Clear();
        _scratch?.Dispose();
        _scratch = null;
        _variables = null;
        _indices = null;
        _decayed = null;
        _averages = [];
        _accumulators = [];
    }

    /// <summary>Lets a Keras name stand for an optimizer: <c>Compile(optimizer: "adam", ...)</c>.</summary>
    /// <param name="name">A name accepted by <see cref="OptimizerRegistry.Get"/>.</param>
    public static implicit operator Optimizer(string name) => OptimizerRegistry.Get(name);

    /// <inheritdoc/>
    public override string ToString() => $"{Name}(learningRate: {(_schedule is { } s ? s.GetType().Name : LearningRate)})";

    /// <summary>
    /// The configuration saved in model files: each constructor argument by its Keras key; the learning rate as its
    /// schedule's class and configuration when it is one.
    /// </summary>
    /// <returns>Configuration key -> value.</returns>
    public virtual IReadOnlyDictionary<string, object?> GetConfig()
    {
        var config = Persistence.ConfigReflection.GetConfig(this);
        if (_schedule is not null && config.ContainsKey("learning_rate")) config["learning_rate"] = _schedule;
        return config;
    }
}
