namespace Sequential.Layers;

/// <summary>
/// The tokens of one document as ranges of one growing character buffer (reused from document to document by one
/// caller; not shared between threads).
/// </summary>
internal sealed class TokenBuffer
{
    private char[] _chars = new char[256];
    private char[] _standardized = new char[256];
    private int _length;

    /// <summary>The split tokens (before ngrams), as (start, length) in the buffer.</summary>
    public List<(int Start, int Length)> Unigrams { get; } = [];

    /// <summary>The document's tokens (after ngrams), as (start, length) in the buffer.</summary>
    public List<(int Start, int Length)> Ranges { get; } = [];

    /// <summary>The number of tokens.</summary>
    public int Count => Ranges.Count;

    /// <summary>Token <paramref name="index"/>.</summary>
    public ReadOnlySpan<char> this[int index] => _chars.AsSpan(Ranges[index].Start, Ranges[index].Length);

    /// <summary>Forgets the previous document.</summary>
    public void Clear()
    {
        _length = 0;
        Unigrams.Clear();
        Ranges.Clear();
    }

    /// <summary>A scratch array of at least <paramref name="length"/> characters for the standardized text.</summary>
    public char[] Standardized(int length)
    {
        if (_standardized.Length < length) _standardized = new char[Math.Max(length, checked(_standardized.Length * 2))];
        return _standardized;
    }

    /// <summary>Appends text to the buffer and returns its range.</summary>
    public (int Start, int Length) Append(ReadOnlySpan<char> text)
    {
        Reserve(text.Length);
        text.CopyTo(_chars.AsSpan(_length));
        var range = (_length, text.Length);
        _length += text.Length;
        return range;
    }

    /// <summary>Appends unigrams <paramref name="first"/> to <paramref name="first"/> + <paramref name="width"/> - 1 joined by
    /// single spaces (<c>tf.strings.ngrams</c>'s separator) and returns the range.</summary>
    public (int Start, int Length) Join(int first, int width)
    {
        int total = width - 1;
        for (int i = first; i < first + width; i++) total = checked(total + Unigrams[i].Length);
        Reserve(total);
        int start = _length;
        for (int i = first; i < first + width; i++)
        {
            if (i > first) _chars[_length++] = ' ';
            var (s, l) = Unigrams[i];
            Array.Copy(_chars, s, _chars, _length, l);
            _length += l;
        }
        return (start, total);
    }

    private void Reserve(int more)
    {
        int needed = checked(_length + more);
        if (needed > _chars.Length) Array.Resize(ref _chars, Math.Max(needed, (int)Math.Min(Array.MaxLength, 2L * _chars.Length)));
    }
}
