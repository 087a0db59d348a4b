using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Data;

// Keras's keras.utils.pad_sequences. The class's summary is in Utils.Arrays.cs.
public static partial class Utils
{
    /// <summary>
    /// Pads (or truncates) sequences of ids to one length (Keras's <c>pad_sequences</c>): a <c>[N, maxlen]</c> tensor,
    /// padded with <paramref name="value"/> before each sequence (<c>"pre"</c>, the default) or after it (<c>"post"</c>),
    /// and sequences longer than <paramref name="maxlen"/> cut at the start (<c>"pre"</c>) or the end (<c>"post"</c>).
    /// </summary>
    /// <param name="sequences">The sequences, e.g. <c>Imdb.LoadData()</c>'s <c>int[][]</c> reviews.</param>
    /// <param name="maxlen">The length; null for the longest sequence's.</param>
    /// <param name="dtype">The tensor's type (Keras's default int32).</param>
    /// <param name="padding">"pre" or "post": where the padding goes.</param>
    /// <param name="truncating">"pre" or "post": where a too-long sequence loses values.</param>
    /// <param name="value">The padding value.</param>
    /// <returns>A tensor <c>[N, maxlen]</c> of <paramref name="dtype"/>.</returns>
    /// <exception cref="ArgumentException">An unknown padding or truncating, a negative maxlen, a null sequence, or a result
    /// over 2^31 values.</exception>
    /// <example>
    /// Keras's <c>x_train = keras.utils.pad_sequences(x_train, maxlen=200)</c>:
    /// <code>
    /// var ((xTrain, yTrain), _) = Imdb.LoadData(numWords: 20000);
    /// Tensor padded = PadSequences(xTrain, maxlen: 200);   // int32 [25000, 200]
    /// </code>
    /// </example>
    public static Tensor PadSequences(IReadOnlyList<IReadOnlyList<long>> sequences, int? maxlen = null, ScalarType dtype = ScalarType.Int32,
        string padding = "pre", string truncating = "pre", double value = 0.0) =>
        Pad(sequences, s => s.Count, (s, i) => s[i], checked((long)value), maxlen, dtype, padding, truncating,
            (values, shape) => torch.tensor(values, shape, ScalarType.Int64));

    /// <summary>Pads (or truncates) sequences of int ids to one length (Keras's <c>pad_sequences</c>); see the long overload.</summary>
    /// <param name="sequences">The sequences, e.g. <c>Imdb.LoadData()</c>'s <c>int[][]</c> reviews.</param>
    /// <param name="maxlen">The length; null for the longest sequence's.</param>
    /// <param name="dtype">The tensor's type (Keras's default int32).</param>
    /// <param name="padding">"pre" or "post": where the padding goes.</param>
    /// <param name="truncating">"pre" or "post": where a too-long sequence loses values.</param>
    /// <param name="value">The padding value.</param>
    /// <returns>A tensor <c>[N, maxlen]</c> of <paramref name="dtype"/>.</returns>
    /// <exception cref="ArgumentException">As for the long overload.</exception>
    public static Tensor PadSequences(IReadOnlyList<IReadOnlyList<int>> sequences, int? maxlen = null, ScalarType dtype = ScalarType.Int32,
        string padding = "pre", string truncating = "pre", double value = 0.0) =>
        Pad(sequences, s => s.Count, (s, i) => (long)s[i], checked((long)value), maxlen, dtype, padding, truncating,
            (values, shape) => torch.tensor(values, shape, ScalarType.Int64));

    /// <summary>Pads (or truncates) sequences of numbers to one length (Keras's <c>pad_sequences(..., dtype="float32")</c>).</summary>
    /// <param name="sequences">The sequences.</param>
    /// <param name="maxlen">The length; null for the longest sequence's.</param>
    /// <param name="dtype">The tensor's type (float32 by default here, since the values are fractional).</param>
    /// <param name="padding">"pre" or "post": where the padding goes.</param>
    /// <param name="truncating">"pre" or "post": where a too-long sequence loses values.</param>
    /// <param name="value">The padding value.</param>
    /// <returns>A tensor <c>[N, maxlen]</c> of <paramref name="dtype"/>.</returns>
    /// <exception cref="ArgumentException">As for the long overload.</exception>
    public static Tensor PadSequences(IReadOnlyList<IReadOnlyList<double>> sequences, int? maxlen = null, ScalarType dtype = ScalarType.Float32,
        string padding = "pre", string truncating = "pre", double value = 0.0) =>
        Pad(sequences, s => s.Count, (s, i) => s[i], value, maxlen, dtype, padding, truncating,
            (values, shape) => torch.tensor(values, shape, ScalarType.Float64));

    /// <summary>The padding itself, in the values' own type (ids stay exact 64-bit integers until the final cast).</summary>
    private static Tensor Pad<TSequence, TValue>(IReadOnlyList<TSequence> sequences, Func<TSequence, int> length, Func<TSequence, int, TValue> at,
        TValue value, int? maxlen, ScalarType dtype, string padding, string truncating, Func<TValue[], long[], Tensor> make)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        bool padPost = Side(padding, nameof(padding), "Padding");
        bool truncatePost = Side(truncating, nameof(truncating), "Truncating");
        if (maxlen is < 0)
            throw new ArgumentException($"maxlen must be >= 0 (or null for the longest sequence); got {maxlen}.", nameof(maxlen));
        int longest = 0;
        for (int i = 0; i < sequences.Count; i++)
        {
            if (sequences[i] is null)
                throw new ArgumentException($"`sequences` must be a list of sequences; the one at position {i} is null.", nameof(sequences));
            longest = Math.Max(longest, length(sequences[i]));
        }
        int width = maxlen ?? longest;
        long total = (long)sequences.Count * width;
        if (total > int.MaxValue)
            throw new ArgumentException(
                $"Padding {sequences.Count:N0} sequences to {width:N0} steps makes {total:N0} values, more than one tensor built here holds " +
                "(2^31); pass a smaller maxlen or pad in parts.", nameof(maxlen));
        var values = new TValue[total];
        Array.Fill(values, value);
        for (int row = 0; row < sequences.Count; row++)
        {
            var sequence = sequences[row];
            int n = length(sequence);
            int kept = Math.Min(n, width);
            int from = truncatePost ? 0 : n - kept;           // "pre" truncation keeps the last steps
            int to = padPost ? 0 : width - kept;               // "pre" padding puts the values at the end
            for (int i = 0; i < kept; i++) values[(long)row * width + to + i] = at(sequence, from + i);
        }
        using var scope = NewDisposeScope();
        return make(values, [sequences.Count, width]).to_type(dtype).MoveToOuterDisposeScope();
    }

    private static bool Side(string side, string argument, string what) => side switch
    {
        "pre" => false,
        "post" => true,
        _ => throw new ArgumentException($"{what} type \"{side}\" not understood; use \"pre\" or \"post\".", argument),
    };
}
