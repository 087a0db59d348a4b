using System.Runtime.InteropServices;
using System.Text.Json;
using TorchSharp;

namespace Sequential.Data;

/// <summary>
/// The steps <c>keras.datasets.imdb.load_data</c> and <c>reuters.load_data</c> share, each as Keras writes it: reading the
/// ragged object arrays, the seeded shuffle, the start character and index offset, <c>remove_long_seq</c>, and the
/// <c>num_words</c>/<c>skip_top</c> out-of-vocabulary rule; and reading a <c>*_word_index.json</c>.
/// </summary>
internal static class WordSequences
{
    /// <summary>Largest word-index JSON read; Keras's IMDB one is 1.6 MB.</summary>
    internal const long MaxWordIndexBytes = 256L << 20;

    /// <summary>
    /// The reviews (or newswires) of a 1-D object array: each item a list of Python ints, or a 1-D integer numpy array.
    /// </summary>
    /// <exception cref="InvalidDataException">Another shape or item, a value outside 32-bit integers, or items that
    /// expand to more values than the file could hold without sharing lists (a crafted file).</exception>
    public static int[][] Read(NumpyArray array, string member)
    {
        if (!array.Dtype.IsObject || array.Shape.Length != 1)
            throw new InvalidDataException(
                $"'{member}' should be a 1-D object array of word-index lists, as in Keras's files; it is {array.Describe()}.");
        var items = array.Items!;
        var sequences = new int[items.Count][];
        long total = 0;
        for (int i = 0; i < sequences.Length; i++)
        {
            ReadOnlySpan<long> values = items[i] switch
            {
                PickleList { IsIntegers: true } list => CollectionsMarshal.AsSpan(list.Integers),
                NumpyArray nested when nested.ToInt64s(out _) is { } integers => integers,
                _ => throw new InvalidDataException(
                    $"'{member}': item {i} is not a list of integers (nor a 1-D integer array); Keras's files hold one list of " +
                    "word indices per sample."),
            };
            total += values.Length;
            if (total > array.EncodedBytes)
                throw new InvalidDataException(
                    $"'{member}': its items expand to more than the {array.EncodedBytes} values its {array.EncodedBytes} bytes " +
                    "can hold; the pickle shares lists over and over, as only a crafted file does.");
            var sequence = new int[values.Length];
            for (int j = 0; j < values.Length; j++)
                sequence[j] = values[j] is >= int.MinValue and <= int.MaxValue
                    ? (int)values[j]
                    : throw new InvalidDataException($"'{member}': item {i} holds {values[j]}, not a 32-bit word index.");
            sequences[i] = sequence;
        }
        return sequences;
    }

    /// <summary>A 1-D integer label array with one label per sequence.</summary>
    public static long[] Labels(NumpyArray array, string member, int count, string sequencesMember)
    {
        long[] labels = array.ToInt64s(out string problem)
                        ?? throw new InvalidDataException($"'{member}': {problem}; Keras's files hold one integer label per sample.");
        if (labels.Length != count)
            throw new InvalidDataException(
                $"'{member}' holds {labels.Length} labels but '{sequencesMember}' holds {count} sequences; the file is damaged.");
        return labels;
    }

    /// <summary><c>values[indices]</c>.</summary>
    public static T[] Take<T>(T[] values, int[] indices) => [.. indices.Select(i => values[i])];

    /// <summary>
    /// <c>[[start_char] + [w + index_from for w in x] for x in xs]</c> when <paramref name="startChar"/> is set, else
    /// <c>[[w + index_from for w in x] for x in xs]</c>.
    /// </summary>
    public static int[][] Offset(int[][] xs, int? startChar, int indexFrom, string file)
    {
        int start = startChar is null ? 0 : 1;
        return [.. xs.Select(x =>
        {
            var shifted = new int[x.Length + start];
            if (startChar is { } s) shifted[0] = s;
            for (int i = 0; i < x.Length; i++)
                shifted[i + start] = (long)x[i] + indexFrom is var w and >= int.MinValue and <= int.MaxValue
                    ? (int)w
                    : throw new InvalidDataException(
                        $"'{file}' holds the word index {x[i]}, which indexFrom {indexFrom} moves outside 32-bit integers.");
            return shifted;
        })];
    }

    /// <summary>Keras's <c>remove_long_seq(maxlen, seq, label)</c>: keeps the samples shorter than <paramref name="maxlen"/>.</summary>
    public static (int[][] X, long[] Y) RemoveLong(int maxlen, int[][] xs, long[] labels)
    {
        var keep = Enumerable.Range(0, xs.Length).Where(i => xs[i].Length < maxlen).ToArray();
        return (Take(xs, keep), Take(labels, keep));
    }

    /// <summary>Keras's <c>max(max(x) for x in xs)</c> (empty sequences, which Python would fail on, are skipped).</summary>
    public static int MaxWord(IEnumerable<int[]> xs) => xs.Where(x => x.Length > 0).Select(x => x.Max()).DefaultIfEmpty(0).Max();

    /// <summary>
    /// <c>[w if skip_top &lt;= w &lt; num_words else oov_char for w in x]</c>, or with no <paramref name="oovChar"/>
    /// <c>[w for w in x if skip_top &lt;= w &lt; num_words]</c>.
    /// </summary>
    public static int[][] LimitWords(int[][] xs, int skipTop, int numWords, int? oovChar)
    {
        var limited = new int[xs.Length][];
        for (int i = 0; i < xs.Length; i++)
        {
            int[] x = xs[i];
            if (oovChar is { } oov)
            {
                var kept = new int[x.Length];
                for (int j = 0; j < x.Length; j++) kept[j] = skipTop <= x[j] && x[j] < numWords ? x[j] : oov;
                limited[i] = kept;
            }
            else
            {
                limited[i] = Array.FindAll(x, w => skipTop <= w && w < numWords);
            }
        }
        return limited;
    }

    /// <summary>Checks the options both loaders take.</summary>
    public static void CheckOptions(int? numWords, int skipTop, int? maxlen)
    {
        if (numWords < 0)
            throw new ArgumentOutOfRangeException(nameof(numWords), numWords, "numWords must be null or 0 (keep every word) or positive.");
        if (skipTop < 0)
            throw new ArgumentOutOfRangeException(nameof(skipTop), skipTop, "skipTop must be 0 or positive.");
        if (maxlen < 0)
            throw new ArgumentOutOfRangeException(nameof(maxlen), maxlen, "maxlen must be null or 0 (no filtering) or positive.");
    }

    /// <summary>The labels as a new <c>int64 [N]</c> tensor.</summary>
    public static torch.Tensor LabelTensor(long[] labels)
    {
        Backend.EnsureNativeLoaded();
        return torch.tensor(labels, dtype: torch.ScalarType.Int64);
    }

    /// <summary>Reads a Keras word index (<c>{"word": index, ...}</c>).</summary>
    /// <exception cref="InvalidDataException">Not a JSON object of integers, or too large; the message names the file.</exception>
    public static IReadOnlyDictionary<string, int> ReadWordIndex(string path)
    {
        long length = new FileInfo(path).Length;
        if (length > MaxWordIndexBytes)
            throw new InvalidDataException(
                $"'{path}' has {length} bytes, more than the {MaxWordIndexBytes} a Keras word index may have; it is not the file Keras downloads.");
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<Dictionary<string, int>>(stream)
                   ?? throw new JsonException("the file holds null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException(
                $"'{path}' is not a Keras word index, a JSON object mapping each word to its integer index ({e.Message}). " +
                "Download it again.", e);
        }
    }
}
