using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Adds zero-centred Gaussian noise with standard deviation <c>stddev</c> during training (Keras's <c>GaussianNoise</c>);
/// does nothing in <c>Evaluate</c> and <c>Predict</c>.
/// </summary>
/// <example><code>new GaussianNoise(0.1, inputShape: [784])</code></example>
public sealed class GaussianNoise : Layer
{
    /// <summary>True: the input's mask passes on to the output (Keras's <c>supports_masking</c>).</summary>
    public override bool SupportsMasking => true;

    private readonly LayerRandom _random;

    /// <summary>Creates a GaussianNoise layer.</summary>
    /// <param name="stddev">Standard deviation of the noise, between 0 and 1 (Keras's limits).</param>
    /// <param name="seed">Seed of the layer's own generator; null draws from TorchSharp's global generator (see <c>RandomSeed.Set</c>).</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default gaussian_noise.</param>
    /// <exception cref="ArgumentOutOfRangeException">stddev is outside [0, 1].</exception>
    public GaussianNoise(double stddev, int? seed = null, long[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        Stddev = Arguments.InRange(stddev, 1, nameof(stddev), nameof(GaussianNoise));
        Seed = seed;
        _random = new LayerRandom(seed);
    }

    /// <summary>Standard deviation of the noise.</summary>
    public double Stddev { get; }

    /// <summary>The seed given, or null.</summary>
    public int? Seed { get; }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) => (long[])inputShape.Clone();

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        if (!training || Stddev == 0) return x;
        if (!x.is_floating_point()) x = x.to(ScalarType.Float32);
        return x + _random.Normal(Stddev, x);
    }
}
