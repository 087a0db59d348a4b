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
    /// <param name="activation">The activation: a Keras name (e.g. "softmax"), an <see cref="ActivationFunction"/> (e.g.
    /// <c>ActivationFunction.Softmax(axis: 1)</c>) or a <c>Func&lt;Tensor, Tensor&gt;</c>.</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name.</param>
    public Activation(ActivationFunction activation, long[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        Function = activation ?? throw new ArgumentNullException(nameof(activation));
    }

    /// <summary>The activation applied.</summary>
    public ActivationFunction Function { get; }

    /// <inheritdoc/>
    /// <remarks>Overridden because a property cannot be named like its class (<c>Activation.Activation</c>).</remarks>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["activation"] = Function,
        ["input_shape"] = InputShape,
        ["name"] = Name,
    };

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) => Function.ComputeOutputShape(inputShape);

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training) => Function.Call(x);
}
