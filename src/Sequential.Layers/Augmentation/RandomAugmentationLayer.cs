using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sequential.Layers;

/// <summary>
/// What the random image augmentation layers share (Keras 3's <c>BaseImagePreprocessingLayer</c>): active only in
/// training (<c>Fit</c>), the identity in <c>Evaluate</c> and <c>Predict</c>; channels_last images
/// <c>[N, H, W, C]</c> keep their shape; random numbers come from TorchSharp's generator (seeded by
/// <c>RandomSeed.Set</c>) or, when <c>seed</c> is given, from the layer's own generator.
/// </summary>
public abstract class RandomAugmentationLayer : Layer
{
    private static readonly string[] FillModes = ["reflect", "wrap", "constant", "nearest"];
    private static readonly string[] Interpolations = ["bilinear", "nearest"];
    private readonly Generator? _generator;

    /// <summary>Creates an augmentation layer.</summary>
    /// <param name="seed">Seed of the layer's own generator; null draws from TorchSharp's global generator.</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name.</param>
    private protected RandomAugmentationLayer(int? seed, long[]? inputShape, string? name) : base(name, inputShape)
    {
        Seed = seed;
        if (seed is int s) _generator = new Generator((ulong)(uint)s);
    }

    /// <summary>The seed given, or null.</summary>
    public int? Seed { get; }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        ConvArithmetic.ImageShape(inputShape, channelsFirst: false, this);
        return (long[])inputShape.Clone();
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        if (!training) return x;
        ConvArithmetic.CheckBatch(x, this);
        return Augment(x);
    }

    /// <summary>The random transformation of a channels_last batch, applied in training only.</summary>
    private protected abstract Tensor Augment(Tensor x);

    /// <summary>
    /// <paramref name="count"/> uniform draws in [low, high), made on the CPU (so one generator serves every device)
    /// and moved next to <paramref name="like"/>.
    /// </summary>
    private protected Tensor Uniform(long count, double low, double high, Tensor like) =>
        UniformCpu(count, low, high).to(like.is_floating_point() ? like.dtype : ScalarType.Float32).to(like.device);

    /// <summary><paramref name="count"/> uniform float32 draws in [low, high), on the CPU.</summary>
    private protected Tensor UniformCpu(long count, double low, double high)
    {
        var u = rand([count], ScalarType.Float32, generator: _generator);
        return low != 0 || high != 1 ? u * (high - low) + low : u;
    }

    /// <summary>Keras's factor shorthand: a single number f means the range (-f, f).</summary>
    private protected static (double, double) Symmetric(double factor, string argument, string layerType)
    {
        if (!double.IsFinite(factor) || factor < 0)
            throw new ArgumentOutOfRangeException(argument, factor, $"{layerType} {argument} must be a non-negative number; got {factor}.");
        return (-factor, factor);
    }

    /// <summary>Checks a (lower, upper) factor range.</summary>
    private protected static (double, double) Range((double, double) factor, string argument, string layerType, double min = double.NegativeInfinity)
    {
        var (lower, upper) = factor;
        if (!double.IsFinite(lower) || !double.IsFinite(upper) || lower > upper || lower < min)
            throw new ArgumentOutOfRangeException(argument, factor,
                $"{layerType} {argument} must be (lower, upper) with lower <= upper{(double.IsFinite(min) ? $" and lower >= {min}" : "")}; got {factor}.");
        return factor;
    }

    /// <summary>Normalises a fill mode: "reflect", "wrap", "constant" or "nearest".</summary>
    private protected static string CheckFillMode(string fillMode, string layerType) => OneOf(fillMode, FillModes, "fillMode", layerType);

    /// <summary>Normalises an interpolation: "bilinear" or "nearest".</summary>
    private protected static string CheckInterpolation(string interpolation, string layerType) =>
        OneOf(interpolation, Interpolations, "interpolation", layerType);

    /// <summary>
    /// Samples a channels_last batch through per-image affine maps <paramref name="theta"/> [N, 2, 3], which take
    /// output coordinates to input coordinates in torch's normalised [-1, 1] space (align_corners false).
    /// </summary>
    private protected static Tensor Affine(Tensor x, Tensor theta, string fillMode, string interpolation, double fillValue)
    {
        var nchw = ConvArithmetic.ToNchw(x.is_floating_point() ? x : x.to(ScalarType.Float32), channelsFirst: false);
        var grid = F.affine_grid(theta.to(nchw.dtype), [nchw.shape[0], nchw.shape[1], nchw.shape[2], nchw.shape[3]], align_corners: false);
        if (fillMode == "wrap") grid = (grid + 1).remainder(2) - 1;
        var mode = interpolation == "nearest" ? GridSampleMode.Nearest : GridSampleMode.Bilinear;
        var padding = fillMode switch
        {
            "reflect" => GridSamplePaddingMode.Reflection,
            "constant" => GridSamplePaddingMode.Zeros,
            _ => GridSamplePaddingMode.Border,
        };
        // Zeros padding fills with 0; shifting by fillValue before and after fills with fillValue instead.
        bool shift = fillMode == "constant" && fillValue != 0;
        var y = F.grid_sample(shift ? nchw - fillValue : nchw, grid, mode, padding, align_corners: false);
        if (shift) y = y + fillValue;
        return ConvArithmetic.FromNchw(y, channelsFirst: false);
    }

    private static string OneOf(string value, string[] accepted, string argument, string layerType)
    {
        var normalised = value?.Trim().ToLowerInvariant();
        if (normalised is not null && accepted.Contains(normalised)) return normalised;
        throw new ArgumentException(
            $"{layerType} {argument} must be one of {string.Join(", ", accepted.Select(a => $"\"{a}\""))}; got {(value is null ? "null" : $"\"{value}\"")}.",
            argument);
    }
}
