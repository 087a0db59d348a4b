using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sequential.Activations;

/// <summary>
/// An element-wise activation (Keras's <c>keras.activations.*</c>), as the <c>activation:</c> argument of layers takes
/// it: by Keras name (a string converts implicitly through <see cref="ActivationRegistry.Get"/>), with arguments through
/// the factory methods (<see cref="Relu"/>, <see cref="Softmax"/>, <see cref="Gelu"/>, ...), or as any
/// <c>Func&lt;Tensor, Tensor&gt;</c> (which converts implicitly too, but cannot be saved in a model file; give it a name
/// with <see cref="ActivationRegistry.Register"/> for that).
/// </summary>
/// <example>
/// <code>
/// new Dense(64, activation: "relu");
/// new Dense(64, activation: ActivationFunction.Relu(maxValue: 6, negativeSlope: 0.1));
/// new Dense(10, activation: ActivationFunction.Softmax(axis: -1));
/// Func&lt;Tensor, Tensor&gt; square = x => x * x;
/// new Dense(64, activation: square);                                // not saveable: a file cannot hold code
/// </code>
/// </example>
public sealed class ActivationFunction
{
    private readonly Func<Tensor, Tensor> _function;

    /// <summary>Creates a named activation.</summary>
    /// <param name="name">The name, e.g. <c>relu</c> (used by <c>Summary</c> and saved configs; register the function
    /// under it with <see cref="ActivationRegistry.Register"/> so that a saved model loads).</param>
    /// <param name="function">The function applied to a tensor.</param>
    public ActivationFunction(string name, Func<Tensor, Tensor> function) : this(name, function, null, anonymous: false) { }

