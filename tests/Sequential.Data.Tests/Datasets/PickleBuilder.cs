using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Sequential.Data.Tests.Datasets;

/// <summary>
/// Writes pickles opcode by opcode, the way CPython's <c>_pickle.c</c> does for the objects Keras's datasets hold
/// (memo after every container and string, lists in batches of 1,000, the smallest integer opcode). With
/// <c>python2: true</c> strings are Python 2's <c>str</c> (SHORT_BINSTRING/BINSTRING, as cPickle protocol 2 wrote CIFAR's
/// batches and numpy 1.x on Python 2 wrote object arrays) and the memo starts at 1 as cPickle's did; otherwise bytes are
/// SHORT_BINBYTES/BINBYTES and text BINUNICODE, as Python 3 with protocol 3 writes. Checked byte for byte against
/// numpy 1.24.2 in <see cref="NpyFileTests"/>.
/// </summary>
internal sealed class PickleBuilder(bool python2 = false)
{
    private readonly MemoryStream _out = new();
    private int _memo = python2 ? 1 : 0;

    public static PickleBuilder Start(int protocol = 3, bool python2 = false)
    {
        var builder = new PickleBuilder(python2);
        builder.Raw(0x80, (byte)protocol);
        return builder;
    }

    public byte[] Stop()
    {
        Raw((byte)'.');
        return _out.ToArray();
    }

    public byte[] Unterminated() => _out.ToArray();

    public PickleBuilder Raw(params byte[] bytes)
    {
        _out.Write(bytes);
        return this;
    }

    public PickleBuilder Op(char opcode) => Raw((byte)opcode);

    public PickleBuilder Put()
    {
        if (_memo < 256) Raw((byte)'q', (byte)_memo);
        else
        {
            Raw((byte)'r');
            Span<byte> index = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(index, _memo);
            _out.Write(index);
        }
        _memo++;
        return this;
    }

    public PickleBuilder Int(long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        if (value is >= 0 and < 256) Raw((byte)'K', (byte)value);
        else if (value is >= 0 and < 65536)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)value);
            Raw((byte)'M').Raw(bytes[..2].ToArray());
        }
        else if (value is >= int.MinValue and <= int.MaxValue)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes, (int)value);
            Raw((byte)'J').Raw(bytes[..4].ToArray());
        }
        else
        {
            // Python's encode_long writes the minimal two's-complement bytes, as BigInteger does.
            var encoded = new BigInteger(value).ToByteArray();
            Raw(0x8A, (byte)encoded.Length).Raw(encoded);
        }
        return this;
    }

    public PickleBuilder Bool(bool value) => Raw(value ? (byte)0x88 : (byte)0x89);

    /// <summary>Python 3 <c>bytes</c> or Python 2 <c>str</c>, then memoized.</summary>
    public PickleBuilder Bytes(byte[] value)
    {
        bool small = value.Length < 256;
        Raw((byte)(python2 ? (small ? 'U' : 'T') : (small ? 'C' : 'B')));
        if (small) Raw((byte)value.Length);
        else
        {
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(length, value.Length);
            _out.Write(length);
        }
        return Raw(value).Put();
    }

    /// <summary>A string: Python 2's <c>str</c> or Python 3's <c>str</c> (BINUNICODE), then memoized.</summary>
    public PickleBuilder Text(string value)
    {
        if (python2) return Bytes(Encoding.ASCII.GetBytes(value));
        var bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
        Raw((byte)'X');
        _out.Write(length);
        return Raw(bytes).Put();
    }

    public PickleBuilder Global(string module, string name)
        => Op('c').Raw(Encoding.ASCII.GetBytes($"{module}\n{name}\n")).Put();

    /// <summary>A list of items written by <paramref name="writeItem"/>, batched as <c>_pickle.c</c>'s batch_list_exact.</summary>
    public PickleBuilder List<T>(IReadOnlyList<T> items, Action<PickleBuilder, T> writeItem)
    {
        Op(']').Put();
        if (items.Count == 1)
        {
            writeItem(this, items[0]);
            return Op('a');
        }
        for (int start = 0; start < items.Count; start += 1000)
        {
            Op('(');
            for (int i = start; i < Math.Min(items.Count, start + 1000); i++) writeItem(this, items[i]);
            Op('e');
        }
        return this;
    }

    public PickleBuilder IntList(IReadOnlyList<long> values) => List(values, (b, v) => b.Int(v));

    /// <summary>A small tuple of already-written items: TUPLE1/2/3 (protocol 2+) then memoized.</summary>
    public PickleBuilder Tuple(int count) => Raw((byte)(0x84 + count)).Put();

    /// <summary>
    /// numpy's <c>ndarray.__reduce__</c>: <c>_reconstruct(ndarray, (0,), b'b')</c>, then BUILD with
    /// <c>(1, shape, dtype, False, data)</c>; <paramref name="writeData"/> writes the raw bytes or the list of items.
    /// </summary>
    public PickleBuilder Array(string dtypeCode, char byteOrder, long[] shape, Action<PickleBuilder> writeData,
        string reconstructModule = "numpy.core.multiarray", bool fortranOrder = false)
    {
        Global(reconstructModule, "_reconstruct").Global("numpy", "ndarray").Int(0).Tuple(1).Bytes("b"u8.ToArray()).Tuple(3)
            .Op('R').Put();
        Op('(').Int(1);
        foreach (long size in shape) Int(size);
        if (shape.Length is >= 1 and <= 3) Tuple(shape.Length);
        else throw new ArgumentException("test arrays have 1 to 3 dimensions");
        Dtype(dtypeCode, byteOrder);
        Bool(fortranOrder);
        writeData(this);
        return Op('t').Put().Op('b');
    }

    /// <summary>numpy's <c>dtype.__reduce__</c>: <c>dtype('u1', False, True)</c> and the state <c>(3, '|', None, ...)</c>.</summary>
    public PickleBuilder Dtype(string code, char byteOrder)
    {
        Global("numpy", "dtype").Text(code);
        if (python2) Int(0).Int(1);
        else Bool(false).Bool(true);
        Tuple(3).Op('R').Put();
        Op('(').Int(3).Text(byteOrder.ToString()).Op('N').Op('N').Op('N').Int(-1).Int(-1).Int(code == "O8" ? 63 : 0);
        return Op('t').Put().Op('b');
    }
}
