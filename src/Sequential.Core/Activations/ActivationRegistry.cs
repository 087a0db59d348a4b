using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sequential.Activations;

/// <summary>
/// The registry of Keras activation names. It is the only place activation strings are matched.
/// </summary>
/// <example>
/// <code>
/// var relu = ActivationRegistry.Get("relu");
/// var y = relu.Call(x);
/// new Dense(128, activation: "relu");   // layers call Get for you
/// </code>
/// </example>
public static class ActivationRegistry
{
    private static readonly Dictionary<string, ActivationFunction> Registry = Build();

    /// <summary>The accepted names (aliases included), sorted.</summary>
    public static IReadOnlyList<string> Names { get; } = Registry.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// Returns the activation for a Keras name (case-insensitive): relu, sigmoid, softmax, tanh, linear,
    /// elu, selu, gelu, swish (alias silu), leaky_relu, softplus, softsign, relu6, hard_sigmoid, exponential,
    /// log_softmax, mish. <c>null</c> or an empty string means linear, as in Keras.
    /// </summary>
    /// <param name="name">The Keras name.</param>
    /// <returns>The activation.</returns>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the accepted names.</exception>
    public static ActivationFunction Get(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return Registry["linear"];
        if (Registry.TryGetValue(name.Trim().ToLowerInvariant(), out var activation)) return activation;
        throw new ArgumentException(
            $"Unknown activation '{name}'. Accepted: {string.Join(", ", Names)}.", nameof(name));
    }

    private static Dictionary<string, ActivationFunction> Build()
    {
        var all = new ActivationFunction[]
        {
            new("linear", x => x),
            new("relu", x => F.relu(x)),
            new("sigmoid", torch.sigmoid),
            new("softmax", x => F.softmax(x, -1)),
            new("log_softmax", x => F.log_softmax(x, -1)),
            new("tanh", torch.tanh),
            new("elu", x => F.elu(x, 1.0)),
            new("selu", x => F.selu(x)),
            new("gelu", x => F.gelu(x)),
            new("swish", x => F.silu(x)),
            new("leaky_relu", x => F.leaky_relu(x, 0.2)), // Keras's default negative_slope is 0.2 (PyTorch's is 0.01)
            new("softplus", x => F.softplus(x)),
            new("softsign", x => F.softsign(x)),
            new("relu6", x => F.relu6(x)),
            new("hard_sigmoid", x => F.hardsigmoid(x)),
            new("exponential", torch.exp),
            new("mish", x => F.mish(x)),
        };
        var registry = all.ToDictionary(a => a.Name);
        registry["silu"] = registry["swish"];
        return registry;
    }
}
