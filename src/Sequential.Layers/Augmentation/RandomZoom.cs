using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Zooms each image in or out by a random amount during training (Keras's <c>RandomZoom</c>); the identity at
/// inference. Factors are fractions of the size: positive zooms out, negative zooms in (Keras 3).
/// </summary>
/// <example><code>new RandomZoom(0.2)   // zoom by a random amount in [-20%, +20%], same for height and width</code></example>
public sealed class RandomZoom : RandomAugmentationLayer
{
    /// <summary>Creates a RandomZoom layer from (lower, upper) ranges.</summary>
    /// <param name="heightFactor">(lower, upper) vertical zoom, each above -1, e.g. (-0.3, -0.2) zooms in by 20-30%.</param>
    /// <param name="widthFactor">(lower, upper) horizontal zoom; null zooms the width by the height's amount (keeps the aspect ratio).</param>
    /// <param name="fillMode">"reflect" (default), "wrap", "constant" or "nearest".</param>
    /// <param name="interpolation">"bilinear" (default) or "nearest".</param>
    /// <param name="seed">Seed of the layer's own generator; null uses TorchSharp's global one.</param>
    /// <param name="fillValue">Value outside the image when fillMode is "constant".</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default random_zoom.</param>
    public RandomZoom((double, double) heightFactor, (double, double)? widthFactor = null, string fillMode = "reflect",
        string interpolation = "bilinear", int? seed = null, double fillValue = 0.0, long[]? inputShape = null, string? name = null)
        : base(seed, inputShape, name)
    {
        HeightFactor = Range(heightFactor, nameof(heightFactor), nameof(RandomZoom), min: -1 + 1e-6);
        WidthFactor = widthFactor is { } w ? Range(w, nameof(widthFactor), nameof(RandomZoom), min: -1 + 1e-6) : null;
        FillMode = CheckFillMode(fillMode, nameof(RandomZoom));
        Interpolation = CheckInterpolation(interpolation, nameof(RandomZoom));
        FillValue = fillValue;
    }

    /// <summary>Creates a RandomZoom layer zooming by up to ±<paramref name="heightFactor"/> (and ±<paramref name="widthFactor"/>).</summary>
    /// <param name="heightFactor">Largest vertical zoom, a fraction in [0, 1).</param>
    /// <param name="widthFactor">Largest horizontal zoom; null follows the height.</param>
    /// <param name="fillMode">"reflect" (default), "wrap", "constant" or "nearest".</param>
    /// <param name="interpolation">"bilinear" (default) or "nearest".</param>
    /// <param name="seed">Seed of the layer's own generator.</param>
    /// <param name="fillValue">Value outside the image when fillMode is "constant".</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name.</param>
    public RandomZoom(double heightFactor, double? widthFactor = null, string fillMode = "reflect", string interpolation = "bilinear",
        int? seed = null, double fillValue = 0.0, long[]? inputShape = null, string? name = null)
        : this(Symmetric(heightFactor, nameof(heightFactor), nameof(RandomZoom)),
            widthFactor is double w ? Symmetric(w, nameof(widthFactor), nameof(RandomZoom)) : null,
            fillMode, interpolation, seed, fillValue, inputShape, name)
    {
    }

    /// <summary>(lower, upper) vertical zoom.</summary>
    public (double, double) HeightFactor { get; }

    /// <summary>(lower, upper) horizontal zoom, or null to follow the height.</summary>
    public (double, double)? WidthFactor { get; }

    /// <summary>How points outside the image are filled.</summary>
    public string FillMode { get; }

    /// <summary>"bilinear" or "nearest".</summary>
    public string Interpolation { get; }

    /// <summary>Fill value for "constant".</summary>
    public double FillValue { get; }

    private protected override Tensor Augment(Tensor x)
    {
        long n = x.shape[0];
        // Output coordinates times 1 + factor give input coordinates: above 1 samples a wider area (zoom out).
        var zoomY = UniformCpu(n, 1 + HeightFactor.Item1, 1 + HeightFactor.Item2);
        var zoomX = WidthFactor is { } w ? UniformCpu(n, 1 + w.Item1, 1 + w.Item2) : zoomY;
        var zero = zeros_like(zoomY);
        var theta = stack([zoomX, zero, zero, zero, zoomY, zero], 1).view(n, 2, 3);
        return Affine(x, theta.to(x.device), FillMode, Interpolation, FillValue);
    }
}
