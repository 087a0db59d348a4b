using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Sequential.Data;

/// <summary>
/// Reads a <see cref="CacheFile"/> one element at a time, checking the header, each record's length against the
/// bytes left in the file (before allocating), its SHA-256, its contents, and that the file ends after the last one.
/// </summary>
internal sealed class CacheFileReader : IDisposable
{
    private readonly string _path;
    private readonly FileStream _stream;
    private readonly long _length;
    private long _read;

    /// <exception cref="InvalidDataException">The header is not a cache file's.</exception>
    public CacheFileReader(string path)
    {
        _path = path;
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        try
        {
            _length = _stream.Length;
            Span<byte> header = stackalloc byte[CacheFile.HeaderBytes];
            if (_length < CacheFile.HeaderBytes || _stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
                throw Corrupt($"it has {_length} bytes, fewer than the {CacheFile.HeaderBytes}-byte header");
            if (!header[..8].SequenceEqual(CacheFile.Magic))
                throw Corrupt("it does not start with SQDCACHE (it is not a dataset cache file)");
            int version = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
            if (version != CacheFile.Version)
                throw Corrupt($"it has format version {version}; this version of Sequential reads version {CacheFile.Version}");
            Count = BinaryPrimitives.ReadInt64LittleEndian(header[CacheFile.CountOffset..]);
            // Each record takes at least its length and hash: a count beyond that is a lie, refused before any work.
            long most = (_length - CacheFile.HeaderBytes) / (8 + CacheFile.HashBytes);
            if (Count < 0 || Count > most)
                throw Corrupt($"its header claims {Count} elements, but its {_length} bytes can hold at most {most}");
        }
        catch
        {
            _stream.Dispose();
            throw;
        }
    }

    /// <summary>The number of elements the header declares.</summary>
    public long Count { get; }

    /// <summary>Reads the next element (its tensors are new CPU tensors owned by the caller).</summary>
    /// <exception cref="InvalidDataException">The record is truncated, corrupted or not a valid element.</exception>
    public Element Read()
    {
        long index = _read;
        Span<byte> lengthBytes = stackalloc byte[8];
        if (_stream.ReadAtLeast(lengthBytes, 8, throwOnEndOfStream: false) < 8)
            throw Corrupt($"it ends inside element {index} of {Count} (truncated?)");
        long length = BinaryPrimitives.ReadInt64LittleEndian(lengthBytes);
        long left = _length - _stream.Position - CacheFile.HashBytes;
        if (length < 0 || length > left || length > Array.MaxLength)
            throw Corrupt($"element {index} claims {length} bytes, but {Math.Max(left, 0)} are left before its hash (truncated?)");
        var payload = new byte[length];
        _stream.ReadExactly(payload);
        Span<byte> hash = stackalloc byte[CacheFile.HashBytes];
        _stream.ReadExactly(hash);
        if (!SHA256.HashData(payload).AsSpan().SequenceEqual(hash))
            throw Corrupt($"element {index}'s bytes do not match their SHA-256 (the file is corrupted)");
        Element element;
        try
        {
            element = CacheFile.Decode(payload, "its payload");
        }
        catch (InvalidDataException e)
        {
            throw Corrupt($"element {index} is not a valid element ({e.Message.TrimEnd('.')})", e);
        }
        _read++;
        if (_read == Count && _stream.Position != _length)
        {
            element.DisposeTensors();
            throw Corrupt($"{_length - _stream.Position} bytes follow its last element");
        }
        return element;
    }

    private InvalidDataException Corrupt(string why, Exception? inner = null) => new(
        $"'{_path}' is not a valid dataset cache file: {why}. Delete it; the next complete pass of the dataset writes it again.", inner);

    public void Dispose() => _stream.Dispose();
}
