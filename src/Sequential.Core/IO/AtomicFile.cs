using System.Runtime.Versioning;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Sequential.IO;

/// <summary>
/// Writes a file so that readers only ever see the previous content or the complete new one: the bytes
/// go to a temporary file in the same folder, are flushed to disk, and the temporary file is then renamed
/// over the target. A crash or an exception mid-write leaves the previous file intact.
/// </summary>
/// <remarks>
/// The temporary file lives in the target's folder because a rename is only atomic within one file system.
/// Every file the library writes (CSV logs, plots, checkpoints) goes through <see cref="Write"/>.
/// A process killed mid-write cannot delete its temporary file, so its name says which process wrote it
/// (<see cref="WriterId"/>), and the next write of the same target deletes those of writers that have exited.
/// </remarks>
internal static class AtomicFile
{
    private const string TemporarySuffix = ".tmp";

    // errno values (Linux; EROFS and ENOSPC are the same on macOS) and Windows HRESULTs, which .NET puts in the
    // HResult of the IOException it throws for them.
    private const int ENOSPC = 28;
    private const int EROFS = 30;
    private const int EDQUOT = 122;
    private const int WindowsWriteProtect = unchecked((int)0x80070013);
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);
    private const int WindowsDiskFull = unchecked((int)0x80070070);

    /// <summary>
    /// A temporary file written on another machine, in another container or before a reboot cannot be checked
    /// against a process table; it is deleted once it has not been written to for this long.
    /// </summary>
    internal static readonly TimeSpan ForeignTemporaryAge = TimeSpan.FromDays(1);

    /// <summary>Writes <paramref name="path"/> atomically, creating its folder if it is missing.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="write">Writes the whole content to the stream it is given; it must not dispose it.</param>
    /// <param name="mode">The Unix permissions of the new file. By default a replaced file keeps the permissions it
    /// had, and a new one gets the usual ones (0666 less the umask). Ignored on Windows.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a folder.</exception>
    /// <exception cref="IOException">The file could not be written; the message names it and, where the error says so,
    /// a cause the user can act on (<see cref="DescribeFailure"/>: a read-only file system, a full disk).</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is read-only for this user (message likewise).</exception>
    /// <remarks>If <paramref name="write"/> throws, the temporary file is deleted and the exception rethrown.</remarks>
    public static void Write(string path, Action<Stream> write, UnixFileMode? mode = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);

        string fullPath = Path.GetFullPath(path);
        string fileName = Path.GetFileName(fullPath);
        if (fileName.Length == 0)
            throw new ArgumentException($"'{path}' names a folder, not a file. Pass a file path such as 'out/log.csv'.", nameof(path));

        try
        {
            WriteReplacing(fullPath, fileName, write, mode);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new IOException(DescribeFailure(path, e), e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException(DescribeFailure(path, e), e);
        }
    }

    private static void WriteReplacing(string fullPath, string fileName, Action<Stream> write, UnixFileMode? mode)
    {
        string folder = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(folder);
        DeleteStaleTemporaries(folder, fileName);

        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            mode ??= ExistingMode(fullPath);
            // Created no more open than the final mode, so a private file's new content is never readable by others.
            if (mode is { } create) options.UnixCreateMode = create;
        }

        string tempPath = Path.Combine(folder, TemporaryName(fileName, WriterId.Current));
        try
        {
            using (var stream = new FileStream(tempPath, options))
            {
                write(stream);
                if (mode is { } exact && !OperatingSystem.IsWindows())
                    TrySetMode(stream.SafeFileHandle, exact);
                stream.Flush(flushToDisk: true);
            }
            File.Move(tempPath, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }
        // The data was flushed before the rename; flushing the folder makes the rename itself survive a power cut.
        if (!OperatingSystem.IsWindows())
            Posix.TryFsyncFolder(folder);
    }

    /// <summary>
    /// The message for a failed <see cref="Write"/> of <paramref name="path"/>: names the file and, where the error
    /// says so, the cause a user can act on (a read-only folder, a full disk).
    /// </summary>
    internal static string DescribeFailure(string path, Exception error)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? path;
        string? cause = error switch
        {
            UnauthorizedAccessException =>
                $"the folder '{folder}' is read-only for this user; save to a writable folder or change its permissions",
            IOException when error.HResult is EROFS or WindowsWriteProtect =>
                $"the folder '{folder}' is on a read-only file system; save to a writable folder",
            IOException when error.HResult is ENOSPC or WindowsDiskFull or WindowsHandleDiskFull =>
                "the disk is full; free some space",
            IOException when error.HResult == EDQUOT =>
                "the disk quota is exceeded; free some space",
            _ => null,
        };
        string what = error.Message.TrimEnd('.');
        return $"Could not write '{path}': {what}{(cause is null ? "" : $" ({cause})")}. The previous file, if any, is unchanged.";
    }

    /// <summary>The name of a temporary file for <paramref name="fileName"/> written by <paramref name="writer"/>:
    /// <c>.{fileName}.{writer}.{8 random hex digits}.tmp</c>, hidden, unique among concurrent writers.</summary>
    internal static string TemporaryName(string fileName, WriterId writer) =>
        $".{fileName}.{writer}.{RandomNumberGenerator.GetHexString(8, lowercase: true)}{TemporarySuffix}";

    /// <summary>
    /// Deletes the temporary files that writers of <paramref name="fileName"/> left behind when they were killed:
    /// those of writers that have exited, and those from elsewhere not written to for <see cref="ForeignTemporaryAge"/>.
    /// A running writer's file is never touched. Never throws: cleaning up must not fail a write.
    /// </summary>
    /// <remarks>A temporary of this name may also be a folder (Sequential.Data's archive extraction builds one next to
    /// its destination, named by <see cref="TemporaryName"/>, and renames it into place); it is deleted with its content,
    /// links inside it unfollowed.</remarks>
    internal static void DeleteStaleTemporaries(string folder, string fileName)
    {
        string prefix = "." + fileName + ".";
        try
        {
            foreach (var file in Directory.EnumerateFileSystemEntries(folder, "*" + TemporarySuffix))
            {
                string name = Path.GetFileName(file);
                if (name.Length <= prefix.Length + TemporarySuffix.Length || !name.StartsWith(prefix, StringComparison.Ordinal))
                    continue;
                string tag = name[prefix.Length..^TemporarySuffix.Length];
                int dot = tag.LastIndexOf('.');
                if (dot < 0 || !WriterId.TryParse(tag[..dot], out var writer))
                    continue; // not one of ours (or another target's whose name starts like this one)
                // With /proc mounted hidepid, another user's live process looks exited: only judge our own files.
                if (OperatingSystem.IsLinux() && Posix.LStat(file)?.Uid != Posix.EffectiveUserId)
                    continue;
                bool stale = writer.Scope == WriterId.Current.Scope
                    ? writer.HasExited
                    : DateTime.UtcNow - File.GetLastWriteTimeUtc(file) > ForeignTemporaryAge;
                if (stale && Directory.Exists(file) && new DirectoryInfo(file).LinkTarget is null)
                    Directory.Delete(file, recursive: true);
                else if (stale)
                    TryDelete(file);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            // A folder we cannot list, a file that vanished meanwhile, a libc without statx (musl before 1.2.5):
            // the write itself may still succeed.
        }
    }

    /// <summary>
    /// Sets the exact mode, which the umask may have narrowed at creation. Where the file system refuses (FAT, some
    /// network mounts), the file keeps its creation mode, which is never more open than <paramref name="mode"/>.
    /// </summary>
    [UnsupportedOSPlatform("windows")]
    private static void TrySetMode(SafeFileHandle file, UnixFileMode mode)
    {
        try { File.SetUnixFileMode(file, mode); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private static UnixFileMode? ExistingMode(string path)
    {
        if (OperatingSystem.IsWindows()) return null;
        try { return File.GetUnixFileMode(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; } // no file yet
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
