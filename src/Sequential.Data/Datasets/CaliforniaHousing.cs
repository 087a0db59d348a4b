using TorchSharp;

namespace Sequential.Data;

/// <summary>
/// The California Housing prices as Keras's <c>keras.datasets.california_housing</c>: 20,640 census block groups from
/// 1990, 8 features each (median income, house age, average rooms, average bedrooms, population, average occupancy,
/// latitude, longitude), and the median house value in dollars.
/// </summary>
/// <remarks>
/// Reads the very file Keras downloads, <c>california_housing.npz</c> (float arrays <c>x</c> and <c>y</c>, read without
/// any pickle), given by path or looked for in <c>$SEQUENTIAL_DATASETS/california_housing</c>, then
/// <c>~/.sequential/datasets/california_housing</c>. With the same seed the rows are shuffled and split exactly as Keras does.
/// </remarks>
public static class CaliforniaHousing
{
    /// <summary>Rows the <c>"small"</c> version keeps (the file's first 600, before shuffling), as Keras.</summary>
    public const int SmallVersionRows = 600;

    internal static readonly KerasDatasetFiles Data = new(
        Title: "California Housing", FolderName: "california_housing", Layouts: [["california_housing.npz"]],
        Origin: "https://storage.googleapis.com/tensorflow/tf-keras-datasets/california_housing.npz",
        FileHash: "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f", Extract: false);

    /// <summary>Loads the California Housing training and test sets.</summary>
    /// <param name="version"><c>"large"</c> (all 20,640 rows) or <c>"small"</c> (the first 600, Keras's stand-in for
    /// the Boston set).</param>
    /// <param name="path"><c>california_housing.npz</c> itself or the folder holding it; null searches the places listed
    /// on <see cref="CaliforniaHousing"/>.</param>
    /// <param name="testSplit">Fraction of the shuffled rows kept for testing: the training set is the first
    /// <c>int(N * (1 - testSplit))</c> rows. From 0 to 1, 1 excluded.</param>
    /// <param name="seed">Seed of the shuffle (numpy's <c>RandomState</c>), 0 or more.</param>
    /// <returns><c>x</c>: <c>[N, 8]</c>, <c>y</c>: <c>[N]</c>, both of the file's dtype, as Keras returns them (Fit
    /// converts to float32). The caller owns the tensors.</returns>
    /// <exception cref="ArgumentException"><paramref name="version"/> is neither "large" nor "small".</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="testSplit"/> outside [0, 1) or a negative seed.</exception>
    /// <exception cref="FileNotFoundException">The file is not found; the message lists the places looked and the URL
    /// and hash Keras downloads it with.</exception>
    /// <exception cref="InvalidDataException">The file is not Keras's <c>california_housing.npz</c> or is damaged; the
    /// message names it.</exception>
    /// <example>
    /// Keras's <c>(x_train, y_train), (x_test, y_test) = keras.datasets.california_housing.load_data(version="small")</c> becomes:
    /// <code>
    /// var ((xTrain, yTrain), (xTest, yTest)) = CaliforniaHousing.LoadData(version: "small");
    /// </code>
    /// </example>
    public static ((torch.Tensor x, torch.Tensor y) train, (torch.Tensor x, torch.Tensor y) test) LoadData(
        string version = "large", string? path = null, double testSplit = 0.2, int seed = 113)
    {
        int? firstRows = version switch
        {
            "large" => null,
            "small" => SmallVersionRows,
            _ => throw new ArgumentException(
                $"Argument version must be one of 'small', 'large'. Received: version={version}", nameof(version)),
        };
        return HousingData.Load(Data, path, testSplit, seed, firstRows);
    }
}
