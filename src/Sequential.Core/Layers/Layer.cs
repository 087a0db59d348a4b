using System.Text.RegularExpressions;
using TorchSharp;
using TorchSharp.Modules;
using Sequential.Initializers;
using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Base class of every layer (Keras's <c>keras.layers.Layer</c>), itself a TorchSharp module so that
/// parameters, devices and state dictionaries work as in TorchSharp.
/// </summary>
/// <remarks>
/// Layers build lazily: weights are created by <see cref="Build"/> once the per-sample input shape is
/// known, from <c>inputShape</c> or from the first batch. Shapes in this API never include the batch
/// dimension (Keras's <c>None</c>) and follow Keras's channels_last convention.
/// </remarks>
public abstract class Layer : nn.Module<Tensor, Tensor>
{
    // Names, not tensors: moving the module to another device replaces the registered tensors.
    private readonly List<string> _nonTrainable = [];
    // What the last Build registered (names, and the count of the list above before it): Unbuild removes it.
    private string[] _builtParameters = [];
    private string[] _builtBuffers = [];
    private int _builtNonTrainableCount;
    // Keras's layer.trainable flag: what a layer without weights reports, and what weights created later start as.
    private bool _trainable = true;
    // Weights that stay frozen whatever Trainable is set to, as Keras's setter flips only the variables created trainable:
    // those made by AddWeight(trainable: false), and the parameters of a registered TorchSharp module that were frozen
    // when it was registered. Names, relative to this layer.
    private readonly HashSet<string> _fixed = new(StringComparer.Ordinal);

    /// <summary>Creates a layer.</summary>
    /// <param name="name">Unique name within a model; default: the Keras snake_case of the type name.</param>
    /// <param name="inputShape">Per-sample input shape (no batch dimension) for the first layer of a model.</param>
    protected Layer(string? name = null, long[]? inputShape = null)
        : base(name ?? DefaultName(null))
    {
        Name = name ?? DefaultName(GetType());
        NameWasGiven = name is not null;
        if (inputShape is not null)
        {
            if (inputShape.Length == 0 || inputShape.Any(d => d <= 0 && d != Shapes.None))
                throw new ArgumentException(
                    $"inputShape of layer \"{Name}\" must list positive sizes without the batch dimension, e.g. [28, 28], or Shapes.None " +
                    $"for a size the data decides; got {Shapes.Format(inputShape)}.",
                    nameof(inputShape));
            InputShape = (long[])inputShape.Clone();
        }
    }

    /// <summary>The layer's name, unique within its model (Keras's <c>layer.name</c>).</summary>
    public string Name { get; internal set; }

    private DTypePolicy _dtypePolicy = MixedPrecision.GlobalPolicy;

    /// <summary>
    /// The dtypes the layer computes in and keeps its weights in (Keras's <c>layer.dtype_policy</c>, set by the
    /// constructor's <c>dtype</c> in Keras): the global policy (<see cref="MixedPrecision.GlobalPolicy"/>) when the layer
    /// was created, unless set. Under a mixed policy the layer casts floating-point inputs and its weights to
    /// <see cref="ComputeDtype"/>; weights stay in <see cref="VariableDtype"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Set on a built layer to a policy whose variable dtype differs from its
    /// weights' (set it before the layer builds).</exception>
    /// <example><code>var output = new Dense(10, activation: "softmax") { DtypePolicy = "float32" };   // Keras: dtype="float32"</code></example>
    public DTypePolicy DtypePolicy
    {
        get => _dtypePolicy;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (Built && value.VariableDtype != _dtypePolicy.VariableDtype && _internal_params.Count > 0)
                throw new InvalidOperationException(
                    $"Layer \"{Name}\" is built with {_dtypePolicy.VariableDtype} weights; the policy '{value.Name}' keeps weights in " +
                    $"{value.VariableDtype}. Set DtypePolicy before the layer builds (before its first call or Fit).");
            _dtypePolicy = value;
            if (this is Model) return;
            foreach (var (_, child) in named_children())   // a layer built from layers (Conv1DTranspose) computes as one
                if (child is Layer layer && layer is not Model) layer.DtypePolicy = value;
        }
    }

    /// <summary>The dtype the layer computes in (Keras's <c>layer.compute_dtype</c>).</summary>
    public ScalarType ComputeDtype => _dtypePolicy.ComputeDtype;

    /// <summary>The dtype of the layer's weights (Keras's <c>layer.variable_dtype</c>).</summary>
    public ScalarType VariableDtype => _dtypePolicy.VariableDtype;

    /// <summary>
    /// A weight as the layer computes with it (Keras's autocast of variables): the weight itself, or under a mixed
    /// policy its copy in <see cref="ComputeDtype"/> (differentiable: gradients reach the float32 weight).
    /// </summary>
    /// <param name="weight">A floating-point weight of this layer.</param>
    /// <returns>The weight in the compute dtype.</returns>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(weight))]
    protected Tensor? InComputeDtype(Tensor? weight) =>
        weight is null || weight.dtype == ComputeDtype || !weight.is_floating_point() ? weight : weight.to_type(ComputeDtype);

    /// <summary>Keras's autocast of a layer's inputs under a 16-bit policy: floating-point inputs move to the compute
    /// dtype when either side is a 16-bit float (float32 and float64 inputs of a float32 layer are left as they are).
    /// Models apply it to every input; a layer's own call method with more arguments (MultiHeadAttention's) applies it
    /// to them.</summary>
    /// <param name="x">An input.</param>
    /// <returns>The input in the dtype the layer computes in, or as it was.</returns>
    protected Tensor AutoCast(Tensor x) => this is Model ? x : AutoCast(x, ComputeDtype);

    /// <summary>The autocast rule for a given compute dtype: for a wrapper that calls its wrapped layer's
    /// <see cref="Call(Tensor, Tensor?, bool)"/> directly, with that layer's <see cref="ComputeDtype"/>.</summary>
    /// <param name="x">An input.</param>
    /// <param name="computeDtype">The dtype the receiving layer computes in.</param>
    /// <returns>The input in <paramref name="computeDtype"/> when either is a 16-bit float, else as it was.</returns>
    protected static Tensor AutoCast(Tensor x, ScalarType computeDtype)
    {
        if (x.dtype == computeDtype || !x.is_floating_point()) return x;
        return IsHalf(computeDtype) || IsHalf(x.dtype) ? x.to_type(computeDtype) : x;
    }

    /// <summary>Whether a dtype is a 16-bit float (float16 or bfloat16), the compute dtypes of the mixed policies.</summary>
    /// <param name="dtype">A dtype.</param>
    /// <returns>True for float16 and bfloat16.</returns>
    protected static bool IsHalf(ScalarType dtype) => DTypePolicy.IsHalf(dtype);

    /// <summary>True when the name was given by the user (and so must not be renamed).</summary>
    internal bool NameWasGiven { get; }

    /// <summary>The declared per-sample input shape, when given.</summary>
    public long[]? InputShape { get; }

    private bool _built;
    private long[]? _builtInputShape, _outputShape;

    /// <summary>Whether the layer's weights exist (Keras's <c>layer.built</c>): <see cref="EnsureBuilt"/> has run.</summary>
    public virtual bool Built => _built;

    /// <summary>The per-sample input shape the layer was built for.</summary>
    public virtual long[]? BuiltInputShape => _builtInputShape;

    /// <summary>The per-sample output shape, once built.</summary>
    public virtual long[]? OutputShape => _outputShape;

    /// <summary>
    /// Whether the layer's weights are updated by training (Keras's <c>trainable</c>). Setting it freezes or unfreezes
    /// every weight the layer holds, including those of registered sublayers and TorchSharp modules, except weights that
    /// are not trainable by design (created with <c>trainable: false</c>, or frozen in a TorchSharp module before it was
    /// registered), which stay frozen. Set before the layer is built, it applies to the weights the build creates.
    /// </summary>
    /// <remarks>Reads true while any weight that can train does; for a layer without such weights, the value last set.</remarks>
    public bool Trainable
    {
        get
        {
            bool any = false;
            foreach (var weight in Freezable())
            {
                if (weight.requires_grad) return true;
                any = true;
            }
            return !any && _trainable;
        }
        set
        {
            _trainable = value;
            foreach (var layer in children().OfType<Layer>()) layer.Trainable = value;
            foreach (var weight in Freezable()) weight.requires_grad = value;
        }
    }

    /// <summary>The weights that <see cref="Trainable"/> switches: all but those not trainable by design.</summary>
    private IEnumerable<Parameter> Freezable()
    {
        foreach (var (name, weight) in named_parameters(recurse: false))
            if (!_fixed.Contains(name)) yield return weight;
        foreach (var (childName, child) in named_children())
        {
            var weights = child is Layer layer
                ? layer.Freezable()
                : child.named_parameters().Where(w => !_fixed.Contains($"{childName}.{w.name}")).Select(w => w.parameter);
            foreach (var weight in weights) yield return weight;
        }
    }

    /// <summary>
    /// Registers a submodule (TorchSharp's <c>register_module</c>): its parameters become weights of this layer. The
    /// parameters of a TorchSharp module that are frozen now stay frozen when <see cref="Trainable"/> is set to true.
    /// </summary>
    /// <param name="name">The submodule's name within the layer.</param>
    /// <param name="submodule">The module.</param>
    public override void register_module(string name, nn.Module submodule)
    {
        base.register_module(name, submodule);
        if (submodule is Layer layer)
        {
            if (!_trainable) layer.Trainable = false;
            return;
        }
        foreach (var (weightName, weight) in submodule.named_parameters())
            if (!weight.requires_grad) _fixed.Add($"{name}.{weightName}");
        if (!_trainable)
            foreach (var weight in submodule.parameters()) weight.requires_grad = false;
    }

    /// <summary>
    /// The weights (Keras's <c>layer.weights</c>): every parameter the layer holds, its own in creation order, then those
    /// of registered submodules (a sublayer, a wrapped TorchSharp module) in registration order.
    /// </summary>
    public IReadOnlyList<Parameter> Weights => parameters().ToList();

    /// <summary>
    /// The dtype this layer takes its inputs in when it is a model's first layer: the training loop casts the data to
    /// it (Keras casts inputs to float32). Null keeps the data's dtype: a layer that takes integer ids (Embedding, a
    /// lookup) returns null or an integer type.
    /// </summary>
    public virtual ScalarType? InputDtype => ScalarType.Float32;

    /// <summary>
    /// Whether the layer takes strings (TextVectorization): the one kind of layer a string <see cref="Input"/>
    /// (<c>new Input(shape: [1], dtype: "string")</c>) may feed, reading the strings from their carrier
    /// (<see cref="StringInputs"/>). False for every layer that computes on numbers.
    /// </summary>
    public virtual bool TakesStrings => false;

    /// <summary>The Keras class name shown by <c>Summary</c>, e.g. <c>Dense</c>.</summary>
    public virtual string TypeName => GetType().Name;

    /// <summary>
    /// Number of scalar weights, trainable and not (Keras's <c>count_params()</c>): the <see cref="Weights"/>, and the
    /// non-trainable state (moving statistics) registered by <see cref="AddNonTrainableState"/> here and in sublayers.
    /// Other buffers, such as a wrapped TorchSharp module's BatchNorm running statistics, are not counted, as Keras's
    /// TorchModuleWrapper tracks only its module's parameters.
    /// </summary>
    /// <returns>The parameter count.</returns>
    public long CountParams() => Weights.Sum(w => w.numel()) + NonTrainableBufferCount();

    /// <summary>Number of trainable scalar weights.</summary>
    /// <returns>The trainable parameter count.</returns>
    public long CountTrainableParams() => Weights.Where(w => w.requires_grad).Sum(w => w.numel());

    /// <summary>Builds the layer for a per-sample input shape, or checks a built layer against it.</summary>
    /// <param name="inputShape">Per-sample input shape.</param>
    /// <exception cref="ArgumentException">The shape does not fit the layer; the message names the layer and both shapes.</exception>
    public void EnsureBuilt(long[] inputShape)
    {
        if (!Built)
        {
            // A layer used from several threads at once (a Dataset's parallel Map applying it) builds once: the others
            // wait here, then find it built.
            lock (_buildLock)
                if (!Built)
                {
                    BuildOnce(inputShape);
                    return;
                }
        }
        if (!Shapes.Compatible(inputShape, BuiltInputShape!))
            throw new ArgumentException(
                $"Input 0 of layer \"{Name}\" is incompatible with the layer: expected shape {Shapes.FormatBatch(BuiltInputShape!)}, " +
                $"but received input with shape {Shapes.FormatBatch(inputShape)}.");
    }

    private readonly object _buildLock = new();

    private void BuildOnce(long[] inputShape)
    {
        if (InputShape is not null && !Shapes.Compatible(inputShape, InputShape))
            throw new ArgumentException(
                $"Input 0 of layer \"{Name}\" is incompatible with the layer: expected shape {Shapes.FormatBatch(InputShape)} " +
                $"(its inputShape), but received input with shape {Shapes.FormatBatch(inputShape)}.");
        TrackSublayers();
        var output = ComputeOutputShape(inputShape);
        // What Build registers is remembered, so that a failed Build (or a model undoing a build that did not
        // fit a file) leaves the layer as it was: unbuilt, with nothing registered, and buildable again.
        var parameters = _internal_params.Keys.ToHashSet();
        var buffers = _internal_buffers.Keys.ToHashSet();
        _builtNonTrainableCount = _nonTrainable.Count;
        try
        {
            Build(inputShape);
        }
        catch
        {
            RememberBuilt();
            Forget();
            throw;
        }
        RememberBuilt();
        TrackSublayers();
        BuildSublayersByRunning(inputShape);
        _builtInputShape = (long[])inputShape.Clone();
        _outputShape = output;
        _built = true;

        void RememberBuilt()
        {
            _builtParameters = [.. _internal_params.Keys.Where(k => !parameters.Contains(k))];
            _builtBuffers = [.. _internal_buffers.Keys.Where(k => !buffers.Contains(k))];
        }
    }

    /// <summary>
    /// Registers the layers a custom layer holds in its fields (a <see cref="Layer"/>, or a list or array of them) as
    /// submodules, once, before it builds: their weights then belong to it (Keras tracks a layer's attributes the same
    /// way, e.g. the guide's <c>MLPBlock</c> holding three <c>Linear</c> layers). Registered under the field's name (a
    /// list's items as <c>name_0</c>, <c>name_1</c>, ...); layers registered already are left as they are. Runs before
    /// and after <see cref="Build"/>, so layers created there count too. Models track their own layers.
    /// </summary>
    private void TrackSublayers()
    {
        if (this is Model) return;
        var children = new HashSet<nn.Module>(named_children().Select(c => c.module), ReferenceEqualityComparer.Instance);
        foreach (var (name, value) in SubclassFields(typeof(Layer)))
        {
            switch (value)
            {
                case Layer layer when !ReferenceEquals(layer, this) && children.Add(layer):
                    register_module(name, layer);
                    break;
                case IEnumerable<Layer> layers:
                    int index = 0;
                    foreach (var item in layers)
                    {
                        if (!ReferenceEquals(item, this) && children.Add(item)) register_module($"{name}_{index}", item);
                        index++;
                    }
                    break;
            }
        }
    }

    /// <summary>
    /// The values of the instance fields that this object's classes below <paramref name="stop"/> declare (a
    /// subclass's own state, as Keras tracks attributes), each with a name: an auto-property's name for its backing
    /// field (<c>&lt;Linear1&gt;k__BackingField</c> -> <c>Linear1</c>), else the field's without a leading underscore.
    /// </summary>
    private protected IEnumerable<(string Name, object? Value)> SubclassFields(Type stop)
    {
        const System.Reflection.BindingFlags Declared = System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public |
                                                        System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.DeclaredOnly;
        for (var type = GetType(); type is not null && type != stop; type = type.BaseType)
            foreach (var field in type.GetFields(Declared))
                yield return (FieldName(field.Name), field.GetValue(this));

        static string FieldName(string field)
        {
            if (field.StartsWith('<') && field.IndexOf('>') is > 1 and var end) return field[1..end];
            return field.TrimStart('_') is { Length: > 0 } trimmed ? trimmed : field;
        }
    }

    /// <summary>
    /// Builds sublayers that build lazily in <see cref="Call(Tensor, bool)"/> (the guide's <c>MLPBlock</c>): when a
    /// registered sublayer is still unbuilt after <see cref="Build"/>, the layer is called once on a zero batch of one
    /// sample, in inference mode without gradients (Keras 3 builds such a layer by running it the same way), so that its
    /// weights exist before a model places them on its device and gives them to the optimizer.
    /// </summary>
    private void BuildSublayersByRunning(long[] inputShape)
    {
        if (this is Model || !children().OfType<Layer>().Any(l => !l.Built)) return;
        RunOnZeroSample(inputShape);
    }

    /// <summary>
    /// Calls the layer once on a zero batch of one sample, in inference mode without gradients, so that what builds on
    /// its first call builds (Keras 3's build by running); returns the per-sample output shape. No dispose scope: what
    /// the builds create (weights, BatchNormalization's statistics) must live on.
    /// </summary>
    private protected long[] RunOnZeroSample(long[] inputShape)
    {
        bool wasTraining = training;
        eval();
        try
        {
            using var noGrad = no_grad();
            using var input = zeros([1, .. inputShape]);
            using var output = Call(input, training: false);
            return output.shape[1..];
        }
        finally
        {
            train(wasTraining);
        }
    }

    /// <summary>
    /// Undoes <see cref="EnsureBuilt"/>: removes and disposes what <see cref="Build"/> registered and marks the layer
    /// unbuilt. Used when building fails part way, or when a model built for a file that then does not fit it is put
    /// back as it was.
    /// </summary>
    internal void Unbuild()
    {
        Forget();
        _builtInputShape = null;
        _outputShape = null;
        _built = false;
    }

    private void Forget()
    {
        foreach (var name in _builtParameters)
            if (_internal_params.TryGetValue(name, out var parameter)) { _internal_params.Remove(name); parameter.Dispose(); }
        foreach (var name in _builtBuffers)
            if (_internal_buffers.TryGetValue(name, out var buffer)) { _internal_buffers.Remove(name); buffer.Item1.Dispose(); }
        _fixed.ExceptWith(_builtParameters);
        _nonTrainable.RemoveRange(_builtNonTrainableCount, _nonTrainable.Count - _builtNonTrainableCount);
        (_builtParameters, _builtBuffers) = ([], []);
    }

    /// <summary>Per-sample output shape for a per-sample input shape; throws for shapes the layer cannot take.</summary>
    /// <param name="inputShape">Per-sample input shape.</param>
    /// <returns>Per-sample output shape.</returns>
    public abstract long[] ComputeOutputShape(long[] inputShape);

    /// <summary>
    /// Creates the weights for a per-sample input shape (Keras's <c>build</c>; override in layers with weights, creating
    /// them with <see cref="AddWeight(long[], string, bool, string?)"/>). <see cref="EnsureBuilt"/>, <see cref="Apply(Tensor, bool, Tensor?)"/> and models call it
    /// once, with the shape checked and the layer then marked <see cref="Built"/>: build a layer through them rather than
    /// by calling this directly.
    /// </summary>
    /// <param name="inputShape">Per-sample input shape.</param>
    public virtual void Build(long[] inputShape) { }

    /// <summary>
    /// The layer's computation on a batch (Keras's <c>call</c>): what a layer overrides. It runs on a built layer; to
    /// use a layer, call <see cref="Apply(Tensor, bool, Tensor?)"/>, which builds it first.
    /// </summary>
    /// <param name="x">Input batch.</param>
    /// <param name="training">True inside <c>Fit</c> (dropout and augmentation active).</param>
    /// <returns>Output batch.</returns>
    public abstract Tensor Call(Tensor x, bool training);

    /// <summary>
    /// Calls the layer on a batch (Keras's <c>layer(x, training=...)</c>), building it first for the batch's per-sample
    /// shape if it is not built yet. This is how a subclassed model's <c>Call</c> uses its layers.
    /// </summary>
    /// <param name="x">Input batch, <c>[N, ...]</c>.</param>
    /// <param name="training">True inside training steps (dropout and augmentation active).</param>
    /// <returns>Output batch.</returns>
    /// <exception cref="ArgumentException">The batch's shape does not fit the layer; the message names the layer and both shapes.</exception>
    /// <example>
    /// <code>
    /// public override Tensor Call(Tensor x, bool training) => _out.Apply(_hidden.Apply(x, training), training);
    /// </code>
    /// </example>
    /// <param name="mask">The input's mask (<see cref="Masks"/>), to pass one explicitly (Keras's <c>layer(x, mask=m)</c>);
    /// by default the mask attached to <paramref name="x"/>, if any.</param>
    public Tensor Apply(Tensor x, bool training = false, Tensor? mask = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() == 0)
            throw new ArgumentException($"Layer \"{Name}\" ({TypeName}) needs a batch of samples, shape [N, ...]; got a scalar.", nameof(x));
        EnsureBuilt(x.shape[1..]);
        return Invoke(x, training, mask);
    }

    /// <summary>
    /// The layer's computation given the input's mask (Keras's <c>call(inputs, mask=None)</c>): what a layer that uses
    /// masks overrides (recurrent layers, GlobalAveragePooling1D, attention). The default ignores the mask and runs
    /// <see cref="Call(Tensor, bool)"/>.
    /// </summary>
    /// <param name="x">Input batch.</param>
    /// <param name="mask">Boolean mask of the input's leading axes (true = keep), or null.</param>
    /// <param name="training">True inside training steps.</param>
    /// <returns>Output batch.</returns>
    public virtual Tensor Call(Tensor x, Tensor? mask, bool training) => Call(x, training);

    /// <summary>
    /// Whether the layer attaches a mask to its output (Keras's <c>supports_masking</c>): by default true for a layer
    /// that overrides <see cref="ComputeMask(Tensor, Tensor?)"/>, false otherwise. A layer that keeps the time axis
    /// as it is (Dense, Dropout, activations, normalization) returns true and passes its input's mask on; one that
    /// returns false drops the mask, so later layers see every timestep.
    /// </summary>
    public virtual bool SupportsMasking => OverridesComputeMask.GetOrAdd(GetType(), DeclaresComputeMask);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, bool> OverridesComputeMask = new();

    private static bool DeclaresComputeMask(Type type) =>
        type.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
            .Any(m => m.Name == nameof(ComputeMask) && m.DeclaringType != typeof(Layer));

    /// <summary>
    /// The mask of the layer's output (Keras's <c>compute_mask</c>), for a layer that <see cref="SupportsMasking"/>:
    /// by default the input's mask. Embedding with <c>maskZero</c> returns <c>x != 0</c>; a recurrent layer that
    /// returns one output per sequence returns null.
    /// </summary>
    /// <param name="x">The layer's input.</param>
    /// <param name="mask">The input's mask, or null.</param>
    /// <returns>The output's mask, or null for none.</returns>
    public virtual Tensor? ComputeMask(Tensor x, Tensor? mask) => mask;

    /// <summary>The mask of the output of a layer that takes several inputs: by default the first input's.</summary>
    /// <param name="inputs">The layer's inputs.</param>
    /// <param name="masks">Their masks (null where an input has none).</param>
    /// <returns>The output's mask, or null.</returns>
    public virtual Tensor? ComputeMask(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks) =>
        masks.Count > 0 ? masks[0] : null;

    private int _symbolicCalls;
    private SymbolicTensor? _input, _output;

    /// <summary>
    /// Calls the layer on symbolic tensors (Keras's <c>layer(x)</c> in a functional model): builds it for their shapes,
    /// checking them now (an error names this layer and the shapes, at the line that made them), and returns the
    /// symbolic output that <c>new Model(inputs, outputs)</c> connects. Applying a layer twice shares its weights.
    /// </summary>
    /// <param name="inputs">One tensor; merge layers (Add, Concatenate, ...) take several.</param>
    /// <returns>The symbolic output.</returns>
    /// <exception cref="ArgumentException">The shapes do not fit the layer.</exception>
    /// <example><code>SymbolicTensor x = new Dense(64, activation: "relu").Apply(inputs);</code></example>
    public SymbolicTensor Apply(params SymbolicTensor[] inputs) => ApplyCall(inputs, NoCallOptions);

    /// <summary>
    /// Calls the layer on symbolic tensors with call options (Keras's non-tensor call arguments, such as
    /// MultiHeadAttention's <c>use_causal_mask</c>), for a layer's own typed <c>Apply</c> overload. The graph passes the
    /// options to every run of this call, and saved models record them as Keras's call kwargs.
    /// </summary>
    /// <param name="inputs">The tensors the call takes.</param>
    /// <param name="callOptions">Options by Keras's names (values bool, long, double or string), each among
    /// <see cref="CallOptionNames"/>.</param>
    /// <returns>The (first) symbolic output.</returns>
    /// <exception cref="ArgumentException">The shapes do not fit, or an option the layer does not take.</exception>
    protected SymbolicTensor ApplyWithOptions(IReadOnlyList<SymbolicTensor> inputs, IReadOnlyDictionary<string, object> callOptions) =>
        ApplyCall(inputs, callOptions);

    /// <summary>The names of the call options this layer takes in a functional graph (Keras's call kwargs); none by default.</summary>
    protected internal virtual IReadOnlyCollection<string> CallOptionNames => [];

    /// <summary>No call options: what a call made without options passes to <see cref="CallOutputs"/>.</summary>
    protected static IReadOnlyDictionary<string, object> NoCallOptions { get; } = new Dictionary<string, object>();

    /// <summary>One symbolic call: shapes checked and the layer built, one symbolic tensor per output, the options kept.</summary>
    internal SymbolicTensor ApplyCall(IReadOnlyList<SymbolicTensor> inputs, IReadOnlyDictionary<string, object> callOptions)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(callOptions);
        if (inputs.Count == 0 || inputs.Any(i => i is null))
            throw new ArgumentException($"Layer \"{Name}\" ({TypeName}) was applied to no input; pass the SymbolicTensor(s) it takes.", nameof(inputs));
        if (!TakesStrings && inputs.FirstOrDefault(i => i is Input { HoldsStrings: true }) is { } text)
            throw new ArgumentException(
                $"Layer \"{Name}\" ({TypeName}) computes on numbers, but Input \"{text.Name}\" holds strings. Turn them into numbers " +
                "first: apply a TextVectorization layer to the Input, then this layer to its output.", nameof(inputs));
        foreach (var (option, value) in callOptions)
            if (!CallOptionNames.Contains(option) || value is not (bool or long or double or string))
                throw new ArgumentException(
                    $"Layer \"{Name}\" ({TypeName}) takes no call option \"{option}\" of value {value ?? "null"}; " +
                    (CallOptionNames.Count == 0 ? "it takes none." : $"it takes {string.Join(", ", CallOptionNames)} (bool, integer, number or text)."),
                    nameof(callOptions));
        var shapes = inputs.Select(i => i.ShapeArray).ToList();
        long[] output = BuildFor(shapes);
        var outputs = ComputeOutputShapes(shapes, output, callOptions);
        if (outputs.Count == 0 || !outputs[0].SequenceEqual(output))
            throw new InvalidOperationException(
                $"Layer \"{Name}\" ({TypeName}): ComputeOutputShapes must return the output shape {Shapes.FormatBatch(output)} first.");
        var result = SymbolicTensor.Produced(outputs, this, inputs, _symbolicCalls++, callOptions.Count == 0 ? null : callOptions)[0];
        (_input, _output) = (inputs[0], result);
        return result;
    }

    /// <summary>
    /// The per-sample shapes of every tensor one call returns in a functional graph (Keras's <c>compute_output_spec</c>
    /// returning a list), for a layer whose call returns several: a recurrent layer with <c>returnState</c> (its output,
    /// then its states), a Bidirectional layer with <c>mergeMode: null</c>, a model with several outputs. The first is
    /// <paramref name="outputShape"/>, what <see cref="ComputeOutputShape"/> (or
    /// <see cref="ComputeOutputShapeForInputs"/>) gave. The default returns that one alone. A layer that overrides this
    /// overrides <see cref="CallOutputs"/> too.
    /// </summary>
    /// <param name="inputShapes">Per-sample input shapes, one per input.</param>
    /// <param name="outputShape">The per-sample shape of the first output.</param>
    /// <param name="callOptions">The call's options (see <see cref="ApplyWithOptions"/>); usually empty.</param>
    /// <returns>One per-sample shape per output, <paramref name="outputShape"/> first.</returns>
    public virtual IReadOnlyList<long[]> ComputeOutputShapes(IReadOnlyList<long[]> inputShapes, long[] outputShape,
        IReadOnlyDictionary<string, object> callOptions) => [outputShape];

    /// <summary>
    /// The computation of a call that returns several tensors (see <see cref="ComputeOutputShapes"/>), as a functional
    /// graph runs it: one tensor per output shape, in the same order. The default returns the one output of
    /// <see cref="Call(Tensor, Tensor?, bool)"/> (one input) or <see cref="Call(IReadOnlyList{Tensor}, IReadOnlyList{Tensor?}, bool)"/>.
    /// </summary>
    /// <param name="inputs">Input batches.</param>
    /// <param name="masks">Their masks (null where an input has none).</param>
    /// <param name="callOptions">The call's options (see <see cref="ApplyWithOptions"/>); usually empty.</param>
    /// <param name="training">True inside training steps.</param>
    /// <returns>The output batches.</returns>
    protected virtual IReadOnlyList<Tensor> CallOutputs(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks,
        IReadOnlyDictionary<string, object> callOptions, bool training) =>
        [inputs.Count == 1 && !TakesSeveralInputs ? Call(inputs[0], masks[0], training) : Call(inputs, masks, training)];

    /// <summary>
    /// The Keras call argument that holds a call's inputs after the first, for a layer that takes them as a keyword
    /// (<c>"initial_state"</c> for recurrent layers: <c>lstm(x, initial_state=[h, c])</c>); null when every input is
    /// positional (merge layers, attention). Saved graphs write those inputs under it, as Keras does, and read them back.
    /// </summary>
    protected internal virtual string? ExtraInputsArgument => null;

    /// <summary>Runs a graph node whose layer returns several outputs: masks gathered, inputs cast, the first output's
    /// mask attached (the others, states, carry none), as Keras's <c>Layer.__call__</c> does.</summary>
    internal IReadOnlyList<Tensor> InvokeOutputs(IReadOnlyList<Tensor> inputs, IReadOnlyDictionary<string, object>? callOptions, bool training)
    {
        var masks = new Tensor?[inputs.Count];
        for (int i = 0; i < masks.Length; i++) masks[i] = Masks.Get(inputs[i]);
        inputs = [.. inputs.Select(AutoCast)];
        var outputs = CallOutputs(inputs, masks, callOptions ?? NoCallOptions, training);
        if (SupportsMasking && outputs.Count > 0 && Masks.Get(outputs[0]) is null
            && (inputs.Count == 1 && !TakesSeveralInputs ? ComputeMask(inputs[0], masks[0]) : ComputeMask(inputs, masks)) is { } mask)
            Masks.Set(outputs[0], mask);
        return outputs;
    }

    /// <summary>The input of the layer's one call in a functional graph (Keras's <c>layer.input</c>).</summary>
    /// <exception cref="InvalidOperationException">The layer was not applied to a symbolic tensor, or was applied more than once.</exception>
    public SymbolicTensor Input => SingleCall() ? _input! : throw IllDefined("input");

    /// <summary>The output of the layer's one call in a functional graph (Keras's <c>layer.output</c>), e.g. to build a
    /// feature extractor: <c>new Model(model.Inputs, model.GetLayer("add").Output)</c>.</summary>
    /// <exception cref="InvalidOperationException">The layer was not applied to a symbolic tensor, or was applied more than once.</exception>
    public SymbolicTensor Output => SingleCall() ? _output! : throw IllDefined("output");

    private bool SingleCall() => _symbolicCalls == 1;

    private InvalidOperationException IllDefined(string what) => new(_symbolicCalls == 0
        ? $"Layer \"{Name}\" has never been applied to a SymbolicTensor, so it has no {what}."
        : $"Layer \"{Name}\" has been applied {_symbolicCalls} times; its {what} is ill-defined (Keras says the same). Keep the " +
          "SymbolicTensor that the call you mean returned.");

    /// <summary>
    /// Builds the layer for the shapes of its inputs and returns its output shape. One input: <see cref="EnsureBuilt"/>.
    /// Several (merge layers, attention): <see cref="ComputeOutputShapeForInputs"/> checks them, then, the first time,
    /// <see cref="BuildForInputs"/> creates the weights such a layer has.
    /// </summary>
    private long[] BuildFor(IReadOnlyList<long[]> shapes)
    {
        if (shapes.Count == 1 && !TakesSeveralInputs)
        {
            EnsureBuilt(shapes[0]);
            return OutputShape!;
        }
        var output = ComputeOutputShapeForInputs(shapes);
        if (!_built)
            lock (_buildLock)
                if (!_built)
                {
                    BuildForInputs(shapes);
                    _builtInputShape = (long[])shapes[0].Clone();
                    _outputShape = output;
                    _built = true;
                }
        return output;
    }

    /// <summary>
    /// Builds a layer that takes several inputs for their per-sample shapes (or checks a built one against them, through
    /// <see cref="ComputeOutputShapeForInputs"/>) and returns its per-sample output shape: what
    /// <see cref="Apply(IReadOnlyList{Tensor}, bool)"/> does before it calls the layer, for a layer's own call methods
    /// with more arguments (MultiHeadAttention's masks).
    /// </summary>
    /// <param name="inputShapes">Per-sample input shapes, one per input.</param>
    /// <returns>The per-sample output shape.</returns>
    /// <exception cref="ArgumentException">The shapes do not fit the layer.</exception>
    protected long[] EnsureBuiltForInputs(IReadOnlyList<long[]> inputShapes)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        return BuildFor(inputShapes);
    }

    /// <summary>
    /// Creates the weights of a layer that takes several inputs (Keras's <c>build(query_shape, value_shape)</c>), once, for
    /// the per-sample shapes of its first call, after <see cref="ComputeOutputShapeForInputs"/> has accepted them. The
    /// default creates nothing (merge layers have no weights). Sublayers built here (registered with
    /// <see cref="register_module"/>) count as this layer's weights.
    /// </summary>
    /// <param name="inputShapes">Per-sample input shapes, one per input.</param>
    public virtual void BuildForInputs(IReadOnlyList<long[]> inputShapes) { }

    /// <summary>True for layers that combine several inputs (merge layers); they override
    /// <see cref="ComputeOutputShapeForInputs"/> and <see cref="Call(IReadOnlyList{Tensor}, bool)"/>.</summary>
    protected virtual bool TakesSeveralInputs => false;

    /// <summary>The per-sample output shape for several inputs; throws for shapes the layer cannot combine.</summary>
    /// <param name="inputShapes">Per-sample input shapes.</param>
    /// <returns>Per-sample output shape.</returns>
    /// <exception cref="ArgumentException">The layer takes one input, or the shapes do not fit.</exception>
    public virtual long[] ComputeOutputShapeForInputs(IReadOnlyList<long[]> inputShapes)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        if (inputShapes.Count == 1) return ComputeOutputShape(inputShapes[0]);
        throw new ArgumentException($"Layer \"{Name}\" ({TypeName}) takes one input, but was given {inputShapes.Count}.", nameof(inputShapes));
    }

    /// <summary>The computation of a layer that takes several inputs (merge layers override it).</summary>
    /// <param name="inputs">Input batches.</param>
    /// <param name="training">True inside training steps.</param>
    /// <returns>Output batch.</returns>
    protected virtual Tensor Call(IReadOnlyList<Tensor> inputs, bool training) =>
        inputs.Count == 1 ? Call(inputs[0], training)
            : throw new ArgumentException($"Layer \"{Name}\" ({TypeName}) takes one input, but was given {inputs.Count}.", nameof(inputs));

    /// <summary>Calls a layer that takes several inputs on batches (a merge layer outside a functional model).</summary>
    /// <param name="inputs">Input batches, <c>[N, ...]</c> each.</param>
    /// <param name="training">True inside training steps.</param>
    /// <returns>Output batch.</returns>
    /// <exception cref="ArgumentException">The shapes do not fit the layer.</exception>
    public Tensor Apply(IReadOnlyList<Tensor> inputs, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 1) return Apply(inputs[0], training);
        BuildFor(inputs.Select(t => t.shape[1..]).ToList());
        return InvokeMany(inputs, training);
    }

    /// <summary>The computation of a layer that takes several inputs, given their masks (attention layers override it);
    /// the default ignores the masks.</summary>
    /// <param name="inputs">Input batches.</param>
    /// <param name="masks">Their masks (null where an input has none).</param>
    /// <param name="training">True inside training steps.</param>
    /// <returns>Output batch.</returns>
    protected virtual Tensor Call(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks, bool training) => Call(inputs, training);

    /// <summary>Runs the layer on the inputs of a graph node (used by functional models), masks included.</summary>
    internal Tensor InvokeMany(IReadOnlyList<Tensor> inputs, bool training)
    {
        if (inputs.Count == 1 && !TakesSeveralInputs) return Invoke(inputs[0], training);
        var masks = new Tensor?[inputs.Count];
        bool anyMask = false;
        for (int i = 0; i < masks.Length; i++) anyMask |= (masks[i] = Masks.Get(inputs[i])) is not null;
        if (ComputeDtype != ScalarType.Float32 || inputs.Any(i => IsHalf(i.dtype))) inputs = [.. inputs.Select(AutoCast)];
        if (!anyMask) return WithMask(Call(inputs, training), inputs, masks);
        return WithMask(Call(inputs, masks, training), inputs, masks);
    }

    private Tensor WithMask(Tensor y, IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks)
    {
        if (SupportsMasking && Masks.Get(y) is null && ComputeMask(inputs, masks) is { } mask) Masks.Set(y, mask);
        return y;
    }

    /// <summary>Runs the layer with an explicit training flag (used by models): the input's mask goes to
    /// <see cref="Call(Tensor, Tensor?, bool)"/> and <see cref="ComputeMask(Tensor, Tensor?)"/>'s result is attached to
    /// the output (unless the layer attached one itself), as Keras's <c>Layer.__call__</c> does.</summary>
    /// <param name="x">Input batch.</param>
    /// <param name="training">True inside training steps.</param>
    /// <param name="mask">An explicit mask; by default the one attached to <paramref name="x"/>.</param>
    /// <returns>Output batch.</returns>
    internal Tensor Invoke(Tensor x, bool training, Tensor? mask = null)
    {
        mask ??= Masks.Get(x);
        x = AutoCast(x);
        if (mask is null && !SupportsMasking) return Call(x, training);
        var y = Call(x, mask, training);
        if (SupportsMasking && Masks.Get(y) is null && ComputeMask(x, mask) is { } output) Masks.Set(y, output);
        return y;
    }

    /// <summary>TorchSharp's entry point: runs <see cref="Call(Tensor, bool)"/> with the module's training flag.</summary>
    /// <param name="input">Input batch.</param>
    /// <returns>Output batch.</returns>
    public override Tensor forward(Tensor input) => Invoke(input, training);

    /// <summary>
    /// Creates, initialises and registers a weight (Keras's <c>add_weight(shape, initializer, trainable, name)</c>), for
    /// custom layers: call it from <see cref="Build"/>. The initializer's fans come from the shape as Keras computes them
    /// (a vector: its length both ways; a matrix: rows in, columns out; a kernel: the receptive field times its last two
    /// sizes).
    /// </summary>
    /// <param name="shape">Weight shape, e.g. <c>[inputShape[^1], units]</c>.</param>
    /// <param name="initializer">A Keras initializer name (<c>"glorot_uniform"</c>, the default; <c>"zeros"</c>,
    /// <c>"random_normal"</c>, ...).</param>
    /// <param name="trainable">Whether training updates it.</param>
    /// <param name="name">Its name within the layer (the key in state dictionaries and files); default <c>variable</c>,
    /// numbered (<c>variable_1</c>, ...) when taken.</param>
    /// <returns>The registered parameter.</returns>
    /// <exception cref="ArgumentException">An unknown initializer name, a negative size, or a name already used.</exception>
    /// <example>
    /// <code>
    /// // Keras: self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="random_normal", trainable=True)
    /// public override void Build(long[] inputShape)
    /// {
    ///     _w = AddWeight(shape: [inputShape[^1], Units], initializer: "random_normal");
    ///     _b = AddWeight(shape: [Units], initializer: "zeros");
    /// }
    /// </code>
    /// </example>
    public Parameter AddWeight(long[] shape, string initializer = "glorot_uniform", bool trainable = true, string? name = null) =>
        AddWeight(shape, InitializerRegistry.Get(initializer), trainable, name);

    /// <summary>Creates, initialises and registers a weight with an initializer object (Keras's <c>add_weight</c>).</summary>
    /// <param name="shape">Weight shape.</param>
    /// <param name="initializer">How to fill it.</param>
    /// <param name="trainable">Whether training updates it.</param>
    /// <param name="name">Its name within the layer; default <c>variable</c>, numbered when taken.</param>
    /// <returns>The registered parameter.</returns>
    /// <exception cref="ArgumentException">A negative size, or a name already used.</exception>
    public Parameter AddWeight(long[] shape, Initializer initializer, bool trainable = true, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(initializer);
        CheckWeightShape(name ?? "variable", shape);
        string key = name ?? "variable";
        if (name is null)
            for (int suffix = 1; _internal_params.ContainsKey(key) || _internal_buffers.ContainsKey(key); suffix++) key = $"variable_{suffix}";
        else if (_internal_params.ContainsKey(key) || _internal_buffers.ContainsKey(key))
            throw new ArgumentException($"Layer \"{Name}\" already has a weight named \"{key}\"; give each weight its own name.", nameof(name));
        var (fanIn, fanOut) = Initializer.ComputeFans(shape);
        return AddWeight(key, shape, initializer, fanIn, fanOut, trainable);
    }

    /// <summary>Creates, initialises and registers a weight (Keras's <c>add_weight</c>), with its fans given.</summary>
    /// <param name="name">Weight name within the layer, e.g. <c>kernel</c>.</param>
    /// <param name="shape">Weight shape.</param>
    /// <param name="initializer">How to fill it.</param>
    /// <param name="fanIn">Fan-in used by variance-scaling initializers.</param>
    /// <param name="fanOut">Fan-out used by variance-scaling initializers.</param>
    /// <param name="trainable">Whether training updates it.</param>
    /// <returns>The registered parameter.</returns>
    /// <exception cref="InvalidDataException">While a model file is loaded: the file's weights do not hold this many values
    /// (its configuration asks for more than it carries).</exception>
    protected Parameter AddWeight(string name, long[] shape, Initializer initializer, long fanIn, long fanOut, bool trainable = true)
    {
        CheckWeightShape(name, shape);
        Persistence.LoadBudget.Charge(this, name, shape);
        var tensor = empty(shape, ScalarType.Float32);
        initializer.Initialize(tensor, fanIn, fanOut);
        if (VariableDtype != ScalarType.Float32) tensor = tensor.to_type(VariableDtype); // initialized in float32, as Keras's initializers draw
        var parameter = new Parameter(tensor, requires_grad: trainable && _trainable); // a frozen layer builds frozen
        parameter.DetachFromDisposeScope();
        register_parameter(name, parameter);
        if (!trainable) _fixed.Add(name);
        return parameter;
    }

    /// <summary>A weight's sizes must be known and not negative: a size taken from an input axis of unknown length
    /// (<see cref="Shapes.None"/>) is named as such, with the fix.</summary>
    private void CheckWeightShape(string name, long[] shape)
    {
        if (Shapes.HasNone(shape))
            throw new ArgumentException(
                $"Layer \"{Name}\" ({TypeName}) would make weight \"{name}\" of shape {Shapes.Format(shape)}, whose size comes from an input " +
                "axis of unknown size (None). Only the axes a layer does not " +
                "weigh (e.g. the steps of a sequence) may be None: give this axis its size in the Input's shape.", nameof(shape));
        if (shape.Any(d => d < 0))
            throw new ArgumentException($"Layer \"{Name}\": a weight's shape must have sizes >= 0; got {Shapes.Format(shape)}.", nameof(shape));
    }

    /// <summary>
    /// Checks a state tensor that <see cref="Build"/> is about to allocate itself (weights made by <see cref="AddWeight(long[], string, bool, string?)"/>
    /// are checked already). While a model file is loaded, the layers may create no more values than the file's weights
    /// hold, so that a corrupted or hostile configuration fails before a huge allocation; call this before allocating.
    /// </summary>
    /// <param name="name">The state's name within the layer, e.g. <c>moving_mean</c>.</param>
    /// <param name="shape">Its shape.</param>
    /// <exception cref="ArgumentException">A negative size, or more elements than fit in 64 bits.</exception>
    /// <exception cref="InvalidDataException">While a model file is loaded: the file's weights do not hold this many values.</exception>
    protected void ReserveState(string name, params long[] shape)
    {
        CheckWeightShape(name, shape);
        Persistence.LoadBudget.Charge(this, name, shape);
    }

    /// <summary>Registers a non-trainable state tensor (e.g. moving statistics), counted by Summary as Keras does.</summary>
    /// <param name="name">Buffer name within the layer.</param>
    /// <param name="value">Initial value.</param>
    /// <returns>The registered tensor.</returns>
    protected Tensor AddNonTrainableState(string name, Tensor value)
    {
        register_buffer(name, value);
        _nonTrainable.Add(name);
        return value;
    }

    private long NonTrainableBufferCount() => OwnStateCount() + modules().OfType<Layer>().Sum(layer => layer.OwnStateCount());

    private long OwnStateCount() =>
        named_buffers(recurse: false).Where(b => _nonTrainable.Contains(b.name)).Sum(b => b.buffer.numel());

    /// <summary>
    /// Keras's default layer name, its <c>to_snake_case</c> of the class name: Dense -> dense, MaxPooling2D ->
    /// max_pooling2d, Conv2DTranspose -> conv2d_transpose, PReLU -> p_re_lu.
    /// </summary>
    /// <param name="type">The layer type; null gives a placeholder.</param>
    /// <returns>The name.</returns>
    internal static string DefaultName(Type? type)
    {
        if (type is null) return "layer";
        if (type == typeof(Model)) return "functional";          // Keras's name for a functional model
        if (type == typeof(SequentialModel)) return "sequential";
        // Keras: re.sub("(.)([A-Z][a-z]+)", r"\1_\2"), then re.sub("([a-z])([A-Z])", r"\1_\2"), then lower().
        string name = Regex.Replace(type.Name, @"\W+", "");
        name = Regex.Replace(name, "(.)([A-Z][a-z]+)", "$1_$2");
        return Regex.Replace(name, "([a-z])([A-Z])", "$1_$2").ToLowerInvariant();
    }

    /// <summary>
    /// The layer's configuration (Keras's <c>get_config</c>): Keras's snake_case key of each constructor argument
    /// (<c>use_bias</c>) -> JSON-friendly value, enough for <see cref="LayerRegistry.FromConfig"/> to create an equal layer.
    /// Saved in model files.
    /// </summary>
    /// <remarks>
    /// By default it is read by reflection: for the public constructor with the most parameters, each parameter
    /// <c>p</c> maps to the public property named PascalCase(<c>p</c>), under the snake_case of <c>p</c> or the key its
    /// <see cref="ConfigKeyAttribute"/> gives; activations and initializers become their names, enums strings, tuples and
    /// shapes arrays. Override it when a parameter has no such property.
    /// </remarks>
    /// <returns>The configuration.</returns>
    public virtual IReadOnlyDictionary<string, object?> GetConfig() => Persistence.ConfigReflection.GetConfig(this);

    /// <summary>
    /// Throws when <see cref="Model.Save"/> could not write this layer so that <see cref="Model.Load"/> creates it again,
    /// before anything is written. The default accepts the layer: its <see cref="GetConfig"/> describes it. Override it in
    /// a layer that holds something a configuration cannot describe (a TorchSharp module without a registered factory).
    /// Weights-only files (<see cref="Model.SaveWeights"/>, BackupAndRestore's backups) do not call it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The layer cannot be saved; the message names it and says how to fix it.</exception>
    protected internal virtual void CheckSavable() { }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({TypeName})";
}
