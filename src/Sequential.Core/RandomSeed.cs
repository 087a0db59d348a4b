using TorchSharp;

namespace Sequential;

/// <summary>
/// Seeds every random choice Sequential makes (Keras's <c>keras.utils.set_random_seed</c>).
/// </summary>
/// <example>
/// <code>
/// RandomSeed.Set(42);   // same weights, same shuffling, same dropout masks on every run (CPU)
/// </code>
/// </example>
public static class RandomSeed
{
    /// <summary>The last seed set, or null when none was.</summary>
    public static int? Current { get; private set; }

    /// <summary>
    /// Seeds TorchSharp's global generator (weight initialisation, shuffling, dropout) and
    /// <see cref="Shared"/> (used by data pipelines).
    /// </summary>
    /// <param name="seed">Any integer.</param>
    public static void Set(int seed)
    {
        Backend.EnsureNativeLoaded();
        torch.manual_seed(seed);
        torch.random.manual_seed(seed);
        Shared = new Random(seed);
        Current = seed;
    }

    /// <summary>A .NET random generator reseeded by <see cref="Set"/>, for host-side randomness.</summary>
    public static Random Shared { get; private set; } = new();
}
