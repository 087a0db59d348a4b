using static TorchSharp.torch;

namespace Sequential.Data;

/// <summary>
/// Keras 3's <c>keras.utils</c> functions under their Keras names in PascalCase, so that after
/// <c>using static Sequential.Data.Utils;</c> a Keras line ports as it is.
/// </summary>
/// <example><code>using static Sequential.Data.Utils;   var (train, val) = SplitDataset(ds, leftSize: 0.8);</code></example>
public static partial class Utils
{
    /// <summary>
    /// Splits a dataset into a left and a right part (Keras's <c>keras.utils.split_dataset</c>): the first
    /// <paramref name="leftSize"/> samples (after an optional shuffle) and the last <paramref name="rightSize"/>. The
    /// samples are read into memory, as Keras does; it is meant for datasets that fit there.
    /// </summary>
    /// <param name="dataset">A finite dataset. When its last step is <see cref="Dataset.Batch"/> (possibly followed by
    /// <see cref="Dataset.Prefetch"/>), its batches are split into samples and both parts are batched the same way.</param>
    /// <param name="leftSize">An integer: that many samples; a double in (0, 1): that fraction (rounded half to even,
    /// as Python's <c>round</c>). Null: the samples <paramref name="rightSize"/> leaves.</param>
    /// <param name="rightSize">As <paramref name="leftSize"/>, for the right part. Null: the samples
    /// <paramref name="leftSize"/> leaves.</param>
    /// <param name="shuffle">Shuffle the samples before splitting.</param>
    /// <param name="seed">The shuffle's seed; null draws one from <see cref="RandomSeed"/>'s generator.</param>
    /// <returns>The two datasets, each prefetching (Keras's <c>prefetch(AUTOTUNE)</c>).</returns>
    /// <exception cref="ArgumentException">Both sizes null or zero, a size out of range (an integer not in
    /// [1, samples), a fraction not in (0, 1)), fractions summing to more than 1, sizes summing to more than the samples,
    /// a side left empty, an empty or infinite dataset: Keras's rules, with its messages in C#'s argument names.</exception>
    /// <exception cref="InvalidOperationException">The samples differ in structure, shape or dtype.</exception>
    /// <example>
    /// Keras's <c>left_ds, right_ds = keras.utils.split_dataset(data, left_size=0.8)</c>:
    /// <code>
    /// var (left, right) = SplitDataset(Dataset.FromTensorSlices(data), leftSize: 0.8);
    /// Console.WriteLine(left.Cardinality());   // 800 of 1000
    /// </code>
    /// </example>
    public static (Dataset left, Dataset right) SplitDataset(Dataset dataset, SplitSize? leftSize = null, SplitSize? rightSize = null,
        bool shuffle = false, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (leftSize is null && rightSize is null)
            throw new ArgumentException("At least one of leftSize or rightSize must be specified. Received: leftSize=null and rightSize=null.", nameof(leftSize));
        if (dataset.Cardinality() == Dataset.InfiniteCardinality)
            throw new ArgumentException("SplitDataset reads the whole dataset into memory, but this one is infinite (Repeat()); split it before repeating.",
                nameof(dataset));

        var batched = Batched(dataset);
        var samples = new List<Element>();
        try
        {
            using (var pass = (batched is null ? dataset : batched.Input).Open())
                while (pass.MoveNext()) samples.Add(pass.Current);
            if (samples.Count == 0)
                throw new ArgumentException("Received an empty dataset. Argument dataset must be a non-empty dataset.", nameof(dataset));
            if (shuffle)
                new Random(seed ?? RandomSeed.Shared.Next(0, 1_000_001)).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(samples));
            var (left, right) = SplitSizes(leftSize, rightSize, samples.Count);
            return (Part(samples[..left], batched), Part(samples[^right..], batched));
        }
        finally
        {
            foreach (var sample in samples) sample.DisposeTensors();
        }
    }

    /// <summary>Splits tensors of samples (Keras's <c>split_dataset((x, y), ...)</c> on arrays).</summary>
    /// <param name="arrays">The inputs and targets, <c>[N, ...]</c> each.</param>
    /// <param name="leftSize">As in <see cref="SplitDataset(Dataset, SplitSize?, SplitSize?, bool, int?)"/>.</param>
    /// <param name="rightSize">As in <see cref="SplitDataset(Dataset, SplitSize?, SplitSize?, bool, int?)"/>.</param>
    /// <param name="shuffle">Shuffle the samples before splitting.</param>
    /// <param name="seed">The shuffle's seed.</param>
    /// <returns>The two datasets of <c>(x, y)</c> samples.</returns>
    /// <exception cref="ArgumentException">As in the dataset overload; or the first dimensions differ.</exception>
    /// <example><code>var (train, test) = SplitDataset((x, y), leftSize: 0.8, shuffle: true, seed: 1);</code></example>
    public static (Dataset left, Dataset right) SplitDataset((Tensor x, Tensor y) arrays, SplitSize? leftSize = null, SplitSize? rightSize = null,
        bool shuffle = false, int? seed = null) =>
        SplitDataset(Dataset.FromTensorSlices(arrays.x, arrays.y), leftSize, rightSize, shuffle, seed);

    /// <summary>Splits a tensor of samples (Keras's <c>split_dataset(array, ...)</c>).</summary>
    /// <param name="x">The samples, <c>[N, ...]</c>.</param>
    /// <param name="leftSize">As in <see cref="SplitDataset(Dataset, SplitSize?, SplitSize?, bool, int?)"/>.</param>
    /// <param name="rightSize">As in <see cref="SplitDataset(Dataset, SplitSize?, SplitSize?, bool, int?)"/>.</param>
    /// <param name="shuffle">Shuffle the samples before splitting.</param>
    /// <param name="seed">The shuffle's seed.</param>
    /// <returns>The two datasets of samples.</returns>
    /// <exception cref="ArgumentException">As in the dataset overload.</exception>
    /// <example><code>var (left, right) = SplitDataset(torch.rand(1000, 4), leftSize: 0.8);   // 800 and 200 samples</code></example>
    public static (Dataset left, Dataset right) SplitDataset(Tensor x, SplitSize? leftSize = null, SplitSize? rightSize = null,
        bool shuffle = false, int? seed = null) =>
        SplitDataset(Dataset.FromTensorSlices(x), leftSize, rightSize, shuffle, seed);

    /// <summary>The dataset's final Batch, looking through Prefetch and subclass wrappers (which do not change elements).</summary>
    private static BatchDataset? Batched(Dataset dataset)
    {
        while (true)
        {
            switch (dataset)
            {
                case BatchDataset batch:
                    return batch;
                case PrefetchDataset prefetch:
                    dataset = prefetch.Input;
                    break;
                default:
                    if (dataset.Source is not { } source) return null;
                    dataset = source;
                    break;
            }
        }
    }

    /// <summary>A dataset of <paramref name="samples"/> (stacked into new tensors), batched as the input was, prefetching.</summary>
    private static Dataset Part(List<Element> samples, BatchDataset? batched)
    {
        var stacked = Stacking.Stack(samples, 0, "SplitDataset");
        Dataset part = new TensorSlicesDataset(stacked, samples.Count);
        if (batched is not null) part = part.Batch(batched.BatchSize);
        return part.Prefetch(Dataset.Autotune);
    }

    /// <summary>Keras's <c>_rescale_dataset_split_sizes</c>: checks the sizes and turns them into sample counts.</summary>
    internal static (int left, int right) SplitSizes(SplitSize? leftSize, SplitSize? rightSize, int total)
    {
        if (leftSize is { IsZero: true } && rightSize is { IsZero: true })
            throw new ArgumentException("Both leftSize and rightSize are zero. At least one of the split sizes must be non-zero.", nameof(leftSize));
        if (leftSize is { } l && !InRange(l, total))
            throw new ArgumentOutOfRangeException(nameof(leftSize), l.ToString(),
                $"leftSize should be either a positive integer smaller than {total}, or a float within the range (0, 1). Received: leftSize={l}.");
        if (rightSize is { } r && !InRange(r, total))
            throw new ArgumentOutOfRangeException(nameof(rightSize), r.ToString(),
                $"rightSize should be either a positive integer smaller than {total}, or a float within the range (0, 1). Received: rightSize={r}.");
        if (leftSize?.Fraction is double lf && rightSize?.Fraction is double rf && lf + rf > 1)
            throw new ArgumentException("The sum of leftSize and rightSize is greater than 1. It must be less than or equal to 1.", nameof(rightSize));

        long? left = Samples(leftSize, total), right = Samples(rightSize, total);
        left ??= total - right!.Value;
        right ??= total - left.Value;
        if (left + right > total)
            throw new ArgumentException(
                $"The sum of leftSize and rightSize should be at most the {total} samples. Received: leftSize + rightSize = {left + right} " +
                $"and total_length = {total}.", nameof(rightSize));
        foreach (var (split, side) in new[] { (left, "left"), (right, "right") })
            if (split == 0)
                throw new ArgumentException(
                    $"With a dataset of length={total}, leftSize={left} and rightSize={right}, the resulting {side} side dataset split " +
                    "will be empty. Adjust any of the aforementioned parameters.", side == "left" ? nameof(leftSize) : nameof(rightSize));
        return ((int)left.Value, (int)right.Value);
    }

    private static bool InRange(SplitSize size, int total) => size.Count is long count
        ? count > 0 && count < total
        : size.Fraction is > 0 and < 1;

    /// <summary>A size in samples: a count as it is, a fraction times the total rounded half to even (Python's <c>round</c>).</summary>
    private static long? Samples(SplitSize? size, int total) => size switch
    {
        null => null,
        { Count: long count } => count,
        { Fraction: double fraction } => (long)Math.Round(fraction * total, MidpointRounding.ToEven),
        _ => null,
    };
}
