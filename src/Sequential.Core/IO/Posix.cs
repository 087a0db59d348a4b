using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Sequential.IO;

/// <summary>
/// The few POSIX calls the BCL lacks: the owner and type of a file (<c>statx</c>), the effective user id, a
/// non-blocking open, and <c>fsync</c> of a folder. Unix only; callers check the platform. Shared by the native
/// library cache, atomic writes and the image reader (Sequential.Data).
/// </summary>
/// <remarks>
/// <c>statx</c> rather than <c>stat</c>/<c>lstat</c>: its buffer has one documented layout on every Linux
/// architecture, where <c>struct stat</c> differs between them (and older glibc exports only <c>__xstat</c>).
/// glibc has wrapped it since 2.28, Linux since 4.11.
/// </remarks>
internal static class Posix
{
    /// <summary>What <c>statx</c> says about a path or an open file.</summary>
    /// <param name="Uid">The owner.</param>
    /// <param name="Mode">The full <c>st_mode</c>: type bits (<c>S_IFMT</c>) and permission bits.</param>
    /// <param name="Size">Length in bytes.</param>
    internal readonly record struct Status(uint Uid, uint Mode, long Size)
    {
        private const uint TypeMask = 0xF000;

        /// <summary>A regular file.</summary>
        public bool IsFile => (Mode & TypeMask) == 0x8000;

        /// <summary>A folder.</summary>
        public bool IsDirectory => (Mode & TypeMask) == 0x4000;

        /// <summary>A symbolic link (only seen by <see cref="LStat"/>, which does not follow links).</summary>
        public bool IsSymbolicLink => (Mode & TypeMask) == 0xA000;

        /// <summary>The permission bits, e.g. <c>0755</c>.</summary>
        public uint Permissions => Mode & 0xFFF;

        /// <summary>Group or others may write it (<c>S_IWGRP | S_IWOTH</c>).</summary>
        public bool WritableByOthers => (Mode & 0x12) != 0;

        /// <summary>Null for a regular file, else what the type bits say it is ("a FIFO", "a directory", ...).</summary>
        public string? NotRegularFile => (Mode & TypeMask) switch
        {
            0x8000 => null,
            0x1000 => "a FIFO",
            0x2000 => "a character device",
            0x4000 => "a directory",
            0x6000 => "a block device",
            0xA000 => "a symbolic link",
            0xC000 => "a socket",
            _ => $"of file type 0x{Mode & TypeMask:X4}",
        };
    }

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;
    private const int Enoent = 2;
    private const int Enotdir = 20;

    /// <summary>
    /// Whether <paramref name="path"/> (not following a final link) and every folder above it belong to root (uid 0) and
    /// cannot be written by the group or others: only root could have put the file there or can change it. Native code is
    /// loaded only from such places.
    /// </summary>
    internal static bool RootOwned(string path)
    {
        for (string? p = Path.GetFullPath(path); p is not null; p = Path.GetDirectoryName(p))
        {
            // A link's own permission bits are always 0777 and mean nothing; the folder that holds it guards it.
            if (LStat(p) is not { Uid: 0 } status || (!status.IsSymbolicLink && status.WritableByOthers)) return false;
        }
        return true;
    }

    /// <summary>The effective user id of this process.</summary>
    internal static uint EffectiveUserId => geteuid();

    /// <summary>Describes <paramref name="path"/> itself, not what a symbolic link there points to; null when nothing is there.</summary>
    /// <exception cref="IOException">statx failed for another reason (for example permission denied on a parent folder).</exception>
    /// <exception cref="PlatformNotSupportedException">This C library or kernel has no statx (see <see cref="HasStatx"/>).</exception>
    internal static Status? LStat(string path) => PathStatus(path, AtSymlinkNoFollow);

    /// <summary>Describes what <paramref name="path"/> names, following symbolic links (what <c>stat</c> says); null when nothing is there.</summary>
    /// <exception cref="IOException">statx failed for another reason.</exception>
    /// <exception cref="PlatformNotSupportedException">This C library or kernel has no statx (see <see cref="HasStatx"/>).</exception>
    internal static Status? Stat(string path) => PathStatus(path, 0);

