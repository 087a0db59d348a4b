using TorchSharp;

namespace Sequential.Data;

/// <summary>
/// Finds and loads a dataset stored as the four MNIST-format IDX files; <see cref="Mnist"/> and
/// <see cref="FashionMnist"/> are thin descriptions on top of it.
/// </summary>
internal static class IdxDataset
{
    /// <summary>The environment variable naming a folder that holds one sub-folder per dataset.</summary>
    internal const string DatasetsVariable = DatasetLocator.DatasetsVariable;

    /// <summary>The four files in the order train images, train labels, test images, test labels.</summary>
    internal static readonly string[] FileNames =
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <summary>What a dataset is called, where it may live, and how a user gets it.</summary>
    /// <param name="Title">Name used in messages ("MNIST").</param>
    /// <param name="FolderName">Sub-folder under the datasets folders ("mnist").</param>
    /// <param name="SystemFolders">Extra folders looked in after the user's (a distribution package's).</param>
    /// <param name="EmbeddedPrefix">Resource-name prefix of a shipped copy, or null when none ships.</param>
    /// <param name="HowToGet">One or two sentences telling the user where to download it.</param>
    internal sealed record Description(
        string Title, string FolderName, IReadOnlyList<string> SystemFolders, string? EmbeddedPrefix, string HowToGet);

    internal static ((torch.Tensor x, torch.Tensor y) train, (torch.Tensor x, torch.Tensor y) test) Load(
        Description dataset, string? directory, string shippedSource, out string source)
    {
        Backend.EnsureNativeLoaded();
        var arrays = ReadArrays(dataset, directory, shippedSource, out source, out var names);
        CheckCounts(arrays[0], arrays[1], names[0], names[1]);
        CheckCounts(arrays[2], arrays[3], names[2], names[3]);

        var trainX = IdxFile.ToTensor(arrays[0].Shape, arrays[0].Data);
        var trainY = ToLabels(arrays[1]);
        var testX = IdxFile.ToTensor(arrays[2].Shape, arrays[2].Data);
        var testY = ToLabels(arrays[3]);
        return ((trainX, trainY), (testX, testY));
    }

    /// <summary>The folders looked in, in order, with why each is on the list.</summary>
    internal static List<(string Folder, string Why)> SearchFolders(Description dataset)
        => DatasetLocator.SearchFolders(dataset.FolderName, dataset.SystemFolders);

    private static (int[] Shape, byte[] Data)[] ReadArrays(
        Description dataset, string? directory, string shippedSource, out string source, out string[] names)
    {
        if (directory is not null)
        {
            // An explicit folder is a promise: falling back elsewhere would hide the user's mistake.
            names = FindFiles(directory) is { } given ? given : throw MissingInGivenDirectory(dataset, directory);
            source = Path.GetFullPath(directory);
            return ReadFiles(names);
        }

        var looked = new List<string>();
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(DatasetsVariable)))
            looked.Add($"${DatasetsVariable} (not set)");
        foreach (var (folder, why) in SearchFolders(dataset))
        {
            if (FindFiles(folder) is { } found)
            {
                names = found;
                source = Path.GetFullPath(folder);
                return ReadFiles(names);
            }
            if (FileNames.Any(f => Resolve(folder, f) is not null))
                throw new FileNotFoundException(
                    $"{dataset.Title}: '{folder}' ({why}) holds only some of the four IDX files; missing: " +
                    $"{string.Join(", ", Missing(folder))}. Complete the folder (each file raw or .gz) or remove it. " +
                    dataset.HowToGet);
            looked.Add($"{folder} ({why}): {(Directory.Exists(folder) ? "no IDX files" : "no such folder")}");
        }

        if (dataset.EmbeddedPrefix is { } prefix)
        {
            names = [.. FileNames.Select(f => $"{prefix}{f}.gz")];
            source = shippedSource;
            return ReadEmbedded(names);
        }

        throw new FileNotFoundException(
            $"{dataset.Title} was not found. Looked for {string.Join(", ", FileNames)} (each raw or .gz) in:" +
            Environment.NewLine + string.Join(Environment.NewLine, looked.Select(l => "  - " + l)) +
            Environment.NewLine + dataset.HowToGet);
    }

    private static FileNotFoundException MissingInGivenDirectory(Description dataset, string directory)
        => new(Directory.Exists(directory)
                ? $"{dataset.Title}: the folder '{directory}' given to LoadData lacks {string.Join(", ", Missing(directory))} " +
                  $"(each may be raw or .gz). LoadData(directory) looks only there. {dataset.HowToGet}"
                : $"{dataset.Title}: the folder '{directory}' given to LoadData does not exist. LoadData(directory) " +
                  $"looks only there; call LoadData() to search the default places. {dataset.HowToGet}");

    private static string[]? FindFiles(string folder)
    {
        var paths = new string[FileNames.Length];
        for (int i = 0; i < paths.Length; i++)
        {
            if (Resolve(folder, FileNames[i]) is not { } path) return null;
            paths[i] = path;
        }
        return paths;
    }

    private static IEnumerable<string> Missing(string folder)
        => FileNames.Where(f => Resolve(folder, f) is null);

    /// <summary>The gzipped file if present, else the raw one, else null.</summary>
    private static string? Resolve(string folder, string fileName)
    {
        string gz = Path.Combine(folder, fileName + ".gz");
        if (File.Exists(gz)) return gz;
        string raw = Path.Combine(folder, fileName);
        return File.Exists(raw) ? raw : null;
    }

    private static (int[] Shape, byte[] Data)[] ReadFiles(string[] paths)
        => [.. paths.Select((p, i) => IdxFile.Read(p, expectedRank: RankOf(i)))];

    private static (int[] Shape, byte[] Data)[] ReadEmbedded(string[] resources)
    {
        var assembly = typeof(IdxDataset).Assembly;
        return [.. resources.Select((name, i) =>
        {
            using var stream = assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException(
                    $"The embedded resource '{name}' is missing from {assembly.GetName().Name}.dll; the build is broken.");
            return IdxFile.Read(stream, $"embedded resource {name}", RankOf(i));
        })];
    }

    private static int RankOf(int fileIndex) => fileIndex % 2 == 0 ? 3 : 1;

    private static void CheckCounts((int[] Shape, byte[] Data) images, (int[] Shape, byte[] Data) labels,
        string imagesName, string labelsName)
    {
        if (images.Shape[0] != labels.Shape[0])
            throw new InvalidDataException(
                $"'{imagesName}' holds {images.Shape[0]} images but '{labelsName}' holds {labels.Shape[0]} labels; " +
                "the two files must come from the same dataset and split.");
    }

    private static torch.Tensor ToLabels((int[] Shape, byte[] Data) labels)
    {
        using var bytes = IdxFile.ToTensor(labels.Shape, labels.Data);
        return bytes.to_type(torch.ScalarType.Int64);
    }
}
