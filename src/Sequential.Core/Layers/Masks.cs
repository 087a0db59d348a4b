using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// The masks that travel with tensors through a model (Keras's <c>_keras_mask</c>, read and written by
/// <c>keras.backend.get_keras_mask</c> / <c>set_keras_mask</c>): a boolean tensor of a batch's leading axes, true for
/// the timesteps that count. <c>Embedding(maskZero: true)</c> and <c>Masking</c> make one; <see cref="Layer.Apply(Tensor, bool, Tensor?)"/>
/// hands it to each layer's <see cref="Layer.Call(Tensor, Tensor?, bool)"/> and attaches the layer's
/// <see cref="Layer.ComputeMask(Tensor, Tensor?)"/> to its output; losses and compiled metrics leave the masked timesteps
/// out.
/// </summary>
/// <remarks>A mask is attached to one tensor object: an operation that makes a new tensor (<c>x * 2</c>,
/// <c>x.to(device)</c>) makes one without a mask, as in Keras.</remarks>
/// <example>
/// <code>
/// var embedded = new Embedding(1000, 16, maskZero: true).Apply(tensor(new long[,] { { 5, 7, 0 } }));
/// Tensor? mask = Masks.Get(embedded);   // [[true, true, false]]
/// </code>
/// </example>
public static class Masks
{
    private static readonly ConditionalWeakTable<Tensor, Tensor> Attached = new();
    private static volatile bool _anySet;

    /// <summary>The mask attached to <paramref name="x"/>, or null (none, or one already disposed with its step).</summary>
    /// <param name="x">A tensor a layer returned.</param>
    /// <returns>A boolean tensor of <paramref name="x"/>'s leading axes, or null.</returns>
    public static Tensor? Get(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return _anySet && Attached.TryGetValue(x, out var mask) && !mask.IsInvalid ? mask : null;
    }

    /// <summary>Attaches <paramref name="mask"/> to <paramref name="x"/> (null removes it), as Keras's
    /// <c>set_keras_mask</c>.</summary>
    /// <param name="x">The tensor.</param>
    /// <param name="mask">A tensor of <paramref name="x"/>'s leading axes (made boolean here), or null.</param>
    /// <exception cref="ArgumentException">The mask's shape is not a prefix of <paramref name="x"/>'s; the message names both.</exception>
    public static void Set(Tensor x, Tensor? mask)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (mask is null)
        {
            Attached.Remove(x);
            return;
        }
        long[] m = mask.shape, s = x.shape;
        bool fits = m.Length <= s.Length && m.Length > 0;
        for (int i = 0; fits && i < m.Length; i++) fits = m[i] == s[i];
        if (!fits)
            throw new ArgumentException(
                $"A mask of shape {Shapes.Format(m)} does not fit a tensor of shape {Shapes.Format(s)}: a mask covers the tensor's " +
                $"leading axes (e.g. {Shapes.Format(s.Length >= 2 ? s[..2] : s)} for a batch of sequences).", nameof(mask));
        Attached.AddOrUpdate(x, mask.dtype == ScalarType.Bool ? mask : mask.to_type(ScalarType.Bool));
        _anySet = true;
    }
}
