using TorchSharp;

namespace Sequential.Data;

/// <summary>
/// What Keras's <c>boston_housing.load_data</c> and <c>california_housing.load_data</c> share: read <c>x</c> and <c>y</c>
/// from the <c>.npz</c>, optionally keep the first rows, shuffle rows with numpy's <c>RandomState(seed)</c>, and split at
/// <c>int(len(x) * (1 - test_split))</c>.
/// </summary>
internal static class HousingData
{
    public static ((torch.Tensor x, torch.Tensor y) train, (torch.Tensor x, torch.Tensor y) test) Load(
        KerasDatasetFiles dataset, string? path, double testSplit, int seed, int? firstRows)
    {
        if (!(testSplit >= 0 && testSplit < 1))
            throw new ArgumentOutOfRangeException(nameof(testSplit), testSplit,
                $"Invalid testSplit argument: {testSplit}. It must be between 0 and 1 (exclusive of 1).");
        var rng = LegacyRandomState.FromSeed(seed);
        Backend.EnsureNativeLoaded();
        string file = DatasetLocator.Locate(dataset, path)[0];
        var f = NpzFile.Read(file, ["x", "y"], $"Keras's {dataset.DownloadName}");
        var (x, y) = (f["x"], f["y"]);
        foreach (var (array, name) in new[] { (x, "x"), (y, "y") })
            if (array.Dtype.IsObject || array.Shape.Length == 0)
                throw new InvalidDataException(
                    $"'{file}/{name}.npy' should be a numeric array with one row per house, as in Keras's file; it is {array.Describe()}.");
        if (x.Shape[0] != y.Shape[0])
            throw new InvalidDataException(
                $"'{file}' holds {x.Shape[0]} rows in x ({x.Describe()}) but {y.Shape[0]} in y ({y.Describe()}); the file is damaged.");

        int rows = (int)Math.Min(x.Shape[0], firstRows ?? long.MaxValue);   // Keras: x = x[:600]
        int split = (int)(rows * (1 - testSplit));
        using var order = torch.tensor(rng.ShuffledIndices(rows).Select(i => (long)i).ToArray());
        return Split(x, y, order, split, rows);
    }

    private static ((torch.Tensor x, torch.Tensor y) train, (torch.Tensor x, torch.Tensor y) test) Split(
        NumpyArray x, NumpyArray y, torch.Tensor order, int split, int rows)
    {
        using var scope = torch.NewDisposeScope();
        var allX = x.ToTensor();
        var allY = y.ToTensor();
        var shuffledX = allX.index_select(0, order);   // x = x[indices] (only the first `rows` are indexed)
        var shuffledY = allY.index_select(0, order);
        var train = (Rows(shuffledX, 0, split), Rows(shuffledY, 0, split));
        var test = (Rows(shuffledX, split, rows), Rows(shuffledY, split, rows));
        return (train, test);
    }

    /// <summary><c>np.array(x[start:end])</c>: a copy that outlives the scope.</summary>
    private static torch.Tensor Rows(torch.Tensor tensor, int start, int end)
        => tensor.narrow(0, start, end - start).clone().MoveToOuterDisposeScope();
}
