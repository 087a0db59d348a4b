using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Initializers;

/// <summary>
/// Draws from N(<see cref="Mean"/>, <see cref="Stddev"/>^2) (Keras's <c>keras.initializers.RandomNormal</c>, strings
/// <c>"random_normal"</c> and <c>"normal"</c>).
/// </summary>
/// <example>
/// <code>
/// new Dense(64, kernelInitializer: new RandomNormal(mean: 0, stddev: 0.02, seed: 1));
/// </code>
/// </example>
public sealed class RandomNormal : RandomInitializer
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="mean">The mean.</param>
    /// <param name="stddev">The standard deviation, at least 0.</param>
    /// <param name="seed">A seed for the same values on every call, or null for the global generator.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stddev"/> is negative or not finite.</exception>
    public RandomNormal(double mean = 0.0, double stddev = 0.05, int? seed = null) : base("random_normal", seed)
    {
        Mean = mean;
        Stddev = CheckStddev(stddev);
    }

    /// <summary>The mean.</summary>
    public double Mean { get; }

    /// <summary>The standard deviation.</summary>
    public double Stddev { get; }

    /// <inheritdoc/>
    protected override void Fill(Tensor tensor, long fanIn, long fanOut, Generator? generator) => tensor.normal_(Mean, Stddev, generator);

    internal static double CheckStddev(double stddev) =>
        stddev >= 0 && double.IsFinite(stddev)
            ? stddev
            : throw new ArgumentOutOfRangeException(nameof(stddev), stddev, "stddev must be a finite number >= 0 (Keras's default is 0.05).");
}
