using static TorchSharp.torch;

namespace Sequential.Initializers;

/// <summary>Fills a weight with 1 (Keras's <c>keras.initializers.Ones</c>, strings <c>"ones"</c> and <c>"one"</c>).</summary>
/// <example>
/// <code>
/// new BatchNormalization(gammaInitializer: new Ones());   // or "ones"
/// </code>
/// </example>
public sealed class Ones() : Initializer("ones")
{
    /// <inheritdoc/>
    public override void Initialize(Tensor tensor, long fanIn, long fanOut)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var _ = no_grad();
        tensor.fill_(1);
    }
}
