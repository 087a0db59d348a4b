using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
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
internal static partial class ImageFile
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

    private const int AtFdCwd = -100, AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1, StatxSize = 0x200;
    private const int ORdOnly = 0, ONoCtty = 0x100, ONonBlock = 0x800, OCloExec = 0x80000;
    private const int ENoSys = 38, EPerm = 1;

    /// <summary>Set once statx is found missing, so the portable path is taken without trying again.</summary>
    private static volatile bool _noStatx;

    /// <summary>The fields read from Linux's <c>struct statx</c> (256 bytes, one layout on every architecture).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct Statx
    {
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(40)] public ulong Size;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatxCall(int dirfd, string path, int flags, uint mask, out Statx buffer);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenCall(string path, int flags);

    /// <summary>
    /// Opens a regular file of 1 to <paramref name="maxBytes"/> bytes. Returns null with no handle when statx is
    /// not available here (the caller then takes the portable path).
    /// </summary>
    private static string? OpenLinux(string path, long maxBytes, out SafeFileHandle? handle, out long length)
    {
        handle = null;
        length = 0;
        if (_noStatx)
            return null;
        Statx before;
        try
        {
            if (StatxCall(AtFdCwd, path, 0, StatxType | StatxSize, out before) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                _noStatx = errno == ENoSys;
                return errno is ENoSys or EPerm ? null : $"cannot be read: {Marshal.GetPInvokeErrorMessage(errno)}";
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _noStatx = true;   // a C library without statx (glibc before 2.28, older musl)
            return null;
        }
        if (Refusal(TypeName(before.Mode), (long)before.Size, maxBytes) is { } why)
            return why;

        int fd = OpenCall(path, ORdOnly | ONonBlock | OCloExec | ONoCtty);
        if (fd < 0)
            return $"cannot be read: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}";
        var opened = new SafeFileHandle(fd, ownsHandle: true);
        // The file may have been replaced between the two calls: judge the one actually opened.
        if (StatxCall(fd, "", AtEmptyPath, StatxType | StatxSize, out var after) != 0)
        {
            string error = Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
            opened.Dispose();
            return $"cannot be read: {error}";
        }
        if (Refusal(TypeName(after.Mode), (long)after.Size, maxBytes) is { } changed)
        {
            opened.Dispose();
            return changed;
        }
        handle = opened;
        length = (long)after.Size;
        return null;
    }

    /// <summary>Null for a regular file, else what the <c>st_mode</c> type bits say it is.</summary>
    private static string? TypeName(ushort mode) => (mode & 0xF000) switch
    {
        0x8000 => null,
        0x1000 => "a FIFO",
        0x2000 => "a character device",
        0x4000 => "a directory",
        0x6000 => "a block device",
        0xC000 => "a socket",
        _ => $"of file type 0x{mode & 0xF000:X4}",
    };
}
