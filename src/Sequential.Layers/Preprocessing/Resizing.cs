using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Resizes each image to (height, width) (Keras's <c>Resizing</c> preprocessing layer), in training and inference alike.
/// </summary>
/// <remarks>
/// Interpolation follows Keras 3 on its torch backend (half-pixel centres, as <c>tf.image.resize</c>); see
/// <c>cropToAspectRatio</c> and <c>padToAspectRatio</c> to keep the aspect ratio. Integer images (e.g. uint8) keep their
/// type: the result is rounded and saturated, as in Keras. Keras's lanczos3/lanczos5 are not available (Keras's torch
/// backend refuses them too).
/// </remarks>
/// <example><code>new Resizing(180, 180, inputShape: [256, 320, 3])                 // stretch
/// new Resizing(180, 180, cropToAspectRatio: true)                      // largest centred square, then resize</code></example>
public sealed class Resizing : Layer
{
    private static readonly string[] FillModes = ["constant"];
    private readonly bool _channelsFirst;

    /// <summary>Creates a Resizing layer.</summary>
    /// <param name="height">Output height (positive).</param>
    /// <param name="width">Output width (positive).</param>
    /// <param name="interpolation">"bilinear" (default), "nearest" or "bicubic", case-insensitive.</param>
    /// <param name="cropToAspectRatio">Resize the largest centred window with the target's aspect ratio instead of stretching.</param>
    /// <param name="padToAspectRatio">Pad the short side evenly with <paramref name="fillValue"/> to the target's aspect ratio instead of stretching.</param>
    /// <param name="fillMode">How padding is filled; only "constant" (Keras supports no other).</param>
    /// <param name="fillValue">Value of the padding when <paramref name="padToAspectRatio"/> is set.</param>
    /// <param name="antialias">Low-pass filter when downsampling (bilinear and bicubic only); default false, as in Keras.</param>
    /// <param name="dataFormat">"channels_last" (default) or "channels_first".</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default resizing.</param>
    /// <exception cref="ArgumentOutOfRangeException">height or width is not positive, or fillValue is not finite.</exception>
    /// <exception cref="ArgumentException">Unknown interpolation, fill mode or data format, or both aspect-ratio options set.</exception>
    public Resizing(int height, int width, string interpolation = "bilinear", bool cropToAspectRatio = false, bool padToAspectRatio = false,
        string fillMode = "constant", double fillValue = 0.0, bool antialias = false, string dataFormat = "channels_last",
        long[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        const string type = nameof(Resizing);
        Height = ConvArithmetic.Positive(height, nameof(height), type);
        Width = ConvArithmetic.Positive(width, nameof(width), type);
        Interpolation = Arguments.OneOf(interpolation, ImageResize.Interpolations, nameof(interpolation), type);
        if (cropToAspectRatio && padToAspectRatio)
            throw new ArgumentException(
                "Resizing: only one of cropToAspectRatio and padToAspectRatio can be true; got both.", nameof(padToAspectRatio));
        CropToAspectRatio = cropToAspectRatio;
        PadToAspectRatio = padToAspectRatio;
        FillMode = Arguments.OneOf(fillMode, FillModes, nameof(fillMode), type);
        FillValue = Arguments.Finite(fillValue, nameof(fillValue), type);
        Antialias = antialias;
        DataFormat = ConvArithmetic.DataFormat(dataFormat, type);
        _channelsFirst = DataFormat == "channels_first";
    }

    /// <summary>Output height.</summary>
    public int Height { get; }

    /// <summary>Output width.</summary>
    public int Width { get; }

    /// <summary>"bilinear", "nearest" or "bicubic".</summary>
    public string Interpolation { get; }

    /// <summary>Whether the largest centred window with the target's aspect ratio is resized.</summary>
    public bool CropToAspectRatio { get; }

    /// <summary>Whether the short side is padded to the target's aspect ratio.</summary>
    public bool PadToAspectRatio { get; }

    /// <summary>"constant".</summary>
    public string FillMode { get; }

    /// <summary>Value of the padding.</summary>
    public double FillValue { get; }

    /// <summary>Whether downsampling is antialiased.</summary>
    public bool Antialias { get; }

    /// <summary>"channels_last" or "channels_first" (lower case).</summary>
    public string DataFormat { get; }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        var (_, _, channels) = ConvArithmetic.ImageShape(inputShape, _channelsFirst, this);
        return ConvArithmetic.Image(Height, Width, channels, _channelsFirst);
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        ConvArithmetic.CheckBatch(x, this);
        var nchw = ConvArithmetic.ToNchw(x, _channelsFirst);
        if (CropToAspectRatio) nchw = ImageResize.CropToAspectRatio(nchw, Height, Width);
        else if (PadToAspectRatio) nchw = ImageResize.PadToAspectRatio(nchw, Height, Width, FillValue);
        return ConvArithmetic.FromNchw(ImageResize.Resize(nchw, Height, Width, Interpolation, Antialias), _channelsFirst);
    }
}
