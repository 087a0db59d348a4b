using TorchSharp;

namespace Sequential.Data;

/// <summary>
/// CIFAR-10 as Keras's <c>keras.datasets.cifar10</c>: 50,000 training and 10,000 test colour images of 32 x 32 pixels,
/// as <c>uint8 [N, 32, 32, 3]</c> (Keras's channels_last), labelled 0-9 (airplane, automobile, bird, cat, deer, dog,
/// frog, horse, ship, truck) as <c>int64 [N, 1]</c>: Keras's shape, with the int64 labels every Sequential loader returns.
/// </summary>
/// <remarks>
/// <para>Reads the files of the tarball Keras downloads, <c>cifar-10-python.tar.gz</c>, once extracted:
/// <c>data_batch_1</c> to <c>data_batch_5</c> and <c>test_batch</c>, pickled dictionaries read by a restricted reader
/// that accepts only numpy's array reconstruction and plain values, as Keras's own restricted unpickler (nothing in the
/// files is ever run). The binary version, <c>cifar-10-binary.tar.gz</c> (<c>data_batch_1.bin</c> ... <c>test_batch.bin</c>,
/// no pickle), is read too. Both are accepted in a folder as extracted (<c>cifar-10-batches-py/</c>,
/// <c>cifar-10-batches-bin/</c>), as Keras caches it (<c>cifar-10-batches-py-target/cifar-10-batches-py/</c>, so
/// <c>Cifar10.LoadData("/home/me/.keras/datasets")</c> reads a Keras user's copy), or with the files directly inside.</para>
/// <para>Without a folder, <c>$SEQUENTIAL_DATASETS/cifar10</c> then <c>~/.sequential/datasets/cifar10</c> are searched.</para>
/// </remarks>
public static class Cifar10
{
    private static readonly string[] PythonFiles = ["data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5", "test_batch"];

    internal static readonly KerasDatasetFiles Data = new(
        Title: "CIFAR-10", FolderName: "cifar10",
        Layouts:
        [
            .. new[] { "", "cifar-10-batches-py/", "cifar-10-batches-py-target/cifar-10-batches-py/" }
                .Select(prefix => PythonFiles.Select(f => prefix + f).ToArray()),
            .. new[] { "", "cifar-10-batches-bin/" }.Select(prefix => PythonFiles.Select(f => prefix + f + ".bin").ToArray()),
        ],
        Origin: "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
        FileHash: "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce", Extract: true);

    /// <summary>Loads the CIFAR-10 training and test sets.</summary>
    /// <param name="directory">A folder holding the batches in one of the layouts listed on <see cref="Cifar10"/>; null
    /// searches the default places.</param>
    /// <returns><c>x</c>: <c>uint8 [N, 32, 32, 3]</c>; <c>y</c>: <c>int64 [N, 1]</c>. The caller owns the tensors.</returns>
    /// <exception cref="FileNotFoundException">The batches are not found, or a folder holds only some of them; the
    /// message names the folders, the missing files, and the URL and hash Keras downloads.</exception>
    /// <exception cref="InvalidDataException">A batch is not CIFAR-10's, is truncated or damaged, or holds a pickle
    /// outside the allowed set; the message names the file.</exception>
    /// <example>
    /// Keras's <c>(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()</c> becomes:
    /// <code>
    /// var ((xTrain, yTrain), (xTest, yTest)) = Cifar10.LoadData();
    /// model.Fit(xTrain / 255f, yTrain, epochs: 10, validationData: (xTest / 255f, yTest));
    /// </code>
    /// </example>
    public static ((torch.Tensor x, torch.Tensor y) train, (torch.Tensor x, torch.Tensor y) test) LoadData(string? directory = null)
    {
        string[] files = DatasetLocator.Locate(Data, directory);
        const string expected = "a CIFAR-10 batch";
        var batches = files.Select(f => f.EndsWith(".bin", StringComparison.Ordinal)
            ? CifarData.ReadBinary(f, labelBytes: 1, labelIndex: 0, classes: 10, expected)
            : CifarData.ReadPickle(f, "labels", classes: 10, expected)).ToList();
        var train = CifarData.ToTensors(batches[..5]);
        var test = CifarData.ToTensors(batches[5..]);
        return (train, test);
    }
}
