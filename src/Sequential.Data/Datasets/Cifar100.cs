using TorchSharp;

namespace Sequential.Data;

/// <summary>
/// CIFAR-100 as Keras's <c>keras.datasets.cifar100</c>: 50,000 training and 10,000 test colour images of 32 x 32 pixels,
/// as <c>uint8 [N, 32, 32, 3]</c> (Keras's channels_last), labelled with 100 fine classes or 20 coarse superclasses as
/// <c>int64 [N, 1]</c>.
/// </summary>
/// <remarks>
/// <para>Reads the files of the tarball Keras downloads, <c>cifar-100-python.tar.gz</c>, once extracted: <c>train</c> and
/// <c>test</c>, pickled dictionaries read by the restricted reader described on <see cref="Cifar10"/>. The binary version
/// (<c>train.bin</c>, <c>test.bin</c>: coarse label, fine label, 3,072 pixels per image) is read too. Layouts accepted in a
/// folder: <c>cifar-100-python/</c>, <c>cifar-100-binary/</c>, Keras's cache
/// <c>cifar-100-python-target/cifar-100-python/</c>, or the files directly inside.</para>
/// <para>Without a folder, <c>$SEQUENTIAL_DATASETS/cifar100</c> then <c>~/.sequential/datasets/cifar100</c> are searched.</para>
/// </remarks>
public static class Cifar100
{
    internal static readonly KerasDatasetFiles Data = new(
        Title: "CIFAR-100", FolderName: "cifar100",
        Layouts:
        [
            .. new[] { "", "cifar-100-python/", "cifar-100-python-target/cifar-100-python/" }
                .Select(prefix => new[] { prefix + "train", prefix + "test" }),
            .. new[] { "", "cifar-100-binary/" }.Select(prefix => new[] { prefix + "train.bin", prefix + "test.bin" }),
        ],
        Origin: "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz",
        FileHash: "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7", Extract: true);

    /// <summary>Loads the CIFAR-100 training and test sets.</summary>
    /// <param name="labelMode"><c>"fine"</c> (100 classes) or <c>"coarse"</c> (20 superclasses).</param>
    /// <param name="directory">A folder holding the files in one of the layouts listed on <see cref="Cifar100"/>; null
    /// searches the default places.</param>
    /// <returns><c>x</c>: <c>uint8 [N, 32, 32, 3]</c>; <c>y</c>: <c>int64 [N, 1]</c>. The caller owns the tensors.</returns>
    /// <exception cref="ArgumentException"><paramref name="labelMode"/> is neither "fine" nor "coarse".</exception>
    /// <exception cref="FileNotFoundException">The files are not found; the message names the folders, the missing
    /// files, and the URL and hash Keras downloads.</exception>
    /// <exception cref="InvalidDataException">A file is not CIFAR-100's, is truncated or damaged, or holds a pickle
    /// outside the allowed set; the message names the file.</exception>
    /// <example>
    /// Keras's <c>(x_train, y_train), (x_test, y_test) = keras.datasets.cifar100.load_data(label_mode="coarse")</c> becomes:
    /// <code>
    /// var ((xTrain, yTrain), (xTest, yTest)) = Cifar100.LoadData(labelMode: "coarse");
    /// </code>
    /// </example>
    public static ((torch.Tensor x, torch.Tensor y) train, (torch.Tensor x, torch.Tensor y) test) LoadData(
        string labelMode = "fine", string? directory = null)
    {
        int classes = labelMode switch
        {
            "fine" => 100,
            "coarse" => 20,
            _ => throw new ArgumentException(
                $"labelMode must be one of \"fine\", \"coarse\". Received: labelMode={labelMode}.", nameof(labelMode)),
        };
        string[] files = DatasetLocator.Locate(Data, directory);
        const string expected = "a CIFAR-100 file";
        var batches = files.Select(f => f.EndsWith(".bin", StringComparison.Ordinal)
            ? CifarData.ReadBinary(f, labelBytes: 2, labelIndex: labelMode == "coarse" ? 0 : 1, classes, expected)
            : CifarData.ReadPickle(f, $"{labelMode}_labels", classes, expected)).ToList();
        return (CifarData.ToTensors(batches[..1]), CifarData.ToTensors(batches[1..]));
    }
}
