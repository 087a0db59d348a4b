using System.Buffers.Binary;
using System.Security.Cryptography;
using Sequential.IO;

namespace Sequential.Data;

/// <summary>
/// Writes a <see cref="CacheFile"/> during a pass, atomically: the records go to a temporary file beside the target
/// (named as <c>AtomicFile</c> names its own), and only <see cref="Commit"/>, at the end of a complete pass, flushes it
/// to disk and renames it over the target. Disposing without a commit (a pass abandoned part-way, an error) deletes
/// the temporary file, so the target is never half written.
/// </summary>
/// <remarks>
/// <c>AtomicFile.Write</c> takes the whole content in one call; a cache is written one element at a time over a pass
/// that the consumer drives, so this class streams instead, with the same temporary name, flush and folder fsync.
/// </remarks>
internal sealed class CacheFileWriter : IDisposable
{
    private readonly string _path;
    private readonly string _temporary;
    private readonly FileStream _stream;
    private long _count;
    private bool _committed;

    public CacheFileWriter(string path)
    {
        _path = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(_path)!;
        try
        {
            Directory.CreateDirectory(folder);
            _temporary = Path.Combine(folder, AtomicFile.TemporaryName(Path.GetFileName(_path), WriterId.Current));
            _stream = new FileStream(_temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            _stream.Write(CacheFile.Header(0));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException(AtomicFile.DescribeFailure(path, e), e);
        }
    }

    /// <summary>Appends one element.</summary>
    public void Write(Element element)
    {
        byte[] payload = CacheFile.Encode(element);
        var length = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(length, payload.Length);
        Try(() =>
        {
            _stream.Write(length);
            _stream.Write(payload);
            _stream.Write(SHA256.HashData(payload));
        });
        _count++;
    }

    /// <summary>Completes the file: writes the count, flushes to disk and renames it over the target.</summary>
    public void Commit()
    {
        Try(() =>
        {
            _stream.Position = CacheFile.CountOffset;
            var count = new byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(count, _count);
            _stream.Write(count);
            _stream.Flush(flushToDisk: true);
            _stream.Dispose();
            File.Move(_temporary, _path, overwrite: true);
        });
        _committed = true;
        if (!OperatingSystem.IsWindows()) Posix.TryFsyncFolder(Path.GetDirectoryName(_path)!);
    }

    private void Try(Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException(AtomicFile.DescribeFailure(_path, e), e);
        }
    }

    /// <summary>Deletes the temporary file unless the pass was committed.</summary>
    public void Dispose()
    {
        if (_committed) return;
        _stream.Dispose();
        try
        {
            File.Delete(_temporary);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The error that ended the pass matters more than a leftover temporary file.
        }
    }
}
