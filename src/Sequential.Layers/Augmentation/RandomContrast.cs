using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Scales each image's contrast by a random factor during training (Keras's <c>RandomContrast</c>); the identity at
/// inference. Per image and channel: <c>(x - mean) * c + mean</c> with c in [1 - lower, 1 + upper], then clipped to
/// <c>valueRange</c> as Keras 3 does.
/// </summary>
/// <example><code>new RandomContrast(0.2, valueRange: (0, 1))   // contrast factor in [0.8, 1.2], pixels in [0, 1]</code></example>
public sealed class RandomContrast : RandomAugmentationLayer
{
    /// <summary>Creates a RandomContrast layer from (lower, upper).</summary>
    /// <param name="factor">(lower, upper): the contrast factor is drawn from [1 - lower, 1 + upper]; lower in [0, 1].</param>
    /// <param name="valueRange">(min, max) of the pixel values; outputs are clipped to it. Default (0, 255).</param>
    /// <param name="seed">Seed of the layer's own generator; null uses TorchSharp's global one.</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default random_contrast.</param>
    public RandomContrast((double, double) factor, (double, double)? valueRange = null, int? seed = null, long[]? inputShape = null,
        string? name = null)
        : base(seed, inputShape, name)
    {
        var (lower, upper) = factor;
        if (!(lower >= 0 && lower <= 1) || !(upper >= 0) || !double.IsFinite(upper))
            throw new ArgumentOutOfRangeException(nameof(factor), factor,
                $"RandomContrast factor must be (lower, upper) with lower in [0, 1] and upper >= 0; got {factor}.");
        Factor = factor;
        ValueRange = valueRange ?? (0, 255);
        if (!(ValueRange.Item1 < ValueRange.Item2))
            throw new ArgumentOutOfRangeException(nameof(valueRange), valueRange, $"RandomContrast valueRange must be (min, max) with min < max; got {valueRange}.");
    }

    /// <summary>Creates a RandomContrast layer with the factor drawn from [1 - factor, 1 + factor].</summary>
    /// <param name="factor">A number in [0, 1].</param>
    /// <param name="valueRange">(min, max) of the pixel values; outputs are clipped to it. Default (0, 255).</param>
    /// <param name="seed">Seed of the layer's own generator.</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name.</param>
    public RandomContrast(double factor, (double, double)? valueRange = null, int? seed = null, long[]? inputShape = null, string? name = null)
        : this((factor, factor), valueRange, seed, inputShape, name)
    {
    }

    /// <summary>(lower, upper): the contrast factor is drawn from [1 - lower, 1 + upper].</summary>
    public (double, double) Factor { get; }

    /// <summary>(min, max) the outputs are clipped to.</summary>
    public (double, double) ValueRange { get; }

    private protected override Tensor Augment(Tensor x)
    {
        if (!x.is_floating_point()) x = x.to(ScalarType.Float32);
        var contrast = Uniform(x.shape[0], 1 - Factor.Item1, 1 + Factor.Item2, x).view(-1, 1, 1, 1);
        var mean = x.mean([1L, 2L], keepdim: true);
        return ((x - mean) * contrast + mean).clamp(ValueRange.Item1, ValueRange.Item2);
    }
}
