namespace Sequential.Losses;

/// <summary>
/// Turns Keras loss strings into <see cref="Loss"/> objects (Keras's <c>keras.losses.get</c>). This is the only
/// place loss strings are matched.
/// </summary>
/// <remarks>
/// Matching ignores case. Accepted: the Keras function names (<c>binary_crossentropy</c>,
/// <c>categorical_crossentropy</c>, <c>sparse_categorical_crossentropy</c>, <c>mean_squared_error</c>,
/// <c>mean_absolute_error</c>, <c>huber</c>), Keras's aliases (<c>bce</c>, <c>mse</c>, <c>mae</c>, and
/// <c>huber_loss</c>, the name of Keras's <c>Huber</c> class) and the class names (<c>BinaryCrossentropy</c>, ...).
/// A string selects the default configuration (probabilities, not logits); construct the class to pass options.
/// </remarks>
/// <example>
/// <code>
/// Loss loss = Losses.Get("sparse_categorical_crossentropy");   // same as new SparseCategoricalCrossentropy()
/// Loss mse = Losses.Get("MSE");                                // case-insensitive
/// </code>
/// </example>
public static class Losses
{
    private static readonly (string[] Names, string ClassName, Func<Loss> Create)[] Known =
    [
        (["binary_crossentropy", "bce"], nameof(BinaryCrossentropy), () => new BinaryCrossentropy()),
        (["categorical_crossentropy"], nameof(CategoricalCrossentropy), () => new CategoricalCrossentropy()),
        (["sparse_categorical_crossentropy"], nameof(SparseCategoricalCrossentropy), () => new SparseCategoricalCrossentropy()),
        (["mean_squared_error", "mse"], nameof(MeanSquaredError), () => new MeanSquaredError()),
        (["mean_absolute_error", "mae"], nameof(MeanAbsoluteError), () => new MeanAbsoluteError()),
        (["huber", "huber_loss"], nameof(Huber), () => new Huber()),
    ];

    /// <summary>The accepted loss strings, besides the class names (matching ignores case).</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Known.SelectMany(k => k.Names)];

    /// <summary>Creates the loss a Keras string names.</summary>
    /// <param name="name">For example <c>"sparse_categorical_crossentropy"</c> or <c>"mse"</c>, any case.</param>
    /// <returns>A new loss with Keras's default arguments.</returns>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the accepted names.</exception>
    /// <example>
    /// <code>
    /// var loss = Losses.Get("binary_crossentropy");
    /// </code>
    /// </example>
    public static Loss Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Backend.EnsureNativeLoaded();
        string key = name.Trim().ToLowerInvariant();
        foreach (var (names, className, create) in Known)
            if (names.Contains(key) || key == className.ToLowerInvariant()) return create();
        throw new ArgumentException(
            $"Unknown loss '{name}'. Accepted: {string.Join(", ", Names)} (any case), or the class names " +
            $"{string.Join(", ", Known.Select(k => k.ClassName))}; or pass a Loss object such as " +
            "new SparseCategoricalCrossentropy(fromLogits: true).", nameof(name));
    }
}
