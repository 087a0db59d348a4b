using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Random draws of a regularization layer. With a seed they come from the layer's own generator on the CPU (the same
/// numbers on every device) and are moved next to the input; without one, from TorchSharp's global generator directly on
/// the input's device (seeded by <c>RandomSeed.Set</c>, and no host-to-device copy).
/// </summary>
internal sealed class LayerRandom(int? seed)
{
    private readonly Generator? _generator = seed is int s ? new Generator((ulong)(uint)s) : null;

    /// <summary>Normal draws with mean 0 and the given standard deviation, shaped and typed like <paramref name="like"/>.</summary>
    public Tensor Normal(double stddev, Tensor like)
    {
        var dtype = like.is_floating_point() ? like.dtype : ScalarType.Float32;
        if (_generator is null) return empty(like.shape, dtype, like.device).normal_(0, stddev);
        return empty(like.shape, ScalarType.Float32).normal_(0, stddev, _generator).to(dtype).to(like.device);
    }

    /// <summary>Draws of 1 with probability <paramref name="p"/> and 0 otherwise, in the type and on the device of <paramref name="like"/>.</summary>
    public Tensor Bernoulli(long[] shape, double p, Tensor like)
    {
        var dtype = like.is_floating_point() ? like.dtype : ScalarType.Float32;
        if (_generator is null) return empty(shape, dtype, like.device).bernoulli_(p);
        return empty(shape, ScalarType.Float32).bernoulli_(p, _generator).to(dtype).to(like.device);
    }
}
