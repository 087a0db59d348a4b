namespace Sequential.Data;

public static partial class Utils
{
    /// <summary>The most bytes <see cref="GetFile"/> extracts from one archive unless told otherwise: 16 GiB.</summary>
    public const long DefaultMaxExtractedBytes = 16L << 30;

    /// <summary>The most entries <see cref="GetFile"/> extracts from one archive unless told otherwise: 1,000,000.</summary>
    public const int DefaultMaxExtractedEntries = 1_000_000;

    /// <summary>
    /// Downloads a file from a URL unless it is already in the cache, optionally checks its hash and extracts it (Keras 3's
    /// <c>keras.utils.get_file</c>). By default the file lands in <c>~/.sequential/datasets/</c>.
    /// </summary>
    /// <param name="fname">The file's name in the cache; null (or empty) takes the last segment of
    /// <paramref name="origin"/>'s path. A name, not a path: pass the folder as <paramref name="cacheDir"/>. With
    /// <paramref name="extract"/>, it also names the folder extracted into, as in Keras 3 (see Returns).</param>
    /// <param name="origin">The URL: <c>https://</c>, <c>http://</c> or <c>file://</c> (an absolute local path is read as a
    /// file URI too).</param>
    /// <param name="fileHash">The expected sha256 or md5 hex digest of the file, or null for no check. A cached file whose
    /// hash differs is deleted and downloaded again; a download whose hash differs is never saved.</param>
    /// <param name="cacheSubdir">The folder under <paramref name="cacheDir"/> (an absolute path is used as it is).</param>
    /// <param name="hashAlgorithm">"auto" (a 64-digit hash is sha256, a 32-digit one md5, as Keras), "sha256" or "md5".</param>
    /// <param name="extract">Extract the tar, tar.gz/tgz or zip archive (recognised by its content, as Keras) and return
    /// the folder extracted into.</param>
    /// <param name="cacheDir">The cache folder; null is <c>~/.sequential</c> (Keras: <c>~/.keras</c>), or
    /// <c>{temp}/.sequential</c> when the home folder cannot be written, as Keras falls back to <c>/tmp/.keras</c>.
    /// A leading <c>~</c> means the home folder.</param>
    /// <param name="forceDownload">Download even when the file is in the cache.</param>
    /// <param name="maxExtractedBytes">With <paramref name="extract"/>: the most bytes the archive's files may hold
    /// together, judged from each entry's header before it is written (a "zip bomb" is refused, not written).</param>
    /// <param name="maxExtractedEntries">With <paramref name="extract"/>: the most entries the archive may have.</param>
    /// <returns>
    /// The full path of the file. With <paramref name="extract"/>, the full path of the folder extracted into, named as
    /// Keras 3 names it: <c>fname: "data.tar.gz"</c> downloads <c>data.tar.gz</c> and extracts into
    /// <c>data_extracted</c>; <c>fname: "data"</c> downloads <c>data_archive</c> and extracts into <c>data</c>; no fname
    /// (origin <c>.../flower_photos.tgz</c>) downloads <c>flower_photos.tgz_archive</c> and extracts into
    /// <c>flower_photos.tgz</c>.
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="origin"/> is missing, not an absolute http(s)/file URL, or has
    /// no usable file name (and <paramref name="fname"/> is not given); <paramref name="fname"/> holds a folder separator;
    /// <paramref name="fileHash"/> is not a digest of its algorithm; <paramref name="hashAlgorithm"/> is unknown.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit is not positive.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached or answered with an error (the message has
    /// the URL and the status).</exception>
    /// <exception cref="FileNotFoundException">A file URI names no file.</exception>
    /// <exception cref="IOException">The download broke off, stalled for a minute or came short; or the cache could not be
    /// written. Nothing is left behind.</exception>
    /// <exception cref="InvalidDataException">The downloaded file's hash is not <paramref name="fileHash"/> (nothing is
    /// saved), or, with <paramref name="extract"/>, the file is not a tar/tar.gz/zip archive, is damaged, or has an
    /// entry that is refused: a path leaving the folder, a link pointing out of it, a device file, more than the limits
    /// allow (nothing is extracted; the message names the archive and the entry).</exception>
    /// <remarks>
    /// <para>Every write is atomic: the download goes to a temporary file in the cache folder, renamed into place once
    /// complete and checked; an extraction goes to a temporary folder renamed into place once every entry is out. A
    /// process killed midway leaves a hidden temporary that the next call for the same file removes. As an extracted
    /// folder is therefore always complete, it is reused while the archive is not downloaded again (Keras re-extracts
    /// on every call).</para>
    /// <para>"Downloading data from ..." is written to standard error, and a progress bar too when standard error is a
    /// terminal.</para>
    /// <para>Unlike Keras, which skips an unsafe archive entry with a warning and extracts the rest, an unsafe entry
    /// fails the whole extraction; a file that is no archive is an error rather than a warning; bzip2 and xz tars are
    /// not extracted (the BCL has no decoder for them); hashes compare case-insensitively.</para>
    /// </remarks>
    /// <example>
    /// Keras's
    /// <c>data_dir = keras.utils.get_file(origin="https://storage.googleapis.com/download.tensorflow.org/example_images/flower_photos.tgz", extract=True)</c>
    /// and <c>path = keras.utils.get_file("mnist.npz", "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz", file_hash="731c...")</c>
    /// become:
    /// <code>
    /// using static Sequential.Data.Utils;
    ///
    /// string dataDir = GetFile(origin: "https://storage.googleapis.com/download.tensorflow.org/example_images/flower_photos.tgz",
    ///     extract: true);                                   // ~/.sequential/datasets/flower_photos.tgz/flower_photos/daisy/...
    /// string path = GetFile("mnist.npz", "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz",
    ///     fileHash: "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1");
    /// </code>
    /// </example>
    public static string GetFile(string? fname = null, string? origin = null, string? fileHash = null,
        string cacheSubdir = "datasets", string hashAlgorithm = "auto", bool extract = false, string? cacheDir = null,
        bool forceDownload = false, long maxExtractedBytes = DefaultMaxExtractedBytes,
        int maxExtractedEntries = DefaultMaxExtractedEntries)
        => GetFileCore(fname, origin, fileHash, cacheSubdir, hashAlgorithm, extract, cacheDir, forceDownload,
            new ArchiveExtractor.Limits(maxExtractedBytes, maxExtractedEntries), DownloadProgress.ConsoleOutput,
            Download.DefaultStallTimeout);

