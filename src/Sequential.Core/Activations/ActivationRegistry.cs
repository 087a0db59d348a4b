using System.Collections.Concurrent;
using Sequential.Persistence;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sequential.Activations;

/// <summary>
/// The registry of Keras activation names (Keras's <c>keras.activations.get</c>). It is the only place activation
/// strings are matched.
/// </summary>
/// <example>
/// <code>
/// var relu = ActivationRegistry.Get("relu");
/// var y = relu.Call(x);
/// new Dense(128, activation: "relu");   // layers call Get for you
/// ActivationRegistry.Register("square", x => x * x);   // then activation: "square" works, and saved models load
/// </code>
/// </example>
public static class ActivationRegistry
{
    /// <summary>Each built-in name and how to build it from a configuration (Keras's argument names).</summary>
    private static readonly Dictionary<string, Func<Arguments, ActivationFunction>> BuiltIn = new()
    {
        ["linear"] = _ => new("linear", x => x),
        ["relu"] = a => ActivationFunction.Relu(a.Double("negative_slope", 0), a.NullableDouble("max_value"), a.Double("threshold", 0)),
        ["leaky_relu"] = a => ActivationFunction.LeakyRelu(a.Double("negative_slope", 0.2)),
        ["relu6"] = _ => new("relu6", x => F.relu6(x)),
        ["sigmoid"] = _ => new("sigmoid", torch.sigmoid),
        ["softmax"] = a => ActivationFunction.Softmax(a.Int("axis", -1)),
        ["log_softmax"] = a => ActivationFunction.LogSoftmax(a.Int("axis", -1)),
        ["tanh"] = _ => new("tanh", torch.tanh),
        ["elu"] = a => ActivationFunction.Elu(a.Double("alpha", 1.0)),
        ["selu"] = _ => new("selu", x => F.selu(x)),
        ["celu"] = a => ActivationFunction.Celu(a.Double("alpha", 1.0)),
        ["gelu"] = a => ActivationFunction.Gelu(a.Bool("approximate", false)),
        ["glu"] = a => ActivationFunction.Glu(a.Int("axis", -1)),
        ["swish"] = _ => new("swish", x => F.silu(x)),
        ["softplus"] = _ => new("softplus", x => F.softplus(x)),
        ["softsign"] = _ => new("softsign", x => F.softsign(x)),
        ["hard_sigmoid"] = _ => new("hard_sigmoid", x => F.hardsigmoid(x)),       // relu6(x + 3) / 6, as Keras 3
        ["hard_silu"] = _ => new("hard_silu", x => F.hardswish(x)),              // x * hard_sigmoid(x)
        ["hard_tanh"] = _ => new("hard_tanh", x => x.clamp(-1, 1)),               // not F.hardtanh: TorchSharp 0.107 leaves x unclipped
        ["log_sigmoid"] = _ => new("log_sigmoid", x => F.logsigmoid(x)),
        ["exponential"] = _ => new("exponential", torch.exp),
        ["mish"] = _ => new("mish", x => F.mish(x)),
        ["soft_shrink"] = a => ActivationFunction.SoftShrink(a.Double("threshold", 0.5)),
        ["hard_shrink"] = a => ActivationFunction.HardShrink(a.Double("threshold", 0.5)),
        ["tanh_shrink"] = _ => new("tanh_shrink", x => x - x.tanh()),
        ["squareplus"] = a => ActivationFunction.Squareplus(a.Double("b", 4)),
        ["sparse_plus"] = _ => new("sparse_plus", SparsePlus),
        ["sparse_sigmoid"] = _ => new("sparse_sigmoid", x => (0.5 * (x + 1)).clamp(0, 1)),
        ["threshold"] = a => ActivationFunction.Threshold(a.Required("threshold"), a.Required("default_value")),
    };

    /// <summary>Keras's aliases: the name Keras 3 gives the function, and its other export.</summary>
    private static readonly Dictionary<string, string> Aliases = new() { ["silu"] = "swish", ["hard_swish"] = "hard_silu" };

    private static readonly ConcurrentDictionary<string, Func<Tensor, Tensor>> Custom = new(StringComparer.Ordinal);

    /// <summary>The accepted built-in names (aliases included), sorted; registered ones come on top.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. BuiltIn.Keys.Concat(Aliases.Keys).Order(StringComparer.Ordinal)];

