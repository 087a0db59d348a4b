using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Sequential.Data;

/// <summary>
/// A restricted reader for the Python pickles inside Keras's dataset files: the object arrays of <c>imdb.npz</c> and
/// <c>reuters.npz</c> (numpy writes <c>dtype=object</c> arrays as a pickle) and CIFAR's <c>data_batch_N</c> dictionaries.
/// It is Keras's <c>npz_utils.RestrictedUnpickler</c> in C#: it builds only Python's plain values (None, booleans,
/// 64-bit integers, floats, bytes, str, tuples, lists, dicts with string keys) and numpy arrays and dtypes, and
/// refuses any other global (<c>os.system</c>, <c>builtins.eval</c>...) or opcode with an
/// <see cref="InvalidDataException"/> naming the file. Nothing is ever looked up, constructed by name or run.
/// </summary>
/// <remarks>
/// Reads protocols 0 to 5 as far as those files need them (the text opcodes for integers and the memo, not protocol 0's
/// quoted strings). Every length is checked against the bytes left before anything is allocated, bytes and strings are
/// slices of the input, and every object costs at least one input byte, so memory stays proportional to the file.
/// </remarks>
internal sealed class PickleReader
{
    /// <summary>Deepest nesting of MARKs accepted; numpy's pickles nest four deep.</summary>
    internal const int MaxMarkDepth = 100;

    private const int MaxLineBytes = 256;
    /// <summary>
    /// The boxed integers 0 to 65,535, shared: IMDB's 12 million word indices are mostly below 65,536, and one box each
    /// would be most of the reading time.
    /// </summary>
    private static readonly object[] SmallIntegers = [.. Enumerable.Range(0, 65536).Select(i => (object)(long)i)];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlyMemory<byte> _data;
    private readonly string _name;
    private readonly List<object?> _stack = [];
    private readonly List<int> _marks = [];
    private readonly Dictionary<long, object?> _memo = [];
    private readonly List<long> _run = [];
    private int _position;
    private int _opcodeAt;

    private PickleReader(ReadOnlyMemory<byte> data, string name)
    {
        _data = data;
        _name = name;
    }

    /// <summary>Reads one pickled object from the start of <paramref name="data"/>.</summary>
    /// <param name="data">The pickle (bytes after its end are ignored, as by Python).</param>
    /// <param name="name">The file (and member) named by errors.</param>
    /// <returns>The object: null, bool, long, double, <see cref="ReadOnlyMemory{T}"/> of bytes, string,
    /// <c>object?[]</c> (tuple), <see cref="PickleList"/>, <c>Dictionary&lt;string, object?&gt;</c>,
    /// <see cref="NumpyArray"/> or <see cref="NumpyDtype"/>.</returns>
    /// <exception cref="InvalidDataException">The pickle is truncated or damaged, or uses a global or opcode outside the
    /// allowed set; the message names the file and the byte offset.</exception>
    public static object? Load(ReadOnlyMemory<byte> data, string name) => new PickleReader(data, name).Run();

    /// <summary>A pickled boolean: True/False, or the integers 0/1 Python 2's numpy wrote for them.</summary>
    internal static bool IsBoolean(object? value, out bool result)
    {
        (bool ok, result) = value switch
        {
            bool b => (true, b),
            0L => (true, false),
            1L => (true, true),
            _ => (false, false),
        };
        return ok;
    }

    /// <summary>The text of a pickled bytes or str value (Python 2's str arrives as bytes), or null.</summary>
    internal static string? AsText(object? value) => value switch
    {
        string s => s,
        ReadOnlyMemory<byte> bytes => Encoding.Latin1.GetString(bytes.Span),
        _ => null,
    };