    /// <summary><see cref="GetFile(string?, string?, string?, string, string, bool, string?, bool, long, int)"/> with the
    /// progress output and the stall timeout given (tests).</summary>
    internal static string GetFileCore(string? fname, string? origin, string? fileHash, string cacheSubdir, string hashAlgorithm,
        bool extract, string? cacheDir, bool forceDownload, ArchiveExtractor.Limits limits, TextWriter? progress,
        TimeSpan stallTimeout)
    {
        ArgumentNullException.ThrowIfNull(cacheSubdir);
        if (string.IsNullOrWhiteSpace(origin))
            throw new ArgumentException(
                "GetFile: pass origin, the URL of the file to download (https://..., or file:///path for a local file).", nameof(origin));
        if (limits.MaxBytes <= 0)
            throw new ArgumentOutOfRangeException("maxExtractedBytes", limits.MaxBytes, "GetFile: maxExtractedBytes must be positive.");
        if (limits.MaxEntries <= 0)
            throw new ArgumentOutOfRangeException("maxExtractedEntries", limits.MaxEntries, "GetFile: maxExtractedEntries must be positive.");
        var expected = FileHash.Parse(fileHash, hashAlgorithm);
        var uri = ParseOrigin(origin);
        bool named = !string.IsNullOrEmpty(fname);
        string name = named ? CheckFileName(fname!) : NameFromOrigin(uri, origin);

        string folder = CacheFolder(cacheDir, cacheSubdir);
        string target, extractTo = "";
        if (!extract)
            target = Path.Combine(folder, name);
        else if (named && name.Contains('.'))
        {
            // Keras 3: "data.tar.gz" is downloaded as it is and extracted into "data_extracted".
            target = Path.Combine(folder, name);
            extractTo = Path.Combine(folder, name[..name.IndexOf('.')] + "_extracted");
        }
        else
        {
            target = Path.Combine(folder, name + "_archive");
            extractTo = Path.Combine(folder, name);
        }

        if (Directory.Exists(target))
            throw new IOException($"GetFile: '{target}' is a folder, where the file from '{origin}' should be cached. Move it away, or pass another fname.");
        bool download = forceDownload || !File.Exists(target);
        if (!download && expected is not null && !expected.Matches(target))
        {
            Console.Error.WriteLine(
                $"A local file was found, but it seems to be incomplete or outdated because the {expected.Algorithm} file hash " +
                $"does not match the original value of {expected.Hex} so we will re-download the data.");
            File.Delete(target);
            download = true;
        }
        if (download)
        {
            Console.Error.WriteLine($"Downloading data from {origin}");
            Download.Fetch(uri, origin, target, expected, progress, stallTimeout);
        }

        if (!extract)
            return target;
        if (download || !Directory.Exists(extractTo))
            ArchiveExtractor.ExtractReplacing(target, extractTo, limits);
        return extractTo;
    }

