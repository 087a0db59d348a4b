namespace Sequential.Layers;

/// <summary>
/// The bound on finding a layer's output shape by running it on one zero sample, for layers whose computation is code
/// rather than arithmetic on shapes (<see cref="TorchModule"/>, <see cref="Lambda"/>): the input of that one sample may
/// hold at most <see cref="MaxValues"/> values, so that a hostile or mistaken input shape (from a model file, say) cannot
/// make the probe allocate gigabytes.
/// </summary>
internal static class OutputProbe
{
    /// <summary>The most values the probe's input may hold (a quarter of a GiB of float32).</summary>
    public const long MaxValues = 1L << 26;

    /// <summary>Refuses an input shape whose one-sample probe would exceed <see cref="MaxValues"/> or has a size that is not positive.</summary>
    /// <param name="layer">The layer, named by the message.</param>
    /// <param name="inputShape">Per-sample input shape.</param>
    /// <param name="what">What runs, for the message: "its module", "its function".</param>
    /// <exception cref="ArgumentException">The message names the layer and the shape, and says to give outputShape.</exception>
    public static void CheckSize(Layer layer, long[] inputShape, string what)
    {
        long values = 1;
        foreach (long d in inputShape)
        {
            if (d <= 0 || values > MaxValues / d)
                throw new ArgumentException(
                    $"Layer \"{layer.Name}\" ({layer.TypeName}) finds its output shape by running {what} on one sample of shape " +
                    $"{Shapes.Format(inputShape)}, {(d <= 0 ? "which has a size that is not positive" : $"more than the {MaxValues} values it allocates for that")}. " +
                    $"Give outputShape to the {layer.TypeName} to skip the probe.");
            values *= d;
        }
    }
}
