using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Initializers;

/// <summary>
/// Draws uniformly from [<see cref="Minval"/>, <see cref="Maxval"/>) (Keras's <c>keras.initializers.RandomUniform</c>,
/// strings <c>"random_uniform"</c> and <c>"uniform"</c>).
/// </summary>
/// <example>
/// <code>
/// new Embedding(1000, 64, embeddingsInitializer: new RandomUniform(minval: -0.1, maxval: 0.1, seed: 1));
/// </code>
/// </example>
public sealed class RandomUniform : RandomInitializer
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="minval">The lower bound (included).</param>
    /// <param name="maxval">The upper bound (excluded); at least <paramref name="minval"/>.</param>
    /// <param name="seed">A seed for the same values on every call, or null for the global generator.</param>
    /// <exception cref="ArgumentException"><paramref name="maxval"/> is below <paramref name="minval"/>, or a bound is not finite.</exception>
    public RandomUniform(double minval = -0.05, double maxval = 0.05, int? seed = null) : base("random_uniform", seed)
    {
        if (!double.IsFinite(minval) || !double.IsFinite(maxval) || maxval < minval)
            throw new ArgumentException(
                $"RandomUniform needs finite bounds with minval <= maxval; got minval {minval}, maxval {maxval}.", nameof(maxval));
        Minval = minval;
        Maxval = maxval;
    }

    /// <summary>The lower bound.</summary>
    public double Minval { get; }

    /// <summary>The upper bound.</summary>
    public double Maxval { get; }

    /// <inheritdoc/>
    protected override void Fill(Tensor tensor, long fanIn, long fanOut, Generator? generator) => tensor.uniform_(Minval, Maxval, generator);
}
