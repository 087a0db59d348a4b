using TorchSharp;

namespace Sequential.Data;

/// <summary>
/// The IMDB movie-review sentiment set as Keras's <c>keras.datasets.imdb</c>: 25,000 training and 25,000 test reviews,
/// each a list of word indices (words ranked by frequency), labelled 1 (positive) or 0 (negative).
/// </summary>
/// <remarks>
/// <para>Reads the very file Keras downloads, <c>imdb.npz</c> (arrays <c>x_train</c>, <c>y_train</c>, <c>x_test</c>,
/// <c>y_test</c>; the reviews are numpy object arrays, stored as pickles inside the <c>.npy</c> members). The pickles are
/// read by a restricted reader that accepts only what Keras's own restricted unpickler accepts (numpy's array
/// reconstruction, lists, integers) and rejects everything else with an <see cref="InvalidDataException"/>; nothing in the
/// file is ever run. A copy Keras already downloaded can be passed as it is:
/// <c>Imdb.LoadData("/home/me/.keras/datasets/imdb.npz")</c>.</para>
/// <para>Without a path the file is looked for as <c>imdb.npz</c> in <c>$SEQUENTIAL_DATASETS/imdb</c>, then in
/// <c>~/.sequential/datasets/imdb</c>; the word index, <c>imdb_word_index.json</c>, in the same places.</para>
/// <para>With the same <c>seed</c> the reviews come in Keras's exact order (numpy's <c>RandomState</c> shuffle is
/// reproduced), so <c>xTrain[0]</c> is the review a Keras tutorial prints.</para>
/// </remarks>
public static class Imdb
{
    internal static readonly KerasDatasetFiles Data = new(
        Title: "IMDB", FolderName: "imdb", Layouts: [["imdb.npz"]],
        Origin: "https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb.npz",
        FileHash: "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f", Extract: false);

    internal static readonly KerasDatasetFiles WordIndex = new(
        Title: "IMDB word index", FolderName: "imdb", Layouts: [["imdb_word_index.json"]],
        Origin: "https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb_word_index.json",
        FileHash: "bfafd718b763782e994055a2d397834f", Extract: false);

