using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Wraps a C# function as a layer (Keras's <c>Lambda</c>). The output shape is found by calling the function once on a
/// zero sample, unless <c>outputShape</c> is given.
/// </summary>
/// <remarks>
/// A file cannot hold a C# function, and Sequential reads no code from files (Keras likewise refuses to load a lambda
/// unless unsafe deserialization is allowed): <c>Save</c> of a model with an anonymous Lambda is refused before anything
/// is written. Register the function under a name with <see cref="Register"/> and create the layer from that name, in
/// the program that saves and in the one that loads. <c>SaveWeights</c> needs none of this.
/// </remarks>
/// <example>
/// <code>
/// var scaled = new Lambda(x => x * 2).Apply(inputs);                 // works in Fit/Predict; Save refuses it
/// Lambda.Register("double", x => x * 2);
/// var saveable = new Lambda("double").Apply(inputs);                 // Save and Load work
/// </code>
/// </example>
public sealed class Lambda : Layer
{
    private static readonly object Gate = new();
    private static readonly Dictionary<string, Func<Tensor, Tensor>> Functions = new(StringComparer.Ordinal);

    private readonly long[]? _outputShape;

    /// <summary>Wraps a function (not saveable whole: see the remarks).</summary>
    /// <param name="function">Computes the output batch from the input batch.</param>
    /// <param name="outputShape">Per-sample output shape; null to find it by calling the function once on a zero sample.</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default <c>lambda</c>.</param>
    public Lambda(Func<Tensor, Tensor> function, long[]? outputShape = null, long[]? inputShape = null, string? name = null)
        : this(function, null, outputShape, inputShape, name) { }

    /// <summary>Wraps the function registered under <paramref name="function"/> (saveable whole).</summary>
    /// <param name="function">A name given to <see cref="Register"/>.</param>
    /// <param name="outputShape">Per-sample output shape; null to find it by calling the function once.</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default <c>lambda</c>.</param>
    /// <exception cref="ArgumentException">No function is registered under the name; the message lists those that are.</exception>
    public Lambda(string function, long[]? outputShape = null, long[]? inputShape = null, string? name = null)
        : this(Lookup(function), function, outputShape, inputShape, name) { }

    private Lambda(Func<Tensor, Tensor> callable, string? function, long[]? outputShape, long[]? inputShape, string? name)
        : base(name, inputShape)
    {
        ArgumentNullException.ThrowIfNull(callable);
        if (outputShape is not null && (outputShape.Length == 0 || outputShape.Any(d => d <= 0)))
            throw new ArgumentException(
                $"outputShape of layer \"{Name}\" must list positive sizes without the batch dimension; got {Shapes.Format(outputShape)}.",
                nameof(outputShape));
        Callable = callable;
        Function = function;
        _outputShape = outputShape is null ? null : (long[])outputShape.Clone();
    }

    /// <summary>The registered name of the function, or null for an anonymous one.</summary>
    public string? Function { get; }

    /// <summary>The function the layer calls.</summary>
    public Func<Tensor, Tensor> Callable { get; }

    /// <summary>Registers a function under a name, so that <c>new Lambda(name)</c> makes a layer that saves and loads.</summary>
    /// <param name="name">The name the model file records.</param>
    /// <param name="function">The function; register the same one in the program that loads.</param>
    /// <exception cref="ArgumentException">An empty name.</exception>
    public static void Register(string name, Func<Tensor, Tensor> function)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(function);
        lock (Gate) Functions[name] = function;
    }

    private static Func<Tensor, Tensor> Lookup(string function)
    {
        ArgumentNullException.ThrowIfNull(function);
        lock (Gate)
        {
            if (Functions.TryGetValue(function, out var found)) return found;
            throw new ArgumentException(
                $"No Lambda function is registered under the name \"{function}\" (registered: " +
                $"{(Functions.Count == 0 ? "none" : string.Join(", ", Functions.Keys.Order(StringComparer.Ordinal)))}). Call " +
                $"Lambda.Register(\"{function}\", x => ...) before creating or loading the layer.", nameof(function));
        }
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["function"] = Function,
        ["output_shape"] = _outputShape,
        ["input_shape"] = InputShape,
        ["name"] = Name,
    };

    /// <inheritdoc/>
    protected override void CheckSavable()
    {
        if (Function is null)
            throw new InvalidOperationException(
                $"Layer \"{Name}\" (Lambda) wraps an anonymous C# function, which a model file cannot hold. Register it, " +
                $"Lambda.Register(\"some_name\", function), and create the layer as new Lambda(\"some_name\") (in the program that " +
                "saves and in the one that loads); or save the weights alone with SaveWeights.");
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        if (_outputShape is not null) return (long[])_outputShape.Clone();
        OutputProbe.CheckSize(this, inputShape, "its function");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var output = Callable(zeros([1, .. inputShape]));
        if (output.dim() == 0 || output.shape[0] != 1)
            throw new ArgumentException(
                $"Layer \"{Name}\" (Lambda): the function must keep the batch dimension, but for input shape " +
                $"{Shapes.FormatBatch(inputShape)} it returned shape {Shapes.Format(output.shape)}.");
        return output.shape[1..];
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training) => Callable(x);
}
