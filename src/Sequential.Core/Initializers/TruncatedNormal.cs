using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Initializers;

/// <summary>
/// Draws from N(<see cref="Mean"/>, <see cref="Stddev"/>^2) cut at two standard deviations from the mean (Keras's
/// <c>keras.initializers.TruncatedNormal</c>, string <c>"truncated_normal"</c>); the recommended random initializer
/// for weights of neural networks in Keras's documentation.
/// </summary>
/// <example>
/// <code>
/// new Dense(64, kernelInitializer: new TruncatedNormal(stddev: 0.02, seed: 1));
/// </code>
/// </example>
public sealed class TruncatedNormal : RandomInitializer
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="mean">The mean.</param>
    /// <param name="stddev">The standard deviation before truncation, at least 0.</param>
    /// <param name="seed">A seed for the same values on every call, or null for the global generator.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stddev"/> is negative or not finite.</exception>
    public TruncatedNormal(double mean = 0.0, double stddev = 0.05, int? seed = null) : base("truncated_normal", seed)
    {
        Mean = mean;
        Stddev = RandomNormal.CheckStddev(stddev);
    }

    /// <summary>The mean.</summary>
    public double Mean { get; }

    /// <summary>The standard deviation before truncation.</summary>
    public double Stddev { get; }

    /// <inheritdoc/>
    protected override void Fill(Tensor tensor, long fanIn, long fanOut, Generator? generator) =>
        TruncatedNormalFill(tensor, Mean, Stddev, generator);
}
