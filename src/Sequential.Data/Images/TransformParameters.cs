namespace Sequential.Data;

/// <summary>
/// One image's random augmentation, as Keras's <c>get_random_transform</c> returns it.
/// </summary>
/// <param name="Theta">Rotation, degrees.</param>
/// <param name="Tx">Shift along the first (row) matrix coordinate, pixels (Keras draws it from <c>height_shift_range</c>).</param>
/// <param name="Ty">Shift along the second matrix coordinate, pixels (Keras draws it from <c>width_shift_range</c>).</param>
/// <param name="Shear">Shear angle, degrees.</param>
/// <param name="Zx">Zoom of the first coordinate (1 = none; &gt;1 zooms out).</param>
/// <param name="Zy">Zoom of the second coordinate.</param>
/// <param name="FlipHorizontal">Mirror left-right.</param>
/// <param name="FlipVertical">Mirror top-bottom.</param>
/// <param name="ChannelShift">Value added to every channel (clipped to the image's range), or null.</param>
/// <param name="Brightness">Brightness factor (PIL's <c>ImageEnhance.Brightness</c>), or null.</param>
internal sealed record TransformParameters(
    double Theta = 0, double Tx = 0, double Ty = 0, double Shear = 0, double Zx = 1, double Zy = 1,
    bool FlipHorizontal = false, bool FlipVertical = false, double? ChannelShift = null, double? Brightness = null)
{
    /// <summary>No transform at all.</summary>
    internal static readonly TransformParameters Identity = new();

    /// <summary>Whether the affine part (rotation, shift, shear, zoom) does anything.</summary>
    internal bool HasAffine => Theta != 0 || Tx != 0 || Ty != 0 || Shear != 0 || Zx != 1 || Zy != 1;
}