    private object? Run()
    {
        var span = _data.Span;
        while (true)
        {
            _opcodeAt = _position;
            byte op = ReadByte(span);
            switch (op)
            {
                case 0x80: // PROTO
                    byte protocol = ReadByte(span);
                    if (protocol > 5) throw Fail($"it declares pickle protocol {protocol}; protocols 0 to 5 exist");
                    break;
                case 0x95: // FRAME: a length hint only
                    Take(span, 8);
                    break;
                case (byte)'.': // STOP
                    if (_stack.Count != 1 || _marks.Count != 0)
                        throw Fail($"it stops with {_stack.Count} objects on the stack and {_marks.Count} open MARKs instead of one object");
                    return _stack[0];
                case (byte)'(': // MARK
                    if (_marks.Count >= MaxMarkDepth)
                        throw Fail($"it nests more than {MaxMarkDepth} MARKs; numpy's pickles nest a few");
                    if (!TryAppendIntegerRun(span)) _marks.Add(_stack.Count);
                    break;
                case (byte)'0': // POP
                    if (_stack.Count > 0 && _marks.Count > 0 && _marks[^1] == _stack.Count) _marks.RemoveAt(_marks.Count - 1);
                    else Pop();
                    break;
                case (byte)'1': // POP_MARK
                    PopToMark();
                    break;
                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break;  // NEWTRUE
                case 0x89: Push(false); break; // NEWFALSE
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(span, 4))); break;  // BININT
                case (byte)'K': Push(SmallIntegers[ReadByte(span)]); break;                                           // BININT1
                case (byte)'M': Push(SmallIntegers[BinaryPrimitives.ReadUInt16LittleEndian(Take(span, 2))]); break; // BININT2
                case 0x8A: Push(ReadLong(Take(span, ReadByte(span)))); break;                                // LONG1
                case 0x8B: Push(ReadLong(Take(span, ReadLength(span, 4)))); break;                           // LONG4
                case (byte)'I': Push(ParseTextInteger(ReadLine(span))); break;           // INT
                case (byte)'L': Push(ParseTextInteger(ReadLine(span).TrimEnd('L'))); break; // LONG
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Take(span, 8))); break;            // BINFLOAT
                case (byte)'U': case (byte)'C': Push(TakeMemory(span, ReadByte(span))); break;   // SHORT_BINSTRING, SHORT_BINBYTES
                case (byte)'T': case (byte)'B': Push(TakeMemory(span, ReadLength(span, 4))); break; // BINSTRING, BINBYTES
                case 0x8E: Push(TakeMemory(span, ReadLength(span, 8))); break;                      // BINBYTES8
                case 0x8C: Push(Utf8(Take(span, ReadByte(span)))); break;                           // SHORT_BINUNICODE
                case (byte)'X': Push(Utf8(Take(span, ReadLength(span, 4)))); break;                 // BINUNICODE
                case 0x8D: Push(Utf8(Take(span, ReadLength(span, 8)))); break;                      // BINUNICODE8
                case (byte)')': Push(Array.Empty<object?>()); break;                                // EMPTY_TUPLE
                case (byte)'t': Push(PopToMark().ToArray()); break;                                 // TUPLE
                case 0x85: Push(new[] { Pop() }); break;                                            // TUPLE1
                case 0x86: { var b = Pop(); var a = Pop(); Push(new[] { a, b }); break; }         // TUPLE2
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new[] { a, b, c }); break; } // TUPLE3
                case (byte)']': Push(new PickleList()); break;                                      // EMPTY_LIST
                case (byte)'l': Push(ToList(PopToMark())); break;                                  // LIST
                case (byte)'a': { var item = Pop(); ListOnTop().Add(item); break; }               // APPEND
                case (byte)'e': { var items = PopToMark(); var list = ListOnTop(); foreach (var i in items) list.Add(i); break; } // APPENDS
                case (byte)'}': Push(new Dictionary<string, object?>()); break;                     // EMPTY_DICT
                case (byte)'d': { var items = PopToMark(); var dict = new Dictionary<string, object?>(); SetItems(dict, items); Push(dict); break; } // DICT
                case (byte)'s': { var value = Pop(); var key = Pop(); SetItems(DictOnTop(), [key, value]); break; } // SETITEM
                case (byte)'u': { var items = PopToMark(); SetItems(DictOnTop(), items); break; } // SETITEMS
                case (byte)'c': Push(Global(ReadLine(span), ReadLine(span))); break;               // GLOBAL
                case 0x93: // STACK_GLOBAL
                {
                    object? name = Pop(), module = Pop();
                    if (module is not string m || name is not string n) throw Fail("STACK_GLOBAL's module and name are not strings");
                    Push(Global(m, n));
                    break;
                }
                case (byte)'R': { var args = Pop(); var callable = Pop(); Push(Reduce(callable, args)); break; } // REDUCE
                case (byte)'b': { var state = Pop(); Build(Top(), state); break; }                // BUILD
                case (byte)'p': Memoize(ParseTextInteger(ReadLine(span))); break; // PUT
                case (byte)'q': Memoize(ReadByte(span)); break;                                             // BINPUT
                case (byte)'r': Memoize(BinaryPrimitives.ReadUInt32LittleEndian(Take(span, 4))); break;    // LONG_BINPUT
                case 0x94: Memoize(_memo.Count); break;                                                    // MEMOIZE
                case (byte)'g': Recall(ParseTextInteger(ReadLine(span))); break;  // GET
                case (byte)'h': Recall(ReadByte(span)); break;                                              // BINGET
                case (byte)'j': Recall(BinaryPrimitives.ReadUInt32LittleEndian(Take(span, 4))); break;     // LONG_BINGET
                default:
                    throw Fail($"it uses the pickle opcode 0x{op:X2} ({OpcodeName(op)}), which a numpy array or dataset " +
                               "dictionary never needs; only plain values, lists, tuples, dicts and numpy arrays are read");
            }
        }
    }

    /// <summary>
    /// The fast path for what makes up nearly all of <c>imdb.npz</c>: MARK, a run of BININT/BININT1/BININT2, APPENDS onto
    /// a list of integers. Read straight into the list (no boxing, no stack); anything else rewinds to just after the MARK
    /// for the general loop, so the result is the same either way.
    /// </summary>
    private bool TryAppendIntegerRun(ReadOnlySpan<byte> span)
    {
        if (_stack.Count == 0 || (_marks.Count > 0 && _marks[^1] == _stack.Count) ||
            _stack[^1] is not PickleList { IsIntegers: true } list)
            return false;
        int start = _position;
        _run.Clear();
        while (_position < span.Length)
        {
            byte op = span[_position];
            if (op == (byte)'K' && _position + 1 < span.Length) _run.Add(span[_position + 1]);
            else if (op == (byte)'M' && _position + 2 < span.Length) _run.Add(BinaryPrimitives.ReadUInt16LittleEndian(span[(_position + 1)..]));
            else if (op == (byte)'J' && _position + 4 < span.Length) _run.Add(BinaryPrimitives.ReadInt32LittleEndian(span[(_position + 1)..]));
            else break;
            _position += op == (byte)'K' ? 2 : op == (byte)'M' ? 3 : 5;
        }
        if (_position < span.Length && span[_position] == (byte)'e')
        {
            _position++;
            list.Integers.AddRange(_run);
            return true;
        }
        _position = start;
        return false;
    }

    private object Global(string module, string name)
    {
        PickleGlobal? allowed = (module, name) switch
        {
            ("numpy", "ndarray") => PickleGlobal.NdArray,
            ("numpy", "dtype") => PickleGlobal.Dtype,
            ("numpy.core.multiarray" or "numpy._core.multiarray", "_reconstruct") => PickleGlobal.Reconstruct,
            _ => null,
        };
        return allowed ?? throw Fail(
            $"it refers to the Python global '{Printable(module)}.{Printable(name)}'. Only numpy's array reconstruction " +
            "(numpy.ndarray, numpy.dtype, numpy.core.multiarray._reconstruct) is allowed, as in Keras's restricted unpickler; " +
            "nothing was run. The file is damaged or malicious: delete it and download it again");
    }

    private object Reduce(object? callable, object? args)
    {
        if (args is not object?[] arguments) throw Fail("REDUCE's arguments are not a tuple");
        switch (callable)
        {
            case PickleGlobal.Reconstruct:
                // _reconstruct(ndarray, (0,), b'b'): an empty array that the following BUILD fills.
                if (arguments.Length != 3 || arguments[0] is not PickleGlobal.NdArray)
                    throw Fail("numpy's _reconstruct is called with arguments other than (numpy.ndarray, shape, dtype)");
                return new NumpyArray();
            case PickleGlobal.Dtype:
                if (arguments.Length is < 1 or > 3 || AsText(arguments[0]) is not { } descriptor)
                    throw Fail("numpy.dtype is called with arguments other than (descriptor, align, copy)");
                return NumpyDtype.Parse(descriptor, out string problem) ?? throw Fail($"it holds an array of {problem}");
            default:
                throw Fail($"REDUCE calls {Describe(callable)}; only numpy.dtype and numpy's _reconstruct may be called");
        }
    }

    private void Build(object? target, object? state)
    {
        switch (target)
        {
            case NumpyArray array:
                if (!array.SetState(state, out string problem)) throw Fail(problem);
                break;
            case NumpyDtype dtype:
                // (version, byteorder, subarray, names, fields, elsize, alignment, flags[, metadata])
                if (state is not object?[] { Length: >= 2 } tuple || AsText(tuple[1]) is not { Length: 1 } order)
                    throw Fail("a numpy.dtype's state is not the (version, byte order, ...) tuple numpy writes");
                if (!dtype.WithByteOrder(order[0], out string orderProblem)) throw Fail(orderProblem);
                break;
            default:
                throw Fail($"BUILD sets the state of {Describe(target)}; only numpy arrays and dtypes have state here");
        }
    }

    private void SetItems(Dictionary<string, object?> dict, IReadOnlyList<object?> items)
    {
        if (items.Count % 2 != 0) throw Fail("a dict is given an odd number of keys and values");
        for (int i = 0; i < items.Count; i += 2)
            dict[AsText(items[i]) ?? throw Fail($"a dict key is {Describe(items[i])}; only string keys are read")] = items[i + 1];
    }

    private PickleList ToList(List<object?> items)
    {
        var list = new PickleList();
        foreach (var item in items) list.Add(item);
        return list;
    }

    private PickleList ListOnTop() => Top() as PickleList ?? throw Fail($"it appends to {Describe(Top())}, not a list");

    private Dictionary<string, object?> DictOnTop()
        => Top() as Dictionary<string, object?> ?? throw Fail($"it sets an item of {Describe(Top())}, not a dict");

    private void Memoize(long index)
    {
        if (_stack.Count == 0 || (_marks.Count > 0 && _marks[^1] == _stack.Count)) throw Fail("it memoizes an empty stack");
        _memo[index] = _stack[^1];
    }

    private void Recall(long index)
        => Push(_memo.TryGetValue(index, out var value) ? value : throw Fail($"it recalls memo entry {index}, which was never stored"));

    private void Push(object? value) => _stack.Add(value);

    private object? Top()
    {
        if (_stack.Count == 0 || (_marks.Count > 0 && _marks[^1] == _stack.Count)) throw Fail("an opcode needs an object but the stack is empty");
        return _stack[^1];
    }

    private object? Pop()
    {
        var value = Top();
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private List<object?> PopToMark()
    {
        if (_marks.Count == 0) throw Fail("an opcode needs a MARK but none is open");
        int start = _marks[^1];
        _marks.RemoveAt(_marks.Count - 1);
        var items = _stack.GetRange(start, _stack.Count - start);
        _stack.RemoveRange(start, _stack.Count - start);
        return items;
    }

    private byte ReadByte(ReadOnlySpan<byte> span)
    {
        if (_position >= span.Length) throw Truncated();
        return span[_position++];
    }

    private int ReadLength(ReadOnlySpan<byte> span, int width)
    {
        var bytes = Take(span, width);
        ulong length = width == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (length > (ulong)(span.Length - _position))
            throw Fail($"a value claims {length} bytes but only {span.Length - _position} remain (the file is truncated or damaged)");
        return (int)length;
    }

    private ReadOnlySpan<byte> Take(ReadOnlySpan<byte> span, int count)
    {
        if (count > span.Length - _position) throw Truncated();
        var slice = span.Slice(_position, count);
        _position += count;
        return slice;
    }

    private ReadOnlyMemory<byte> TakeMemory(ReadOnlySpan<byte> span, int count)
    {
        Take(span, count);
        return _data.Slice(_position - count, count);
    }

    private string ReadLine(ReadOnlySpan<byte> span)
    {
        var rest = span[_position..];
        int end = rest[..Math.Min(rest.Length, MaxLineBytes + 1)].IndexOf((byte)'\n');
        if (end < 0)
            throw rest.Length <= MaxLineBytes ? Truncated() : Fail($"a text argument is longer than {MaxLineBytes} bytes");
        _position += end + 1;
        return Encoding.Latin1.GetString(rest[..end]);
    }

    private long ParseTextInteger(string text)
    {
        // Protocol 0 writes True and False as I01 and I00, which parse as 1 and 0 (IsBoolean accepts those).
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw Fail($"'{Printable(text)}' is not a 64-bit integer");
    }

    private long ReadLong(ReadOnlySpan<byte> bytes)
    {
        // Python's two's-complement little-endian LONG; wider than 64 bits is never a word index or a size.
        if (bytes.Length > 8) throw Fail($"it holds a {bytes.Length}-byte integer; only 64-bit integers are read");
        if (bytes.Length == 0) return 0;
        long value = bytes[^1] >= 0x80 ? -1 : 0;
        for (int i = bytes.Length - 1; i >= 0; i--) value = (value << 8) | bytes[i];
        return value;
    }

    private string Utf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Fail("a str value is not valid UTF-8");
        }
    }

    private static string Describe(object? value) => value switch
    {
        null => "None",
        PickleGlobal g => $"numpy's {g}",
        NumpyArray => "a numpy array",
        NumpyDtype => "a numpy dtype",
        PickleList => "a list",
        object?[] => "a tuple",
        _ => $"a {value.GetType().Name} value",
    };

    private static string Printable(string text)
        => text.Length > 80 ? string.Concat(text.AsSpan(0, 80), "...") : new string([.. text.Select(c => char.IsControl(c) ? '?' : c)]);

    private static string OpcodeName(byte op) => op switch
    {
        (byte)'S' => "STRING, protocol 0's quoted text",
        (byte)'V' => "UNICODE, protocol 0's text",
        (byte)'F' => "FLOAT as text",
        (byte)'i' => "INST",
        (byte)'o' => "OBJ",
        0x81 => "NEWOBJ",
        0x92 => "NEWOBJ_EX",
        (byte)'P' or (byte)'Q' => "a persistent id",
        0x82 or 0x83 or 0x84 => "an extension code",
        0x8F or 0x90 or 0x91 => "a set",
        0x96 => "BYTEARRAY8",
        0x97 or 0x98 => "an out-of-band buffer",
        (byte)'2' => "DUP",
        _ => "unknown",
    };

    private InvalidDataException Truncated()
        => new($"'{_name}' is truncated: its pickle ends at byte {_data.Length} before the STOP opcode. Download the file again.");

    private InvalidDataException Fail(string why)
        => new($"'{_name}' cannot be read safely: at byte {_opcodeAt} of its pickle, {why}.");
}
