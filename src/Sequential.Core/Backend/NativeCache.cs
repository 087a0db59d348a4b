using System.Runtime.Versioning;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Sequential.IO;

namespace Sequential;

/// <summary>
/// Keeps the patched copy of TorchSharp's native library (see <see cref="NativeLoader"/>) in a folder that only this
/// user can write, and hands it out only after checking, through an open handle, that it holds exactly the bytes
/// expected. The caller loads that very handle (<see cref="VerifiedCopy.LoadPath"/>), so what was checked is what runs.
/// </summary>
/// <remarks>
/// The checks, and what each stops:
/// <list type="bullet">
/// <item>Every cache folder (the root and the per-version folder in it) is created 0700 and refused when it is a
/// symbolic link, not ours, or writable by group or others: someone else could have put, or could later put, a
/// library there. The fallback in the temporary folder has a predictable name, so this matters there most.</item>
/// <item>The cached file is compared byte for byte with the patched library computed in memory from the package's
/// original. A mismatch (planted, truncated by a full disk or a kill, corrupted) is rewritten atomically, never loaded:
/// a truncated library mapped into the process kills it with SIGBUS, a corrupted one fails to load for ever.</item>
/// <item>The comparison reads an open handle whose owner and mode <c>fstat</c> has checked, and the library is then
/// loaded through <c>/proc/self/fd/N</c> of that handle: swapping the file or a folder above it after the check
/// changes nothing, and nobody but this user (or root) can write to the file the handle holds.</item>
/// </list>
/// When every cache folder is refused, the copy goes to a fresh folder with an unpredictable name
/// (<see cref="Directory.CreateTempSubdirectory"/>, 0700) that is deleted once the library is loaded, so a folder
/// planted to block the cache cannot stop the program either.
/// </remarks>
[SupportedOSPlatform("linux")]
internal static class NativeCache
{
    /// <summary>The file name of the copy: the soname TorchSharp asks for.</summary>
    internal const string LibraryFile = "libLibTorchSharp.so";

    private const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Returns an open, verified copy of <paramref name="expected"/> named <see cref="LibraryFile"/> in the folder
    /// <paramref name="name"/> of the first usable folder of <paramref name="roots"/>, writing it if it is missing or
    /// differs; if no root is usable, in a fresh private temporary folder.
    /// </summary>
    /// <param name="roots">Cache folders, best first; created (0700) if missing.</param>
    /// <param name="name">The per-version folder inside a root (a hash of the original library).</param>
    /// <param name="expected">The exact bytes the copy must hold.</param>
    /// <param name="readme">Text for a README.txt written beside a newly written copy.</param>
    /// <exception cref="IOException">Not even a fresh temporary folder could be written; the message says why
    /// every folder failed.</exception>
    internal static VerifiedCopy Open(IReadOnlyList<string> roots, string name, byte[] expected, string readme)
    {
        var skipped = new List<string>();
        foreach (var root in roots)
        {
            try
            {
                return OpenIn(root, name, expected, readme, skipped, scratchFolder: null);
            }
            catch (UnauthorizedAccessException e)
            {
                skipped.Add(e.Message); // already names the folder and the fix
            }
            catch (IOException e)
            {
                skipped.Add($"Could not use the native library cache folder {root}: {e.Message}");
            }
        }
        string scratch = Directory.CreateTempSubdirectory("sequential-native-").FullName;
        try
        {
            return OpenIn(scratch, name, expected, readme, skipped, scratch);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDeleteFolder(scratch);
            throw new IOException(
                $"Could not write the patched copy of {LibraryFile} anywhere. {string.Join(" ", skipped)} In a fresh temporary " +
                $"folder: {e.Message} Set SEQUENTIAL_NATIVE_CACHE to a folder of your own that can be written.", e);
        }
    }

    private static VerifiedCopy OpenIn(string root, string name, byte[] expected, string readme, List<string> skipped, string? scratchFolder)
    {
        string folder = Path.Combine(root, name);
        EnsurePrivateFolder(root);
        EnsurePrivateFolder(folder);
        string target = Path.Combine(folder, LibraryFile);

        string? mismatch = Check(target, expected, out var handle);
        if (mismatch is null)
            return new VerifiedCopy(target, handle!, rewritten: null, skipped, scratchFolder);

        AtomicFile.Write(target, stream => stream.Write(expected), PrivateFile);
        AtomicFile.Write(Path.Combine(folder, "README.txt"), stream => stream.Write(Encoding.UTF8.GetBytes(readme)), PrivateFile);
        string? again = Check(target, expected, out handle);
        if (again is not null)
            throw new IOException($"{target} was just written but does not read back as written ({again}).");
        return new VerifiedCopy(target, handle!, mismatch, skipped, scratchFolder);
    }

