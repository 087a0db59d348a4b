using TorchSharp;

namespace Sequential.Data;

/// <summary>
/// Reads CIFAR batches in either of the two forms Toronto publishes: the python version Keras downloads
/// (<c>cifar-10-python.tar.gz</c>: pickled dictionaries whose <c>data</c> is a <c>uint8 (N, 3072)</c> numpy array, read by
/// <see cref="PickleReader"/> with Keras's restrictions) and the binary version (records of label byte(s) then 3,072
/// pixels, no pickle at all). Both store each image channel-first (1,024 red, 1,024 green, 1,024 blue, rows top to
/// bottom); the result is Keras's channels-last <c>uint8 [N, 32, 32, 3]</c>.
/// </summary>
internal static class CifarData
{
    /// <summary>Bytes per image: 3 channels of 32 x 32.</summary>
    internal const int ImageBytes = 3 * 32 * 32;

    /// <summary>Largest batch file read; CIFAR-100's <c>train</c> (50,000 images) is 155 MB.</summary>
    internal const long MaxBatchFileBytes = 512L << 20;

    /// <summary>One batch: channel-first pixels (<c>N * 3072</c> bytes) and one label per image.</summary>
    internal readonly record struct Batch(ReadOnlyMemory<byte> Pixels, long[] Labels);

    /// <summary>Reads a python-version batch (<c>data_batch_1</c>, <c>train</c>, ...): Keras's <c>cifar.load_batch</c>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="labelKey"><c>labels</c> (CIFAR-10), <c>fine_labels</c> or <c>coarse_labels</c> (CIFAR-100).</param>
    /// <param name="classes">Labels must lie in [0, classes).</param>
    /// <param name="expected">What the file should be, for messages.</param>
    public static Batch ReadPickle(string path, string labelKey, int classes, string expected)
    {
        byte[] bytes = ReadFile(path, expected);
        if (PickleReader.Load(bytes, path) is not Dictionary<string, object?> dict)
            throw new InvalidDataException($"'{path}' holds a pickle but not the dictionary of {expected}.");
        if (!dict.TryGetValue("data", out object? dataValue) || !dict.TryGetValue(labelKey, out object? labelValue))
            throw new InvalidDataException(
                $"'{path}' has no '{(dict.ContainsKey("data") ? labelKey : "data")}' entry (its keys: " +
                $"{string.Join(", ", dict.Keys.Take(20))}); expected {expected}.");
        if (dataValue is not NumpyArray { Dtype.Code: "u1", Shape.Length: >= 1 } data ||
            data.Count % ImageBytes != 0 || data.Count / ImageBytes != data.Shape[0])
            throw new InvalidDataException(
                $"'{path}': 'data' should be a uint8 array of shape (N, 3072), 32 x 32 x 3 per image; it is " +
                $"{(dataValue is NumpyArray array ? array.Describe() : "not a numpy array")}.");
        if (data.FortranOrder && data.Shape[0] > 1)
            throw new InvalidDataException(
                $"'{path}': 'data' is stored column-major (Fortran order); CIFAR's batches are row-major, one image per row.");
        long[] labels = labelValue switch
        {
            PickleList { IsIntegers: true } list => [.. list.Integers],
            NumpyArray array when array.ToInt64s(out _) is { } values => values,
            _ => throw new InvalidDataException($"'{path}': '{labelKey}' is not a list of integers (nor a 1-D integer array)."),
        };
        if (labels.Length != data.Shape[0])
            throw new InvalidDataException(
                $"'{path}' holds {data.Shape[0]} images but {labels.Length} entries in '{labelKey}'; the file is damaged.");
        CheckLabels(labels, classes, path, labelKey);
        return new Batch(data.Data, labels);
    }

    /// <summary>Reads a binary-version batch (<c>data_batch_1.bin</c>, <c>train.bin</c>).</summary>
    /// <param name="path">The file.</param>
    /// <param name="labelBytes">Label bytes before each image: 1 (CIFAR-10) or 2 (CIFAR-100: coarse, fine).</param>
    /// <param name="labelIndex">Which of them is returned.</param>
    /// <param name="classes">Labels must lie in [0, classes).</param>
    /// <param name="expected">What the file should be, for messages.</param>
    public static Batch ReadBinary(string path, int labelBytes, int labelIndex, int classes, string expected)
    {
        byte[] bytes = ReadFile(path, expected);
        int record = labelBytes + ImageBytes;
        if (bytes.Length % record != 0)
            throw new InvalidDataException(
                $"'{path}' has {bytes.Length} bytes, not a whole number of {record}-byte records ({labelBytes} label " +
                $"byte{(labelBytes > 1 ? "s" : "")} + 3,072 pixels); it is truncated or not {expected}.");
        int count = bytes.Length / record;
        var pixels = new byte[(long)count * ImageBytes];
        var labels = new long[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = bytes[i * record + labelIndex];
            bytes.AsSpan(i * record + labelBytes, ImageBytes).CopyTo(pixels.AsSpan(i * ImageBytes));
        }
        CheckLabels(labels, classes, path, "labels");
        return new Batch(pixels, labels);
    }

    /// <summary>
    /// Concatenates batches into Keras's arrays: <c>x</c> <c>uint8 [N, 32, 32, 3]</c> (Keras's
    /// <c>x.transpose(0, 2, 3, 1)</c> for channels_last) and <c>y</c> <c>int64 [N, 1]</c>.
    /// </summary>
    public static (torch.Tensor x, torch.Tensor y) ToTensors(IReadOnlyList<Batch> batches)
    {
        Backend.EnsureNativeLoaded();
        long count = batches.Sum(b => (long)b.Labels.Length);
        using var channelsFirst = torch.empty([count, 3, 32, 32], torch.ScalarType.Byte);
        var target = channelsFirst.bytes;
        int offset = 0;
        foreach (var batch in batches)
        {
            batch.Pixels.Span.CopyTo(target[offset..]);
            offset += batch.Pixels.Length;
        }
        using var view = channelsFirst.permute(0, 2, 3, 1);
        var x = view.contiguous();
        long[] labels = [.. batches.SelectMany(b => b.Labels)];
        var y = torch.tensor(labels, [count, 1], torch.ScalarType.Int64);
        return (x, y);
    }

    private static byte[] ReadFile(string path, string expected)
    {
        long length = new FileInfo(path).Length;
        if (length > MaxBatchFileBytes)
            throw new InvalidDataException(
                $"'{path}' has {length} bytes, more than the {MaxBatchFileBytes} a CIFAR batch can need; it is not {expected}.");
        return File.ReadAllBytes(path);
    }

    private static void CheckLabels(long[] labels, int classes, string path, string key)
    {
        int bad = Array.FindIndex(labels, l => l < 0 || l >= classes);
        if (bad >= 0)
            throw new InvalidDataException(
                $"'{path}': '{key}' holds {labels[bad]} for image {bad}, outside the {classes} classes 0-{classes - 1}; " +
                "the file is damaged or belongs to the other CIFAR set.");
    }
}
