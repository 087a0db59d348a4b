using static TorchSharp.torch;

namespace Sequential.Initializers;

/// <summary>Fills a weight with 0 (Keras's <c>keras.initializers.Zeros</c>, strings <c>"zeros"</c> and <c>"zero"</c>;
/// the default of biases).</summary>
/// <example>
/// <code>
/// new Dense(4, biasInitializer: new Zeros());   // or "zeros"
/// </code>
/// </example>
public sealed class Zeros() : Initializer("zeros")
{
    /// <inheritdoc/>
    public override void Initialize(Tensor tensor, long fanIn, long fanOut)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var _ = no_grad();
        tensor.zero_();
    }
}
