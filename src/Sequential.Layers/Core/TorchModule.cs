using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Any TorchSharp module as a layer (Keras 3's <c>TorchModuleWrapper</c>): its parameters are the layer's weights, so they
/// appear in <c>Summary</c> and <see cref="Layer.CountParams"/>, train with <c>Fit</c>, move with <c>Compile(device:)</c>,
/// freeze with <see cref="Layer.Trainable"/> and save with <c>SaveWeights</c>, checkpoints and BackupAndRestore.
/// </summary>
/// <remarks>
/// <para>The module takes and returns batches in its own layout: a TorchSharp convolution wants channels first
/// (<c>[N, C, H, W]</c>), where Keras layers are channels last; put a <see cref="Permute"/> or <see cref="Reshape"/> before
/// it. Shapes of the layer never include the batch dimension, as everywhere in Sequential.</para>
/// <para>Output shape: unless <c>outputShape</c> is given, the layer runs the module once, when it is built, on a batch of
/// one sample of float32 zeros, without gradients and in evaluation mode, and reads the shape of the result. That is
/// cheap for typical modules; give <c>outputShape</c> for a module that cannot take such an input (integer indices, say).</para>
/// <para>Training: <c>Fit</c> runs the module in training mode (its dropout and batch normalisation active), and
/// <c>Evaluate</c>/<c>Predict</c> in evaluation mode. A layer set to <c>Trainable = false</c> runs it in evaluation mode
/// in <c>Fit</c> too, as Keras's own BatchNormalization does when frozen, so that a frozen module, running statistics
/// included, stays exactly as it was (Keras's wrapper follows only the training flag).</para>
/// <para>Counting: the module's parameters are counted, trainable or not; its buffers (BatchNorm's running statistics)
/// are saved with the weights but not counted, as Keras's wrapper tracks only parameters.</para>
/// <para>Saving: Keras writes a wrapped module with <c>torch.save</c> (a pickle) and refuses to load it unless unsafe
/// deserialization is allowed. Sequential reads no code from files: register a factory that creates the module under a
/// name (<see cref="Register"/>); <c>Save</c> writes that name, and <c>Load</c> calls the factory and loads the weights
/// into its module. Without a name, <c>Save</c> refuses (use <c>SaveWeights</c>, which needs none). The layer owns the
/// module: disposing the model disposes it.</para>
/// </remarks>
/// <example>
/// <code>
/// var model = new SequentialModel(new TorchModule(nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2)), inputShape: [4]));
///
/// // Save/Load of the whole model: a factory by name, registered in the program that saves and in the one that loads.
/// TorchModule.Register("mlp", () => nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2)));
/// var saved = new SequentialModel(new TorchModule("mlp", inputShape: [4]), new Dense(1));
/// saved.Save("mlp.seqmodel");
/// var loaded = SequentialModel.Load("mlp.seqmodel");
/// </code>
/// </example>
public sealed class TorchModule : Layer
{
    /// <summary>The most values the output-shape probe allocates for its input (a quarter of a GiB of float32).</summary>
    public const long MaxProbeValues = OutputProbe.MaxValues;

    private static readonly object Gate = new();
    private static readonly Dictionary<string, Func<nn.Module<Tensor, Tensor>>> Factories = new(StringComparer.Ordinal);

    private readonly long[]? _outputShape;
    private (long[] input, long[] output)? _probed;
    private Func<nn.Module<Tensor, Tensor>>? _checkedFactory; // the factory whose module Save found to match this one

    /// <summary>Wraps a TorchSharp module.</summary>
    /// <param name="module">The module; it is registered as this layer's submodule (named <c>module</c>) and owned by it.</param>
    /// <param name="inputShape">Per-sample input shape (no batch dimension), for the first layer of a model.</param>
    /// <param name="outputShape">Per-sample output shape; null to find it by running the module once (see remarks).</param>
    /// <param name="factory">The name under which a factory creating this module's architecture is (or will be)
    /// registered with <see cref="Register"/>; without one, <c>Save</c> of the model is refused.</param>
    /// <param name="name">Layer name; default <c>torch_module</c>.</param>
    /// <exception cref="ArgumentException">An input or output shape with a size that is not positive, or an empty
    /// factory name.</exception>
    public TorchModule(nn.Module<Tensor, Tensor> module, long[]? inputShape = null, long[]? outputShape = null,
        string? factory = null, string? name = null)
        : base(name, inputShape)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (outputShape is not null && (outputShape.Length == 0 || outputShape.Any(d => d <= 0)))
            throw new ArgumentException(
                $"outputShape of layer \"{Name}\" must list positive sizes without the batch dimension, e.g. [10]; got {Shapes.Format(outputShape)}.",
                nameof(outputShape));
        if (factory is not null) CheckFactoryName(factory, nameof(factory));
        _outputShape = outputShape is null ? null : (long[])outputShape.Clone();
        Factory = factory;
        Module = module;
        register_module("module", module);
    }

    /// <summary>
    /// Creates the module with the factory registered under <paramref name="factory"/> and wraps it. This is how
    /// <c>Load</c> creates the layer; a model built this way can be saved whole.
    /// </summary>
    /// <param name="factory">A name given to <see cref="Register"/>.</param>
    /// <param name="inputShape">Per-sample input shape (no batch dimension), for the first layer of a model.</param>
    /// <param name="outputShape">Per-sample output shape; null to find it by running the module once.</param>
    /// <param name="name">Layer name; default <c>torch_module</c>.</param>
    /// <exception cref="ArgumentException">No factory is registered under the name; the message lists those that are.</exception>
    /// <exception cref="InvalidOperationException">The factory returned null.</exception>
    public TorchModule(string factory, long[]? inputShape = null, long[]? outputShape = null, string? name = null)
        : this(Create(factory), inputShape, outputShape, factory, name)
    {
    }

    /// <summary>The wrapped TorchSharp module.</summary>
    public nn.Module<Tensor, Tensor> Module { get; }

    /// <summary>The name of the registered factory that creates the module, or null (the model cannot be saved whole).</summary>
    public string? Factory { get; }

    /// <summary>The names of the registered module factories, sorted.</summary>
    public static IReadOnlyList<string> FactoryNames
    {
        get
        {
            lock (Gate) return [.. Factories.Keys.Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>
    /// Registers a factory that creates a TorchSharp module under a name, so that models holding a
    /// <see cref="TorchModule"/> of that name can be saved and loaded whole. Register it in the program that saves and in
    /// the one that loads; registering a name again replaces its factory.
    /// </summary>
    /// <param name="name">The name written in model files, e.g. <c>"small_convnet"</c>.</param>
    /// <param name="factory">Creates a new module with the architecture (the weights come from the file).</param>
    /// <example>
    /// <code>
    /// TorchModule.Register("small_convnet", () => nn.Sequential(nn.Conv2d(1, 16, 3), nn.ReLU(), nn.MaxPool2d(2)));
    /// var model = SequentialModel.Load("convnet.seqmodel");
    /// </code>
    /// </example>
    /// <exception cref="ArgumentException">An empty or blank name.</exception>
    public static void Register(string name, Func<nn.Module<Tensor, Tensor>> factory)
    {
        CheckFactoryName(name, nameof(name));
        ArgumentNullException.ThrowIfNull(factory);
        lock (Gate) Factories[name] = factory;
    }

    private static void CheckFactoryName(string name, string parameter)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException($"A module factory needs a non-empty name, such as \"small_convnet\"; got \"{name}\".", parameter);
    }

    private static Func<nn.Module<Tensor, Tensor>>? Lookup(string name)
    {
        lock (Gate) return Factories.GetValueOrDefault(name);
    }

    private static nn.Module<Tensor, Tensor> Create(string factory)
    {
        if (factory is null)
            throw new ArgumentNullException(nameof(factory),
                "TorchModule needs the name of a factory registered with TorchModule.Register(name, factory); got null. " +
                "A model file that names none (a BackupAndRestore backup of a model whose TorchModule had no factory) cannot be " +
                "loaded whole: build the model in code and call LoadWeights with the file.");
        var create = Lookup(factory) ?? throw new ArgumentException(
            $"No module factory is registered under the name \"{factory}\" (registered: {Listed(FactoryNames)}). Call " +
            $"TorchModule.Register(\"{factory}\", () => /* create the module */) before creating or loading the layer.", nameof(factory));
        return create() ?? throw new InvalidOperationException($"The module factory \"{factory}\" returned null; it must create a module.");
    }

    private static string Listed(IReadOnlyList<string> names) => names.Count == 0 ? "none" : string.Join(", ", names.Select(n => $"\"{n}\""));

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The module cannot take a batch of this shape (the message names the layer, the
    /// shape and the module's error), or returns a tensor without the batch dimension.</exception>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (_outputShape is not null) return (long[])_outputShape.Clone();
        if (_probed is { } probed && probed.input.SequenceEqual(inputShape)) return (long[])probed.output.Clone();
        OutputProbe.CheckSize(this, inputShape, "its module");
        long[] output;
        bool wasTraining = Module.training;
        using (NewDisposeScope())
        using (no_grad())
        {
            var device = Module.parameters().Select(p => p.device).Concat(Module.buffers().Select(b => b.device)).FirstOrDefault() ?? CPU;
            Tensor result;
            try
            {
                Module.eval();
                result = Module.call(zeros([1, .. inputShape], ScalarType.Float32, device));
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException
                                          or System.Runtime.InteropServices.ExternalException)
            {
                throw new ArgumentException(
                    $"Layer \"{Name}\" (TorchModule) cannot take an input of shape {Shapes.FormatBatch(inputShape)}: running its module " +
                    $"({Module.GetType().Name}) on one sample of zeros failed: {FirstLine(e.Message)} Check the input shape (TorchSharp's " +
                    "convolutions take channels first), or give outputShape for a module that cannot take float32 zeros.", e);
            }
            finally
            {
                Module.train(wasTraining);
            }
            if (result.shape.Length < 2 || result.shape[0] != 1)
                throw new ArgumentException(
                    $"Layer \"{Name}\" (TorchModule): its module turned a batch of one sample, shape {Shapes.Format([1, .. inputShape])}, into " +
                    $"a tensor of shape {Shapes.Format(result.shape)}; a layer's module must keep the batch dimension first and return " +
                    "at least one value per sample.");
            output = result.shape[1..];
        }
        _probed = ((long[])inputShape.Clone(), output);
        return (long[])output.Clone();

        static string FirstLine(string message)
        {
            string line = message.Split('\n', 2)[0].Trim();
            return line.EndsWith('.') ? line : line + ".";
        }
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        bool mode = training && Trainable; // a frozen module runs in evaluation mode (see remarks)
        if (Module.training != mode) Module.train(mode);
        return Module.call(x);
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["factory"] = Factory,
        ["input_shape"] = InputShape,
        ["output_shape"] = _outputShape,
        ["name"] = Name,
    };

    /// <inheritdoc/>
    /// <remarks>
    /// Refuses a layer without a factory name, a name no factory is registered under, and a factory whose module has other
    /// weights (names or shapes) than the wrapped one, so that no file is written that <c>Load</c> could not read back.
    /// The factory is called once per layer and factory for that check.
    /// </remarks>
    protected override void CheckSavable()
    {
        string weightsOnly = "or save the weights alone with model.SaveWeights(path) (ModelCheckpoint(saveWeightsOnly: true)) " +
                             "and load them into a model built in code with LoadWeights.";
        if (Factory is null)
            throw new InvalidOperationException(
                $"Layer \"{Name}\" (TorchModule) wraps a {Module.GetType().Name} that a model file cannot describe, so Save would " +
                "write a file that Load cannot read back. Register a factory that creates the module, " +
                $"TorchModule.Register(\"my_module\", () => /* create it */), and pass its name: new TorchModule(\"my_module\", ...) " +
                $"or new TorchModule(module, factory: \"my_module\"); {weightsOnly}");
        var create = Lookup(Factory) ?? throw new InvalidOperationException(
            $"Layer \"{Name}\" (TorchModule) names the module factory \"{Factory}\", but none is registered under that name " +
            $"(registered: {Listed(FactoryNames)}), so Save would write a file that Load cannot read back. Call " +
            $"TorchModule.Register(\"{Factory}\", () => /* create the module */) here and in the program that loads the model, " +
            weightsOnly);
        if (ReferenceEquals(create, _checkedFactory)) return;
        using (NewDisposeScope())
        {
            using var made = create() ?? throw new InvalidOperationException($"The module factory \"{Factory}\" returned null; it must create a module.");
            var expected = made.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
            var actual = Module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
            var differences = actual.Keys.Union(expected.Keys).Order(StringComparer.Ordinal)
                .Where(k => !expected.TryGetValue(k, out var e) || !actual.TryGetValue(k, out var a) || !e.SequenceEqual(a))
                .Select(k => $"\"{k}\" {Describe(actual, k)} here but {Describe(expected, k)} from the factory")
                .Take(3).ToList();
            if (differences.Count > 0)
                throw new InvalidOperationException(
                    $"Layer \"{Name}\" (TorchModule) names the module factory \"{Factory}\", but the module it creates does not have the " +
                    $"wrapped module's weights ({string.Join("; ", differences)}), so Load could not put the saved weights into it. " +
                    $"Register under \"{Factory}\" a factory that creates this module's architecture, {weightsOnly}");
        }
        _checkedFactory = create;

        static string Describe(Dictionary<string, long[]> weights, string key) =>
            weights.TryGetValue(key, out var shape) ? string.Create(CultureInfo.InvariantCulture, $"has shape {Shapes.Format(shape)}") : "is missing";
    }
}
