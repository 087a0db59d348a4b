using Sequential.Layers;

namespace Sequential;

/// <summary>
/// The start of a functional model (Keras's <c>keras.Input</c>): a symbolic batch of samples of <paramref name="shape"/>.
/// </summary>
/// <param name="shape">Per-sample shape, without the batch dimension, e.g. <c>[28, 28, 1]</c>; <see cref="Shapes.None"/>
/// (-1) for an axis whose size the data decides, as Keras's <c>None</c>: <c>[Shapes.None]</c> takes sequences of any length.</param>
/// <param name="name">The input's name, shown by <c>Summary</c> and keying dictionary data; default <c>input_layer</c>
/// (numbered within a model that has several).</param>
/// <param name="dtype">The dtype the data is cast to (Keras's <c>dtype</c>); default float32. Integer ids for an
/// Embedding keep an integer type: <c>dtype: ScalarType.Int64</c>.</param>
/// <example><code>
/// var inputs = new Input(shape: [150, 150, 3], name: "image");
/// var tokens = new Input(shape: [null], dtype: ScalarType.Int64);     // keras.Input(shape=(None,), dtype="int64")
/// </code></example>
public sealed class Input(long[] shape, string? name = null, TorchSharp.torch.ScalarType dtype = TorchSharp.torch.ScalarType.Float32)
    : SymbolicTensor(CheckShape(shape), null, [], 0, name ?? "input_layer")
{
    /// <summary>An input whose shape may have axes of unknown size written as Keras writes them, <c>null</c>:
    /// <c>new Input(shape: [null], dtype: ScalarType.Int64)</c> for sequences of any length.</summary>
    /// <param name="shape">Per-sample shape; null for an axis of any size.</param>
    /// <param name="name">The input's name.</param>
    /// <param name="dtype">The dtype the data is cast to.</param>
    public Input(long?[] shape, string? name = null, TorchSharp.torch.ScalarType dtype = TorchSharp.torch.ScalarType.Float32)
        : this(shape is null ? null! : shape.Select(d => d ?? Shapes.None).ToArray(), name, dtype) { }

    /// <summary>
    /// An input of strings (Keras's <c>keras.Input(shape=(1,), dtype="string")</c>), for a model that starts with a
    /// TextVectorization layer and so takes raw text: <c>new Input(shape: [1], dtype: "string")</c>. Batches of strings
    /// (a Dataset's <c>StringTensor</c> batches) reach it through <see cref="StringInputs"/> carriers.
    /// </summary>
    /// <param name="shape">Per-sample shape, <c>[1]</c> for one string per sample.</param>
    /// <param name="dtype">"string" (numeric inputs take a <c>ScalarType</c>).</param>
    /// <param name="name">The input's name.</param>
    /// <exception cref="ArgumentException"><paramref name="dtype"/> is not "string".</exception>
    public Input(long[] shape, string dtype, string? name = null) : this(shape, name, StringDtype(dtype)) => HoldsStrings = true;

    private static TorchSharp.torch.ScalarType StringDtype(string dtype) => dtype == "string" ? TorchSharp.torch.ScalarType.Byte
        : throw new ArgumentException(
            $"An Input's dtype given as text must be \"string\"; got \"{dtype}\". For numbers give a ScalarType, e.g. dtype: ScalarType.Int64.",
            nameof(dtype));

    /// <summary>Whether the input holds strings (<c>dtype: "string"</c>); its data then arrives as
    /// <see cref="StringInputs"/> carriers, and only a layer that <see cref="Layer.TakesStrings"/> may take it.</summary>
    public bool HoldsStrings { get; }

    /// <summary>The dtype the model casts this input's data to.</summary>
    public TorchSharp.torch.ScalarType Dtype { get; } = dtype;

    /// <summary>Whether the name was given (and so must not be renamed).</summary>
    internal bool NameWasGiven { get; } = name is not null;

    private static long[] CheckShape(long[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length == 0 || shape.Any(d => d <= 0 && d != Shapes.None))
            throw new ArgumentException(
                $"Input shape must list positive sizes without the batch dimension, e.g. [28, 28], or null (Shapes.None) for a size the " +
                $"data decides; got [{string.Join(", ", shape)}].", nameof(shape));
        return shape;
    }
}