    /// <summary>The origin as an absolute http, https or file URI.</summary>
    private static Uri ParseOrigin(string origin)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri))
            throw new ArgumentException(
                $"GetFile: origin '{origin}' is not an absolute URL; pass https://host/path/file, or file:///full/path/file for a local file.",
                nameof(origin));
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps && !uri.IsFile)
            throw new ArgumentException(
                $"GetFile: origin '{origin}' uses the scheme \"{uri.Scheme}\"; GetFile downloads http, https and file URLs.", nameof(origin));
        return uri;
    }

    /// <summary>Keras: "Paths are no longer accepted as the fname argument."</summary>
    private static string CheckFileName(string fname)
    {
        if (fname.Contains('/') || fname.Contains('\\') || fname is "." or ".." || fname.Contains('\0'))
            throw new ArgumentException(
                $"GetFile: fname must be a file name, not a path; got \"{fname}\". To choose the folder, pass cacheDir (and cacheSubdir).",
                nameof(fname));
        return fname;
    }

    /// <summary>The last segment of the origin's path, as Keras's <c>os.path.basename(urlsplit(origin).path)</c>.</summary>
    private static string NameFromOrigin(Uri uri, string origin)
    {
        string path = uri.AbsolutePath;
        string name = path[(path.LastIndexOf('/') + 1)..];
        if (name.Length == 0 || name is "." or ".." || name.Contains('\\') || name.Contains(':'))
            throw new ArgumentException(
                $"GetFile: can't parse the file name from the origin provided: '{origin}'. Please specify the fname argument.",
                "fname");
        return name;
    }

    /// <summary>The cache folder, created; for the default, the temporary folder when the home folder is not writable.</summary>
    private static string CacheFolder(string? cacheDir, string cacheSubdir)
    {
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (cacheDir is not null)
        {
            if (cacheDir == "~" || cacheDir.StartsWith("~/", StringComparison.Ordinal) || cacheDir.StartsWith("~\\", StringComparison.Ordinal))
                cacheDir = Path.Combine(home, cacheDir.Length > 2 ? cacheDir[2..] : "");
            string folder = Path.GetFullPath(Path.Combine(cacheDir, cacheSubdir));
            Directory.CreateDirectory(folder);
            return folder;
        }
        string preferred = Path.GetFullPath(Path.Combine(string.IsNullOrEmpty(home) ? Path.GetTempPath() : home, ".sequential", cacheSubdir));
        try
        {
            Directory.CreateDirectory(preferred);
            return preferred;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            string fallback = Path.GetFullPath(Path.Combine(Path.GetTempPath(), ".sequential", cacheSubdir));
            Console.Error.WriteLine($"Cannot write '{preferred}' ({e.Message.TrimEnd('.')}); caching in '{fallback}' instead.");
            Directory.CreateDirectory(fallback);
            return fallback;
        }
    }
}
