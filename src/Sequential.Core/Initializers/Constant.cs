using static TorchSharp.torch;

namespace Sequential.Initializers;

/// <summary>Fills a weight with one value (Keras's <c>keras.initializers.Constant</c>, string <c>"constant"</c>).</summary>
/// <example>
/// <code>
/// new Dense(4, biasInitializer: new Constant(0.1));
/// </code>
/// </example>
/// <param name="value">The value of every element.</param>
public sealed class Constant(double value = 0) : Initializer("constant")
{
    /// <summary>The value of every element.</summary>
    public double Value { get; } = value;

    /// <inheritdoc/>
    public override void Initialize(Tensor tensor, long fanIn, long fanOut)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var _ = no_grad();
        tensor.fill_(Value);
    }
}
