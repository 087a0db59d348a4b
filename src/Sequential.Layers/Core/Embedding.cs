using Sequential.Initializers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Turns integer ids into dense vectors of a fixed size (Keras's <c>Embedding</c>): <c>output[..., :] = embeddings[id]</c>,
/// from a <c>[inputDim, outputDim]</c> table. Inputs are integer tensors of any shape and any integer dtype (uint8, int8,
/// int16, int32, int64); the output has one more axis, of size <c>outputDim</c>.
/// </summary>
/// <remarks>
/// As a model's first layer the ids keep their dtype (<see cref="InputDtype"/> is null): they are not cast to float32.
/// Ids outside <c>[0, inputDim)</c> raise an <see cref="ArgumentException"/> naming the id. Parameters: inputDim·outputDim.
/// <para>With <c>maskZero: true</c> id 0 is padding: the output carries the mask <c>ids != 0</c> (see <see cref="Masks"/>),
/// which recurrent layers, GlobalAveragePooling1D, attention, losses and metrics respect, as in Keras.</para>
/// </remarks>
/// <example>
/// <code>
/// new Embedding(20000, 128)                 // (None, 200) int ids -> (None, 200, 128), 2,560,000 parameters
/// new Embedding(1000, 64, maskZero: true)   // id 0 reserved for padding
/// </code>
/// </example>
public sealed class Embedding : Layer
{
    /// <summary>Creates an Embedding layer.</summary>
    /// <param name="inputDim">Vocabulary size: ids run from 0 to inputDim - 1 (positive).</param>
    /// <param name="outputDim">Size of each embedding vector (positive).</param>
    /// <param name="embeddingsInitializer">Initializer of the table (an object or its Keras name); null for Keras's default "uniform", uniform(-0.05, 0.05).</param>
    /// <param name="maskZero">Whether id 0 is padding to be masked (the output carries the mask ids != 0).</param>
    /// <param name="inputLength">Keras 2's sequence length; when given without <paramref name="inputShape"/> it sets the
    /// per-sample input shape to (inputLength). Keras 3 deprecates it.</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model, e.g. [200].</param>
    /// <param name="name">Layer name; default embedding, embedding_1, ...</param>
    /// <exception cref="ArgumentOutOfRangeException">inputDim, outputDim or inputLength is not positive.</exception>
    /// <exception cref="ArgumentException">Unknown initializer.</exception>
    public Embedding(int inputDim, int outputDim, Initializer? embeddingsInitializer = null, bool maskZero = false,
        int? inputLength = null, long[]? inputShape = null, string? name = null)
        : base(name, inputShape ?? (inputLength is int length ? [length] : null))
    {
        InputDim = ConvArithmetic.Positive(inputDim, nameof(inputDim), nameof(Embedding));
        OutputDim = ConvArithmetic.Positive(outputDim, nameof(outputDim), nameof(Embedding));
        if (inputLength is int l) ConvArithmetic.Positive(l, nameof(inputLength), nameof(Embedding));
        EmbeddingsInitializer = embeddingsInitializer ?? "uniform"; // Keras's "uniform": RandomUniform(-0.05, 0.05)
        MaskZero = maskZero;
        InputLength = inputLength;
    }

    /// <summary>Vocabulary size.</summary>
    public int InputDim { get; }

    /// <summary>Size of each embedding vector.</summary>
    public int OutputDim { get; }

    /// <summary>Initializer of the table.</summary>
    public Initializer EmbeddingsInitializer { get; }

    /// <summary>Whether id 0 is padding (recorded only; masks are not implemented yet).</summary>
    public bool MaskZero { get; }

    /// <summary>Keras 2's sequence length, if given.</summary>
    public int? InputLength { get; }

    /// <summary>The table <c>[inputDim, outputDim]</c> (Keras's layout), or null before the layer is built.</summary>
    public Parameter? Embeddings => Built ? get_parameter("embeddings") : null;

    /// <summary>Null: integer ids keep their dtype when this is a model's first layer.</summary>
    public override ScalarType? InputDtype => null;

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) => [.. inputShape, OutputDim];

    /// <inheritdoc/>
    public override void Build(long[] inputShape) =>
        AddWeight("embeddings", [InputDim, OutputDim], EmbeddingsInitializer, InputDim, OutputDim);

    /// <summary>With <see cref="MaskZero"/>, the mask <c>x != 0</c> (id 0 is padding); otherwise none.</summary>
    /// <param name="x">The ids.</param>
    /// <param name="mask">Unused (an input mask is replaced, as in Keras).</param>
    /// <returns>A boolean mask of the ids' shape, or null.</returns>
    public override Tensor? ComputeMask(Tensor x, Tensor? mask) => MaskZero ? x.ne(0) : null;

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        if (x.dtype is not (ScalarType.Int64 or ScalarType.Int32 or ScalarType.Int16 or ScalarType.Int8 or ScalarType.Byte))
            throw new ArgumentException(
                $"Layer \"{Name}\" (Embedding) takes integer ids (int64, int32, int16, int8 or uint8); got a {x.dtype} tensor of shape " +
                $"{Shapes.Format(x.shape)}. Pass the ids as integers, e.g. ids.to(ScalarType.Int64).");
        var ids = x.dtype == ScalarType.Int64 ? x : x.to(ScalarType.Int64);
        if (ids.numel() > 0)
        {
            using var bad = ids.lt(0).logical_or_(ids.ge(InputDim));
            if (bad.any().item<bool>())
            {
                long id = ids.masked_select(bad)[0].item<long>();
                throw new ArgumentException(
                    $"Layer \"{Name}\" (Embedding) got the id {id}, outside [0, {InputDim}) for inputDim {InputDim}. " +
                    $"Ids must be 0 to {InputDim - 1}: raise inputDim to cover the vocabulary, or map unknown ids into range (e.g. to an OOV id).");
            }
        }
        var table = InComputeDtype(Embeddings!);
        return table.index_select(0, ids.flatten()).view([.. x.shape, OutputDim]);
    }
}
