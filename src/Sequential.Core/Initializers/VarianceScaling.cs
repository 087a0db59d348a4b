using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Initializers;

/// <summary>
/// Draws with a variance of <c>scale / fan</c> (Keras's <c>keras.initializers.VarianceScaling</c>, string
/// <c>"variance_scaling"</c>), where fan is fan_in, fan_out or their mean (<see cref="Mode"/>, at least 1), from a
/// truncated normal (cut at two standard deviations, its standard deviation corrected by 0.87962566 so the variance
/// holds), an untruncated normal, or a uniform distribution over <c>±sqrt(3 * variance)</c>.
/// Glorot, He and LeCun initializers are this class with fixed arguments.
/// </summary>
/// <example>
/// <code>
/// new Dense(64, kernelInitializer: new VarianceScaling(scale: 2.0, mode: "fan_out", distribution: "untruncated_normal"));
/// </code>
/// </example>
public class VarianceScaling : RandomInitializer
{
    private static readonly string[] Modes = ["fan_in", "fan_out", "fan_avg"];
    private static readonly string[] Distributions = ["truncated_normal", "untruncated_normal", "uniform"];

    /// <summary>Creates the initializer.</summary>
    /// <param name="scale">The scaling factor, positive.</param>
    /// <param name="mode"><c>"fan_in"</c> (default), <c>"fan_out"</c> or <c>"fan_avg"</c>.</param>
    /// <param name="distribution"><c>"truncated_normal"</c> (default; <c>"normal"</c> means the same, as in Keras),
    /// <c>"untruncated_normal"</c> or <c>"uniform"</c>, any case.</param>
    /// <param name="seed">A seed for the same values on every call, or null for the global generator.</param>
    /// <exception cref="ArgumentException">The scale is not positive, or the mode or distribution is unknown; the message
    /// lists the accepted ones.</exception>
    public VarianceScaling(double scale = 1.0, string mode = "fan_in", string distribution = "truncated_normal", int? seed = null)
        : this("variance_scaling", scale, mode, distribution, seed) { }

    /// <summary>For the named special cases (<see cref="GlorotUniform"/>, <see cref="HeNormal"/>, ...).</summary>
    /// <param name="name">The Keras name.</param>
    /// <param name="scale">The scaling factor.</param>
    /// <param name="mode">The fan mode.</param>
    /// <param name="distribution">The distribution.</param>
    /// <param name="seed">The seed, or null.</param>
    protected VarianceScaling(string name, double scale, string mode, string distribution, int? seed) : base(name, seed)
    {
        ArgumentNullException.ThrowIfNull(mode);
        ArgumentNullException.ThrowIfNull(distribution);
        if (!(scale > 0) || !double.IsFinite(scale))
            throw new ArgumentException($"VarianceScaling's scale must be a positive number; got {scale}.", nameof(scale));
        string m = mode.Trim().ToLowerInvariant();
        if (!Modes.Contains(m))
            throw new ArgumentException($"Unknown VarianceScaling mode '{mode}'. Accepted: {string.Join(", ", Modes)}.", nameof(mode));
        string d = distribution.Trim().ToLowerInvariant();
        if (d == "normal") d = "truncated_normal";
        if (!Distributions.Contains(d))
            throw new ArgumentException(
                $"Unknown VarianceScaling distribution '{distribution}'. Accepted: {string.Join(", ", Distributions)} (\"normal\" means truncated_normal).",
                nameof(distribution));
        Scale = scale;
        Mode = m;
        Distribution = d;
    }

    /// <summary>The scaling factor.</summary>
    public double Scale { get; }

    /// <summary><c>"fan_in"</c>, <c>"fan_out"</c> or <c>"fan_avg"</c>.</summary>
    public string Mode { get; }

    /// <summary><c>"truncated_normal"</c>, <c>"untruncated_normal"</c> or <c>"uniform"</c>.</summary>
    public string Distribution { get; }

    /// <inheritdoc/>
    protected sealed override void Fill(Tensor tensor, long fanIn, long fanOut, Generator? generator)
    {
        double fan = Mode switch { "fan_in" => fanIn, "fan_out" => fanOut, _ => (fanIn + fanOut) / 2.0 };
        double variance = Scale / Math.Max(1.0, fan);
        switch (Distribution)
        {
            case "uniform":
                double limit = Math.Sqrt(3.0 * variance);
                tensor.uniform_(-limit, limit, generator);
                break;
            case "untruncated_normal":
                tensor.normal_(0, Math.Sqrt(variance), generator);
                break;
            default:
                TruncatedNormalFill(tensor, 0, Math.Sqrt(variance) / 0.87962566103423978, generator);
                break;
        }
    }
}
