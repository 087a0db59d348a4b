using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Data;

// Keras's keras.utils.timeseries_dataset_from_array. The class's summary is in Utils.Arrays.cs.
public static partial class Utils
{
    /// <summary>
    /// Sliding windows over a series as a <see cref="Dataset"/> (Keras's <c>timeseries_dataset_from_array</c>): window
    /// <c>i</c> holds steps <c>start + p_i, start + p_i + samplingRate, ...</c> (<paramref name="sequenceLength"/> of them)
    /// where <c>p_i = i * sequenceStride</c>, and its target is <c>targets[start + p_i]</c>.
    /// </summary>
    /// <param name="data">The series, <c>[steps, ...]</c> (e.g. <c>[steps, features]</c>); the dataset reads it lazily, one
    /// gather per batch, so keep it alive while the dataset is used.</param>
    /// <param name="targets">One target per step (window <c>i</c> gets the target at its first step), or null for windows
    /// alone.</param>
    /// <param name="sequenceLength">Steps per window.</param>
    /// <param name="sequenceStride">Steps between the starts of consecutive windows.</param>
    /// <param name="samplingRate">Steps between the samples of a window (6: one sample every 6 steps).</param>
    /// <param name="batchSize">Windows per batch; null for single windows.</param>
    /// <param name="shuffle">Shuffle the windows as Keras does: their start positions once with numpy's
    /// <c>RandomState(seed)</c> (ported, so this step matches Keras), then each pass within a buffer of 8 batches, with
    /// Sequential's generator where Keras uses tf.data's, so the order within a pass differs from Keras's.</param>
    /// <param name="seed">The shuffle's seed; null for a random one.</param>
    /// <param name="startIndex">First step used; default 0.</param>
    /// <param name="endIndex">Steps from this one on are not used; default all.</param>
    /// <returns>A dataset of <c>(windows, targets)</c> batches, or of windows alone.</returns>
    /// <exception cref="ArgumentException">Keras's checks on the indices, strides and rates (the messages are Keras's), or a
    /// series too short for one window.</exception>
    /// <example>
    /// Keras's <c>timeseries_dataset_from_array(x_train, y_train, sequence_length=120, sampling_rate=6, batch_size=256)</c>:
    /// <code>
    /// Dataset train = TimeseriesDatasetFromArray(xTrain, yTrain, sequenceLength: 120, samplingRate: 6, batchSize: 256);
    /// </code>
    /// </example>
    public static Dataset TimeseriesDatasetFromArray(Tensor data, Tensor? targets, int sequenceLength, int sequenceStride = 1,
        int samplingRate = 1, int? batchSize = 128, bool shuffle = false, int? seed = null, int? startIndex = null, int? endIndex = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.dim() == 0) throw new ArgumentException("`data` must have a steps axis; got a scalar.", nameof(data));
        long length = data.shape[0];
        if (startIndex is < 0)
            throw new ArgumentException($"`start_index` must be 0 or greater. Received: start_index={startIndex}", nameof(startIndex));
        if (startIndex is { } s && s >= length)
            throw new ArgumentException(
                $"`start_index` must be lower than the length of the data. Received: start_index={s}, for data of length {length}", nameof(startIndex));
        if (endIndex is { } e)
        {
            if (startIndex is { } s2 && e <= s2)
                throw new ArgumentException(
                    $"`end_index` must be higher than `start_index`. Received: start_index={s2}, and end_index={e}", nameof(endIndex));
            if (e >= length)
                throw new ArgumentException(
                    $"`end_index` must be lower than the length of the data. Received: end_index={e}, for data of length {length}", nameof(endIndex));
            if (e <= 0) throw new ArgumentException($"`end_index` must be higher than 0. Received: end_index={e}", nameof(endIndex));
        }
        CheckStep(samplingRate, "sampling_rate", nameof(samplingRate));
        CheckStep(sequenceStride, "sequence_stride", nameof(sequenceStride));
        if (sequenceLength <= 0)
            throw new ArgumentException($"`sequence_length` must be higher than 0. Received: sequence_length={sequenceLength}", nameof(sequenceLength));
        if (batchSize is <= 0)
            throw new ArgumentException($"batchSize must be a positive number of windows, or null; got {batchSize}.", nameof(batchSize));
        if (targets is not null && targets.dim() == 0)
            throw new ArgumentException("`targets` must have a steps axis; got a scalar.", nameof(targets));

        long start = startIndex ?? 0, end = endIndex ?? length;
        long windows = end - start - (long)(sequenceLength - 1) * samplingRate;
        if (targets is not null) windows = Math.Min(windows, targets.shape[0] - start);
        if (windows <= 0)
            throw new ArgumentException(
                $"The series has {end - start} steps from start_index {start}, too few for one window of sequence_length {sequenceLength} at " +
                $"sampling_rate {samplingRate} ({(long)(sequenceLength - 1) * samplingRate + 1} steps).", nameof(sequenceLength));
        long[] positions = [.. Enumerable.Range(0, checked((int)((windows + sequenceStride - 1) / sequenceStride))).Select(i => (long)i * sequenceStride)];
        if (shuffle)
            LegacyRandomState.FromSeed(seed ?? System.Random.Shared.Next(1_000_000)).Shuffle(positions);   // Keras: np.random.RandomState(seed).shuffle

        var offsets = arange(0, (long)sequenceLength * samplingRate, samplingRate, dtype: ScalarType.Int64);
        Tensor Windows(Tensor p)
        {
            var index = (p.unsqueeze(-1) + start + offsets).reshape(-1);
            return data.index_select(0, index).reshape([.. p.shape, sequenceLength, .. data.shape[1..]]);
        }
        // Keras's checks of sampling_rate and sequence_stride, with its messages.
        void CheckStep(int step, string kerasName, string argument)
        {
            if (step <= 0)
                throw new ArgumentException($"`{kerasName}` must be higher than 0. Received: {kerasName}={step}", argument);
            if (step >= length)
                throw new ArgumentException(
                    $"`{kerasName}` must be lower than the length of the data. Received: {kerasName}={step}, for data of length {length}", argument);
        }
        Tensor Targets(Tensor p) => targets!.index_select(0, (p + start).reshape(-1)).reshape([.. p.shape, .. targets.shape[1..]]);

        var first = tensor(positions);
        var dataset = targets is null ? Dataset.FromTensorSlices(first) : Dataset.FromTensorSlices(first, first);
        if (shuffle) dataset = dataset.Shuffle(batchSize is { } b ? checked(b * 8) : 1024, seed);   // Keras's local shuffle per pass
        if (batchSize is { } size) dataset = dataset.Batch(size);
        return targets is null
            ? dataset.Map((Tensor p) => Windows(p))
            : dataset.Map((p, q) => (Windows(p), Targets(q)));
    }
}