    private ActivationFunction(string name, Func<Tensor, Tensor> function, Dictionary<string, object?>? config, bool anonymous)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(function);
        Name = name;
        _function = function;
        Config = config ?? [];
        IsAnonymous = anonymous;
    }

    /// <summary>The Keras name, e.g. <c>relu</c> (used by <c>Summary</c> and saved configs).</summary>
    public string Name { get; }

    /// <summary>The arguments that differ from the defaults of <see cref="Name"/> (snake_case key -> value, as Keras names
    /// them); empty for the plain activation. Saved with the layer.</summary>
    public IReadOnlyDictionary<string, object?> Config { get; }

    /// <summary>True for a function converted without a name (it cannot be saved).</summary>
    public bool IsAnonymous { get; }

    /// <summary>True for <c>linear</c>, which layers skip entirely.</summary>
    public bool IsLinear => Name == "linear" && !IsAnonymous;

    /// <summary>Applies the activation.</summary>
    /// <param name="x">Input tensor.</param>
    /// <returns>A new tensor (of the same shape, except for <c>glu</c>, which halves its axis).</returns>
    public Tensor Call(Tensor x) => _function(x);

    /// <summary>Lets a Keras name stand for an activation: <c>activation: "relu"</c>; null means linear, as in Keras.</summary>
    /// <param name="name">A name accepted by <see cref="ActivationRegistry.Get"/>.</param>
    public static implicit operator ActivationFunction(string? name) => ActivationRegistry.Get(name);

    /// <summary>Lets a function stand for an activation: <c>activation: myFunction</c> (not saveable in a model file).</summary>
    /// <param name="function">The function applied to a tensor.</param>
    public static implicit operator ActivationFunction(Func<Tensor, Tensor> function) =>
        new("custom", function ?? throw new ArgumentNullException(nameof(function)), null, anonymous: true);

    /// <summary>Two activations are equal when they have the same name and arguments (an anonymous function only equals
    /// itself), so configurations that hold them compare by value.</summary>
    /// <param name="obj">The other object.</param>
    /// <returns>Whether both compute the same named activation.</returns>
    public override bool Equals(object? obj) =>
        ReferenceEquals(this, obj) || (obj is ActivationFunction other && !IsAnonymous && !other.IsAnonymous && Name == other.Name
                                       && Config.Count == other.Config.Count
                                       && Config.All(kv => other.Config.TryGetValue(kv.Key, out var v) && Equals(kv.Value, v)));

    /// <inheritdoc/>
    public override int GetHashCode() => IsAnonymous ? System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this) : HashCode.Combine(Name, Config.Count);

    /// <inheritdoc/>
    public override string ToString() => Config.Count == 0
        ? Name
        : $"{Name}({string.Join(", ", Config.Select(kv => $"{kv.Key}={Convert.ToString(kv.Value, System.Globalization.CultureInfo.InvariantCulture)}"))})";

    // ------------------------------------------------------------------ activations with arguments (Keras's signatures)

    /// <summary>
    /// Keras's <c>relu(x, negative_slope, max_value, threshold)</c>: <c>x</c> above <paramref name="threshold"/>, capped at
    /// <paramref name="maxValue"/>; below it, <c>negativeSlope * (x - threshold)</c>.
    /// </summary>
    /// <param name="negativeSlope">The slope below the threshold (0: the plain ReLU).</param>
    /// <param name="maxValue">The largest output, or null for none.</param>
    /// <param name="threshold">Where the function turns.</param>
    /// <returns>The activation.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxValue"/> is negative, or an argument is not finite.</exception>
    /// <example><code>new Dense(64, activation: ActivationFunction.Relu(maxValue: 6));</code></example>
    public static ActivationFunction Relu(double negativeSlope = 0.0, double? maxValue = null, double threshold = 0.0)
    {
        Finite(nameof(negativeSlope), negativeSlope);
        Finite(nameof(threshold), threshold);
        if (maxValue is double m && (!double.IsFinite(m) || m < 0))
            throw new ArgumentOutOfRangeException(nameof(maxValue), maxValue, "maxValue must be a finite number >= 0, or null for no cap.");
        var config = new Dictionary<string, object?>();
        if (negativeSlope != 0) config["negative_slope"] = negativeSlope;
        if (maxValue is not null) config["max_value"] = maxValue;
        if (threshold != 0) config["threshold"] = threshold;
        if (config.Count == 0) return new("relu", x => F.relu(x), null, false);
        return new("relu", x => ReluWith(x, negativeSlope, maxValue, threshold), config, false);
    }

    // Keras's ReLU.static_call, step for step.
    private static Tensor ReluWith(Tensor x, double negativeSlope, double? maxValue, double threshold)
    {
        if (negativeSlope != 0 && maxValue is null && threshold == 0) return F.leaky_relu(x, negativeSlope);
        Tensor? negativePart = negativeSlope == 0 ? null : F.relu(threshold != 0 ? threshold - x : x.neg());
        Tensor y = threshold != 0 ? where(x.gt(threshold), x, zeros_like(x)) : F.relu(x);
        if (maxValue is double cap) y = y.clamp(0, cap);
        return negativePart is null ? y : y - negativePart * negativeSlope;
    }

    /// <summary>Keras's <c>leaky_relu(x, negative_slope)</c>: <c>x</c> for x &gt;= 0, else <c>negativeSlope * x</c>.</summary>
    /// <param name="negativeSlope">The slope for negative inputs (Keras's default 0.2; PyTorch's is 0.01).</param>
    /// <returns>The activation.</returns>
    public static ActivationFunction LeakyRelu(double negativeSlope = 0.2) =>
        new("leaky_relu", x => F.leaky_relu(x, negativeSlope), Differs("negative_slope", Finite(nameof(negativeSlope), negativeSlope), 0.2), false);

    /// <summary>Keras's <c>elu(x, alpha)</c>: <c>x</c> for x &gt; 0, else <c>alpha * (exp(x) - 1)</c>.</summary>
    /// <param name="alpha">The scale of the negative part.</param>
    /// <returns>The activation.</returns>
    public static ActivationFunction Elu(double alpha = 1.0) =>
        new("elu", x => F.elu(x, alpha), Differs("alpha", Finite(nameof(alpha), alpha), 1.0), false);

    /// <summary>Keras's <c>celu(x, alpha)</c>: <c>max(x, 0) + min(alpha * (exp(x / alpha) - 1), 0)</c>.</summary>
    /// <param name="alpha">The scale; must be positive.</param>
    /// <returns>The activation.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is not positive.</exception>
    public static ActivationFunction Celu(double alpha = 1.0)
    {
        if (!(alpha > 0) || !double.IsFinite(alpha))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "celu's alpha must be a positive number (Keras's default is 1.0).");
        return new("celu", x => F.celu(x, alpha), Differs("alpha", alpha, 1.0), false);
    }

    /// <summary>Keras's <c>gelu(x, approximate)</c>: <c>x * Phi(x)</c> exactly, or with the tanh approximation
    /// <c>0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))</c>.</summary>
    /// <param name="approximate">Whether to use the tanh approximation (Keras's default for the function is false).</param>
    /// <returns>The activation.</returns>
    public static ActivationFunction Gelu(bool approximate = false) =>
        approximate
            ? new("gelu", x => 0.5 * x * (1.0 + (Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x.pow(3))).tanh()),
                new() { ["approximate"] = true }, false)
            : new("gelu", x => F.gelu(x), null, false);

    /// <summary>Keras's <c>softmax(x, axis)</c>.</summary>
    /// <param name="axis">The axis the probabilities sum to 1 along; -1 (the default) is the last.</param>
    /// <returns>The activation.</returns>
    public static ActivationFunction Softmax(int axis = -1) => new("softmax", x => F.softmax(x, axis), Differs("axis", axis, -1), false);

    /// <summary>Keras's <c>log_softmax(x, axis)</c>.</summary>
    /// <param name="axis">The axis of the softmax; -1 (the default) is the last.</param>
    /// <returns>The activation.</returns>
    public static ActivationFunction LogSoftmax(int axis = -1) =>
        new("log_softmax", x => F.log_softmax(x, axis), Differs("axis", axis, -1), false);

    /// <summary>Keras's <c>glu(x, axis)</c>: the input split in two halves <c>a, b</c> along <paramref name="axis"/>,
    /// <c>a * sigmoid(b)</c>; the axis must have an even size and the output has half of it.</summary>
    /// <param name="axis">The axis split in two; -1 (the default) is the last.</param>
    /// <returns>The activation.</returns>
    /// <exception cref="ArgumentException">When applied: the axis is not one of the input's, or its size is odd.</exception>
    public static ActivationFunction Glu(int axis = -1) =>
        new("glu", x => F.glu(x, GluAxis(x.shape, axis, batched: true)), Differs("axis", axis, -1), false) { _gluAxis = axis };

    /// <summary>glu's axis within <paramref name="shape"/>, checked: libtorch would fail with a C++ message otherwise.</summary>
    private static int GluAxis(long[] shape, int axis, bool batched)
    {
        int rank = shape.Length, index = axis < 0 ? rank + axis : batched ? axis : axis - 1;
        if (index < 0 || index >= rank)
            throw new ArgumentException(
                $"glu: axis {axis} is not an axis of an input of shape {Layers.Shapes.Format(shape)}{(batched ? "" : " per sample")}.", nameof(axis));
        if (shape[index] % 2 != 0)
            throw new ArgumentException(
                $"glu splits axis {axis} in two halves, but it has the odd size {shape[index]} (input shape {Layers.Shapes.Format(shape)}" +
                $"{(batched ? "" : " per sample")}). Use an even number of units.", nameof(axis));
        return index;
    }

    private int? _gluAxis;

    /// <summary>
    /// The shape of the output for a per-sample input shape (without the batch axis): the same shape, except for
    /// <c>glu</c>, which halves the axis it splits. Layers use it to report their output shapes.
    /// </summary>
    /// <param name="inputShape">The per-sample input shape.</param>
    /// <returns>The per-sample output shape.</returns>
    /// <exception cref="ArgumentException">glu's axis is missing or has an odd size.</exception>
    public long[] ComputeOutputShape(long[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (_gluAxis is not int axis) return (long[])inputShape.Clone();
        var shape = (long[])inputShape.Clone();
        shape[GluAxis(inputShape, axis, batched: false)] /= 2;
        return shape;
    }

    /// <summary>Keras's <c>soft_shrink(x, threshold)</c>: <c>x - threshold</c> above it, <c>x + threshold</c> below
    /// <c>-threshold</c>, else 0.</summary>
    /// <param name="threshold">The half-width of the zero band, at least 0.</param>
    /// <returns>The activation.</returns>
    public static ActivationFunction SoftShrink(double threshold = 0.5)
    {
        NonNegative(nameof(threshold), threshold);
        return new("soft_shrink", x => F.softshrink(x, threshold), Differs("threshold", threshold, 0.5), false);
    }

    /// <summary>Keras's <c>hard_shrink(x, threshold)</c>: <c>x</c> where <c>|x| &gt; threshold</c>, else 0.</summary>
    /// <param name="threshold">The half-width of the zero band, at least 0.</param>
    /// <returns>The activation.</returns>
    public static ActivationFunction HardShrink(double threshold = 0.5)
    {
        NonNegative(nameof(threshold), threshold);
        return new("hard_shrink", x => F.hardshrink(x, threshold), Differs("threshold", threshold, 0.5), false);
    }

    /// <summary>Keras's <c>squareplus(x, b)</c>: <c>(x + sqrt(x^2 + b)) / 2</c>.</summary>
    /// <param name="b">The smoothness, at least 0.</param>
    /// <returns>The activation.</returns>
    public static ActivationFunction Squareplus(double b = 4)
    {
        NonNegative(nameof(b), b);
        return new("squareplus", x => (x + (x.square() + b).sqrt()) / 2, Differs("b", b, 4.0), false);
    }

    /// <summary>Keras's <c>threshold(x, threshold, default_value)</c>: <c>x</c> where <c>x &gt; threshold</c>, else
    /// <paramref name="defaultValue"/>.</summary>
    /// <param name="threshold">The threshold.</param>
    /// <param name="defaultValue">The value at or below it.</param>
    /// <returns>The activation.</returns>
    public static ActivationFunction Threshold(double threshold, double defaultValue)
    {
        Finite(nameof(threshold), threshold);
        Finite(nameof(defaultValue), defaultValue);
        return new("threshold", x => F.threshold(x, threshold, defaultValue),
            new() { ["threshold"] = threshold, ["default_value"] = defaultValue }, false);
    }

    private static Dictionary<string, object?>? Differs<T>(string key, T value, T keras) where T : IEquatable<T> =>
        value.Equals(keras) ? null : new() { [key] = value };

    private static double Finite(string name, double value) =>
        double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number.");

    private static double NonNegative(string name, double value) =>
        value >= 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number >= 0.");
}
