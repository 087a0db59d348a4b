using static TorchSharp.torch;

namespace Sequential.Activations;

/// <summary>
/// A named element-wise activation (Keras's <c>keras.activations.*</c>), as used by the
/// <c>activation:</c> argument of layers. Obtain one with <see cref="ActivationRegistry.Get"/>.
/// </summary>
/// <param name="name">The canonical Keras name, e.g. <c>relu</c>.</param>
/// <param name="function">The function applied to a tensor.</param>
public sealed class ActivationFunction(string name, Func<Tensor, Tensor> function)
{
    /// <summary>The canonical Keras name, e.g. <c>relu</c> (used by <c>Summary</c> and saved configs).</summary>
    public string Name { get; } = name;

    /// <summary>True for <c>linear</c>, which layers skip entirely.</summary>
    public bool IsLinear => Name == "linear";

    /// <summary>Applies the activation.</summary>
    /// <param name="x">Input tensor.</param>
    /// <returns>A new tensor of the same shape.</returns>
    public Tensor Call(Tensor x) => function(x);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
