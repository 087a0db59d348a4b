namespace Sequential.Layers;

/// <summary>Orders strings by their UTF-8 bytes, as numpy orders bytes tokens (Keras's vocabulary tie order).</summary>
/// <remarks>
/// UTF-8 byte order is code point order, which differs from UTF-16's ordinal order only where a surrogate (U+D800 to
/// U+DFFF, half of a code point above U+FFFF) meets a unit in U+E000 to U+FFFF. Moving those two ranges past each other
/// at the first difference gives code point order without encoding the strings (a vocabulary sort does ~n log n
/// comparisons). A lone surrogate, which no UTF-8 text decodes to, sorts as its unit value.
/// </remarks>
internal sealed class Utf8Order : IComparer<string>
{
    /// <summary>The one instance.</summary>
    public static readonly Utf8Order Instance = new();

    /// <inheritdoc/>
    public int Compare(string? x, string? y)
    {
        ReadOnlySpan<char> a = x, b = y;
        int common = a.CommonPrefixLength(b);
        if (common == a.Length || common == b.Length) return a.Length.CompareTo(b.Length);
        return CodePointRank(a[common]).CompareTo(CodePointRank(b[common]));
    }

    private static int CodePointRank(char c) => c < 0xD800 ? c : c >= 0xE000 ? c - 0x800 : c + 0x2000;
}
