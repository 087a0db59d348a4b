namespace Sequential.Data;

/// <summary>
/// Finds a dataset's files the way <see cref="Mnist"/> does: the folder (or file) the caller gives, and only it; else
/// <c>$SEQUENTIAL_DATASETS/&lt;name&gt;</c>, then <c>~/.sequential/datasets/&lt;name&gt;</c>. A folder holding part of a
/// layout is an error naming the missing files, not a reason to look further.
/// </summary>
internal static class DatasetLocator
{
    /// <summary>The environment variable naming a folder that holds one sub-folder per dataset.</summary>
    internal const string DatasetsVariable = "SEQUENTIAL_DATASETS";

    /// <summary>The folders looked in, in order, with why each is on the list.</summary>
    internal static List<(string Folder, string Why)> SearchFolders(string folderName, IReadOnlyList<string> systemFolders)
    {
        var folders = new List<(string, string)>();
        string? root = Environment.GetEnvironmentVariable(DatasetsVariable);
        if (!string.IsNullOrWhiteSpace(root))
            folders.Add((Path.Combine(root, folderName), $"${DatasetsVariable}/{folderName}"));
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (!string.IsNullOrEmpty(home))
            folders.Add((Path.Combine(home, ".sequential", "datasets", folderName), "the user's dataset folder"));
        foreach (string folder in systemFolders)
            folders.Add((folder, "system-wide dataset package"));
        return folders;
    }

    /// <summary>The full paths of the first complete layout of <paramref name="dataset"/>.</summary>
    /// <param name="dataset">The files looked for.</param>
    /// <param name="path">The caller's folder, or file for a one-file dataset; null to search.</param>
    /// <returns>One path per file of the layout found, in the layout's order.</returns>
    /// <exception cref="FileNotFoundException">Nothing found; the message names every place looked, the files, and
    /// where Keras downloads them from.</exception>
    internal static string[] Locate(KerasDatasetFiles dataset, string? path)
    {
        if (path is not null) return LocateGiven(dataset, path);

        var looked = new List<string>();
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(DatasetsVariable)))
            looked.Add($"${DatasetsVariable} (not set)");
        foreach (var (folder, why) in SearchFolders(dataset.FolderName, []))
        {
            if (Complete(dataset, folder) is { } found) return found;
            if (Partial(dataset, folder) is { } missing)
                throw new FileNotFoundException(
                    $"{dataset.Title}: '{folder}' ({why}) holds only part of the dataset; missing: {string.Join(", ", missing)}. " +
                    $"Complete the folder or remove it. {dataset.HowToGet}");
            looked.Add($"{folder} ({why}): {(Directory.Exists(folder) ? "none of the files" : "no such folder")}");
        }
        return Download(dataset, looked);
    }

    /// <summary>
    /// The environment variable naming a mirror of Keras's dataset server: a base URL (http(s) or file) under which the
    /// loaders download <c>imdb.npz</c>, <c>cifar-10-python.tar.gz</c>, ... instead of Keras's origins (for machines
    /// without access to storage.googleapis.com, or tests).
    /// </summary>
    internal const string OriginVariable = "SEQUENTIAL_DATASETS_ORIGIN";

    /// <summary>
    /// Fetches a dataset that is nowhere on disk, as Keras's loaders do: <see cref="Utils.GetFile"/> downloads Keras's
    /// file (or the same name under <c>$SEQUENTIAL_DATASETS_ORIGIN</c>) into <c>~/.sequential/datasets/&lt;name&gt;</c>,
    /// checks Keras's hash, and extracts a tarball; the files are then looked for in what came down. A download that
    /// fails throws a <see cref="FileNotFoundException"/> that says where the files were looked for, how to get them by
    /// hand, and why the download failed.
    /// </summary>
    private static string[] Download(KerasDatasetFiles dataset, List<string> looked)
    {
        string? mirror = Environment.GetEnvironmentVariable(OriginVariable);
        string origin = string.IsNullOrWhiteSpace(mirror) ? dataset.Origin : mirror.TrimEnd('/') + "/" + dataset.DownloadName;
        string fetched;
        try
        {
            fetched = Utils.GetFile(dataset.DownloadName, origin, dataset.FileHash,
                cacheSubdir: Path.Combine("datasets", dataset.FolderName), extract: dataset.Extract);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new FileNotFoundException(
                $"{dataset.Title} was not found. Looked for {Expected(dataset)} in:" + Environment.NewLine +
                string.Join(Environment.NewLine, looked.Select(l => "  - " + l)) + Environment.NewLine +
                $"Downloading {origin} failed: {e.Message}" + Environment.NewLine + dataset.HowToGet, e);
        }
        string folder = dataset.Extract ? fetched : Path.GetDirectoryName(fetched)!;
        return Complete(dataset, folder) ?? throw new InvalidDataException(
            $"{dataset.Title}: {origin} was downloaded{(dataset.Extract ? $" and extracted into '{folder}'" : "")}, but it does not hold " +
            $"{Expected(dataset)}. Remove '{fetched}' and check the URL ({OriginVariable} if set).");
    }

    private static string[] LocateGiven(KerasDatasetFiles dataset, string path)
    {
        if (File.Exists(path))
        {
            if (dataset.Layouts.Any(l => l.Count == 1)) return [Path.GetFullPath(path)];
            throw new FileNotFoundException(
                $"{dataset.Title}: '{path}' is a file, but the loader needs the folder holding {Expected(dataset)}. " +
                dataset.HowToGet, path);
        }
        if (!Directory.Exists(path))
            throw new FileNotFoundException(
                $"{dataset.Title}: '{path}' given to the loader does not exist. The loader looks only there when given a " +
                $"path; pass none to search the default places. {dataset.HowToGet}", path);
        if (Complete(dataset, path) is { } found) return found;
        string problem = Partial(dataset, path) is { } missing
            ? $"lacks {string.Join(", ", missing)}"
            : $"holds none of {Expected(dataset)}";
        throw new FileNotFoundException(
            $"{dataset.Title}: the folder '{path}' given to the loader {problem}. The loader looks only there when given a " +
            $"path. {dataset.HowToGet}");
    }

    private static string[]? Complete(KerasDatasetFiles dataset, string folder)
    {
        foreach (var layout in dataset.Layouts)
        {
            var paths = layout.Select(f => Path.GetFullPath(Path.Combine(folder, f))).ToArray();
            if (paths.All(File.Exists)) return paths;
        }
        return null;
    }

    /// <summary>The missing files of the layout most nearly present, or null when no file of any layout is there.</summary>
    private static List<string>? Partial(KerasDatasetFiles dataset, string folder)
    {
        var best = dataset.Layouts
            .Select(l => (Present: l.Count(f => File.Exists(Path.Combine(folder, f))), Missing: l.Where(f => !File.Exists(Path.Combine(folder, f))).ToList()))
            .MaxBy(l => l.Present);
        return best.Present > 0 ? best.Missing : null;
    }

    private static string Expected(KerasDatasetFiles dataset)
        => string.Join(" or ", dataset.Layouts.Select(l => l.Count <= 2 ? string.Join(" + ", l) : $"{l[0]} ... {l[^1]}"));
}