    /// <summary>Loads the IMDB reviews, with Keras's options and Keras's processing, step for step.</summary>
    /// <param name="path"><c>imdb.npz</c> itself or the folder holding it; null searches the places listed on <see cref="Imdb"/>.</param>
    /// <param name="numWords">Keep only the <c>numWords</c> most frequent words (indices below it, after the offset);
    /// rarer ones become <paramref name="oovChar"/>. Null or 0 keeps every word but, exactly as Keras, turns the single
    /// largest index into <paramref name="oovChar"/> (Keras sets num_words to the largest index and keeps indices below it).</param>
    /// <param name="skipTop">Indices below this (the most frequent words, and the start character when below it) become
    /// <paramref name="oovChar"/>.</param>
    /// <param name="maxlen">Drop (not truncate) every review of <c>maxlen</c> indices or more, counting the start
    /// character, as Keras's <c>remove_long_seq</c>; null or 0 keeps all.</param>
    /// <param name="seed">Seed of the shuffle (numpy's <c>RandomState</c>), 0 or more.</param>
    /// <param name="startChar">Put at the start of every review; null for none.</param>
    /// <param name="oovChar">Replaces the words cut by <paramref name="numWords"/> or <paramref name="skipTop"/>; null
    /// drops them instead.</param>
    /// <param name="indexFrom">Added to every word index of the file (3 leaves 0 for padding, 1 for start, 2 for OOV).</param>
    /// <returns><c>x</c>: one <c>int[]</c> of word indices per review (ragged, as Keras's object arrays); <c>y</c>:
    /// <c>int64 [N]</c> labels (the caller owns the tensors).</returns>
    /// <exception cref="FileNotFoundException">The file is not found; the message lists the places looked and the URL
    /// and hash Keras downloads it with.</exception>
    /// <exception cref="InvalidDataException">The file is not Keras's <c>imdb.npz</c>, is truncated or damaged, or holds a
    /// pickle outside the allowed set; the message names the file.</exception>
    /// <exception cref="ArgumentException">A negative option, or a <paramref name="maxlen"/> that leaves no review.</exception>
    /// <example>
    /// Keras's <c>(x_train, y_train), (x_test, y_test) = keras.datasets.imdb.load_data(num_words=20000)</c> becomes:
    /// <code>
    /// var ((xTrain, yTrain), (xTest, yTest)) = Imdb.LoadData(numWords: 20000);
    /// Tensor xPadded = PadSequences(xTrain, maxlen: 200);
    /// </code>
    /// </example>
    public static ((int[][] x, torch.Tensor y) train, (int[][] x, torch.Tensor y) test) LoadData(
        string? path = null, int? numWords = null, int skipTop = 0, int? maxlen = null, int seed = 113,
        int? startChar = 1, int? oovChar = 2, int indexFrom = 3)
    {
        WordSequences.CheckOptions(numWords, skipTop, maxlen);
        var rng = LegacyRandomState.FromSeed(seed);
        string file = DatasetLocator.Locate(Data, path)[0];
        var f = NpzFile.Read(file, ["x_train", "y_train", "x_test", "y_test"], "Keras's imdb.npz");
        var xTrain = WordSequences.Read(f["x_train"], $"{file}/x_train.npy");
        var labelsTrain = WordSequences.Labels(f["y_train"], $"{file}/y_train.npy", xTrain.Length, $"{file}/x_train.npy");
        var xTest = WordSequences.Read(f["x_test"], $"{file}/x_test.npy");
        var labelsTest = WordSequences.Labels(f["y_test"], $"{file}/y_test.npy", xTest.Length, $"{file}/x_test.npy");

        int[] indices = rng.ShuffledIndices(xTrain.Length);
        (xTrain, labelsTrain) = (WordSequences.Take(xTrain, indices), WordSequences.Take(labelsTrain, indices));
        indices = rng.ShuffledIndices(xTest.Length);
        (xTest, labelsTest) = (WordSequences.Take(xTest, indices), WordSequences.Take(labelsTest, indices));

        xTrain = WordSequences.Offset(xTrain, startChar, indexFrom, file);
        xTest = WordSequences.Offset(xTest, startChar, indexFrom, file);

        if (maxlen is > 0)
        {
            (xTrain, labelsTrain) = WordSequences.RemoveLong(maxlen.Value, xTrain, labelsTrain);
            (xTest, labelsTest) = WordSequences.RemoveLong(maxlen.Value, xTest, labelsTest);
            if (xTrain.Length == 0 || xTest.Length == 0)
                throw new ArgumentException(
                    $"After filtering for sequences shorter than maxlen={maxlen}, no sequence was kept. Increase maxlen.", nameof(maxlen));
        }

        int words = numWords is > 0 ? numWords.Value : WordSequences.MaxWord(xTrain.Concat(xTest));
        xTrain = WordSequences.LimitWords(xTrain, skipTop, words, oovChar);
        xTest = WordSequences.LimitWords(xTest, skipTop, words, oovChar);
        return ((xTrain, WordSequences.LabelTensor(labelsTrain)), (xTest, WordSequences.LabelTensor(labelsTest)));
    }

    /// <summary>The word index: each word to its rank (1 = most frequent), before <c>indexFrom</c> is added.</summary>
    /// <param name="path"><c>imdb_word_index.json</c> itself or its folder; null searches as <see cref="LoadData"/>.</param>
    /// <returns>The mapping, as Keras's <c>get_word_index()</c>.</returns>
    /// <exception cref="FileNotFoundException">The file is not found; the message says where to get it.</exception>
    /// <exception cref="InvalidDataException">The file is not a JSON object of integers.</exception>
    /// <example>
    /// Keras's decoding of a review:
    /// <code>
    /// var index = Imdb.GetWordIndex();
    /// var words = index.ToDictionary(p => p.Value + 3, p => p.Key);   // + indexFrom
    /// words[1] = "[START]"; words[2] = "[OOV]";
    /// Console.WriteLine(string.Join(" ", xTrain[0].Select(i => words.GetValueOrDefault(i, "?"))));
    /// </code>
    /// </example>
    public static IReadOnlyDictionary<string, int> GetWordIndex(string? path = null)
        => WordSequences.ReadWordIndex(DatasetLocator.Locate(WordIndex, path)[0]);
}
