using System.Buffers.Binary;
using System.Text;
using Sequential.Layers;
using Sequential.Persistence;

namespace Sequential.Data;

/// <summary>
/// Reads numpy's <c>.npy</c> format (versions 1.0 to 3.0): the magic <c>\x93NUMPY</c>, a version, a header that is
/// a Python dict literal <c>{'descr': '&lt;f8', 'fortran_order': False, 'shape': (506, 13), }</c>, then either the raw
/// data or, for <c>dtype=object</c>, a pickle of the array that <see cref="PickleReader"/> reads with Keras's
/// restrictions.
/// </summary>
/// <remarks>The header is parsed as the small literal numpy writes, never evaluated; the data length is checked
/// against the shape with 64-bit checked arithmetic before anything is allocated.</remarks>
internal static class NpyFile
{
    /// <summary>Largest header accepted. numpy itself refuses headers over 10,000 bytes unless told otherwise.</summary>
    internal const int MaxHeaderBytes = 65536;

    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads one array.</summary>
    /// <param name="bytes">The whole <c>.npy</c> content.</param>
    /// <param name="name">The file (and member) named by errors, e.g. <c>imdb.npz/x_train.npy</c>.</param>
    /// <returns>The array; a numeric one's data is a slice of <paramref name="bytes"/>.</returns>
    /// <exception cref="InvalidDataException">Not an <c>.npy</c> array Sequential reads, truncated, or (object arrays)
    /// a pickle outside Keras's allowed set; the message names the file.</exception>
    public static NumpyArray Read(ReadOnlyMemory<byte> bytes, string name)
    {
        var span = bytes.Span;
        if (span.Length < 10 || !span[..6].SequenceEqual(Magic))
            throw new InvalidDataException(
                $"'{name}' is not a numpy .npy array: it starts with {Convert.ToHexString(span[..Math.Min(span.Length, 6)])} " +
                $"({span.Length} bytes), not the magic 934E554D5059 ('\\x93NUMPY') and a version. Check that the file is the one named.");
        byte major = span[6];
        int lengthBytes = major switch
        {
            1 => 2,
            2 or 3 => 4,
            _ => throw new InvalidDataException(
                $"'{name}' is .npy format version {major}.{span[7]}; Sequential reads versions 1.0 to 3.0, as numpy writes."),
        };
        if (span.Length < 8 + lengthBytes) throw Truncated(name, span.Length, 8 + lengthBytes, "its header length");
        long headerLength = lengthBytes == 2
            ? BinaryPrimitives.ReadUInt16LittleEndian(span[8..])
            : BinaryPrimitives.ReadUInt32LittleEndian(span[8..]);
        if (headerLength > MaxHeaderBytes)
            throw new InvalidDataException(
                $"'{name}' claims a {headerLength}-byte .npy header, more than the {MaxHeaderBytes} bytes Sequential accepts " +
                "(numpy writes about 128); the file is damaged.");
        int dataStart = 8 + lengthBytes + (int)headerLength;
        if (span.Length < dataStart) throw Truncated(name, span.Length, dataStart, "its header");
        var headerBytes = span[(8 + lengthBytes)..dataStart];
        string header = major == 3 ? Encoding.UTF8.GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes);
        var (descriptor, fortranOrder, shape) = ParseHeader(header, name);

        var dtype = NumpyDtype.Parse(descriptor, out string problem)
                    ?? throw new InvalidDataException($"'{name}' holds an array of {problem}.");
        long count;
        try
        {
            count = SafeTensors.Elements(shape);
        }
        catch (OverflowException)
        {
            throw new InvalidDataException(
                $"'{name}': its .npy header announces shape {Shapes.Format(shape)}, more elements than fit in 64 bits; the file is damaged.");
        }

        var data = bytes[dataStart..];
        if (dtype.IsObject) return ReadObjectArray(data, name, shape, count);