    /// <summary>
    /// False once statx turned out to be missing here (glibc before 2.28, musl before 1.2.5, a kernel before 4.11, or a
    /// container whose seccomp profile refuses it); callers then take a portable path.
    /// </summary>
    internal static bool HasStatx => !_noStatx;

    private static volatile bool _noStatx;

    private static Status? PathStatus(string path, int flags)
    {
        var buffer = new byte[256];
        if (Statx(AtFdCwd, path, flags, buffer) == 0)
            return Parse(buffer);
        int errno = Marshal.GetLastPInvokeError();
        if (errno is Enoent or Enotdir) return null;
        throw new IOException($"Could not examine '{path}': {Marshal.GetPInvokeErrorMessage(errno)}.", errno);
    }

    /// <summary>
    /// Opens a file for reading with <c>O_NONBLOCK</c>, so that a FIFO or device put in a file's place cannot block the
    /// caller (check what was opened with <see cref="FStat"/>), and <c>O_NOCTTY | O_CLOEXEC</c>.
    /// </summary>
    /// <exception cref="IOException">open failed; the message says why.</exception>
    internal static SafeFileHandle OpenForReadingNonBlocking(string path)
    {
        const int ORdOnly = 0, ONoCtty = 0x100, ONonBlock = 0x800, OCloExec = 0x80000;
        int fd = open(path, ORdOnly | ONonBlock | OCloExec | ONoCtty);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException(Marshal.GetPInvokeErrorMessage(errno), errno);
        }
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Describes the file that <paramref name="handle"/> has open (what <c>fstat</c> says).</summary>
    /// <exception cref="IOException">statx failed.</exception>
    internal static Status FStat(SafeFileHandle handle)
    {
        var buffer = new byte[256];
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (Statx((int)handle.DangerousGetHandle(), "", AtEmptyPath, buffer) == 0)
                return Parse(buffer);
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"Could not examine an open file: {Marshal.GetPInvokeErrorMessage(errno)}.", errno);
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    /// <summary>
    /// Flushes a folder's entries to disk, so that a rename into it survives a power cut. Best effort: some file
    /// systems cannot fsync a folder, and by the time this runs the rename has already happened.
    /// </summary>
    internal static void TryFsyncFolder(string folder)
    {
        try
        {
            int fd = open(folder, 0 /* O_RDONLY: a folder cannot be opened for writing */);
            if (fd < 0) return;
            fsync(fd);
            close(fd);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    // struct statx, in native byte order: stx_uid at 20, stx_mode (16 bits) at 28, stx_size at 40, on every architecture.
    private static Status Parse(byte[] b) =>
        new(MemoryMarshal.Read<uint>(b.AsSpan(20)), MemoryMarshal.Read<ushort>(b.AsSpan(28)), (long)MemoryMarshal.Read<ulong>(b.AsSpan(40)));

    /// <summary>statx, turning "not available here" into <see cref="PlatformNotSupportedException"/> (remembered).</summary>
    private static int Statx(int dirfd, string path, int flags, byte[] buffer)
    {
        const int ENoSys = 38, EPerm = 1;
        if (_noStatx) throw new PlatformNotSupportedException("statx is not available on this system.");
        int result;
        try
        {
            result = statx(dirfd, path, flags, StatxBasicStats, buffer);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _noStatx = true;
            throw new PlatformNotSupportedException("statx is not available in this C library.", e);
        }
        // ENOSYS: no such system call; EPERM from statx itself: refused by a container's seccomp profile.
        if (result != 0 && Marshal.GetLastPInvokeError() is ENoSys or EPerm)
        {
            _noStatx = true;
            throw new PlatformNotSupportedException("statx is refused or missing on this system.");
        }
        return result;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);

    [DllImport("libc")]
    private static extern uint geteuid();

    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int fsync(int fd);

    [DllImport("libc")]
    private static extern int close(int fd);
}
