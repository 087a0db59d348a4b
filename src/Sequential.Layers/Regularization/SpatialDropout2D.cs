using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Dropout of whole feature maps (Keras's <c>SpatialDropout2D</c>): during training each channel of each image is set to
/// 0 with probability <c>rate</c> and the others are scaled by 1/(1 - rate); does nothing in <c>Evaluate</c> and
/// <c>Predict</c>. Regularises convolutional features whose neighbouring pixels are strongly correlated, where plain
/// <see cref="Dropout"/> would not.
/// </summary>
/// <example><code>new Conv2D(64, 3, activation: "relu"), new SpatialDropout2D(0.2)</code></example>
public sealed class SpatialDropout2D : Layer
{
    private readonly bool _channelsFirst;
    private readonly LayerRandom _random;

    /// <summary>Creates a SpatialDropout2D layer.</summary>
    /// <param name="rate">Fraction of channels to drop, in [0, 1] (1 drops everything).</param>
    /// <param name="dataFormat">"channels_last" ([N, H, W, C], the default) or "channels_first" ([N, C, H, W]).</param>
    /// <param name="seed">Seed of the layer's own generator; null draws from TorchSharp's global generator (see <c>RandomSeed.Set</c>).</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default spatial_dropout2d.</param>
    /// <exception cref="ArgumentOutOfRangeException">rate is outside [0, 1].</exception>
    /// <exception cref="ArgumentException">Unknown data format.</exception>
    public SpatialDropout2D(double rate, string dataFormat = "channels_last", int? seed = null, long[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        Rate = Arguments.InRange(rate, 1, nameof(rate), nameof(SpatialDropout2D));
        DataFormat = ConvArithmetic.DataFormat(dataFormat, nameof(SpatialDropout2D));
        Seed = seed;
        _channelsFirst = DataFormat == "channels_first";
        _random = new LayerRandom(seed);
    }

    /// <summary>Fraction of channels dropped during training.</summary>
    public double Rate { get; }

    /// <summary>"channels_last" or "channels_first" (lower case).</summary>
    public string DataFormat { get; }

    /// <summary>The seed given, or null.</summary>
    public int? Seed { get; }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        ConvArithmetic.ImageShape(inputShape, _channelsFirst, this);
        return (long[])inputShape.Clone();
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        if (!training || Rate == 0) return x;
        ConvArithmetic.CheckBatch(x, this);
        if (Rate == 1) return zeros_like(x);
        // One draw per (image, channel), broadcast over its pixels.
        long[] noiseShape = _channelsFirst ? [x.shape[0], x.shape[1], 1, 1] : [x.shape[0], 1, 1, x.shape[3]];
        double keep = 1 - Rate;
        return x * _random.Bernoulli(noiseShape, keep, x).div_(keep);
    }
}
