using TorchSharp;

namespace Sequential.Data;

/// <summary>
/// Zalando's Fashion-MNIST (ten kinds of clothing, same format as MNIST), as Keras's
/// <c>keras.datasets.fashion_mnist.load_data()</c>: images as <c>uint8 [N, 28, 28]</c>, labels as <c>int64 [N]</c>
/// (0 T-shirt/top, 1 trouser, 2 pullover, 3 dress, 4 coat, 5 sandal, 6 shirt, 7 sneaker, 8 bag, 9 ankle boot).
/// </summary>
/// <remarks>
/// <see cref="LoadData(string?)"/> reads the four IDX files (raw or <c>.gz</c>) from the first of
/// <c>$SEQUENTIAL_DATASETS/fashion-mnist</c>, <c>~/.sequential/datasets/fashion-mnist</c> and
/// <c>/usr/share/datasets/fashion-mnist</c> (Debian/Ubuntu: <c>apt install dataset-fashion-mnist</c>) that has them.
/// No copy ships with Sequential.
/// </remarks>
public static class FashionMnist
{
    /// <summary>Where the Debian/Ubuntu package <c>dataset-fashion-mnist</c> installs the files.</summary>
    public const string DebianPackageFolder = "/usr/share/datasets/fashion-mnist";

    internal static readonly IdxDataset.Description Dataset = new(
        Title: "Fashion-MNIST",
        FolderName: "fashion-mnist",
        SystemFolders: [DebianPackageFolder],
        EmbeddedPrefix: null,
        HowToGet: "Install it with `sudo apt install dataset-fashion-mnist` (Debian, Ubuntu), or download the four " +
                  "files from https://github.com/zalandoresearch/fashion-mnist (folder data/fashion) into " +
                  "~/.sequential/datasets/fashion-mnist or $SEQUENTIAL_DATASETS/fashion-mnist, or pass their folder to LoadData.");

    /// <summary>Loads the Fashion-MNIST training (60,000) and test (10,000) sets.</summary>
    /// <param name="directory">A folder holding the four IDX files (raw or <c>.gz</c>). When given, only this folder
    /// is used; when null, the places listed on <see cref="FashionMnist"/> are searched.</param>
    /// <returns><c>x</c> is <c>uint8 [N, 28, 28]</c>, <c>y</c> is <c>int64 [N]</c>. The caller owns the tensors.</returns>
    /// <exception cref="FileNotFoundException">No place holds the files (the message lists every place looked and how
    /// to get the data), or <paramref name="directory"/> is given and lacks a file.</exception>
    /// <exception cref="InvalidDataException">A file is not an IDX file of the right kind, is truncated, or the image
    /// and label counts differ; the message names the file(s).</exception>
    /// <example>
    /// Keras's <c>(x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()</c> becomes:
    /// <code>
    /// var ((xTrain, yTrain), (xTest, yTest)) = FashionMnist.LoadData();
    /// model.Fit(xTrain / 255f, yTrain, epochs: 10);
    /// </code>
    /// </example>
    public static ((torch.Tensor x, torch.Tensor y) train, (torch.Tensor x, torch.Tensor y) test) LoadData(
        string? directory = null)
        => LoadData(out _, directory);

    /// <summary>Loads Fashion-MNIST, and says which folder it came from.</summary>
    /// <param name="source">The full path of the folder read.</param>
    /// <param name="directory">As for <see cref="LoadData(string?)"/>.</param>
    /// <returns>As for <see cref="LoadData(string?)"/>.</returns>
    /// <exception cref="FileNotFoundException">As for <see cref="LoadData(string?)"/>.</exception>
    /// <exception cref="InvalidDataException">As for <see cref="LoadData(string?)"/>.</exception>
    /// <example>
    /// <code>
    /// var ((xTrain, yTrain), (xTest, yTest)) = FashionMnist.LoadData(out string source);
    /// Console.WriteLine($"Fashion-MNIST from {source}");
    /// </code>
    /// </example>
    public static ((torch.Tensor x, torch.Tensor y) train, (torch.Tensor x, torch.Tensor y) test) LoadData(
        out string source, string? directory = null)
        => IdxDataset.Load(Dataset, directory, shippedSource: "", out source);
}
