using static TorchSharp.torch;

namespace Sequential.Initializers;

/// <summary>
/// The identity matrix times <see cref="Gain"/> (Keras's <c>keras.initializers.Identity</c>, strings <c>"identity"</c>
/// and <c>"IdentityInitializer"</c>), for 2-D weights; a non-square weight gets ones on its main diagonal.
/// </summary>
/// <example>
/// <code>
/// new Dense(16, kernelInitializer: new Identity(gain: 2));
/// </code>
/// </example>
/// <param name="gain">The value on the diagonal.</param>
public sealed class Identity(double gain = 1.0) : Initializer("identity")
{
    /// <summary>The value on the diagonal.</summary>
    public double Gain { get; } = gain;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The weight is not 2-D.</exception>
    public override void Initialize(Tensor tensor, long fanIn, long fanOut)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.dim() != 2)
            throw new ArgumentException(
                $"The identity initializer needs a 2-D weight; got shape {Layers.Shapes.Format(tensor.shape)}. " +
                "Use it for Dense kernels, or pick another initializer.", nameof(tensor));
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        tensor.copy_(eye(tensor.shape[0], tensor.shape[1], tensor.dtype, tensor.device).mul_(Gain));
    }
}
