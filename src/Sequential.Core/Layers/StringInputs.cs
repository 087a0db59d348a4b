using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// How a batch of strings reaches a model whose input holds strings (Keras's <c>keras.Input(shape=(1,),
/// dtype="string")</c> followed by a TextVectorization layer): libtorch has no string tensors, so the strings travel
/// attached to a carrier, a uint8 tensor of the batch's shape (one zero byte per string), as masks travel with tensors.
/// The training loop makes carriers from a Dataset's batches of strings, moves them to the model's device with their
/// strings, and a layer that takes strings (<see cref="Layer.TakesStrings"/>) reads them back.
/// </summary>
/// <example>
/// <code>
/// Tensor carrier = StringInputs.Carry(["a fine film", "dull"], [2, 1]);
/// IReadOnlyList&lt;string&gt; texts = StringInputs.Get(carrier)!;   // the two strings, row-major
/// </code>
/// </example>
public static class StringInputs
{
    private static readonly ConditionalWeakTable<Tensor, string[]> Attached = new();

    /// <summary>A carrier for <paramref name="values"/>: a uint8 tensor of <paramref name="shape"/> (its first axis the
    /// batch) with the strings attached in row-major order.</summary>
    /// <param name="values">The strings, as many as the shape holds.</param>
    /// <param name="shape">The batch's shape, e.g. <c>[N, 1]</c> or <c>[N]</c>.</param>
    /// <param name="device">Where the carrier lives (the model's device); default the CPU.</param>
    /// <returns>The carrier.</returns>
    /// <exception cref="ArgumentException">The count does not fit the shape, or a string is null.</exception>
    public static Tensor Carry(IReadOnlyList<string> values, IReadOnlyList<long> shape, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Count == 0 || shape.Any(d => d < 0) || Shapes.Product(shape) != values.Count)
            throw new ArgumentException(
                $"A batch of {values.Count} strings does not have shape {Shapes.Format(shape)}: give the batch axis first and as many " +
                "strings as the shape holds.", nameof(shape));
        var copy = new string[values.Count];
        for (int i = 0; i < copy.Length; i++)
            copy[i] = values[i] ?? throw new ArgumentException($"String {i} of the batch is null.", nameof(values));
        var carrier = zeros([.. shape], ScalarType.Byte, device);
        Attached.AddOrUpdate(carrier, copy);
        return carrier;
    }

    /// <summary>The strings a carrier holds, or null for any other tensor.</summary>
    /// <param name="x">A tensor.</param>
    /// <returns>The strings in row-major order, or null.</returns>
    public static IReadOnlyList<string>? Get(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Attached.TryGetValue(x, out var values) ? values : null;
    }

    /// <summary>The carrier on <paramref name="device"/> with the same strings (a carrier's strings do not follow
    /// TorchSharp's <c>to</c>); other tensors are returned as they are.</summary>
    internal static Tensor? MovedTo(Tensor x, Device device) =>
        Attached.TryGetValue(x, out var values) ? Carry(values, x.shape, device) : null;
}
