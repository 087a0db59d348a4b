using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Rotates each image by a random angle during training (Keras's <c>RandomRotation</c>); the identity at inference.
/// The angle is drawn from <c>factor</c> × 2π; positive values rotate counter-clockwise.
/// </summary>
/// <example><code>new RandomRotation(0.1)   // up to ±36 degrees, reflected fill</code></example>
public sealed class RandomRotation : RandomAugmentationLayer
{
    /// <summary>Creates a RandomRotation layer from a (lower, upper) range, in fractions of a full turn.</summary>
    /// <param name="factor">(lower, upper) fractions of 2π, e.g. (-0.2, 0.3).</param>
    /// <param name="fillMode">"reflect" (default), "wrap", "constant" or "nearest": how points outside the image are filled.</param>
    /// <param name="interpolation">"bilinear" (default) or "nearest".</param>
    /// <param name="seed">Seed of the layer's own generator; null uses TorchSharp's global one.</param>
    /// <param name="fillValue">Value outside the image when fillMode is "constant".</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default random_rotation.</param>
    public RandomRotation((double, double) factor, string fillMode = "reflect", string interpolation = "bilinear", int? seed = null,
        double fillValue = 0.0, long[]? inputShape = null, string? name = null)
        : base(seed, inputShape, name)
    {
        Factor = Range(factor, nameof(factor), nameof(RandomRotation));
        FillMode = CheckFillMode(fillMode, nameof(RandomRotation));
        Interpolation = CheckInterpolation(interpolation, nameof(RandomRotation));
        FillValue = fillValue;
    }

    /// <summary>Creates a RandomRotation layer rotating by up to ±<paramref name="factor"/> × 2π.</summary>
    /// <param name="factor">Largest rotation, in fractions of a full turn (non-negative).</param>
    /// <param name="fillMode">"reflect" (default), "wrap", "constant" or "nearest".</param>
    /// <param name="interpolation">"bilinear" (default) or "nearest".</param>
    /// <param name="seed">Seed of the layer's own generator.</param>
    /// <param name="fillValue">Value outside the image when fillMode is "constant".</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name.</param>
    public RandomRotation(double factor, string fillMode = "reflect", string interpolation = "bilinear", int? seed = null,
        double fillValue = 0.0, long[]? inputShape = null, string? name = null)
        : this(Symmetric(factor, nameof(factor), nameof(RandomRotation)), fillMode, interpolation, seed, fillValue, inputShape, name)
    {
    }

    /// <summary>(lower, upper) rotation in fractions of a full turn.</summary>
    public (double, double) Factor { get; }

    /// <summary>How points outside the image are filled.</summary>
    public string FillMode { get; }

    /// <summary>"bilinear" or "nearest".</summary>
    public string Interpolation { get; }

    /// <summary>Fill value for "constant".</summary>
    public double FillValue { get; }

    private protected override Tensor Augment(Tensor x)
    {
        long n = x.shape[0];
        double aspect = (double)x.shape[1] / x.shape[2]; // H / W: normalised coordinates stretch non-square images
        var angle = UniformCpu(n, Factor.Item1 * 2 * Math.PI, Factor.Item2 * 2 * Math.PI);
        var (c, s) = (angle.cos(), angle.sin());
        // Output pixel (x, y) (y down) samples the input at the inverse rotation: [c, -s; s, c] in pixels.
        var theta = stack([c, -s * aspect, zeros_like(c), s / aspect, c, zeros_like(c)], 1).view(n, 2, 3);
        return Affine(x, theta.to(x.device), FillMode, Interpolation, FillValue);
    }
}
