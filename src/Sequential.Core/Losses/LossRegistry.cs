using Sequential.Persistence;

namespace Sequential.Losses;

/// <summary>
/// Turns Keras loss strings into <see cref="Loss"/> objects (Keras's <c>keras.losses.get</c>). This is the only
/// place loss strings are matched.
/// </summary>
/// <remarks>
/// Matching ignores case. Accepted: the Keras function names (<c>binary_crossentropy</c>,
/// <c>categorical_crossentropy</c>, <c>sparse_categorical_crossentropy</c>, <c>mean_squared_error</c>,
/// <c>mean_absolute_error</c>, <c>huber</c>, <c>mean_absolute_percentage_error</c>,
/// <c>mean_squared_logarithmic_error</c>, <c>cosine_similarity</c>, <c>log_cosh</c>, <c>hinge</c>, <c>squared_hinge</c>,
/// <c>categorical_hinge</c>, <c>kl_divergence</c>, <c>poisson</c>, <c>binary_focal_crossentropy</c>,
/// <c>categorical_focal_crossentropy</c>, <c>dice</c>, <c>tversky</c>, <c>ctc</c>), Keras's aliases (<c>bce</c>,
/// <c>mse</c>, <c>mae</c>, <c>mape</c>, <c>msle</c>, <c>kld</c>, the legacy <c>logcosh</c> and
/// <c>kullback_leibler_divergence</c>, and <c>huber_loss</c>, the name of Keras's <c>Huber</c> class) and the class
/// names (<c>BinaryCrossentropy</c>, <c>KLDivergence</c>, ...).
/// A string selects the default configuration (probabilities, not logits); construct the class to pass options.
/// Model files name a loss by its class; <see cref="Register{T}"/> makes your own loss classes loadable.
/// </remarks>
/// <example>
/// <code>
/// Loss loss = LossRegistry.Get("sparse_categorical_crossentropy");   // same as new SparseCategoricalCrossentropy()
/// Loss mse = LossRegistry.Get("MSE");                                // case-insensitive
/// </code>
/// </example>
public static class LossRegistry
{
    private static readonly (string[] Names, Type Type, Func<Loss> Create)[] Known =
    [
        (["binary_crossentropy", "bce"], typeof(BinaryCrossentropy), () => new BinaryCrossentropy()),
        (["categorical_crossentropy"], typeof(CategoricalCrossentropy), () => new CategoricalCrossentropy()),
        (["sparse_categorical_crossentropy"], typeof(SparseCategoricalCrossentropy), () => new SparseCategoricalCrossentropy()),
        (["mean_squared_error", "mse"], typeof(MeanSquaredError), () => new MeanSquaredError()),
        (["mean_absolute_error", "mae"], typeof(MeanAbsoluteError), () => new MeanAbsoluteError()),
        (["huber", "huber_loss"], typeof(Huber), () => new Huber()),
        (["mean_absolute_percentage_error", "mape"], typeof(MeanAbsolutePercentageError), () => new MeanAbsolutePercentageError()),
        (["mean_squared_logarithmic_error", "msle"], typeof(MeanSquaredLogarithmicError), () => new MeanSquaredLogarithmicError()),
        (["cosine_similarity"], typeof(CosineSimilarity), () => new CosineSimilarity()),
        (["log_cosh", "logcosh"], typeof(LogCosh), () => new LogCosh()),
        (["hinge"], typeof(Hinge), () => new Hinge()),
        (["squared_hinge"], typeof(SquaredHinge), () => new SquaredHinge()),
        (["categorical_hinge"], typeof(CategoricalHinge), () => new CategoricalHinge()),
        (["kl_divergence", "kld", "kullback_leibler_divergence"], typeof(KLDivergence), () => new KLDivergence()),
        (["poisson"], typeof(Poisson), () => new Poisson()),
        (["binary_focal_crossentropy"], typeof(BinaryFocalCrossentropy), () => new BinaryFocalCrossentropy()),
        (["categorical_focal_crossentropy"], typeof(CategoricalFocalCrossentropy), () => new CategoricalFocalCrossentropy()),
        (["dice"], typeof(Dice), () => new Dice()),
        (["tversky"], typeof(Tversky), () => new Tversky()),
        (["ctc"], typeof(CTC), () => new CTC()),
    ];

    private static readonly TypeRegistry<Loss> Classes = new("loss", typeof(LossRegistry).FullName!, Known.Select(k => k.Type));

    /// <summary>The accepted loss strings, besides the class names (matching ignores case).</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Known.SelectMany(k => k.Names)];

    /// <summary>Creates the loss a Keras string names.</summary>
    /// <param name="name">For example <c>"sparse_categorical_crossentropy"</c> or <c>"mse"</c>, any case.</param>
    /// <returns>A new loss with Keras's default arguments.</returns>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the accepted names.</exception>
    /// <example>
    /// <code>
    /// var loss = LossRegistry.Get("binary_crossentropy");
    /// </code>
    /// </example>
    public static Loss Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Backend.EnsureNativeLoaded();
        string key = name.Trim().ToLowerInvariant();
        foreach (var (names, type, create) in Known)
            if (names.Contains(key) || key == type.Name.ToLowerInvariant()) return create();
        throw new ArgumentException(
            $"Unknown loss '{name}'. Accepted: {string.Join(", ", Names)} (any case), or the class names " +
            $"{string.Join(", ", Known.Select(k => k.Type.Name))}; or pass a Loss object such as " +
            "new SparseCategoricalCrossentropy(fromLogits: true).", nameof(name));
    }

    /// <summary>
    /// Makes your own loss class loadable from model files (Keras's <c>register_keras_serializable</c> /
    /// <c>custom_objects</c>). Saving needs nothing: a loss is saved as its class name and <see cref="Loss.GetConfig"/>.
    /// </summary>
    /// <typeparam name="T">A non-abstract loss whose largest public constructor's parameters each have a same-named
    /// PascalCase public property (or which overrides <see cref="Loss.GetConfig"/>).</typeparam>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is abstract or has no public constructor.</exception>
    /// <example>
    /// <code>
    /// LossRegistry.Register&lt;MeanFourthPower&gt;();
    /// var model = SequentialModel.Load("model.seqmodel");
    /// </code>
    /// </example>
    public static void Register<T>() where T : Loss => Classes.Register(typeof(T));

    /// <summary>The class names a model file may name: the built-in losses and those registered, sorted.</summary>
    public static IReadOnlyList<string> ClassNames => Classes.ClassNames;

    /// <summary>Creates a loss from its class name and the configuration returned by <see cref="Loss.GetConfig"/>.</summary>
    /// <param name="className">The class name as saved in a model file, e.g. <c>BinaryCrossentropy</c>.</param>
    /// <param name="config">Constructor argument name -> value (CLR values or parsed JSON).</param>
    /// <returns>A new loss.</returns>
    /// <exception cref="InvalidDataException">The class is neither built in nor registered (the message says how to
    /// register it), or the configuration does not fit its constructor.</exception>
    public static Loss FromConfig(string className, IReadOnlyDictionary<string, object?> config) => Classes.Create(className, config);
}
