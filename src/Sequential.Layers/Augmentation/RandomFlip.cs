using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Flips each image left-right and/or top-bottom with probability 1/2 during training (Keras's <c>RandomFlip</c>);
/// the identity at inference.
/// </summary>
/// <example><code>new RandomFlip("horizontal", inputShape: [150, 150, 3])</code></example>
public sealed class RandomFlip : RandomAugmentationLayer
{
    private static readonly string[] Modes = ["horizontal", "vertical", "horizontal_and_vertical"];

    /// <summary>Creates a RandomFlip layer.</summary>
    /// <param name="mode">"horizontal" (left-right), "vertical" (top-bottom) or "horizontal_and_vertical" (each independently).</param>
    /// <param name="seed">Seed of the layer's own generator; null uses TorchSharp's global one.</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default random_flip.</param>
    public RandomFlip(string mode = "horizontal_and_vertical", int? seed = null, long[]? inputShape = null, string? name = null)
        : base(seed, inputShape, name)
    {
        var normalised = mode?.Trim().ToLowerInvariant();
        Mode = normalised is not null && Modes.Contains(normalised)
            ? normalised
            : throw new ArgumentException(
                $"RandomFlip mode must be one of \"horizontal\", \"vertical\", \"horizontal_and_vertical\"; got {(mode is null ? "null" : $"\"{mode}\"")}.",
                nameof(mode));
    }

    /// <summary>"horizontal", "vertical" or "horizontal_and_vertical".</summary>
    public string Mode { get; }

    private protected override Tensor Augment(Tensor x)
    {
        if (Mode != "vertical") x = FlipSome(x, axis: 2);
        if (Mode != "horizontal") x = FlipSome(x, axis: 1);
        return x;
    }

    private Tensor FlipSome(Tensor x, long axis)
    {
        var flip = (Uniform(x.shape[0], 0, 1, x) < 0.5).view(-1, 1, 1, 1);
        return where(flip, x.flip(axis), x);
    }
}
