using Sequential.Persistence;

namespace Sequential.Initializers;

/// <summary>
/// Turns Keras initializer strings into <see cref="Initializer"/> objects (Keras's <c>keras.initializers.get</c>). This
/// is the only place initializer strings are matched. Random initializers created by name have no seed: they draw from
/// TorchSharp's global generator, which <c>RandomSeed.Set</c> seeds.
/// </summary>
/// <remarks>
/// Matching ignores case. Accepted: the snake_case names (<c>zeros</c>, <c>ones</c>, <c>constant</c>,
/// <c>identity</c>, <c>glorot_uniform</c>, <c>glorot_normal</c>, <c>he_uniform</c>, <c>he_normal</c>,
/// <c>lecun_uniform</c>, <c>lecun_normal</c>, <c>orthogonal</c>, <c>random_normal</c>, <c>random_uniform</c>,
/// <c>truncated_normal</c>, <c>variance_scaling</c>), Keras's aliases (<c>zero</c>, <c>one</c>, <c>normal</c>,
/// <c>uniform</c>, <c>IdentityInitializer</c>, <c>OrthogonalInitializer</c>) and the class names
/// (<c>GlorotUniform</c>, ...). A string selects Keras's default arguments; construct the class to pass others.
/// </remarks>
/// <example>
/// <code>
/// new Dense(64, kernelInitializer: "he_normal", biasInitializer: "zeros");
/// Initializer init = InitializerRegistry.Get("GlorotUniform");
/// </code>
/// </example>
public static class InitializerRegistry
{
    private static readonly (string[] Names, Type Type, Func<Initializer> Create)[] Known =
    [
        (["zeros", "zero"], typeof(Zeros), () => new Zeros()),
        (["ones", "one"], typeof(Ones), () => new Ones()),
        (["constant"], typeof(Constant), () => new Constant()),
        (["identity", "identityinitializer"], typeof(Identity), () => new Identity()),
        (["glorot_uniform"], typeof(GlorotUniform), () => new GlorotUniform()),
        (["glorot_normal"], typeof(GlorotNormal), () => new GlorotNormal()),
        (["he_uniform"], typeof(HeUniform), () => new HeUniform()),
        (["he_normal"], typeof(HeNormal), () => new HeNormal()),
        (["lecun_uniform"], typeof(LecunUniform), () => new LecunUniform()),
        (["lecun_normal"], typeof(LecunNormal), () => new LecunNormal()),
        (["orthogonal", "orthogonalinitializer"], typeof(Orthogonal), () => new Orthogonal()),
        // Keras's aliases "normal" and "uniform": RandomNormal(stddev 0.05), RandomUniform(-0.05, 0.05).
        (["random_normal", "normal"], typeof(RandomNormal), () => new RandomNormal()),
        (["random_uniform", "uniform"], typeof(RandomUniform), () => new RandomUniform()),
        (["truncated_normal"], typeof(TruncatedNormal), () => new TruncatedNormal()),
        (["variance_scaling"], typeof(VarianceScaling), () => new VarianceScaling()),
    ];

    private static readonly TypeRegistry<Initializer> Classes =
        new("initializer", typeof(InitializerRegistry).FullName!, Known.Select(k => k.Type));

    /// <summary>The accepted names besides the class names, sorted (matching ignores case).</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Known.SelectMany(k => k.Names).Order(StringComparer.Ordinal)];

    /// <summary>Creates the initializer a Keras string names, with Keras's default arguments.</summary>
    /// <param name="name">For example <c>"glorot_uniform"</c> or <c>"HeNormal"</c>, any case.</param>
    /// <returns>A new initializer.</returns>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the accepted names.</exception>
    public static Initializer Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = name.Trim().ToLowerInvariant();
        foreach (var (names, type, create) in Known)
            if (names.Contains(key) || key == type.Name.ToLowerInvariant()) return create();
        throw new ArgumentException(
            $"Unknown initializer '{name}'. Accepted: {string.Join(", ", Names)} (any case), or the class names " +
            $"{string.Join(", ", Known.Select(k => k.Type.Name))}; or pass an Initializer object such as new HeNormal(seed: 1).",
            nameof(name));
    }

    /// <summary>
    /// Makes your own initializer class loadable from model files (Keras's <c>register_keras_serializable</c>). Saving
    /// needs nothing: an initializer is saved as its class name and <see cref="Initializer.GetConfig"/>.
    /// </summary>
    /// <typeparam name="T">A non-abstract initializer whose largest public constructor's parameters each have a
    /// same-named PascalCase public property (or which overrides <see cref="Initializer.GetConfig"/>).</typeparam>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is abstract or has no public constructor.</exception>
    public static void Register<T>() where T : Initializer => Classes.Register(typeof(T));

    /// <summary>The class names a model file may name: the built-in initializers and those registered, sorted.</summary>
    public static IReadOnlyList<string> ClassNames => Classes.ClassNames;

    /// <summary>Creates an initializer from its class name and the configuration returned by <see cref="Initializer.GetConfig"/>.</summary>
    /// <param name="className">The class name, e.g. <c>HeNormal</c>.</param>
    /// <param name="config">Constructor argument name -> value (CLR values or parsed JSON).</param>
    /// <returns>A new initializer.</returns>
    /// <exception cref="InvalidDataException">The class is neither built in nor registered, or the configuration does
    /// not fit its constructor.</exception>
    public static Initializer FromConfig(string className, IReadOnlyDictionary<string, object?> config) => Classes.Create(className, config);

    /// <summary>Whether <paramref name="initializer"/>'s class is built in or registered (so a file can name it).</summary>
    internal static bool Knows(Initializer initializer) => Classes.Knows(initializer.GetType());

    /// <summary>
    /// Whether <paramref name="initializer"/> is exactly what its <see cref="Initializer.Name"/> creates, so a model file
    /// can store the name alone (as files written before initializer objects did).
    /// </summary>
    internal static bool IsDefaultOfItsName(Initializer initializer)
    {
        var key = initializer.Name.ToLowerInvariant();
        var known = Known.FirstOrDefault(k => k.Names.Contains(key));
        if (known.Type != initializer.GetType()) return false;
        var defaults = known.Create().GetConfig();
        var config = initializer.GetConfig();
        return defaults.Count == config.Count && defaults.All(kv => config.TryGetValue(kv.Key, out var v) && Equals(kv.Value, v));
    }
}
