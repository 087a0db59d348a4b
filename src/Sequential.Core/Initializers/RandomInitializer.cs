using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Initializers;

/// <summary>
/// Base class of the random initializers (Keras's <c>RandomInitializer</c>): the <see cref="Seed"/> rule lives here once.
/// Without a seed the values come from TorchSharp's global generator, which <c>RandomSeed.Set</c> seeds; with one, every
/// call draws the same values from a generator of that seed (as Keras's integer seeds do), whatever the global state.
/// </summary>
public abstract class RandomInitializer : Initializer
{
    /// <summary>Creates a random initializer.</summary>
    /// <param name="name">The Keras name.</param>
    /// <param name="seed">A seed for the same values on every call, or null for the global generator.</param>
    protected RandomInitializer(string name, int? seed) : base(name) => Seed = seed;

    /// <summary>The seed, or null (the global generator).</summary>
    public int? Seed { get; }

    /// <inheritdoc/>
    public sealed override void Initialize(Tensor tensor, long fanIn, long fanOut)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var noGrad = no_grad();
        if (Seed is not int seed)
        {
            Fill(tensor, fanIn, fanOut, null);
            return;
        }
        // A CPU generator, so a seed gives the same values on every device; drawn on the CPU and copied when needed.
        using var generator = new Generator(unchecked((ulong)seed), CPU);
        if (tensor.device_type == DeviceType.CPU)
        {
            Fill(tensor, fanIn, fanOut, generator);
            return;
        }
        using var host = empty(tensor.shape, tensor.dtype);
        Fill(host, fanIn, fanOut, generator);
        tensor.copy_(host);
    }

    /// <summary>Fills <paramref name="tensor"/> (a CPU tensor when a generator is given) with this initializer's draws.</summary>
    /// <param name="tensor">The tensor to fill in place; autograd is off.</param>
    /// <param name="fanIn">Number of input units.</param>
    /// <param name="fanOut">Number of output units.</param>
    /// <param name="generator">The seeded generator, or null for the global one.</param>
    protected abstract void Fill(Tensor tensor, long fanIn, long fanOut, Generator? generator);

    /// <summary>
    /// Draws N(<paramref name="mean"/>, <paramref name="stddev"/>^2) cut at two standard deviations, by inverse-CDF
    /// sampling (the method of PyTorch's Python <c>trunc_normal_</c>; TorchSharp 0.107.0's <c>trunc_normal_</c> fills
    /// every element with std).
    /// </summary>
    private protected static void TruncatedNormalFill(Tensor tensor, double mean, double stddev, Generator? generator)
    {
        const double Erf2OverSqrt2 = 0.95449973610364158;   // erf(2 / sqrt 2) = P(|z| < 2)
        tensor.uniform_(-Erf2OverSqrt2, Erf2OverSqrt2, generator).erfinv_().mul_(stddev * Math.Sqrt(2))
            .clamp_(-2 * stddev, 2 * stddev).add_(mean);
    }
}
