namespace Sequential.Data;

/// <summary>
/// The files of one Keras dataset: what they are called, the layouts they may have in a folder, and what Keras
/// downloads to get them (for the message when they are missing, and for <c>Utils.GetFile</c> once it lands).
/// </summary>
/// <param name="Title">Name used in messages (<c>"IMDB"</c>).</param>
/// <param name="FolderName">Sub-folder of the datasets folders (<c>"imdb"</c>).</param>
/// <param name="Layouts">Alternative sets of paths relative to a folder, tried in order; the first complete one is read.
/// A single-file layout also lets the caller pass the file itself.</param>
/// <param name="Origin">The URL Keras downloads from.</param>
/// <param name="FileHash">Keras's hash of that download (sha256 when 64 hex digits, md5 when 32).</param>
/// <param name="Extract">Whether the download is a tarball to extract (CIFAR), rather than the file read itself.</param>
internal sealed record KerasDatasetFiles(
    string Title, string FolderName, IReadOnlyList<IReadOnlyList<string>> Layouts, string Origin, string FileHash, bool Extract)
{
    /// <summary>The downloaded file's name, the last segment of <see cref="Origin"/>.</summary>
    public string DownloadName => Origin[(Origin.LastIndexOf('/') + 1)..];

    /// <summary>Keras's hash with its algorithm: <c>sha256 69664113...</c>.</summary>
    public string HashText => $"{(FileHash.Length == 32 ? "md5" : "sha256")} {FileHash}";

    /// <summary>The sentence telling the user how to get the files.</summary>
    public string HowToGet => Extract
        ? $"Keras downloads {Origin} ({HashText}); download it and extract it into ~/.sequential/datasets/{FolderName} " +
          $"(tar xzf {DownloadName} -C ~/.sequential/datasets/{FolderName}) or $SEQUENTIAL_DATASETS/{FolderName}, or pass " +
          "the folder it extracts to the loader."
        : $"Keras downloads {Origin} ({HashText}); download it into ~/.sequential/datasets/{FolderName} or " +
          $"$SEQUENTIAL_DATASETS/{FolderName}, or pass its path to the loader (a Keras user's copy is in ~/.keras/datasets).";
}
