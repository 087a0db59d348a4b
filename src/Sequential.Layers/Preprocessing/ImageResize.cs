using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sequential.Layers;

/// <summary>
/// Image resizing as Keras 3 does it on its torch backend (<c>keras.ops.image.resize</c>), shared by
/// <see cref="Resizing"/>, <see cref="CenterCrop"/> and <see cref="UpSampling2D"/>.
/// </summary>
/// <remarks>
/// "bilinear" and "bicubic" use half-pixel centres (<c>align_corners: false</c>), which is also TensorFlow's
/// <c>tf.image.resize</c>; "nearest" is torch's <c>nearest-exact</c> (half-pixel too), not torch's legacy "nearest",
/// which picks floor(i · scale) and shifts the image. Integer images are resized as float32, rounded and
/// saturated back to their type, as Keras does.
/// </remarks>
internal static class ImageResize
{
    /// <summary>The interpolations Keras's torch backend supports (it refuses lanczos3 and lanczos5).</summary>
    internal static readonly string[] Interpolations = ["bilinear", "nearest", "bicubic"];

    /// <summary>Resizes an NCHW batch to (height, width).</summary>
    internal static Tensor Resize(Tensor nchw, long height, long width, string interpolation, bool antialias = false)
    {
        var dtype = nchw.dtype;
        bool integer = !nchw.is_floating_point();
        var mode = interpolation switch
        {
            "nearest" => InterpolationMode.NearestExact,
            "bicubic" => InterpolationMode.Bicubic,
            _ => InterpolationMode.Bilinear,
        };
        var y = F.interpolate(integer ? nchw.to(ScalarType.Float32) : nchw, [height, width], mode: mode,
            align_corners: interpolation == "nearest" ? null : false, antialias: antialias && interpolation != "nearest");
        if (!integer) return y;
        y = y.round();
        if (SaturationRange(dtype) is var (min, max)) y = y.clamp(min, max);
        return y.to(dtype);
    }

    /// <summary>
    /// The largest centred window of an NCHW batch with the aspect ratio of (height, width) (Keras's
    /// <c>crop_to_aspect_ratio</c> and <c>smart_resize</c> box); a view.
    /// </summary>
    internal static Tensor CropToAspectRatio(Tensor nchw, long height, long width)
    {
        long inHeight = nchw.shape[2], inWidth = nchw.shape[3];
        long cropHeight = Math.Clamp((long)Math.Floor((double)(inWidth * height) / width), 1, inHeight);
        long cropWidth = Math.Clamp((long)Math.Floor((double)(inHeight * width) / height), 1, inWidth);
        return nchw.narrow(2, (inHeight - cropHeight) / 2, cropHeight).narrow(3, (inWidth - cropWidth) / 2, cropWidth);
    }

    /// <summary>
    /// Pads the short side of an NCHW batch evenly with <paramref name="fillValue"/> towards the aspect ratio of
    /// (height, width) (Keras's <c>pad_to_aspect_ratio</c>: the same number of rows or columns on both sides).
    /// </summary>
    internal static Tensor PadToAspectRatio(Tensor nchw, long height, long width, double fillValue)
    {
        long inHeight = nchw.shape[2], inWidth = nchw.shape[3];
        long padHeight = Math.Max(inHeight, (long)Math.Floor((double)(inWidth * height) / width));
        long padWidth = Math.Max(inWidth, (long)Math.Floor((double)(inHeight * width) / height));
        long top = (padHeight - inHeight) / 2, left = (padWidth - inWidth) / 2;
        return top == 0 && left == 0 ? nchw : new Padding2D(top, top, left, left).Apply(nchw, fillValue);
    }

    private static (double Min, double Max)? SaturationRange(ScalarType dtype) => dtype switch
    {
        ScalarType.Byte => (byte.MinValue, byte.MaxValue),
        ScalarType.Int8 => (sbyte.MinValue, sbyte.MaxValue),
        ScalarType.Int16 => (short.MinValue, short.MaxValue),
        ScalarType.Int32 => (int.MinValue, int.MaxValue),
        _ => null,
    };
}
