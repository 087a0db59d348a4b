namespace Sequential.IO;

/// <summary>
/// Writes a file so that readers only ever see the previous content or the complete new one: the bytes
/// go to a temporary file in the same folder, are flushed to disk, and the temporary file is then renamed
/// over the target. A crash or an exception mid-write leaves the previous file intact.
/// </summary>
/// <remarks>
/// The temporary file lives in the target's folder because a rename is only atomic within one file system.
/// Every file the library writes (CSV logs, plots, checkpoints) goes through <see cref="Write"/>.
/// </remarks>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> atomically, creating its folder if it is missing.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="write">Writes the whole content to the stream it is given; it must not dispose it.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a folder.</exception>
    /// <remarks>If <paramref name="write"/> throws, the temporary file is deleted and the exception rethrown.</remarks>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);

        string fullPath = Path.GetFullPath(path);
        string fileName = Path.GetFileName(fullPath);
        if (fileName.Length == 0)
            throw new ArgumentException($"'{path}' names a folder, not a file. Pass a file path such as 'out/log.csv'.", nameof(path));

        string folder = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(folder);

        // Hidden, unique name: concurrent writers of the same target never share a temporary file.
        string tempPath = Path.Combine(folder, $".{fileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(tempPath, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original exception matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
