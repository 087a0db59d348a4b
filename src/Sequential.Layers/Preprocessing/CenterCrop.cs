using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Crops the centre (height, width) window of each image (Keras's <c>CenterCrop</c> preprocessing layer), in training
/// and inference alike. An image smaller than the window along an axis is instead cropped to the window's aspect
/// ratio and resized (bilinear), as Keras's <c>smart_resize</c> does.
/// </summary>
/// <remarks>
/// The window starts at ((H - height) / 2, (W - width) / 2), rounded down: with an odd margin the extra row or column is
/// left at the bottom or right. Outputs are float32, as Keras casts to its compute dtype.
/// </remarks>
/// <example><code>new CenterCrop(224, 224, inputShape: [256, 256, 3])   // rows and columns 16..239</code></example>
public sealed class CenterCrop : Layer
{
    private readonly bool _channelsFirst;

    /// <summary>Creates a CenterCrop layer.</summary>
    /// <param name="height">Output height (positive).</param>
    /// <param name="width">Output width (positive).</param>
    /// <param name="dataFormat">"channels_last" (default) or "channels_first".</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default center_crop.</param>
    /// <exception cref="ArgumentOutOfRangeException">height or width is not positive.</exception>
    /// <exception cref="ArgumentException">Unknown data format.</exception>
    public CenterCrop(int height, int width, string dataFormat = "channels_last", long[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        Height = ConvArithmetic.Positive(height, nameof(height), nameof(CenterCrop));
        Width = ConvArithmetic.Positive(width, nameof(width), nameof(CenterCrop));
        DataFormat = ConvArithmetic.DataFormat(dataFormat, nameof(CenterCrop));
        _channelsFirst = DataFormat == "channels_first";
    }

    /// <summary>Output height.</summary>
    public int Height { get; }

    /// <summary>Output width.</summary>
    public int Width { get; }

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
        var nchw = ConvArithmetic.ToNchw(x.is_floating_point() ? x : x.to(ScalarType.Float32), _channelsFirst);
        long height = nchw.shape[2], width = nchw.shape[3];
        var cropped = height >= Height && width >= Width
            ? nchw.narrow(2, (height - Height) / 2, Height).narrow(3, (width - Width) / 2, Width)
            : ImageResize.Resize(ImageResize.CropToAspectRatio(nchw, Height, Width), Height, Width, "bilinear");
        return ConvArithmetic.FromNchw(cropped, _channelsFirst);
    }
}
