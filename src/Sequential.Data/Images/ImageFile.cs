using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Sequential.IO;
using SkiaSharp;

namespace Sequential.Data;

/// <summary>
/// Reads an image file into native memory, treating it as hostile: regular files only (a FIFO, device or socket
/// named <c>x.png</c> is refused before it is opened), at most a given number of bytes, and never more bytes than
/// the file had when it was opened.
/// </summary>
/// <remarks>
/// .NET exposes no file type (<see cref="FileAttributes"/> calls a FIFO and <c>/dev/zero</c> "Normal"), and opening a
/// FIFO for reading blocks until a writer comes. On Linux the type comes from <c>statx</c> (whose layout, unlike
/// <c>struct stat</c>'s, is the same on every architecture): by path before opening, then again on the descriptor,
/// which is opened with <c>O_NONBLOCK</c> so a FIFO swapped in between cannot block either. Elsewhere (or where
/// <c>statx</c> is refused, as by old container seccomp profiles) a size of 0 is refused before opening: FIFOs,
/// character and block devices and sockets report 0 there.
/// </remarks>
internal static class ImageFile
{
    /// <summary>Reads <paramref name="path"/> (links followed) into <paramref name="data"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">The largest file accepted, at most <see cref="int.MaxValue"/>.</param>
    /// <param name="data">The bytes, owned by the caller; null when refused.</param>
    /// <returns>Null on success, else why the file was not read.</returns>
    internal static string? Read(string path, long maxBytes, out SKData? data)
        => Read(path, maxBytes, statx: OperatingSystem.IsLinux(), out data);

    /// <summary>As <see cref="Read(string, long, out SKData?)"/>; <paramref name="statx"/> false takes the portable path.</summary>
    internal static unsafe string? Read(string path, long maxBytes, bool statx, out SKData? data)
    {
        data = null;
        SafeFileHandle? handle = null;
        try
        {
            string? refused = null;
            long length = 0;
            if (statx)
                refused = OpenLinux(path, maxBytes, out handle, out length);
            if (refused is null && handle is null)
                refused = OpenPortable(path, maxBytes, out handle, out length);
            if (refused is not null)
                return refused;

            // Native memory that Skia frees when the SKData is disposed: no large managed array left for the GC.
            byte* buffer = (byte*)NativeMemory.Alloc((nuint)length);
            var span = new Span<byte>(buffer, (int)length);
            int read = 0;
            try
            {
                while (read < length)
                {
                    int n = RandomAccess.Read(handle!, span[read..], read);
                    if (n == 0) break;
                    read += n;
                }
            }
            catch
            {
                NativeMemory.Free(buffer);
                throw;
            }
            if (read < length)
            {
                NativeMemory.Free(buffer);
                return $"cannot be read: it shrank from {Bytes(length)} to {Bytes(read)} while being read";
            }
            data = SKData.Create((IntPtr)buffer, (int)length, (address, _) => NativeMemory.Free((void*)address));
            return null;
        }
        catch (IOException e)
        {
            return $"cannot be read: {e.Message}";
        }
        catch (UnauthorizedAccessException e)
        {
            return $"cannot be read: {e.Message}";
        }
        catch (OutOfMemoryException)
        {
            return "cannot be read: not enough memory for it";
        }
        finally
        {
            handle?.Dispose();
        }
    }

    /// <summary>"1,234 bytes", invariant digits grouped.</summary>
    internal static string Bytes(long n) => n.ToString("N0", CultureInfo.InvariantCulture) + (n == 1 ? " byte" : " bytes");

    /// <summary>Why a file of this type and size is not read, or null.</summary>
    private static string? Refusal(string? notRegular, long length, long maxBytes)
    {
        if (notRegular is not null)
            return $"is not a regular file (it is {notRegular}); only regular files are read";
        if (length == 0)
            return "empty file (0 bytes)";
        if (length > maxBytes)
            return $"is {Bytes(length)}, more than maxFileBytes ({Bytes(maxBytes)}) allows; " +
                "pass a larger maxFileBytes to FlowFromDirectory if the file is trusted";
        return null;
    }

    /// <summary>The portable path: no file type from .NET, so a size of 0 (FIFOs, devices, sockets) is refused unopened.</summary>
    private static string? OpenPortable(string path, long maxBytes, out SafeFileHandle? handle, out long length)
    {
        handle = null;
        length = 0;
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
            info = info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info;
        if (!info.Exists)
            return Directory.Exists(info.FullName) ? Refusal("a directory", 0, maxBytes) : $"cannot be read: '{path}' does not exist";
        if ((info.Attributes & FileAttributes.Device) != 0)
            return Refusal("a device", 0, maxBytes);
        if (info.Length == 0)
            return "empty (0 bytes) or not a regular file (a FIFO, device or socket), so not opened";
        if (Refusal(null, info.Length, maxBytes) is { } why)
            return why;
        handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        length = RandomAccess.GetLength(handle);
        return Refusal(null, length, maxBytes);
    }

    // ---- Linux: statx before opening, O_NONBLOCK open, statx on the descriptor ----

    /// <summary>
    /// Opens a regular file of 1 to <paramref name="maxBytes"/> bytes. Returns null with no handle when statx is
    /// not available here (the caller then takes the portable path).
    /// </summary>
    private static string? OpenLinux(string path, long maxBytes, out SafeFileHandle? handle, out long length)
    {
        handle = null;
        length = 0;
        if (!Posix.HasStatx)
            return null;
        Posix.Status before;
        try
        {
            before = Posix.Stat(path) ?? throw new FileNotFoundException($"'{path}' does not exist");
        }
        catch (PlatformNotSupportedException)
        {
            return null;
        }
        if (Refusal(before.NotRegularFile, before.Size, maxBytes) is { } why)
            return why;

        var opened = Posix.OpenForReadingNonBlocking(path);
        try
        {
            // The file may have been replaced between the two calls: judge the one actually opened.
            var after = Posix.FStat(opened);
            if (Refusal(after.NotRegularFile, after.Size, maxBytes) is { } changed)
            {
                opened.Dispose();
                return changed;
            }
            handle = opened;
            length = after.Size;
            return null;
        }
        catch
        {
            opened.Dispose();
            throw;
        }
    }
}
