using Sequential.Persistence;

namespace Sequential.Optimizers;

/// <summary>
/// The registry of Keras optimizer names. It is the only place optimizer strings are matched. Model files name an
/// optimizer by its class; <see cref="Register{T}"/> makes your own optimizer classes loadable.
/// </summary>
/// <example>
/// <code>
/// model.Compile(optimizer: "adam", ...);              // OptimizerRegistry.Get("adam") == new Adam()
/// model.Compile(optimizer: new Adam(learningRate: 1e-4), ...);
/// </code>
/// </example>
public static class OptimizerRegistry
{
    private static readonly Dictionary<string, Func<Optimizer>> Registry = new()
    {
        ["sgd"] = () => new SGD(),
        ["adam"] = () => new Adam(),
        ["adamw"] = () => new AdamW(),
        ["rmsprop"] = () => new RMSprop(),
        ["adagrad"] = () => new Adagrad(),
        ["nadam"] = () => new Nadam(),
        ["adamax"] = () => new Adamax(),
        ["adadelta"] = () => new Adadelta(),
        ["ftrl"] = () => new Ftrl(),
        ["lion"] = () => new Lion(),
        ["lamb"] = () => new Lamb(),
        ["adafactor"] = () => new Adafactor(),
    };

    private static readonly TypeRegistry<Optimizer> Classes =
        new("optimizer", typeof(OptimizerRegistry).FullName!, [
            typeof(SGD), typeof(Adam), typeof(AdamW), typeof(RMSprop), typeof(Adagrad), typeof(Nadam), typeof(Adamax), typeof(Adadelta),
            typeof(Ftrl), typeof(Lion), typeof(Lamb), typeof(Adafactor), typeof(LossScaleOptimizer),
        ]);

    /// <summary>The accepted names, sorted.</summary>
    public static IReadOnlyList<string> Names { get; } = Registry.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Returns a new optimizer with Keras's defaults for a Keras name (case-insensitive).</summary>
    /// <param name="name">sgd, adam, adamw, rmsprop, adagrad, nadam, adamax, adadelta, ftrl, lion, lamb or adafactor.</param>
    /// <returns>A new optimizer.</returns>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the accepted names.</exception>
    public static Optimizer Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Registry.TryGetValue(name.Trim().ToLowerInvariant(), out var make)) return make();
        throw new ArgumentException($"Unknown optimizer '{name}'. Accepted: {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>
    /// Makes your own optimizer class loadable from model files (Keras's <c>register_keras_serializable</c> /
    /// <c>custom_objects</c>). Saving needs nothing: an optimizer is saved as its class name and configuration.
    /// </summary>
    /// <typeparam name="T">A non-abstract optimizer whose largest public constructor's parameters each have a same-named
    /// PascalCase public property.</typeparam>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is abstract or has no public constructor.</exception>
    /// <example>
    /// <code>
    /// OptimizerRegistry.Register&lt;MyOptimizer&gt;();
    /// var model = SequentialModel.Load("model.seqmodel");
    /// </code>
    /// </example>
    public static void Register<T>() where T : Optimizer => Classes.Register(typeof(T));

    /// <summary>The class names a model file may name: the built-in optimizers and those registered, sorted.</summary>
    public static IReadOnlyList<string> ClassNames => Classes.ClassNames;

    /// <summary>Creates an optimizer from its class name and its saved configuration.</summary>
    /// <param name="className">The class name as saved in a model file, e.g. <c>Adam</c>.</param>
    /// <param name="config">Constructor argument name -> value (CLR values or parsed JSON).</param>
    /// <returns>A new optimizer, not bound to any parameters.</returns>
    /// <exception cref="InvalidDataException">The class is neither built in nor registered (the message says how to
    /// register it), or the configuration does not fit its constructor.</exception>
    public static Optimizer FromConfig(string className, IReadOnlyDictionary<string, object?> config) => Classes.Create(className, config);
}