    /// <summary>Creates <paramref name="folder"/> (0700) if it is missing; refuses one that someone else could write.</summary>
    /// <exception cref="UnauthorizedAccessException">The folder is a link, not ours, or writable by others; the message says which and the fix.</exception>
    internal static void EnsurePrivateFolder(string folder)
    {
        var status = Posix.LStat(folder);
        if (status is null)
        {
            Directory.CreateDirectory(folder, PrivateFolder);
            status = Posix.LStat(folder) ?? throw new IOException($"{folder} vanished just after it was created.");
        }
        string fix = $"Native code is only loaded from a folder that only you can write: remove {folder}, or set " +
                     "SEQUENTIAL_NATIVE_CACHE to a folder of your own.";
        var s = status.Value;
        if (s.IsSymbolicLink)
            throw new UnauthorizedAccessException($"The native library cache folder {folder} is a symbolic link. {fix}");
        if (!s.IsDirectory)
            throw new UnauthorizedAccessException($"The native library cache folder {folder} is not a folder. {fix}");
        if (s.Uid != Posix.EffectiveUserId)
            throw new UnauthorizedAccessException(
                $"The native library cache folder {folder} belongs to uid {s.Uid}, not to you (uid {Posix.EffectiveUserId}). {fix}");
        if (s.WritableByOthers)
            throw new UnauthorizedAccessException(
                $"The native library cache folder {folder} is writable by other users (mode {Octal(s.Permissions)}). " +
                $"Run 'chmod go-w {folder}', or: {fix}");
    }

    /// <summary>
    /// Opens <paramref name="path"/> and checks, through the handle, that it is our own regular file that others cannot
    /// write and that it holds exactly <paramref name="expected"/>. Returns null and the open handle when it does;
    /// otherwise why not, and no handle.
    /// </summary>
    internal static string? Check(string path, byte[] expected, out SafeFileHandle? handle)
    {
        handle = null;
        var entry = Posix.LStat(path);
        if (entry is null) return "missing";
        // Not opened: a symbolic link could point anywhere, and opening a FIFO would block.
        if (entry.Value.IsSymbolicLink) return "a symbolic link";
        if (!entry.Value.IsFile) return "not a regular file";

        SafeFileHandle file;
        try { file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read); }
        catch (FileNotFoundException) { return "missing"; }
        string? reason;
        try
        {
            var s = Posix.FStat(file);
            reason = !s.IsFile ? "not a regular file"
                : s.Uid != Posix.EffectiveUserId ? $"owned by uid {s.Uid}, not by you (uid {Posix.EffectiveUserId})"
                : s.WritableByOthers ? $"writable by other users (mode {Octal(s.Permissions)})"
                : s.Size != expected.Length ? $"{s.Size} bytes long where {expected.Length} were expected: truncated or replaced"
                : !HoldsExactly(file, expected) ? "different from the patched library"
                : null;
        }
        catch
        {
            file.Dispose();
            throw;
        }
        if (reason is null)
            handle = file;
        else
            file.Dispose();
        return reason;
    }

    private static bool HoldsExactly(SafeFileHandle file, byte[] expected)
    {
        // One byte more than expected, to notice a file that grew since fstat.
        var buffer = new byte[expected.Length + 1];
        int filled = 0;
        while (filled < buffer.Length)
        {
            int read = RandomAccess.Read(file, buffer.AsSpan(filled), filled);
            if (read == 0) break;
            filled += read;
        }
        return filled == expected.Length && buffer.AsSpan(0, filled).SequenceEqual(expected);
    }

    private static string Octal(uint permissions) => "0" + Convert.ToString(permissions, 8);

    /// <summary>Deletes a folder and its files; a failure leaves it behind, which does no harm.</summary>
    internal static void TryDeleteFolder(string folder)
    {
        try { Directory.Delete(folder, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
