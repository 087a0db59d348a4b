using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Sequential.IO;

/// <summary>
/// The few POSIX calls the BCL lacks: the owner of a file (<c>statx</c>), the effective user id, and
/// <c>fsync</c> of a folder. Unix only; callers check the platform.
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
    }

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;
    private const int Enoent = 2;
    private const int Enotdir = 20;

    /// <summary>The effective user id of this process.</summary>
    internal static uint EffectiveUserId => geteuid();

    /// <summary>Describes <paramref name="path"/> itself, not what a symbolic link there points to; null when nothing is there.</summary>
    /// <exception cref="IOException">statx failed for another reason (for example permission denied on a parent folder).</exception>
    internal static Status? LStat(string path)
    {
        var buffer = new byte[256];
        if (statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, buffer) == 0)
            return Parse(buffer);
        int errno = Marshal.GetLastPInvokeError();
        if (errno is Enoent or Enotdir) return null;
        throw new IOException($"Could not examine '{path}': {Marshal.GetPInvokeErrorMessage(errno)}.", errno);
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
            if (statx((int)handle.DangerousGetHandle(), "", AtEmptyPath, StatxBasicStats, buffer) == 0)
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
