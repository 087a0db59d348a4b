using Sequential.Callbacks;
using Sequential.Layers;
using Sequential.Losses;
using Sequential.Metrics;
using Sequential.Optimizers;
using Sequential.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sequential;

/// <summary>
/// Base class of trainable models (Keras's <c>keras.Model</c>): <c>Compile</c>, <c>Fit</c>,
/// <c>Evaluate</c>, <c>Predict</c>, and the override points <see cref="TrainStep"/>, <see cref="TestStep"/> and
/// <see cref="PredictStep"/> with the seams they use (<see cref="ComputeLoss(Tensor?, Tensor?, Tensor, Tensor?, bool)"/>, <see cref="ComputeMetrics(Tensor?, Tensor?, Tensor, Tensor?)"/>,
/// <see cref="TrainableWeights"/>, <see cref="Optimizers.Optimizer.Apply"/>).
/// </summary>
/// <remarks>
/// A model is a <see cref="Layer"/> (Keras: a model is a layer), so one model can be used inside another: in a
/// <see cref="SequentialModel"/>, applied to a <see cref="SymbolicTensor"/> in a functional graph, or held by a subclass.
/// It is also a TorchSharp module: <c>parameters()</c>, <c>state_dict()</c> and friends work as usual. Every <c>Fit</c>
/// overload ends in one training loop (<see cref="Trainer"/>).
/// </remarks>
public partial class Model : Layer
{
    private CompiledMetrics? _metrics;

    /// <summary>Creates a model.</summary>
    /// <param name="name">The model's name, shown by <c>Summary</c>; default: the snake_case of the class name, as Keras
    /// names a subclassed model (<c>Mlp</c> -> <c>mlp</c>).</param>
    protected Model(string? name = null) : base(name)
    {
        Backend.EnsureNativeLoaded();
    }

    /// <summary>Set to true (from a callback) to end <c>Fit</c> after the current batch or epoch (Keras's <c>stop_training</c>).</summary>
    public bool StopTraining { get; set; }

    /// <summary>The optimizer given to <see cref="Compile(Optimizers.Optimizer, Losses.Loss?, IEnumerable{object}?, string?, DataParallel?, IEnumerable{object}?)"/>.</summary>
    public Optimizer? Optimizer { get; private set; }

    /// <summary>The loss given to <see cref="Compile(Optimizers.Optimizer, Losses.Loss?, IEnumerable{object}?, string?, DataParallel?, IEnumerable{object}?)"/>.</summary>
    public Loss? Loss { get; private set; }

    /// <summary>The device the model computes on (set by <see cref="Compile(Optimizers.Optimizer, Losses.Loss?, IEnumerable{object}?, string?, DataParallel?, IEnumerable{object}?)"/>; CUDA when available, else CPU).</summary>
    public Device Device { get; private set; } = CPU;

    /// <summary>Whether <see cref="Compile(Optimizers.Optimizer, Losses.Loss?, IEnumerable{object}?, string?, DataParallel?, IEnumerable{object}?)"/> has been called.</summary>
    public bool IsCompiled => Optimizer is not null;

    /// <summary>
    /// The metrics being tracked (Keras's <c>model.metrics</c>): the loss tracker (a <see cref="Mean"/> named
    /// <c>loss</c>) first, then the compiled metrics (a name such as <c>"accuracy"</c> becomes its concrete metric on the
    /// first update), then each output's loss with several outputs. Fit resets every one of them at the start of each
    /// epoch, and Evaluate before it runs, and the epoch's logs are their values when a step returns logs with the same
    /// names. A custom step updates them as Keras's guide does (<c>loss</c> with <c>UpdateState(loss)</c>, the others with
    /// <c>UpdateState(y, yPred)</c>); a model whose step tracks its own metrics (a GAN's <c>d_loss</c> and <c>g_loss</c>)
    /// overrides this so that they are reset and logged.
    /// </summary>
    public virtual IReadOnlyList<Metric> Metrics => _metrics?.All ?? [];

    private long[]? _builtInputShape;
    private long[]? _outputShape;

    /// <summary>Whether the model's weights exist (Keras's <c>model.built</c>).</summary>
    public override bool Built => _builtInputShape is not null;

    /// <summary>The per-sample input shape the model was built for (its first input's, for several inputs), or null.</summary>
    public override long[]? BuiltInputShape => _builtInputShape;

    /// <summary>The per-sample output shape (its first output's, for several outputs), once built, or null.</summary>
    public override long[]? OutputShape => _outputShape;

    /// <summary>Keras's class name in summaries: <c>Functional</c> for a graph, <c>Sequential</c> for a stack, else the
    /// subclass's name.</summary>
    public override string TypeName =>
        GetType() == typeof(SequentialModel) ? "Sequential"
        : _graph is not null && GetType() == typeof(Model) ? "Functional"
        : GetType().Name;