        long available = data.Length;
        if (count > available / dtype.ItemSize)
            throw new InvalidDataException(
                $"'{name}' is truncated: its .npy header announces shape {Shapes.Format(shape)} of {dtype}, that is " +
                $"{(count > long.MaxValue / dtype.ItemSize ? "more than 2^63" : (count * dtype.ItemSize).ToString())} bytes of data, " +
                $"but only {available} follow the header. Download the file again.");
        if (available != count * dtype.ItemSize)
            throw new InvalidDataException(
                $"'{name}' holds {available} bytes after its .npy header but shape {Shapes.Format(shape)} of {dtype} needs " +
                $"{count * dtype.ItemSize}: it is damaged, or two files were joined.");
        return new NumpyArray(dtype, shape, fortranOrder, data) { EncodedBytes = data.Length };
    }

    private static NumpyArray ReadObjectArray(ReadOnlyMemory<byte> pickle, string name, long[] shape, long count)
    {
        if (PickleReader.Load(pickle, name) is not NumpyArray { IsBuilt: true } array || !array.Dtype.IsObject)
            throw new InvalidDataException(
                $"'{name}' has an object-dtype .npy header but its pickle does not hold a numpy object array.");
        if (!array.Shape.AsSpan().SequenceEqual(shape))
            throw new InvalidDataException(
                $"'{name}': its .npy header announces shape {Shapes.Format(shape)} but its pickled array has shape " +
                $"{Shapes.Format(array.Shape)} ({count} against {array.Count} elements); the file is damaged.");
        array.EncodedBytes = pickle.Length;
        return array;
    }

    /// <summary>Parses numpy's header dict: string keys, and string, boolean or tuple-of-integers values.</summary>
    private static (string Descriptor, bool FortranOrder, long[] Shape) ParseHeader(string header, string name)
    {
        var parser = new HeaderParser(header, name);
        string? descriptor = null;
        bool? fortran = null;
        long[]? shape = null;
        parser.Expect('{');
        while (!parser.TryConsume('}'))
        {
            string key = parser.ReadString();
            parser.Expect(':');
            switch (key)
            {
                case "descr": descriptor = parser.ReadString(); break;
                case "fortran_order": fortran = parser.ReadBoolean(); break;
                case "shape": shape = parser.ReadShape(); break;
                default: throw parser.Fail($"it has the unexpected key '{key}'");
            }
            if (!parser.TryConsume(',')) { parser.Expect('}'); break; }
        }
        if (descriptor is null || fortran is null || shape is null)
            throw parser.Fail("it lacks one of 'descr', 'fortran_order' and 'shape'");
        return (descriptor, fortran.Value, shape);
    }

    private static InvalidDataException Truncated(string name, int length, int needed, string what)
        => new($"'{name}' is truncated: it has {length} bytes, fewer than the {needed} that {what} needs. Download the file again.");

    /// <summary>A cursor over the header text; only the literal forms numpy writes are accepted.</summary>
    private sealed class HeaderParser(string text, string name)
    {
        private int _at;

        public void Expect(char c)
        {
            if (!TryConsume(c)) throw Fail($"expected '{c}' at character {_at}");
        }

        public bool TryConsume(char c)
        {
            SkipSpace();
            if (_at < text.Length && text[_at] == c)
            {
                _at++;
                return true;
            }
            return false;
        }

        public string ReadString()
        {
            SkipSpace();
            if (_at >= text.Length || text[_at] is not ('\'' or '"')) throw Fail($"expected a quoted string at character {_at}");
            char quote = text[_at++];
            int end = text.IndexOf(quote, _at);
            if (end < 0) throw Fail("a string is not closed");
            string value = text[_at..end];
            _at = end + 1;
            return value;
        }

        public bool ReadBoolean()
        {
            SkipSpace();
            foreach (var (word, value) in new[] { ("True", true), ("False", false) })
                if (string.CompareOrdinal(text, _at, word, 0, word.Length) == 0)
                {
                    _at += word.Length;
                    return value;
                }
            throw Fail($"expected True or False at character {_at}");
        }

        public long[] ReadShape()
        {
            Expect('(');
            var sizes = new List<long>();
            while (!TryConsume(')'))
            {
                SkipSpace();
                int start = _at;
                while (_at < text.Length && char.IsAsciiDigit(text[_at])) _at++;
                if (_at == start || !long.TryParse(text.AsSpan(start, _at - start), out long size))
                    throw Fail($"the shape has a size that is not a non-negative 64-bit integer at character {start}");
                if (sizes.Count >= 64) throw Fail("the shape has more than 64 dimensions");
                sizes.Add(size);
                if (!TryConsume(',')) { Expect(')'); break; }
            }
            return [.. sizes];
        }

        public InvalidDataException Fail(string why)
            => new($"'{name}' has a .npy header Sequential cannot read ({why}): " +
                   $"{(text.Length > 200 ? text[..200] + "..." : text)}");

        private void SkipSpace()
        {
            while (_at < text.Length && text[_at] is ' ' or '\t' or '\n') _at++;
        }
    }
}
