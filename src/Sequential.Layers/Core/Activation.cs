using Sequential.Activations;
using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>Applies an activation function to its input (Keras's <c>Activation</c> layer).</summary>
/// <example><code>model.Add(new Activation("softmax"));</code></example>
public sealed class Activation : Layer
{
    /// <summary>True: the input's mask passes on to the output (Keras's <c>supports_masking</c>).</summary>
    public override bool SupportsMasking => true;

    /// <summary>Creates an Activation layer.</summary>
    /// <param name="activation">Keras activation name, e.g. "softmax".</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name.</param>
    public Activation(string activation, long[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        Function = ActivationRegistry.Get(activation ?? throw new ArgumentNullException(nameof(activation)));
    }

    /// <summary>The activation applied.</summary>
    public ActivationFunction Function { get; }

    /// <inheritdoc/>
    /// <remarks>Overridden because a property cannot be named like its class (<c>Activation.Activation</c>).</remarks>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["activation"] = Function.Name,
        ["input_shape"] = InputShape,
        ["name"] = Name,
    };

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) => (long[])inputShape.Clone();

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training) => Function.Call(x);
}
