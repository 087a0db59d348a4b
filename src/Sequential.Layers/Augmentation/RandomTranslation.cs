using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Shifts each image by a random fraction of its height and width during training (Keras's <c>RandomTranslation</c>);
/// the identity at inference. Positive factors shift down and right.
/// </summary>
/// <example><code>new RandomTranslation(0.1, 0.1)   // shift by up to ±10% of the height and of the width</code></example>
public sealed class RandomTranslation : RandomAugmentationLayer
{
    /// <summary>Creates a RandomTranslation layer from (lower, upper) ranges, in fractions of the size.</summary>
    /// <param name="heightFactor">(lower, upper) vertical shift, fractions of the height.</param>
    /// <param name="widthFactor">(lower, upper) horizontal shift, fractions of the width.</param>
    /// <param name="fillMode">"reflect" (default), "wrap", "constant" or "nearest".</param>
    /// <param name="interpolation">"bilinear" (default) or "nearest".</param>
    /// <param name="seed">Seed of the layer's own generator; null uses TorchSharp's global one.</param>
    /// <param name="fillValue">Value outside the image when fillMode is "constant".</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default random_translation.</param>
    public RandomTranslation((double, double) heightFactor, (double, double) widthFactor, string fillMode = "reflect",
        string interpolation = "bilinear", int? seed = null, double fillValue = 0.0, long[]? inputShape = null, string? name = null)
        : base(seed, inputShape, name)
    {
        HeightFactor = Range(heightFactor, nameof(heightFactor), nameof(RandomTranslation));
        WidthFactor = Range(widthFactor, nameof(widthFactor), nameof(RandomTranslation));
        FillMode = CheckFillMode(fillMode, nameof(RandomTranslation));
        Interpolation = CheckInterpolation(interpolation, nameof(RandomTranslation));
        FillValue = fillValue;
    }

    /// <summary>Creates a RandomTranslation layer shifting by up to ±<paramref name="heightFactor"/> and ±<paramref name="widthFactor"/>.</summary>
    /// <param name="heightFactor">Largest vertical shift, a fraction of the height.</param>
    /// <param name="widthFactor">Largest horizontal shift, a fraction of the width.</param>
    /// <param name="fillMode">"reflect" (default), "wrap", "constant" or "nearest".</param>
    /// <param name="interpolation">"bilinear" (default) or "nearest".</param>
    /// <param name="seed">Seed of the layer's own generator.</param>
    /// <param name="fillValue">Value outside the image when fillMode is "constant".</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name.</param>
    public RandomTranslation(double heightFactor, double widthFactor, string fillMode = "reflect", string interpolation = "bilinear",
        int? seed = null, double fillValue = 0.0, long[]? inputShape = null, string? name = null)
        : this(Symmetric(heightFactor, nameof(heightFactor), nameof(RandomTranslation)),
            Symmetric(widthFactor, nameof(widthFactor), nameof(RandomTranslation)), fillMode, interpolation, seed, fillValue, inputShape, name)
    {
    }

    /// <summary>(lower, upper) vertical shift, fractions of the height.</summary>
    public (double, double) HeightFactor { get; }

    /// <summary>(lower, upper) horizontal shift, fractions of the width.</summary>
    public (double, double) WidthFactor { get; }

    /// <summary>How points outside the image are filled.</summary>
    public string FillMode { get; }

    /// <summary>"bilinear" or "nearest".</summary>
    public string Interpolation { get; }

    /// <summary>Fill value for "constant".</summary>
    public double FillValue { get; }

    private protected override Tensor Augment(Tensor x)
    {
        long n = x.shape[0];
        // A shift by a fraction f of the size is 2f in torch's [-1, 1] coordinates; output(p) = input(p - shift).
        var dy = UniformCpu(n, HeightFactor.Item1, HeightFactor.Item2) * -2;
        var dx = UniformCpu(n, WidthFactor.Item1, WidthFactor.Item2) * -2;
        var (one, zero) = (ones_like(dy), zeros_like(dy));
        var theta = stack([one, zero, dx, zero, one, dy], 1).view(n, 2, 3);
        return Affine(x, theta.to(x.device), FillMode, Interpolation, FillValue);
    }
}