    /// <summary>
    /// The per-sample output shape for an input shape: the model builds itself for it (a functional model checks it
    /// against its <see cref="Input"/>), as Keras's <c>compute_output_shape</c> of a model does.
    /// </summary>
    /// <param name="inputShape">Per-sample input shape.</param>
    /// <returns>Per-sample output shape.</returns>
    /// <exception cref="ArgumentException">The shape does not fit the model.</exception>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (_graph is not null) return ComputeOutputShapeForInputs([inputShape]);
        if (!Built || !inputShape.SequenceEqual(BuiltInputShape!)) Build(inputShape);
        return OutputShape!;
    }

    /// <summary>
    /// The model's layers (Keras's <c>model.layers</c>). For a subclass: the layers it holds in fields, and in fields that
    /// are lists or arrays of layers, in declaration order (tracked as Keras tracks attributes).
    /// </summary>
    public virtual IReadOnlyList<Layer> Layers
    {
        get
        {
            TrackLayers();
            return [.. _tracked];
        }
    }

    /// <summary>
    /// Creates the weights for a per-sample input shape (Keras's <c>model.build</c>, without the batch dimension). The
    /// default, for a subclass that overrides <see cref="Call(Tensor, bool)"/>, calls the model once on a zero batch of one sample in
    /// inference mode without gradients, so that every layer builds itself on its first <see cref="Layer.Apply(Tensor, bool, Tensor?)"/>
    /// (Keras builds a subclassed model the same way).
    /// </summary>
    /// <param name="inputShape">Per-sample input shape, e.g. [28, 28].</param>
    public override void Build(long[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (_graph is not null)
        {
            _graph.CheckInputShapes([inputShape]);
            return;
        }
        if (Built && inputShape.SequenceEqual(_builtInputShape!)) return;
        TrackLayers();
        _outputShape = RunOnZeroSample(inputShape);
        _builtInputShape = (long[])inputShape.Clone();
    }

    private readonly List<Layer> _tracked = [];
    private bool _trackedFields;

    /// <summary>
    /// Registers the layers a subclass holds in its fields (a <see cref="Layer"/>, or a list or array of them) as
    /// submodules under their names, once: their weights then belong to the model (parameters, state_dict, devices,
    /// the optimizer). Names are made unique as <see cref="SequentialModel.Add"/> does. Models held in fields are layers
    /// too, registered under their names like any other.
    /// </summary>
    private void TrackLayers()
    {
        if (_trackedFields || this is SequentialModel) return;
        _trackedFields = true;
        foreach (var (_, value) in SubclassFields(typeof(Model)))
        {
            // A model held by another (a GAN's generator and discriminator) is one of its layers, as in Keras:
            // its weights belong to this one (devices, state_dict, TrainableWeights).
            IEnumerable<Layer> layers = value switch
            {
                Layer layer => [layer],
                IEnumerable<Layer> many => many,
                _ => [],
            };
            foreach (var layer in layers)
                if (!ReferenceEquals(layer, this)) Track(layer);
        }
    }

    private void Track(Layer layer)
    {
        if (_tracked.Contains(layer)) return;
        GiveUniqueName(layer, _tracked, () => new InvalidOperationException(
            $"Model \"{Name}\" holds two layers named \"{layer.Name}\"; layer names must be unique within a model."));
        _tracked.Add(layer);
        register_module(layer.Name, layer);
    }

    /// <summary>
    /// Makes <paramref name="layer"/>'s name unique among <paramref name="others"/>: a default name gets Keras's suffix
    /// (<c>dense</c>, <c>dense_1</c>, ...); a name the user gave that is taken throws <paramref name="duplicate"/>'s exception.
    /// </summary>
    internal static void GiveUniqueName(Layer layer, IEnumerable<Layer> others, Func<Exception> duplicate)
    {
        var names = others.Select(l => l.Name).ToHashSet();
        if (!names.Contains(layer.Name)) return;
        if (layer.NameWasGiven) throw duplicate();
        string stem = layer.Name;
        int suffix = 1;
        while (names.Contains($"{stem}_{suffix}")) suffix++;
        layer.Name = $"{stem}_{suffix}";
    }

    private readonly FunctionalGraph? _graph;

    /// <summary>
    /// A functional model (Keras's <c>keras.Model(inputs, outputs)</c>): the layer calls that lead from
    /// <paramref name="inputs"/> to <paramref name="outputs"/>, run in an order computed once. Its layers are built
    /// already (at each <see cref="Layer.Apply(SymbolicTensor[])"/>); a layer applied twice shares its weights.
    /// </summary>
    /// <param name="inputs">The model's <see cref="Input"/>.</param>
    /// <param name="outputs">The symbolic tensor the model returns.</param>
    /// <param name="name">The model's name; default <c>functional</c>.</param>
    /// <exception cref="ArgumentException">An output is not reachable from the inputs (the message names the missing
    /// Input), or an input is not an <see cref="Input"/>.</exception>
    /// <example>
    /// <code>
    /// var inputs = new Input(shape: [784]);
    /// var x = new Dense(64, activation: "relu").Apply(inputs);
    /// var model = new Model(inputs, new Dense(10).Apply(x), name: "mnist_model");
    /// </code>
    /// </example>
    public Model(SymbolicTensor inputs, SymbolicTensor outputs, string? name = null) : this([inputs], [outputs], name) { }

    /// <summary>A functional model with one input and several outputs (Keras's <c>keras.Model(encoder_inputs,
    /// [state_h, state_c])</c>).</summary>
    /// <param name="inputs">The model's input.</param>
    /// <param name="outputs">The symbolic tensors the model returns, in order.</param>
    /// <param name="name">The model's name; default <c>functional</c>.</param>
    /// <example><code>var encoder = new Model(encoderInputs, [stateH, stateC]);</code></example>
    public Model(SymbolicTensor inputs, IReadOnlyList<SymbolicTensor> outputs, string? name = null) : this([inputs], outputs, name) { }

    /// <summary>A functional model with several inputs (or one, e.g. another model's <see cref="Inputs"/>) and one output.</summary>
    /// <param name="inputs">The model's inputs, in the order positional data lists them.</param>
    /// <param name="outputs">The symbolic tensor the model returns.</param>
    /// <param name="name">The model's name; default <c>functional</c>.</param>
    /// <example><code>var features = new Model(model.Inputs, model.GetLayer("add").Output);</code></example>
    public Model(IReadOnlyList<SymbolicTensor> inputs, SymbolicTensor outputs, string? name = null) : this(inputs, [outputs], name) { }

    /// <summary>
    /// A functional model with several inputs and outputs (Keras's <c>keras.Model([image, meta], [kind, price])</c>).
    /// Data, targets, losses and metrics may then be given as lists in this order, or as dictionaries keyed by the
    /// inputs' names and the outputs' names (the names of the layers that produce them: <see cref="OutputNames"/>).
    /// </summary>
    /// <param name="inputs">The model's inputs.</param>
    /// <param name="outputs">The model's outputs.</param>
    /// <param name="name">The model's name; default <c>functional</c>.</param>
    /// <exception cref="ArgumentException">An output is not reachable from the inputs (the message names the missing
    /// Input), an input is not an <see cref="Input"/> or is listed twice, or two inputs share a name.</exception>
    /// <example>
    /// <code>
    /// var shop = new Model([image, meta], [kind, price]);
    /// shop.Compile(optimizer: "adam",
    ///     loss: new Dictionary&lt;string, Loss&gt; { ["kind"] = new SparseCategoricalCrossentropy(fromLogits: true), ["price"] = "mse" });
    /// </code>
    /// </example>
    public Model(IReadOnlyList<SymbolicTensor> inputs, IReadOnlyList<SymbolicTensor> outputs, string? name = null) : this(name)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        _graph = new FunctionalGraph(inputs, outputs, Name);
        _trackedFields = true; // the graph, not fields, says what the layers are
        foreach (var layer in _graph.Layers) Track(layer);
        _builtInputShape = [.. _graph.InputShapes[0]];
        _outputShape = [.. _graph.OutputShapes[0]];
    }

    /// <summary>The inputs of a functional model (Keras's <c>model.inputs</c>); empty for other models.</summary>
    public IReadOnlyList<SymbolicTensor> Inputs => _graph?.Inputs ?? [];

    /// <summary>The outputs of a functional model (Keras's <c>model.outputs</c>); empty for other models.</summary>
    public IReadOnlyList<SymbolicTensor> Outputs => _graph?.Outputs ?? [];

    /// <summary>
    /// The names of the model's inputs, in order (Keras's <c>model.input_names</c>): the keys of dictionary data. An
    /// <see cref="Input"/> left with its default name is numbered (<c>input_layer</c>, <c>input_layer_1</c>, ...). Empty
    /// for a model that is not a graph.
    /// </summary>
    public IReadOnlyList<string> InputNames => _graph?.InputNames ?? [];

    /// <summary>
    /// The names of the model's outputs, in order (Keras 3's <c>model.output_names</c>): the name of the layer that
    /// produces each output. They key dictionaries of targets, losses, loss weights and metrics, and prefix the logs
    /// (<c>kind_loss</c>, <c>kind_accuracy</c>). Empty for a model that is not a graph.
    /// </summary>
    public IReadOnlyList<string> OutputNames => _graph?.OutputNames ?? [];

    /// <summary>The number of inputs the model takes: its graph's, else 1.</summary>
    internal int InputCount => _graph?.Inputs.Count ?? 1;

    /// <summary>The number of outputs the model returns: its graph's, else 1.</summary>
    internal int OutputCount => _graph?.Outputs.Count ?? 1;

    /// <summary>The per-sample shape of each output, once built.</summary>
    internal IReadOnlyList<long[]>? OutputShapes => _graph?.OutputShapes ?? (OutputShape is { } shape ? [shape] : null);

    /// <summary>Whether the model is a functional graph (made with <c>new Model(inputs, outputs)</c>).</summary>
    public bool IsFunctional => _graph is not null;

    /// <summary>The graph of a functional model (saving reads its nodes), or null.</summary>
    internal FunctionalGraph? Graph => _graph;

    /// <summary>A layer of the model by name (Keras's <c>model.get_layer(name)</c>).</summary>
    /// <param name="name">The layer's name.</param>
    /// <returns>The layer.</returns>
    /// <exception cref="ArgumentException">No layer has that name; the message lists the names.</exception>
    public Layer GetLayer(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Layers.FirstOrDefault(l => l.Name == name) ?? throw new ArgumentException(
            $"No such layer: {name}. Existing layers are: [{string.Join(", ", Layers.Select(l => l.Name))}].", nameof(name));
    }

    /// <summary>A layer of the model by index in <see cref="Layers"/> (Keras's <c>model.get_layer(index=...)</c>).</summary>
    /// <param name="index">0-based index.</param>
    /// <returns>The layer.</returns>
    /// <exception cref="ArgumentOutOfRangeException">No such index.</exception>
    public Layer GetLayer(int index)
    {
        var layers = Layers;
        if (index < 0 || index >= layers.Count)
            throw new ArgumentOutOfRangeException(nameof(index), index,
                $"Was asked to retrieve layer at index {index} but model \"{Name}\" only has {layers.Count} layers.");
        return layers[index];
    }

    /// <summary>
    /// The model's forward computation. A functional model runs its graph; a subclass overrides this (Keras's
    /// <c>call</c>); <see cref="SequentialModel"/> runs its stack.
    /// </summary>
    /// <param name="x">Input batch on <see cref="Device"/>.</param>
    /// <param name="training">True during training steps.</param>
    /// <returns>Output batch.</returns>
    /// <exception cref="InvalidOperationException">A model with neither a graph nor an override of this method.</exception>
    public override Tensor Call(Tensor x, bool training)
    {
        if (_graph is null)
            throw new InvalidOperationException(
                $"Model \"{Name}\" ({GetType().Name}) has no computation: build it from a graph, new Model(inputs, outputs), or " +
                "override Call in your subclass.");
        if (_graph.Inputs.Count != 1 || _graph.Outputs.Count != 1)
            throw new InvalidOperationException(
                $"Model \"{Name}\" has {_graph.Inputs.Count} inputs and {_graph.Outputs.Count} outputs; call it with CallMany(inputs, training), " +
                "which takes one tensor per input and returns one per output.");
        return _graph.Run([x], training)[0];
    }

    /// <summary>
    /// The model's forward computation on one batch per input, returning one batch per output (Keras's <c>model(x)</c>
    /// with a list of inputs). A functional model runs its graph; for other models the default calls
    /// <see cref="Call(Tensor, bool)"/> on the one input. The default training and test steps call this, so a subclass with
    /// several inputs or outputs overrides it.
    /// </summary>
    /// <param name="inputs">One batch per input, in the order of <see cref="Inputs"/>.</param>
    /// <param name="training">True during training steps.</param>
    /// <returns>One batch per output, in the order of <see cref="Outputs"/>.</returns>
    /// <exception cref="ArgumentException">The number of inputs differs from the model's.</exception>
    public virtual IReadOnlyList<Tensor> CallMany(IReadOnlyList<Tensor> inputs, bool training)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (_graph is not null)
        {
            if (inputs.Count != _graph.Inputs.Count)
                throw new ArgumentException(
                    $"Model \"{Name}\" expects {_graph.Inputs.Count} input(s) ({string.Join(", ", _graph.InputNames)}), but it received " +
                    $"{inputs.Count} input tensor(s).", nameof(inputs));
            return _graph.Run(inputs, training);
        }
        if (inputs.Count != 1)
            throw new ArgumentException(
                $"Model \"{Name}\" ({GetType().Name}) takes one input, but it received {inputs.Count}. A subclass with several inputs " +
                "overrides CallMany.", nameof(inputs));
        return [Call(inputs[0], training)];
    }

    /// <summary>Whether this model, used as a layer, takes several inputs (a graph with several).</summary>
    protected override bool TakesSeveralInputs => _graph is not null && _graph.Inputs.Count > 1;

    /// <summary>The output shape of the model used as a layer on several inputs: the graph checks each shape.</summary>
    /// <param name="inputShapes">Per-sample input shapes, one per input.</param>
    /// <returns>The per-sample output shape.</returns>
    /// <exception cref="ArgumentException">A count or shape differs from the model's inputs.</exception>
    public override long[] ComputeOutputShapeForInputs(IReadOnlyList<long[]> inputShapes)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        if (_graph is null) return inputShapes.Count == 1 ? ComputeOutputShape(inputShapes[0]) : base.ComputeOutputShapeForInputs(inputShapes);
        _graph.CheckInputShapes(inputShapes, Name);
        return [.. _graph.OutputShapes[0]];
    }

    /// <summary>A functional model used as a layer returns one tensor per output (Keras:
    /// <c>h, c = encoder(x)</c>; here <c>var (h, c) = encoder.Apply(x);</c>).</summary>
    /// <param name="inputShapes">Per-sample input shapes, one per input.</param>
    /// <param name="outputShape">The first output's shape.</param>
    /// <param name="callOptions">The call's options (none).</param>
    /// <returns>The per-sample shape of each output.</returns>
    public override IReadOnlyList<long[]> ComputeOutputShapes(IReadOnlyList<long[]> inputShapes, long[] outputShape,
        IReadOnlyDictionary<string, object> callOptions) =>
        _graph is null ? [outputShape] : [.. _graph.OutputShapes.Select(s => (long[])s.Clone())];

    /// <summary>The model used as a layer: every output of its graph.</summary>
    /// <param name="inputs">One batch per input.</param>
    /// <param name="masks">Their masks (the graph reads them from the tensors).</param>
    /// <param name="callOptions">The call's options (none).</param>
    /// <param name="training">True during training steps.</param>
    /// <returns>One batch per output.</returns>
    protected override IReadOnlyList<Tensor> CallOutputs(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks,
        IReadOnlyDictionary<string, object> callOptions, bool training) =>
        CallMany(inputs, training);

    /// <summary>The model used as a layer on several inputs: its one output.</summary>
    /// <param name="inputs">One batch per input.</param>
    /// <param name="training">True during training steps.</param>
    /// <returns>The output batch.</returns>
    protected override Tensor Call(IReadOnlyList<Tensor> inputs, bool training) => CallMany(inputs, training)[0];

    /// <summary>
    /// Configures the model for training (Keras's <c>model.compile</c>).
    /// </summary>
    /// <param name="optimizer">An optimizer, or a Keras name such as <c>"adam"</c>.</param>
    /// <param name="loss">A loss, or a Keras name such as <c>"sparse_categorical_crossentropy"</c>; null for a model whose
    /// <see cref="TrainStep"/> computes its own loss (Keras allows <c>compile()</c> without one).</param>
    /// <param name="metrics">Metric names (<c>"accuracy"</c>, <c>"mae"</c>, ...) or <see cref="Metric"/> objects, computed
    /// without the sample and class weights (Keras's <c>metrics</c>).</param>
    /// <param name="device"><c>"cpu"</c>, <c>"cuda"</c>, <c>"cuda:1"</c>, or null/<c>"auto"</c> for CUDA when available.</param>
    /// <param name="distribution">A <see cref="DataParallel"/> to train over the MPI processes this program was started in
    /// (<c>mpirun -np 2 ...</c>); null (default) for one process.</param>
    /// <param name="weightedMetrics">Metrics weighted by <c>sampleWeight</c> and <c>classWeight</c> (Keras's
    /// <c>weighted_metrics</c>), in the shape <paramref name="metrics"/> takes. In the logs one keeps its name, unless
    /// <paramref name="metrics"/> already has it: then it is <c>weighted_</c> and the name (<c>mae</c> and <c>weighted_mae</c>).</param>
    /// <example>
    /// <code>
    /// model.Compile(optimizer: "adam",
    ///     loss: new SparseCategoricalCrossentropy(fromLogits: true),
    ///     metrics: ["accuracy"]);
    /// </code>
    /// </example>
    /// <exception cref="ArgumentException">An unknown name, or a metric that is neither a string nor a <see cref="Metric"/>.</exception>
    /// <remarks>
    /// For a model with several outputs, one loss applies to every output (Keras broadcasts it), and a list of metrics
    /// holding one entry per output gives each output its own; the overloads taking dictionaries or lists say more.
    /// </remarks>
    public void Compile(Optimizer optimizer, Loss? loss = null, IEnumerable<object>? metrics = null, string? device = null,
        DataParallel? distribution = null, IEnumerable<object>? weightedMetrics = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var specs = MetricSpecs(metrics, nameof(metrics), loss);
        var weightedSpecs = MetricSpecs(weightedMetrics, nameof(weightedMetrics), loss);
        int outputs = OutputCount;
        if (outputs == 1)
        {
            Compiled(optimizer, loss, new CompiledMetrics(loss, specs, weightedSpecs), device, distribution);
            return;
        }
        Compiled(optimizer, loss, new CompiledMetrics([.. Enumerable.Repeat(loss, outputs)], null, OnePerOutput(specs, nameof(metrics)),
            OnePerOutput(weightedSpecs, nameof(weightedMetrics)), [.. OutputNames], prefix: true), device, distribution);

        IReadOnlyList<object>[] OnePerOutput(List<object> flat, string argument)
        {
            // Keras 3: a flat list with one metric per output gives each output its own; any other list is ambiguous.
            if (flat.Count != 0 && flat.Count != outputs)
                throw new ArgumentException(
                    $"Model \"{Name}\" has {outputs} outputs ({string.Join(", ", OutputNames)}) and {argument} lists {flat.Count}; give one metric per " +
                    $"output in order, or a dictionary of metric lists keyed by output name: {argument}: new Dictionary<string, IEnumerable<object>> " +
                    $"{{ [\"{OutputNames[0]}\"] = [\"accuracy\"] }}.", argument);
            return [.. Enumerable.Range(0, outputs).Select(i => flat.Count == 0 ? [] : (IReadOnlyList<object>)[flat[i]])];
        }
    }

    /// <summary>
    /// Configures a model with several outputs, each by name (Keras's <c>compile(loss={...}, loss_weights={...},
    /// metrics={...})</c>). The logs then hold <c>loss</c> (the weighted sum), each output's metrics prefixed by its name
    /// (<c>kind_accuracy</c>) and, with several losses, each output's unweighted loss (<c>kind_loss</c>), as Keras 3
    /// names them.
    /// </summary>
    /// <param name="optimizer">An optimizer, or a Keras name such as <c>"adam"</c>.</param>
    /// <param name="loss">A loss per output name (<see cref="OutputNames"/>: the names of the layers producing the
    /// outputs); every output must have one, as Keras requires.</param>
    /// <param name="lossWeights">A weight per output name for the total loss; outputs not listed weigh 1.</param>
    /// <param name="metrics">Metric lists per output name, computed without the sample weights; outputs not listed have none.</param>
    /// <param name="device"><c>"cpu"</c>, <c>"cuda"</c>, or null/<c>"auto"</c>.</param>
    /// <param name="distribution">A <see cref="DataParallel"/> to train over the MPI processes this program was started in
    /// (<c>mpirun -np 2 ...</c>); null (default) for one process.</param>
    /// <param name="weightedMetrics">Metric lists per output name weighted by the sample weights (Keras's
    /// <c>weighted_metrics</c>); one whose name <paramref name="metrics"/> has for that output logs as
    /// <c>{output}_weighted_{name}</c>.</param>
    /// <exception cref="ArgumentException">A name that is not an output (the message lists both sets of names), an
    /// output without a loss, or an unknown metric or loss name.</exception>
    /// <exception cref="NotSupportedException">The model is not a graph, so its outputs have no names: pass lists.</exception>
    /// <example>
    /// <code>
    /// shop.Compile(optimizer: "adam",
    ///     loss: new Dictionary&lt;string, Loss&gt; { ["kind"] = new SparseCategoricalCrossentropy(fromLogits: true), ["price"] = "mse" },
    ///     lossWeights: new Dictionary&lt;string, double&gt; { ["kind"] = 1.0, ["price"] = 0.5 },
    ///     metrics: new Dictionary&lt;string, IEnumerable&lt;object&gt;&gt; { ["kind"] = ["accuracy"], ["price"] = ["mae"] });
    /// </code>
    /// </example>
    public void Compile(Optimizer optimizer, IReadOnlyDictionary<string, Loss> loss, IReadOnlyDictionary<string, double>? lossWeights = null,
        IReadOnlyDictionary<string, IEnumerable<object>>? metrics = null, string? device = null, DataParallel? distribution = null,
        IReadOnlyDictionary<string, IEnumerable<object>>? weightedMetrics = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(loss);
        var names = OutputNames;
        if (names.Count == 0)
            throw new NotSupportedException(
                $"Model \"{Name}\" ({TypeName}) is not a functional graph, so its outputs have no names to key a dictionary; pass the losses " +
                "as a list in the order of the outputs.");
        if (!loss.Keys.ToHashSet().SetEquals(names))
            throw new ArgumentException(
                $"Expected keys [{string.Join(", ", names)}] in loss dict, but found loss.keys()=[{string.Join(", ", loss.Keys)}]. The keys are " +
                "the output names (model.OutputNames: the names of the layers that produce the outputs).", nameof(loss));
        CheckOutputKeys(lossWeights?.Keys, nameof(lossWeights));
        CheckOutputKeys(metrics?.Keys, nameof(metrics));
        CheckOutputKeys(weightedMetrics?.Keys, nameof(weightedMetrics));
        Compile(optimizer, [.. names.Select(n => loss[n])],
            lossWeights is null ? null : [.. names.Select(n => lossWeights.TryGetValue(n, out double w) ? w : 1.0)],
            ByOutput(metrics), device, distribution, ByOutput(weightedMetrics));

        List<IEnumerable<object>>? ByOutput(IReadOnlyDictionary<string, IEnumerable<object>>? lists) =>
            lists is null ? null : [.. names.Select(n => lists.TryGetValue(n, out var m) ? m : [])];
    }

    /// <summary>
    /// Configures a model with several outputs, in the order of its outputs (Keras's <c>compile(loss=[...],
    /// loss_weights=[...], metrics=[[...], [...]])</c>).
    /// </summary>
    /// <param name="optimizer">An optimizer, or a Keras name such as <c>"adam"</c>.</param>
    /// <param name="loss">One loss per output, in order (a null entry leaves that output without a loss).</param>
    /// <param name="lossWeights">One weight per output for the total loss; null weighs each 1.</param>
    /// <param name="metrics">One metric list per output, computed without the sample weights; null for none.</param>
    /// <param name="device"><c>"cpu"</c>, <c>"cuda"</c>, or null/<c>"auto"</c>.</param>
    /// <param name="distribution">A <see cref="DataParallel"/> to train over the MPI processes this program was started in
    /// (<c>mpirun -np 2 ...</c>); null (default) for one process.</param>
    /// <param name="weightedMetrics">One list per output of metrics weighted by the sample weights (Keras's
    /// <c>weighted_metrics</c>); null for none.</param>
    /// <exception cref="ArgumentException">A list whose length is not the number of outputs, or an unknown name.</exception>
    public void Compile(Optimizer optimizer, IReadOnlyList<Loss?> loss, IReadOnlyList<double>? lossWeights = null,
        IReadOnlyList<IEnumerable<object>>? metrics = null, string? device = null, DataParallel? distribution = null,
        IReadOnlyList<IEnumerable<object>>? weightedMetrics = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(loss);
        int outputs = _graph is null ? loss.Count : OutputCount;
        CheckCount(loss.Count, outputs, nameof(loss));
        if (lossWeights is not null) CheckCount(lossWeights.Count, outputs, nameof(lossWeights));
        if (metrics is not null) CheckCount(metrics.Count, outputs, nameof(metrics));
        if (weightedMetrics is not null) CheckCount(weightedMetrics.Count, outputs, nameof(weightedMetrics));
        if (loss.All(l => l is null))
            throw new ArgumentException($"Every entry of loss is null; give at least one output a loss, or call Compile without one.", nameof(loss));
        foreach (var w in lossWeights ?? [])
            if (!double.IsFinite(w))
                throw new ArgumentException($"lossWeights must be finite numbers; got {w}.", nameof(lossWeights));
        var specs = Enumerable.Range(0, outputs)
            .Select(i => (IReadOnlyList<object>)MetricSpecs(metrics?[i], $"metrics[{i}]", loss[i])).ToArray();
        var weightedSpecs = Enumerable.Range(0, outputs)
            .Select(i => (IReadOnlyList<object>)MetricSpecs(weightedMetrics?[i], $"weightedMetrics[{i}]", loss[i])).ToArray();
        string[] names = _graph is null ? [.. Enumerable.Range(0, outputs).Select(i => $"output_{i}")] : [.. OutputNames];
        var compiled = outputs == 1 && lossWeights is null
            ? new CompiledMetrics(loss[0], specs[0], weightedSpecs[0])
            : new CompiledMetrics([.. loss], lossWeights?.ToArray(), specs, weightedSpecs, names, prefix: outputs > 1);
        Compiled(optimizer, outputs == 1 ? loss[0] : null, compiled, device, distribution);

        void CheckCount(int count, int expected, string argument)
        {
            if (count != expected)
                throw new ArgumentException(
                    $"{argument} lists {count} entries, but model \"{Name}\" has {expected} output(s)" +
                    (_graph is null ? "" : $" ({string.Join(", ", OutputNames)})") + "; give one per output, in order.", argument);
        }
    }

    private void CheckOutputKeys(IEnumerable<string>? keys, string argument)
    {
        var unknown = (keys ?? []).Where(k => !OutputNames.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException(
                $"{argument} names {string.Join(", ", unknown.Select(k => $"\"{k}\""))}, which {(unknown.Count == 1 ? "is not an output" : "are not outputs")} " +
                $"of model \"{Name}\"; its outputs are [{string.Join(", ", OutputNames)}].", argument);
    }

    private static List<object> MetricSpecs(IEnumerable<object>? metrics, string argument, Loss? loss)
    {
        var specs = (metrics ?? []).Select((m, i) => m switch
        {
            string or Metric => m,
            null => throw new ArgumentException($"{argument}[{i}] is null; pass a name such as \"accuracy\" or a Metric.", argument),
            _ => throw new ArgumentException(
                $"{argument}[{i}] is a {m.GetType().Name} ({m}); pass a name such as \"accuracy\" or a Sequential.Metrics.Metric.", argument),
        }).ToList();
        foreach (var name in specs.OfType<string>())
            Sequential.Metrics.MetricRegistry.Get(name, loss, [1], [1]); // unknown names fail here, not at the first batch
        return specs;
    }

    private void Compiled(Optimizer optimizer, Loss? loss, CompiledMetrics metrics, string? device, DataParallel? distribution)
    {
        TrackLayers();
        Distribution = distribution;
        Device = Backend.ParseDevice(device);
        Optimizer = optimizer;
        Loss = loss;
        _metrics = metrics;
        if (Built) Place();
    }

    /// <summary>The data-parallel distribution given to <c>Compile</c> (training over MPI processes), or null for one
    /// process.</summary>
    public DataParallel? Distribution { get; private set; }

    /// <summary>The loss of each output, once compiled (one entry for a model with one output; null entries for outputs
    /// without a loss).</summary>
    public IReadOnlyList<Loss?> OutputLosses => _metrics?.Losses ?? [];

    /// <summary>The loss for output <paramref name="output"/>, or null.</summary>
    internal Loss? LossFor(int output) => _metrics is { } m && output < m.Outputs ? m.Losses[output] : null;

    /// <summary>Moves the weights to <see cref="Device"/> and binds the optimizer to them.</summary>
    internal void Place()
    {
        this.to(Device);
        // Named, so that ExcludeFromWeightDecay's name patterns match the weights' names.
        Optimizer?.Bind(named_parameters().Where(p => p.parameter.requires_grad).Select(p => ((string?)p.name, p.parameter)));
    }

    /// <summary>Makes sure the model is built for this per-sample shape and placed on its device.</summary>
    /// <param name="sampleShape">Per-sample input shape.</param>
    internal void EnsureBuiltFor(long[] sampleShape)
    {
        if (Built && Shapes.Compatible(sampleShape, BuiltInputShape!) && (Optimizer is null || Optimizer.IsBound))
            return;
        // This can run inside a batch's DisposeScope (iterators reveal the shape with the first batch):
        // whatever building creates (weights, optimizer state) must outlive that scope.
        var scope = torch.CurrentDisposeScope;
        var before = scope is null ? null : new HashSet<IDisposable>(scope.DisposablesView);
        if (!Built)
        {
            Build(sampleShape);
            Place();
        }
        else if (!Shapes.Compatible(sampleShape, BuiltInputShape!))
        {
            Build(sampleShape); // the first layer reports the mismatch with both shapes
        }
        else
        {
            Place();
        }
        if (scope is not null)
            scope.Detach(scope.DisposablesView.Where(d => !before!.Contains(d)).ToList());
    }

    internal CompiledMetrics CompiledMetrics => _metrics ?? throw NotCompiled("Fit");

    internal static InvalidOperationException NotCompiled(string method) => new(
        $"You must call Compile() before {method}(), for example: model.Compile(optimizer: \"adam\", " +
        "loss: \"sparse_categorical_crossentropy\", metrics: [\"accuracy\"]).");

    /// <summary>
    /// Copies of every weight and state tensor of the model, layer by layer as Keras's <c>model.get_weights()</c> lists
    /// them (per layer, its weights, then its non-trainable state such as BatchNormalization's moving statistics),
    /// detached and on the CPU.
    /// </summary>
    /// <returns>The tensors; changing them does not change the model.</returns>
    public IReadOnlyList<Tensor> GetWeights() =>
        WeightsInLayerOrder().Select(w => w.Value.detach().cpu().clone().DetachFromDisposeScope()).ToList();

    /// <summary>
    /// The state dictionary in Keras's order, layer by layer: each submodule's parameters, then its buffers (libtorch's
    /// own order puts every parameter of the model before every buffer).
    /// </summary>
    private List<KeyValuePair<string, Tensor>> WeightsInLayerOrder()
    {
        var all = state_dict().ToList();
        var ordered = new List<KeyValuePair<string, Tensor>>(all.Count);
        var taken = new HashSet<string>();
        foreach (var (child, _) in named_children())
            foreach (var entry in all.Where(e => e.Key.StartsWith(child + ".", StringComparison.Ordinal)))
                if (taken.Add(entry.Key)) ordered.Add(entry);
        ordered.AddRange(all.Where(e => taken.Add(e.Key)));
        return ordered;
    }

    /// <summary>
    /// Sets every weight and state tensor of the model from <paramref name="weights"/> (Keras's
    /// <c>model.set_weights()</c>), in <see cref="GetWeights"/>'s order. Every count and shape is checked before anything
    /// is copied, so a list that does not fit leaves the model unchanged.
    /// </summary>
    /// <param name="weights">One tensor per entry of <see cref="GetWeights"/>, of the same shapes.</param>
    /// <exception cref="ArgumentException">The count or a shape differs; the message names the weight and both shapes.</exception>
    /// <example><code>clone.SetWeights(model.GetWeights());</code></example>
    public void SetWeights(IReadOnlyList<Tensor> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var targets = WeightsInLayerOrder();
        if (weights.Count != targets.Count)
            throw new ArgumentException(
                $"Model \"{Name}\" has {targets.Count} weights (see GetWeights()), but {weights.Count} were given." +
                (Built ? "" : " The model is not built yet: build it (Build(inputShape)) so that its weights exist."), nameof(weights));
        for (int i = 0; i < targets.Count; i++)
        {
            if (weights[i] is null)
                throw new ArgumentException($"Weight {i} ('{targets[i].Key}') is null.", nameof(weights));
            if (!weights[i].shape.SequenceEqual(targets[i].Value.shape))
                throw new ArgumentException(
                    $"Weight {i} ('{targets[i].Key}') of model \"{Name}\" has shape {Shapes.Format(targets[i].Value.shape)}, " +
                    $"but the given tensor has shape {Shapes.Format(weights[i].shape)}.", nameof(weights));
        }
        using var noGrad = no_grad();
        for (int i = 0; i < targets.Count; i++)
            targets[i].Value.copy_(weights[i].to(targets[i].Value.dtype));
    }

    /// <summary>
    /// The weights that training updates (Keras's <c>trainable_weights</c>): every parameter of the model that requires
    /// a gradient, in registration order. A custom <see cref="TrainStep"/> passes their gradients to
    /// <see cref="Optimizers.Optimizer.Apply"/>.
    /// </summary>
    public IReadOnlyList<Parameter> TrainableWeights => parameters().Where(p => p.requires_grad).ToList();

    /// <summary>
    /// The loss of a batch (Keras's <c>compute_loss</c>): the compiled loss of <paramref name="y"/> and
    /// <paramref name="yPred"/>, weighted by <paramref name="sampleWeight"/>. Override it to add terms: the default
    /// <see cref="TrainStep"/> and <see cref="TestStep"/> add what it returns to the loss tracker (the <c>loss</c> entry of the
    /// logs), as Keras's do; a custom step updates the tracker itself (Keras's guide: <c>metric.update_state(loss)</c> for
    /// the metric named <c>loss</c>).
    /// </summary>
    /// <param name="x">The inputs (unused by the default; there for overrides, as in Keras).</param>
    /// <param name="y">The targets.</param>
    /// <param name="yPred">The model's outputs for <paramref name="x"/>.</param>
    /// <param name="sampleWeight">One weight per sample, or null.</param>
    /// <param name="training">True inside <see cref="TrainStep"/>, false inside <see cref="TestStep"/>.</param>
    /// <returns>A scalar tensor.</returns>
    /// <exception cref="InvalidOperationException">The model was compiled without a loss, or the batch has no targets.</exception>
    public virtual Tensor ComputeLoss(Tensor? x, Tensor? y, Tensor yPred, Tensor? sampleWeight = null, bool training = true)
    {
        ArgumentNullException.ThrowIfNull(yPred);
        if (Loss is null)
            throw new InvalidOperationException(
                $"No loss to compute for model \"{Name}\". Provide a loss argument in Compile(), or override ComputeLoss or TrainStep.");
        if (y is null)
            throw new InvalidOperationException(
                $"Model \"{Name}\" got a batch without targets (y), but its loss '{Loss.Name}' needs them. Pass y to Fit/Evaluate, " +
                "or override TrainStep/ComputeLoss to compute a loss from the inputs alone.");
        return CompiledMetrics.ComputeLoss([y], [yPred], sampleWeight, Name);
    }

    /// <summary>
    /// The loss of a batch for a model with several outputs (Keras's <c>compute_loss</c> with structures): each output's
    /// compiled loss times its weight, summed; each output's unweighted loss is tracked as <c>{output}_loss</c> when
    /// there are several. With one output it calls <see cref="ComputeLoss(Tensor?, Tensor?, Tensor, Tensor?, bool)"/>, so
    /// an override of that one is used by the default steps.
    /// </summary>
    /// <param name="x">The inputs, one per model input.</param>
    /// <param name="y">The targets, one per output.</param>
    /// <param name="yPred">The outputs, one per output.</param>
    /// <param name="sampleWeight">One weight per sample (applied to every output), or null.</param>
    /// <param name="training">True inside <see cref="TrainStep"/>.</param>
    /// <returns>A scalar tensor.</returns>
    /// <exception cref="InvalidOperationException">No loss was compiled, or the batch has no targets.</exception>
    /// <exception cref="ArgumentException">The number of targets differs from the number of outputs.</exception>
    public virtual Tensor ComputeLoss(IReadOnlyList<Tensor>? x, IReadOnlyList<Tensor>? y, IReadOnlyList<Tensor> yPred,
        Tensor? sampleWeight = null, bool training = true)
    {
        ArgumentNullException.ThrowIfNull(yPred);
        if (yPred.Count == 1 && (y is null || y.Count == 1))
            return ComputeLoss(x is { Count: 1 } ? x[0] : null, y?[0], yPred[0], sampleWeight, training);
        if (_metrics is null || _metrics.Losses.All(l => l is null))
            throw new InvalidOperationException(
                $"No loss to compute for model \"{Name}\". Provide a loss argument in Compile(), or override ComputeLoss or TrainStep.");
        if (y is null)
            throw new InvalidOperationException(
                $"Model \"{Name}\" got a batch without targets (y), but its outputs ({string.Join(", ", OutputNames)}) have losses that need them. " +
                "Pass y to Fit/Evaluate, or override TrainStep/ComputeLoss.");
        return CompiledMetrics.ComputeLoss(y, yPred, sampleWeight, Name);
    }

    /// <summary>
    /// Updates the compiled metrics with a batch and returns the running logs of every metric, the loss first (Keras's
    /// <c>compute_metrics</c>; the loss tracker is updated by the step, with what
    /// <see cref="ComputeLoss(Tensor?, Tensor?, Tensor, Tensor?, bool)"/> returned).
    /// </summary>
    /// <param name="x">The inputs (unused by the default).</param>
    /// <param name="y">The targets; null updates nothing but still returns the logs.</param>
    /// <param name="yPred">The model's outputs.</param>
    /// <param name="sampleWeight">One weight per sample, or null.</param>
    /// <returns>Running logs; each value is copied from the device only when read.</returns>
    public virtual IReadOnlyDictionary<string, double> ComputeMetrics(Tensor? x, Tensor? y, Tensor yPred, Tensor? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(yPred);
        if (y is not null) CompiledMetrics.UpdateMetrics([y], [yPred], sampleWeight, Name);
        return CompiledMetrics.Logs;
    }

    /// <summary>
    /// Updates the compiled metrics of every output with a batch and returns the running logs (Keras's
    /// <c>compute_metrics</c> with structures). With one output it calls
    /// <see cref="ComputeMetrics(Tensor?, Tensor?, Tensor, Tensor?)"/>.
    /// </summary>
    /// <param name="x">The inputs (unused by the default).</param>
    /// <param name="y">The targets, one per output; null updates nothing but still returns the logs.</param>
    /// <param name="yPred">The outputs, one per output.</param>
    /// <param name="sampleWeight">One weight per sample, or null.</param>
    /// <returns>Running logs; each value is copied from the device only when read.</returns>
    public virtual IReadOnlyDictionary<string, double> ComputeMetrics(IReadOnlyList<Tensor>? x, IReadOnlyList<Tensor>? y,
        IReadOnlyList<Tensor> yPred, Tensor? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(yPred);
        if (yPred.Count == 1 && (y is null || y.Count == 1))
            return ComputeMetrics(x is { Count: 1 } ? x[0] : null, y?[0], yPred[0], sampleWeight);
        if (y is not null) CompiledMetrics.UpdateMetrics(y, yPred, sampleWeight, Name);
        return CompiledMetrics.Logs;
    }

    /// <summary>
    /// One training step (Keras's <c>train_step</c>): forward, <see cref="ComputeLoss(Tensor?, Tensor?, Tensor, Tensor?, bool)"/>, backward,
    /// <see cref="Optimizers.Optimizer.Apply"/> on <see cref="TrainableWeights"/>, <see cref="ComputeMetrics(Tensor?, Tensor?, Tensor, Tensor?)"/>. Override
    /// it to customise training; the loop around it (callbacks, validation, progress) stays the same. The loop calls it for
    /// every batch, with <c>classWeight</c> and <c>sampleWeight</c> folded into <see cref="Batch.SampleWeight"/>.
    /// </summary>
    /// <param name="batch">The batch, on <see cref="Device"/>.</param>
    /// <returns>Running logs of the epoch (what the progress bar and the batch-end callbacks see).</returns>
    /// <example>
    /// <code>
    /// public override IReadOnlyDictionary&lt;string, double&gt; TrainStep(Batch batch)
    /// {
    ///     var yPred = Call(batch.X, training: true);
    ///     var loss = ComputeLoss(batch.X, batch.Y, yPred, batch.SampleWeight);
    ///     var weights = TrainableWeights;
    ///     foreach (var w in weights) w.grad = null;
    ///     loss.backward();
    ///     using (torch.no_grad()) Optimizer!.Apply(weights.Select(w => w.grad).ToList(), weights);
    ///     foreach (var metric in Metrics)                        // Keras's guide: the loss tracker, then the others
    ///         if (metric.Name == "loss") metric.UpdateState(loss.detach());
    ///         else metric.UpdateState(batch.Y!, yPred.detach());
    ///     return Metrics.ToDictionary(m => m.Name, m => m.Value());
    /// }
    /// </code>
    /// </example>
    public virtual IReadOnlyDictionary<string, double> TrainStep(Batch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var weights = TrainableWeights;
        foreach (var weight in weights) weight.grad = null; // dropped, not zeroed: a weight without a gradient is not moved
        var yPred = CallMany(batch.Inputs, training: true);
        var loss = ComputeLoss(batch.Inputs, batch.Targets, yPred, batch.SampleWeight, training: true);
        CompiledMetrics.UpdateLoss(loss.detach(), batch.Size); // Keras's train_step tracks what compute_loss returned
        if (weights.Count > 0 && loss.requires_grad)
        {
            Optimizer!.ScaleLoss(loss).backward();   // the loss itself, or scaled (LossScaleOptimizer)
            Distribution?.AverageGradients(weights, batch.Size);   // several processes: the gradient of the global batch
            using (no_grad()) Optimizer!.Apply(weights.Select(w => w.grad).ToList(), weights);
        }
        else
        {
            // Keras's torch trainer: no backward pass, a warning, and the loss and metrics are still logged.
            WarnNoTrainableWeights();
        }
        return ComputeMetrics(batch.Inputs, batch.Targets, [.. yPred.Select(p => p.detach())], batch.SampleWeight);
    }

    private bool _warnedNoTrainableWeights;

    private void WarnNoTrainableWeights()
    {
        if (_warnedNoTrainableWeights) return;
        _warnedNoTrainableWeights = true;
        Console.Error.WriteLine($"Warning: The model does not have any trainable weights. Model \"{Name}\" computes the loss and " +
                                "metrics but nothing is updated; set Trainable = true on a layer with weights to train it.");
    }

    /// <summary>One evaluation step (Keras's <c>test_step</c>): forward, <see cref="ComputeLoss(Tensor?, Tensor?, Tensor, Tensor?, bool)"/>, metrics; no gradients.</summary>
    /// <param name="batch">The batch, on <see cref="Device"/>.</param>
    /// <returns>Running logs of the evaluation.</returns>
    public virtual IReadOnlyDictionary<string, double> TestStep(Batch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var yPred = CallMany(batch.Inputs, training: false);
        var loss = ComputeLoss(batch.Inputs, batch.Targets, yPred, batch.SampleWeight, training: false);
        CompiledMetrics.UpdateLoss(loss.detach(), batch.Size);
        return ComputeMetrics(batch.Inputs, batch.Targets, yPred, batch.SampleWeight);
    }

    /// <summary>One prediction step (Keras's <c>predict_step</c>): the model's outputs for the batch's inputs.</summary>
    /// <param name="batch">The batch, on <see cref="Device"/>; <see cref="Batch.Targets"/> is null.</param>
    /// <returns>The model's outputs, one per output (one for most models).</returns>
    public virtual IReadOnlyList<Tensor> PredictStep(Batch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return CallMany(batch.Inputs, training: false);
    }

    /// <summary>
    /// Trains the model on tensors (Keras's <c>model.fit(x, y, ...)</c>).
    /// </summary>
    /// <param name="x">Inputs, <c>[N, ...]</c>; integer tensors are converted to float32 as Keras does.</param>
    /// <param name="y">Targets, <c>[N]</c> class indices or <c>[N, ...]</c> values; null when the model's
    /// <see cref="TrainStep"/> needs none (an autoencoder's step comparing outputs with <c>batch.X</c>, say).</param>
    /// <param name="batchSize">Samples per gradient update (default 32).</param>
    /// <param name="epochs">Index of the last epoch to train (with <paramref name="initialEpoch"/> 0: the number of epochs).</param>
    /// <param name="verbose">0 silent, 1 progress bar, 2 one line per epoch; default 1 on a terminal, 2 when output is redirected.</param>
    /// <param name="callbacks">Callbacks to call during training; History and the progress bar are added automatically unless
    /// <paramref name="callbacks"/> already holds one (Fit then returns that History).</param>
    /// <param name="validationSplit">Fraction in [0, 1) of the data, taken from the end before shuffling, to validate on.</param>
    /// <param name="validationData">Data to validate on at the end of each epoch; overrides <paramref name="validationSplit"/>.</param>
    /// <param name="shuffle">Shuffle the training samples before each epoch.</param>
    /// <param name="initialEpoch">Epoch at which to start (for resuming).</param>
    /// <param name="stepsPerEpoch">Batches per epoch; default all.</param>
    /// <param name="classWeight">Keras's <c>class_weight</c>: a weight per class index that scales the loss (and the
    /// <c>weightedMetrics</c> given to Compile) of the training samples of that class; classes not listed weigh 1. Not
    /// applied to validation.</param>
    /// <param name="sampleWeight">Keras's <c>sample_weight</c>: one weight per sample, shape [N]; the loss of a batch
    /// becomes <c>sum(loss_i * w_i) / N</c>. Split with the data by <paramref name="validationSplit"/>.</param>
    /// <param name="validationFreq">Validate every this many epochs (after epochs validationFreq, 2 * validationFreq, ...,
    /// counting from 1); epochs without validation log no <c>val_</c> keys.</param>
    /// <returns>The History of the run: <c>history["loss"]</c>, <c>history["val_accuracy"]</c>, ...</returns>
    /// <example>
    /// <code>
    /// History history = model.Fit(xTrain / 255f, yTrain, epochs: 5, batchSize: 32, validationSplit: 0.1);
    /// Console.WriteLine(history["val_accuracy"][^1]);
    /// </code>
    /// </example>
    public History Fit(Tensor x, Tensor? y = null, int batchSize = 32, int epochs = 1, int? verbose = null,
        IEnumerable<Callback>? callbacks = null, double validationSplit = 0.0, (Tensor x, Tensor? y)? validationData = null,
        bool shuffle = true, int initialEpoch = 0, int? stepsPerEpoch = null,
        IReadOnlyDictionary<int, double>? classWeight = null, Tensor? sampleWeight = null, int validationFreq = 1)
    {
        if (!IsCompiled) throw NotCompiled("Fit");
        Trainer.CheckEpochs(epochs, initialEpoch);
        if (!(validationSplit >= 0 && validationSplit < 1))
            throw new ArgumentOutOfRangeException(nameof(validationSplit), validationSplit,
                $"validationSplit must be in [0, 1) (a fraction such as 0.1); got {validationSplit}.");
        var (train, validation) = TensorDataAdapter.Create(this, x, y, batchSize, shuffle, validationSplit, validationData, sampleWeight);
        using var _ = train;
        using var __ = validation;
        return new Trainer(this).Fit(train, validation, epochs, initialEpoch, stepsPerEpoch, null,
            Trainer.ResolveVerbose(verbose), callbacks, classWeight, validationFreq);
    }

    /// <summary>
    /// Trains the model on an iterator of batches, such as <c>ImageDataGenerator.FlowFromDirectory</c>'s
    /// (Keras's <c>model.fit(generator, ...)</c>). One enumeration is one pass over the data.
    /// </summary>
    /// <remarks>
    /// Each batch is checked as the tensor overloads check all their data: NaN or infinite inputs or targets, and
    /// targets the loss refuses (a label outside the model's classes), throw an <see cref="ArgumentException"/> that names
    /// the batch and the sample. Batches on the host are checked before they are copied to the device (one reduction
    /// over the batch); for batches the iterator already put on a GPU only the first is checked, so that training does
    /// not wait for the device on every step.
    /// </remarks>
    /// <param name="data">Batches of (inputs, targets).</param>
    /// <param name="epochs">Index of the last epoch to train.</param>
    /// <param name="stepsPerEpoch">Batches per epoch; when larger than one pass, continues into the next pass.</param>
    /// <param name="validationData">Batches to validate on at the end of each epoch.</param>
    /// <param name="validationSteps">Validation batches per epoch; default one full pass.</param>
    /// <param name="verbose">0 silent, 1 progress bar, 2 one line per epoch; default by terminal.</param>
    /// <param name="callbacks">Callbacks to call during training.</param>
    /// <param name="initialEpoch">Epoch at which to start.</param>
    /// <param name="classWeight">Keras's <c>class_weight</c>: a weight per class index for the training batches.</param>
    /// <param name="validationFreq">Validate every this many epochs.</param>
    /// <returns>The History of the run.</returns>
    public History Fit(IEnumerable<(Tensor x, Tensor y)> data, int epochs = 1, int? stepsPerEpoch = null,
        IEnumerable<(Tensor x, Tensor y)>? validationData = null, int? validationSteps = null, int? verbose = null,
        IEnumerable<Callback>? callbacks = null, int initialEpoch = 0,
        IReadOnlyDictionary<int, double>? classWeight = null, int validationFreq = 1)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!IsCompiled) throw NotCompiled("Fit");
        Trainer.CheckEpochs(epochs, initialEpoch);
        using var train = new EnumerableDataAdapter(data, nameof(data));
        using var validation = validationData is null ? null : new EnumerableDataAdapter(validationData, nameof(validationData));
        return new Trainer(this).Fit(train, validation, epochs, initialEpoch, stepsPerEpoch, validationSteps,
            Trainer.ResolveVerbose(verbose), callbacks, classWeight, validationFreq);
    }

    /// <summary>Computes the loss and metrics on data (Keras's <c>model.evaluate</c>).</summary>
    /// <param name="x">Inputs.</param>
    /// <param name="y">Targets; null when the model's <see cref="TestStep"/> needs none.</param>
    /// <param name="batchSize">Samples per batch (default 32).</param>
    /// <param name="verbose">0 silent, 1 progress bar, 2 one line; default 1 on a terminal, 2 when output is redirected.</param>
    /// <param name="callbacks">Callbacks to call.</param>
    /// <param name="sampleWeight">Keras's <c>sample_weight</c>: one weight per sample, shape [N]; each batch's loss becomes
    /// <c>sum(loss_i * w_i) / n</c>; the <c>weightedMetrics</c> given to Compile are weighted, the other metrics not (Keras).</param>
    /// <returns><c>{"loss": ..., "accuracy": ...}</c>.</returns>
    /// <example><code>var result = model.Evaluate(xTest / 255f, yTest); Console.WriteLine(result["accuracy"]);</code></example>
    public IReadOnlyDictionary<string, double> Evaluate(Tensor x, Tensor? y = null, int batchSize = 32, int? verbose = null,
        IEnumerable<Callback>? callbacks = null, Tensor? sampleWeight = null)
    {
        if (!IsCompiled) throw NotCompiled("Evaluate");
        var (data, _) = TensorDataAdapter.Create(this, x, y, batchSize, shuffle: false, 0, null, sampleWeight);
        using var __ = data;
        return new Trainer(this).Evaluate(data, null, Trainer.ResolveVerbose(verbose), callbacks);
    }

    /// <summary>Computes the loss and metrics on an iterator of batches.</summary>
    /// <param name="data">Batches of (inputs, targets).</param>
    /// <param name="steps">Batches to use; default one full pass.</param>
    /// <param name="verbose">0 silent, 1 progress bar, 2 one line.</param>
    /// <param name="callbacks">Callbacks to call.</param>
    /// <returns><c>{"loss": ..., "accuracy": ...}</c>.</returns>
    public IReadOnlyDictionary<string, double> Evaluate(IEnumerable<(Tensor x, Tensor y)> data, int? steps = null, int? verbose = null,
        IEnumerable<Callback>? callbacks = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!IsCompiled) throw NotCompiled("Evaluate");
        using var adapter = new EnumerableDataAdapter(data, nameof(data));
        return new Trainer(this).Evaluate(adapter, steps, Trainer.ResolveVerbose(verbose), callbacks);
    }

    /// <summary>Computes the model's outputs for inputs (Keras's <c>model.predict</c>), without autograd.</summary>
    /// <param name="x">Inputs, <c>[N, ...]</c>.</param>
    /// <param name="batchSize">Samples per batch (default 32).</param>
    /// <param name="verbose">0 silent, 1 progress bar; default 1 on a terminal, 2 when output is redirected.</param>
    /// <param name="callbacks">Callbacks to call.</param>
    /// <returns>Outputs <c>[N, ...]</c> on the CPU.</returns>
    public Tensor Predict(Tensor x, int batchSize = 32, int? verbose = null, IEnumerable<Callback>? callbacks = null)
    {
        using var data = TensorDataAdapter.ForPrediction(this, [x], batchSize);
        return Single(new Trainer(this).Predict(data, Trainer.ResolveVerbose(verbose), callbacks));
    }

    /// <summary>Computes the model's outputs for an iterator of batches (targets are ignored).</summary>
    /// <param name="data">Batches of (inputs, targets).</param>
    /// <param name="steps">Batches to use; default one full pass.</param>
    /// <param name="verbose">0 silent, 1 progress bar.</param>
    /// <returns>Outputs on the CPU.</returns>
    public Tensor Predict(IEnumerable<(Tensor x, Tensor y)> data, int? steps = null, int? verbose = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        Trainer.CheckSteps(steps, nameof(steps));
        using var adapter = new EnumerableDataAdapter(data, nameof(data), steps);
        return Single(new Trainer(this).Predict(adapter, Trainer.ResolveVerbose(verbose), null));
    }

    /// <summary>
    /// The model's configuration (Keras's <c>get_config</c>): snake_case constructor argument name -> value, enough for
    /// <see cref="ModelRegistry.FromConfig"/> to create an equal (unbuilt) model. By default it is read by reflection from
    /// the largest public constructor, whose parameters must each have a same-named PascalCase public property; a
    /// parameterless constructor gives an empty configuration. Saved in model files of registered subclasses.
    /// </summary>
    /// <returns>The configuration.</returns>
    /// <exception cref="InvalidOperationException">A constructor parameter has no matching property; override this method.</exception>
    public override IReadOnlyDictionary<string, object?> GetConfig() => Persistence.ConfigReflection.GetConfig(this);

    /// <summary>Keras-style table of the layers (<see cref="Layers"/>), output shapes and parameter counts.</summary>
    /// <returns>The table as text.</returns>
    public virtual string Summary() => _graph is null ? SummaryTable.Format(Name, Layers) : SummaryTable.Format(Name, _graph);
}
