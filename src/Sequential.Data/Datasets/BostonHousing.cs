using TorchSharp;

namespace Sequential.Data;

/// <summary>
/// The Boston Housing prices as Keras's <c>keras.datasets.boston_housing</c>: 506 areas of Boston in the 1970s, 13
/// attributes each, and the median home value in k$. Keras warns against it on ethical grounds (one attribute encodes
/// racial self-segregation) except to illustrate that problem; <see cref="CaliforniaHousing"/> is its replacement.
/// </summary>
/// <remarks>
/// Reads the very file Keras downloads, <c>boston_housing.npz</c> (float arrays <c>x</c> and <c>y</c>, read without any
/// pickle), given by path or looked for in <c>$SEQUENTIAL_DATASETS/boston_housing</c>, then
/// <c>~/.sequential/datasets/boston_housing</c>. With the same seed the rows are shuffled and split exactly as Keras does.
/// </remarks>
public static class BostonHousing
{
    internal static readonly KerasDatasetFiles Data = new(
        Title: "Boston Housing", FolderName: "boston_housing", Layouts: [["boston_housing.npz"]],
        Origin: "https://storage.googleapis.com/tensorflow/tf-keras-datasets/boston_housing.npz",
        FileHash: "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5", Extract: false);

    /// <summary>Loads the Boston Housing training and test sets.</summary>
    /// <param name="path"><c>boston_housing.npz</c> itself or the folder holding it; null searches the places listed on
    /// <see cref="BostonHousing"/>.</param>
    /// <param name="testSplit">Fraction of the shuffled rows kept for testing: the training set is the first
    /// <c>int(N * (1 - testSplit))</c> rows. From 0 to 1, 1 excluded.</param>
    /// <param name="seed">Seed of the shuffle (numpy's <c>RandomState</c>), 0 or more.</param>
    /// <returns><c>x</c>: <c>[N, 13]</c>, <c>y</c>: <c>[N]</c>, both of the file's dtype (float64 in Keras's file, as Keras
    /// returns them; Fit converts to float32). 404 training and 102 test rows with the defaults. The caller owns the tensors.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="testSplit"/> outside [0, 1) or a negative seed.</exception>
    /// <exception cref="FileNotFoundException">The file is not found; the message lists the places looked and the URL
    /// and hash Keras downloads it with.</exception>
    /// <exception cref="InvalidDataException">The file is not Keras's <c>boston_housing.npz</c> or is damaged; the
    /// message names it.</exception>
    /// <example>
    /// Keras's <c>(x_train, y_train), (x_test, y_test) = keras.datasets.boston_housing.load_data()</c> becomes:
    /// <code>
    /// var ((xTrain, yTrain), (xTest, yTest)) = BostonHousing.LoadData();
    /// </code>
    /// </example>
    public static ((torch.Tensor x, torch.Tensor y) train, (torch.Tensor x, torch.Tensor y) test) LoadData(
        string? path = null, double testSplit = 0.2, int seed = 113)
        => HousingData.Load(Data, path, testSplit, seed, firstRows: null);
}
