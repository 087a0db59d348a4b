using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Initializers;

/// <summary>
/// The registry of Keras initializer names. It is the only place initializer strings are matched.
/// Random initializers draw from TorchSharp's global generator, which <c>RandomSeed.Set</c> seeds.
/// </summary>
/// <example>
/// <code>
/// new Dense(64, kernelInitializer: "he_normal", biasInitializer: "zeros");
/// </code>
/// </example>
public static class InitializerRegistry
{
    private static readonly Dictionary<string, Func<Initializer>> Registry = new()
    {
        ["zeros"] = () => new Constant("zeros", 0),
        ["ones"] = () => new Constant("ones", 1),
        ["glorot_uniform"] = () => new VarianceScaling("glorot_uniform", 1.0, FanMode.Average, uniform: true),
        ["glorot_normal"] = () => new VarianceScaling("glorot_normal", 1.0, FanMode.Average, uniform: false),
        ["he_uniform"] = () => new VarianceScaling("he_uniform", 2.0, FanMode.In, uniform: true),
        ["he_normal"] = () => new VarianceScaling("he_normal", 2.0, FanMode.In, uniform: false),
        ["lecun_uniform"] = () => new VarianceScaling("lecun_uniform", 1.0, FanMode.In, uniform: true),
        ["lecun_normal"] = () => new VarianceScaling("lecun_normal", 1.0, FanMode.In, uniform: false),
        ["random_normal"] = () => new Random("random_normal", uniform: false, 0.05),
        ["random_uniform"] = () => new Random("random_uniform", uniform: true, 0.05),
        // Keras's aliases (keras.initializers "uniform", "normal"): RandomUniform(-0.05, 0.05), RandomNormal(stddev 0.05).
        ["uniform"] = () => new Random("uniform", uniform: true, 0.05),
        ["normal"] = () => new Random("normal", uniform: false, 0.05),
        // Keras's default recurrent_initializer.
        ["orthogonal"] = () => new Orthogonal("orthogonal", gain: 1.0),
    };

    /// <summary>The accepted names, sorted.</summary>
    public static IReadOnlyList<string> Names { get; } = Registry.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// Returns the initializer for a Keras name (case-insensitive): zeros, ones, glorot_uniform (Keras's default
    /// for kernels), glorot_normal, he_uniform, he_normal, lecun_uniform, lecun_normal, random_normal
    /// (stddev 0.05), random_uniform (±0.05).
    /// </summary>
    /// <param name="name">The Keras name.</param>
    /// <returns>A new initializer.</returns>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the accepted names.</exception>
    public static Initializer Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Registry.TryGetValue(name.Trim().ToLowerInvariant(), out var make)) return make();
        throw new ArgumentException($"Unknown initializer '{name}'. Accepted: {string.Join(", ", Names)}.", nameof(name));
    }

    private enum FanMode { In, Average }

    private sealed class Constant(string name, double value) : Initializer(name)
    {
        public override void Initialize(Tensor tensor, long fanIn, long fanOut)
        {
            using var _ = no_grad();
            tensor.fill_(value);
        }
    }

    // Keras's VarianceScaling: variance = scale / fan; uniform limit sqrt(3 * variance);
    // normal draws are truncated at two standard deviations with the stddev corrected by 0.87962566.
    private sealed class VarianceScaling(string name, double scale, FanMode mode, bool uniform) : Initializer(name)
    {
        public override void Initialize(Tensor tensor, long fanIn, long fanOut)
        {
            double fan = mode == FanMode.In ? fanIn : (fanIn + fanOut) / 2.0;
            double variance = scale / Math.Max(1.0, fan);
            using var _ = no_grad();
            if (uniform)
            {
                double limit = Math.Sqrt(3.0 * variance);
                tensor.uniform_(-limit, limit);
            }
            else
            {
                double stddev = Math.Sqrt(variance) / 0.87962566103423978;
                TruncatedNormal(tensor, stddev);
            }
        }
    }

    // Inverse-CDF sampling of N(0, stddev^2) cut at ±2 stddev (the method of PyTorch's Python trunc_normal_).
    // Not nn.init.trunc_normal_: in TorchSharp 0.107.0 it fills every element with the value of std.
    private static void TruncatedNormal(Tensor tensor, double stddev)
    {
        const double Erf2OverSqrt2 = 0.95449973610364158;   // erf(2 / sqrt 2) = P(|z| < 2)
        tensor.uniform_(-Erf2OverSqrt2, Erf2OverSqrt2).erfinv_().mul_(stddev * Math.Sqrt(2)).clamp_(-2 * stddev, 2 * stddev);
    }

    private sealed class Random(string name, bool uniform, double size) : Initializer(name)
    {
        public override void Initialize(Tensor tensor, long fanIn, long fanOut)
        {
            using var _ = no_grad();
            if (uniform) tensor.uniform_(-size, size);
            else tensor.normal_(0, size);
        }
    }

    /// <summary>
    /// Keras's Orthogonal: the weight viewed as (rows = all but the last size, columns = the last size) is an orthogonal
    /// matrix (orthonormal columns when rows &gt;= columns, orthonormal rows otherwise) times <c>gain</c>, from the QR
    /// decomposition of a normal matrix with Q's columns signed by R's diagonal, as Keras computes it.
    /// </summary>
    private sealed class Orthogonal(string name, double gain) : Initializer(name)
    {
        public override void Initialize(Tensor tensor, long fanIn, long fanOut)
        {
            if (tensor.dim() < 2)
                throw new ArgumentException(
                    $"The orthogonal initializer needs a weight of at least 2 dimensions; got shape {Layers.Shapes.Format(tensor.shape)}.");
            using var _ = no_grad();
            using var scope = NewDisposeScope();
            long columns = tensor.shape[^1];
            long rows = tensor.numel() / Math.Max(1, columns);
            var a = randn(rows > columns ? [rows, columns] : [columns, rows], dtype: ScalarType.Float64);
            var (q, r) = linalg.qr(a);
            q = q * r.diagonal().sign();   // a unique decomposition: R's diagonal made positive
            if (rows < columns) q = q.t();
            tensor.copy_((q * gain).reshape(tensor.shape).to_type(tensor.dtype));
        }
    }
}