    /// <summary>
    /// Returns the activation for a Keras name (case-insensitive), with Keras's default arguments: linear, relu,
    /// leaky_relu, relu6, sigmoid, softmax, log_softmax, tanh, elu, selu, celu, gelu, glu, swish (alias silu),
    /// softplus, softsign, hard_sigmoid, hard_silu (alias hard_swish), hard_tanh, log_sigmoid, exponential, mish,
    /// soft_shrink, hard_shrink, tanh_shrink, squareplus, sparse_plus, sparse_sigmoid, or a name registered with
    /// <see cref="Register"/>. <c>null</c> or an empty string means linear, as in Keras.
    /// </summary>
    /// <param name="name">The Keras name.</param>
    /// <returns>The activation.</returns>
    /// <exception cref="ArgumentException">The name is unknown (the message lists the accepted names), or it needs
    /// arguments (threshold: use <see cref="ActivationFunction.Threshold"/>).</exception>
    public static ActivationFunction Get(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return BuiltIn["linear"](Arguments.None);
        string key = Canonical(name);
        if (BuiltIn.TryGetValue(key, out var build))
        {
            try
            {
                return build(Arguments.None);
            }
            catch (InvalidDataException e)
            {
                throw new ArgumentException($"The activation '{name}' needs arguments ({e.Message}); create it with ActivationFunction's factory methods.", nameof(name), e);
            }
        }
        if (Custom.TryGetValue(name.Trim(), out var function)) return new ActivationFunction(name.Trim(), function);
        throw new ArgumentException(
            $"Unknown activation '{name}'. Accepted: {string.Join(", ", Names.Concat(Custom.Keys.Order(StringComparer.Ordinal)))}; " +
            "or register your own with ActivationRegistry.Register(name, function).", nameof(name));
    }

    /// <summary>
    /// Makes a function of your own available by name (Keras's <c>custom_objects</c> / <c>register_keras_serializable</c>),
    /// so that <c>activation: "name"</c> works and a model saved with it loads (register it again before loading).
    /// </summary>
    /// <param name="name">The name (case-sensitive); not one of the built-in names.</param>
    /// <param name="function">The function applied to a tensor.</param>
    /// <exception cref="ArgumentException">The name is empty or a built-in name.</exception>
    public static void Register(string name, Func<Tensor, Tensor> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException("An activation needs a non-empty name.", nameof(name));
        if (BuiltIn.ContainsKey(Canonical(name)))
            throw new ArgumentException($"'{name}' is a built-in activation; register yours under another name.", nameof(name));
        Custom[name.Trim()] = function;
    }

    /// <summary>
    /// Creates an activation from its name and the arguments <see cref="ActivationFunction.Config"/> holds (as a model
    /// file stores it).
    /// </summary>
    /// <param name="name">A built-in name.</param>
    /// <param name="config">Keras argument name -> value (CLR values or parsed JSON).</param>
    /// <returns>The activation.</returns>
    /// <exception cref="InvalidDataException">The name is unknown, an argument is unknown or of the wrong kind, or a
    /// value is out of range.</exception>
    public static ActivationFunction FromConfig(string name, IReadOnlyDictionary<string, object?> config)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(config);
        string key = Canonical(name);
        if (!BuiltIn.TryGetValue(key, out var build))
        {
            if (config.Count == 0 && Custom.ContainsKey(name.Trim())) return Get(name);
            throw new InvalidDataException(
                $"Unknown activation '{name}'. Accepted: {string.Join(", ", Names)}; register your own with ActivationRegistry.Register.");
        }
        var arguments = new Arguments(config);
        ActivationFunction activation;
        try
        {
            activation = build(arguments);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"The activation '{name}' has an invalid argument: {e.Message}", e);
        }
        var unknown = config.Keys.Except(arguments.Read).ToList();
        if (unknown.Count > 0)
            throw new InvalidDataException(
                $"The activation '{name}' takes {(arguments.Read.Count == 0 ? "no arguments" : string.Join(", ", arguments.Read))}, " +
                $"not {string.Join(", ", unknown)}.");
        return activation;
    }

    private static string Canonical(string name)
    {
        string key = name.Trim().ToLowerInvariant();
        return Aliases.TryGetValue(key, out var canonical) ? canonical : key;
    }

    // Keras's sparse_plus: 0 for x <= -1, (x + 1)^2 / 4 in between, x for x >= 1.
    private static Tensor SparsePlus(Tensor x) =>
        where(x.le(-1), zeros_like(x), where(x.ge(1), x, (x + 1).square() * 0.25));

    /// <summary>A configuration read with defaults; remembers which keys were read, so unknown ones can be refused.</summary>
    private sealed class Arguments(IReadOnlyDictionary<string, object?> values)
    {
        public static readonly Arguments None = new(new Dictionary<string, object?>());

        public List<string> Read { get; } = [];

        public double Double(string key, double fallback) => Value(key, typeof(double)) is double d ? d : fallback;

        public double? NullableDouble(string key) => Value(key, typeof(double?)) as double?;

        public int Int(string key, int fallback) => Value(key, typeof(int)) is int i ? i : fallback;

        public bool Bool(string key, bool fallback) => Value(key, typeof(bool)) is bool b ? b : fallback;

        public double Required(string key) =>
            Value(key, typeof(double)) is double d ? d : throw new InvalidDataException($"'{key}' is required");

        private object? Value(string key, Type type)
        {
            Read.Add(key);
            if (!values.TryGetValue(key, out var value)) return null;
            try
            {
                return ConfigReflection.FromJson(ConfigReflection.ToElement(value), type);
            }
            catch (Exception e) when (e is FormatException or InvalidOperationException or System.Text.Json.JsonException or OverflowException)
            {
                throw new InvalidDataException($"'{key}' is not a {Nullable.GetUnderlyingType(type)?.Name ?? type.Name}: {ConfigReflection.ToElement(value).GetRawText()}", e);
            }
        }
    }
}
