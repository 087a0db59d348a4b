using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Sequential.Data;

/// <summary>
/// A read-only stream between a tar archive and <see cref="System.Formats.Tar.TarReader"/> that refuses a metadata
/// header (PAX extended or global attributes, a GNU long name or long link) claiming more than a bound, before the
/// reader sees it.
/// </summary>
/// <remarks>
/// TarReader allocates a metadata header's claimed size before reading it (measured with .NET 10: a 512-byte header
/// claiming 1.5 GB allocates 1.5 GB, then fails on the missing bytes), so a hostile archive could make it reserve up to
/// 2 GB per header. The guard follows the archive block by block as the reader consumes it: it knows where each header
/// starts (after the previous header and its data, rounded to 512 bytes, with a PAX <c>size</c> record taken into
/// account), reads each header whole before passing it on, and stops following (passing bytes through unchanged, for
/// TarReader to judge) if a block there is not a tar header.
/// </remarks>
internal sealed class TarHeaderGuard(Stream inner, Func<string, string, Exception> refuse, long maxMetadataBytes) : Stream
{
    private const int Block = 512;
    private long _position;
    private long _nextHeader;
    private byte[]? _pending;
    private int _pendingOffset;
    private long? _paxSize;

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
            return 0;
        if (_pending is null && _position == _nextHeader)
            LoadHeader();
        if (_pending is not null)
        {
            int n = Math.Min(buffer.Length, _pending.Length - _pendingOffset);
            _pending.AsSpan(_pendingOffset, n).CopyTo(buffer);
            _pendingOffset += n;
            if (_pendingOffset == _pending.Length)
                _pending = null;
            return n;
        }
        int max = buffer.Length;
        if (_nextHeader > _position)
            max = (int)Math.Min(max, _nextHeader - _position);
        int read = inner.Read(buffer[..max]);
        _position += read;
        return read;
    }

    /// <summary>Reads the block at <see cref="_nextHeader"/> (and a metadata header's data) into <see cref="_pending"/>.</summary>
    private void LoadHeader()
    {
        var header = new byte[Block];
        int n = inner.ReadAtLeast(header, Block, throwOnEndOfStream: false);
        _position += n;
        _nextHeader = -1;   // unless a valid header says where the next one is
        if (n == Block && header.AsSpan().IndexOfAnyExcept((byte)0) < 0)
            _nextHeader = _position;   // an end-of-archive block
        else if (n == Block && IsHeader(header) && Size(header) is { } size)
        {
            char type = (char)header[156];
            int nameEnd = Array.IndexOf(header, (byte)0, 0, 100);
            string name = Encoding.UTF8.GetString(header, 0, nameEnd < 0 ? 100 : nameEnd);
            if (type is 'x' or 'g' or 'L' or 'K' or 'X')
            {
                if (size > maxMetadataBytes)
                    throw refuse(name.Length > 0 ? name : $"({type} header)",
                        $"is a tar metadata header claiming {size.ToString("N0", CultureInfo.InvariantCulture)} bytes, more than the " +
                        $"{maxMetadataBytes.ToString("N0", CultureInfo.InvariantCulture)} such a header may have");
                long padded = RoundUp(size);
                var data = new byte[padded];
                int got = inner.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
                _position += got;
                if (type == 'x' && got >= size)
                    _paxSize = PaxSize(data.AsSpan(0, (int)size));
                _pending = [.. header, .. data.AsSpan(0, got)];
                _pendingOffset = 0;
                if (got == padded)
                    _nextHeader = _position;
                return;
            }
            long effective = _paxSize ?? size;
            _paxSize = null;
            _nextHeader = _position + RoundUp(effective);
        }
        _pending = header[..n];
        _pendingOffset = 0;
        if (n == 0)
            _pending = null;
    }

    private static long RoundUp(long size) => (size + Block - 1) / Block * Block;

    /// <summary>The header's checksum (bytes 148-155, octal) equals the sum of its bytes with that field as spaces.</summary>
    internal static bool IsHeader(ReadOnlySpan<byte> header)
    {
        long stored = 0;
        int digits = 0;
        foreach (byte b in header.Slice(148, 8))
        {
            if (b is >= (byte)'0' and <= (byte)'7') { stored = stored * 8 + (b - '0'); digits++; }
            else if (b is 0 or (byte)' ' && digits > 0) break;
            else if (b is not (byte)' ') return false;
        }
        long sum = 8 * ' ';
        for (int i = 0; i < Block; i++)
            if (i is < 148 or >= 156) sum += header[i];
        return digits > 0 && stored == sum;
    }

    /// <summary>The size field: octal, or GNU base-256 (first byte 0x80); null when unreadable.</summary>
    private static long? Size(ReadOnlySpan<byte> header)
    {
        var field = header.Slice(124, 12);
        if (field[0] == 0x80)
        {
            if (field[1..4].IndexOfAnyExcept((byte)0) >= 0)
                return null;   // beyond 2^63
            return BinaryPrimitives.ReadInt64BigEndian(field[4..]) is var big and >= 0 ? big : null;
        }
        long value = 0;
        foreach (byte b in field)
        {
            if (b is >= (byte)'0' and <= (byte)'7') value = value * 8 + (b - '0');
            else if (b is 0 or (byte)' ') continue;
            else return null;
            if (value > long.MaxValue / 8) return null;
        }
        return value;
    }

    /// <summary>The <c>size</c> record of PAX extended attributes ("<c>LEN size=N\n</c>"), if any.</summary>
    private static long? PaxSize(ReadOnlySpan<byte> records)
    {
        foreach (var line in Encoding.UTF8.GetString(records).Split('\n'))
        {
            int space = line.IndexOf(' ');
            if (space > 0 && line.AsSpan(space + 1).StartsWith("size=") &&
                long.TryParse(line.AsSpan(space + 6), NumberStyles.None, CultureInfo.InvariantCulture, out long size))
                return size;
        }
        return null;
    }

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position
    {
        get => _position - (_pending is null ? 0 : _pending.Length - _pendingOffset);
        set => throw new NotSupportedException();
    }

    /// <inheritdoc/>
    public override void Flush() { }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inner.Dispose();
        base.Dispose(disposing);
    }
}
