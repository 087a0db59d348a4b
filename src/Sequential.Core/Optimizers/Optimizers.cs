namespace Sequential.Optimizers;

/// <summary>
/// The registry of Keras optimizer names. It is the only place optimizer strings are matched.
/// </summary>
/// <example>
/// <code>
/// model.Compile(optimizer: "adam", ...);              // Optimizers.Get("adam") == new Adam()
/// model.Compile(optimizer: new Adam(learningRate: 1e-4), ...);
/// </code>
/// </example>
public static class Optimizers
{
    private static readonly Dictionary<string, Func<Optimizer>> Registry = new()
    {
        ["sgd"] = () => new SGD(),
        ["adam"] = () => new Adam(),
        ["adamw"] = () => new AdamW(),
        ["rmsprop"] = () => new RMSprop(),
        ["adagrad"] = () => new Adagrad(),
    };

    /// <summary>The accepted names, sorted.</summary>
    public static IReadOnlyList<string> Names { get; } = Registry.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Returns a new optimizer with Keras's defaults for a Keras name (case-insensitive).</summary>
    /// <param name="name">sgd, adam, adamw, rmsprop or adagrad.</param>
    /// <returns>A new optimizer.</returns>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the accepted names.</exception>
    public static Optimizer Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Registry.TryGetValue(name.Trim().ToLowerInvariant(), out var make)) return make();
        throw new ArgumentException($"Unknown optimizer '{name}'. Accepted: {string.Join(", ", Names)}.", nameof(name));
    }
}
