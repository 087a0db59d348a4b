using static TorchSharp.torch;

namespace Sequential.Initializers;

/// <summary>
/// Base class of weight initializers (Keras's <c>keras.initializers.Initializer</c>).
/// Obtain the Keras ones by name with <see cref="InitializerRegistry.Get"/>.
/// </summary>
public abstract class Initializer
{
    /// <summary>Creates an initializer.</summary>
    /// <param name="name">The Keras name, e.g. <c>glorot_uniform</c>.</param>
    protected Initializer(string name) => Name = name;

    /// <summary>The Keras name.</summary>
    public string Name { get; }

    /// <summary>Fills <paramref name="tensor"/> in place (without recording autograd history).</summary>
    /// <param name="tensor">The weight to fill.</param>
    /// <param name="fanIn">Number of input units (Keras's fan_in: input features x receptive field size).</param>
    /// <param name="fanOut">Number of output units (output features x receptive field size).</param>
    public abstract void Initialize(Tensor tensor, long fanIn, long fanOut);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
