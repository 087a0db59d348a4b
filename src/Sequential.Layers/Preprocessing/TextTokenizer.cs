namespace Sequential.Layers;

/// <summary>
/// TextVectorization's steps before the lookup, as Keras's <c>_preprocess</c> runs them on TensorFlow: standardize
/// (<c>tf.strings.lower</c>, which lowercases ASCII letters only, and <c>regex_replace</c> of ASCII punctuation), split
/// (<c>tf.strings.split</c> on ASCII whitespace, or <c>unicode_split</c> into code points), then <c>tf.strings.ngrams</c>
/// joined by a space, each width in the order given. Tokens are spans of a reusable buffer, so looking them up allocates
/// nothing per token.
/// </summary>
internal sealed class TextTokenizer(
    string? standardize, Func<string, string>? standardizeFunction, string? split, Func<string, IEnumerable<string>>? splitFunction,
    int[]? ngrams)
{
    /// <summary>Keras's punctuation class <c>[!"#$%&amp;()\*\+,-\./:;&lt;=&gt;?@\[\\\]^_`{|}~\']</c>: Python's
    /// <c>string.punctuation</c>, every ASCII symbol (<c>,-\.</c> there is the range from ',' to '.').</summary>
    private static readonly bool[] Punctuation = MakePunctuation();

    private readonly bool _lower = standardizeFunction is null && standardize is "lower" or "lower_and_strip_punctuation";
    private readonly bool _strip = standardizeFunction is null && standardize is "strip_punctuation" or "lower_and_strip_punctuation";

    private static bool[] MakePunctuation()
    {
        var table = new bool[128];
        foreach (char c in "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~'") table[c] = true;
        return table;
    }

    /// <summary>Whether a character is a separator for <c>tf.strings.split</c> without <c>sep</c> (absl's ASCII whitespace).</summary>
    private static bool IsAsciiSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';

    /// <summary>The tokens of one document, in <paramref name="tokens"/> (cleared first).</summary>
    /// <exception cref="InvalidOperationException">A custom standardize or split function returned null.</exception>
    public void Tokenize(string text, TokenBuffer tokens)
    {
        tokens.Clear();
        ReadOnlySpan<char> standardized;
        if (standardizeFunction is not null)
        {
            standardized = standardizeFunction(text) ?? throw new InvalidOperationException(
                "TextVectorization's standardize function returned null; it must return a string (\"\" for no text).");
        }
        else if (_lower || _strip)
        {
            var chars = tokens.Standardized(text.Length);
            int length = 0;
            foreach (char c in text)
            {
                if (_strip && c < 128 && Punctuation[c]) continue;
                chars[length++] = _lower && c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
            }
            standardized = chars.AsSpan(0, length);
        }
        else
        {
            standardized = text;
        }

        tokens.Unigrams.Clear();
        if (splitFunction is not null)
        {
            var pieces = splitFunction(standardized.ToString()) ?? throw new InvalidOperationException(
                "TextVectorization's split function returned null; it must return the tokens (none for no text).");
            foreach (var piece in pieces)
            {
                if (piece is null)
                    throw new InvalidOperationException("TextVectorization's split function returned a null token; return \"\" or leave it out.");
                tokens.Unigrams.Add(tokens.Append(piece));
            }
        }
        else
        {
            var start = tokens.Append(standardized).Start;
            switch (split)
            {
                case "whitespace":
                    for (int i = 0; i < standardized.Length;)
                    {
                        while (i < standardized.Length && IsAsciiSpace(standardized[i])) i++;
                        int begin = i;
                        while (i < standardized.Length && !IsAsciiSpace(standardized[i])) i++;
                        if (i > begin) tokens.Unigrams.Add((start + begin, i - begin));
                    }
                    break;
                case "character":
                    for (int i = 0; i < standardized.Length;)
                    {
                        int width = char.IsHighSurrogate(standardized[i]) && i + 1 < standardized.Length && char.IsLowSurrogate(standardized[i + 1]) ? 2 : 1;
                        tokens.Unigrams.Add((start + i, width));
                        i += width;
                    }
                    break;
                default:
                    tokens.Unigrams.Add((start, standardized.Length));
                    break;
            }
        }

        if (ngrams is null)
        {
            tokens.Ranges.AddRange(tokens.Unigrams);
            return;
        }
        foreach (int width in ngrams)
        {
            if (width == 1)
            {
                tokens.Ranges.AddRange(tokens.Unigrams);
                continue;
            }
            for (int first = 0; first + width <= tokens.Unigrams.Count; first++)
                tokens.Ranges.Add(tokens.Join(first, width));
        }
    }
}
