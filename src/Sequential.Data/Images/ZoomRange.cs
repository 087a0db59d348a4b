namespace Sequential.Data;

/// <summary>
/// Keras's <c>zoom_range</c>: a number <c>z</c> means <c>[1 - z, 1 + z]</c>, a pair <c>(lo, hi)</c> is the range
/// itself. Converts implicitly from both, so <c>zoomRange: 0.2f</c> and <c>zoomRange: (0.8f, 1.2f)</c> work.
/// </summary>
/// <param name="Low">Smallest zoom factor (below 1 zooms in).</param>
/// <param name="High">Largest zoom factor (above 1 zooms out).</param>
public readonly record struct ZoomRange(float Low, float High)
{
    /// <summary><c>[1 - z, 1 + z]</c>.</summary>
    /// <param name="z">The range around 1.</param>
    public static implicit operator ZoomRange(float z) => new(1 - z, 1 + z);

    /// <summary><c>[1 - z, 1 + z]</c>.</summary>
    /// <param name="z">The range around 1.</param>
    public static implicit operator ZoomRange(double z) => new(1 - (float)z, 1 + (float)z);

    /// <summary>The range <c>[lo, hi]</c>.</summary>
    /// <param name="range">Lowest and highest zoom factor.</param>
    public static implicit operator ZoomRange((float lo, float hi) range) => new(range.lo, range.hi);

    /// <summary>The range <c>[lo, hi]</c>.</summary>
    /// <param name="range">Lowest and highest zoom factor.</param>
    public static implicit operator ZoomRange((double lo, double hi) range) => new((float)range.lo, (float)range.hi);
}
