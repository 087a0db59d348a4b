using TorchSharp;

namespace Sequential.Data;

/// <summary>
/// The Reuters newswire topic set as Keras's <c>keras.datasets.reuters</c>: 11,228 newswires, each a list of word
/// indices (words ranked by frequency), labelled with one of 46 topics (<see cref="GetLabelNames"/>).
/// </summary>
/// <remarks>
/// <para>Reads the very file Keras downloads, <c>reuters.npz</c> (arrays <c>x</c> and <c>y</c>; the newswires are a numpy
/// object array, pickled inside the <c>.npy</c> member), with the restricted pickle reader described on
/// <see cref="Imdb"/>: only numpy's array reconstruction, lists and integers are accepted and nothing is ever run.</para>
/// <para>Without a path the file is looked for as <c>reuters.npz</c> in <c>$SEQUENTIAL_DATASETS/reuters</c>, then in
/// <c>~/.sequential/datasets/reuters</c>; the word index, <c>reuters_word_index.json</c>, in the same places. With the
/// same <c>seed</c> the newswires come in Keras's exact order and split.</para>
/// </remarks>
public static class Reuters
{
    internal static readonly KerasDatasetFiles Data = new(
        Title: "Reuters", FolderName: "reuters", Layouts: [["reuters.npz"]],
        Origin: "https://storage.googleapis.com/tensorflow/tf-keras-datasets/reuters.npz",
        FileHash: "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916", Extract: false);

    internal static readonly KerasDatasetFiles WordIndex = new(
        Title: "Reuters word index", FolderName: "reuters", Layouts: [["reuters_word_index.json"]],
        Origin: "https://storage.googleapis.com/tensorflow/tf-keras-datasets/reuters_word_index.json",
        FileHash: "4d44cc38712099c9e383dc6e5f11a921", Extract: false);

    private static readonly string[] LabelNames =
    [
        "cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing", "money-supply", "coffee", "sugar",
        "trade", "reserves", "ship", "cotton", "carcass", "crude", "nat-gas", "cpi", "money-fx", "interest", "gnp",
        "meal-feed", "alum", "oilseed", "gold", "tin", "strategic-metal", "livestock", "retail", "ipi", "iron-steel",
        "rubber", "heat", "jobs", "lei", "bop", "zinc", "orange", "pet-chem", "dlr", "gas", "silver", "wpi", "hog", "lead",
    ];

    /// <summary>Loads the Reuters newswires, with Keras's options and Keras's processing, step for step.</summary>
    /// <param name="path"><c>reuters.npz</c> itself or the folder holding it; null searches the places listed on <see cref="Reuters"/>.</param>
    /// <param name="numWords">As for <see cref="Imdb.LoadData"/>: keep indices below it, others become <paramref name="oovChar"/>;
    /// null or 0 keeps all but the single largest index (Keras's rule).</param>
    /// <param name="skipTop">Indices below this become <paramref name="oovChar"/>.</param>
    /// <param name="maxlen">Drop every newswire of <c>maxlen</c> indices or more (start character included); null or 0 keeps all.</param>
    /// <param name="testSplit">Fraction of the shuffled newswires that form the test set: the training set is the first
    /// <c>int(N * (1 - testSplit))</c>. From 0 to 1.</param>
    /// <param name="seed">Seed of the shuffle (numpy's <c>RandomState</c>), 0 or more.</param>
    /// <param name="startChar">Put at the start of every newswire; null for none.</param>
    /// <param name="oovChar">Replaces cut words; null drops them.</param>
    /// <param name="indexFrom">Added to every word index of the file.</param>
    /// <returns><c>x</c>: one <c>int[]</c> of word indices per newswire; <c>y</c>: <c>int64 [N]</c> topics 0-45 (the caller
    /// owns the tensors).</returns>
    /// <exception cref="FileNotFoundException">The file is not found; the message lists the places looked and the URL
    /// and hash Keras downloads it with.</exception>
    /// <exception cref="InvalidDataException">The file is not Keras's <c>reuters.npz</c>, is truncated or damaged, or holds
    /// a pickle outside the allowed set; the message names the file.</exception>
    /// <exception cref="ArgumentException">A negative option, <paramref name="testSplit"/> outside [0, 1], or a
    /// <paramref name="maxlen"/> that leaves no newswire.</exception>
    /// <example>
    /// Keras's <c>(x_train, y_train), (x_test, y_test) = keras.datasets.reuters.load_data(num_words=10000, test_split=0.2)</c> becomes:
    /// <code>
    /// var ((xTrain, yTrain), (xTest, yTest)) = Reuters.LoadData(numWords: 10000, testSplit: 0.2);
    /// </code>
    /// </example>
    public static ((int[][] x, torch.Tensor y) train, (int[][] x, torch.Tensor y) test) LoadData(
        string? path = null, int? numWords = null, int skipTop = 0, int? maxlen = null, double testSplit = 0.2,
        int seed = 113, int? startChar = 1, int? oovChar = 2, int indexFrom = 3)
    {
        WordSequences.CheckOptions(numWords, skipTop, maxlen);
        if (!(testSplit >= 0 && testSplit <= 1))
            throw new ArgumentOutOfRangeException(nameof(testSplit), testSplit, "testSplit must be between 0 and 1.");
        var rng = LegacyRandomState.FromSeed(seed);
        string file = DatasetLocator.Locate(Data, path)[0];
        var f = NpzFile.Read(file, ["x", "y"], "Keras's reuters.npz");
        var xs = WordSequences.Read(f["x"], $"{file}/x.npy");
        var labels = WordSequences.Labels(f["y"], $"{file}/y.npy", xs.Length, $"{file}/x.npy");

        int[] indices = rng.ShuffledIndices(xs.Length);
        (xs, labels) = (WordSequences.Take(xs, indices), WordSequences.Take(labels, indices));
        xs = WordSequences.Offset(xs, startChar, indexFrom, file);
        if (maxlen is > 0)
        {
            (xs, labels) = WordSequences.RemoveLong(maxlen.Value, xs, labels);
            if (xs.Length == 0)
                throw new ArgumentException(
                    $"After filtering for sequences shorter than maxlen={maxlen}, no sequence was kept. Increase maxlen.", nameof(maxlen));
        }
        int words = numWords is > 0 ? numWords.Value : WordSequences.MaxWord(xs);
        xs = WordSequences.LimitWords(xs, skipTop, words, oovChar);

        int split = (int)(xs.Length * (1 - testSplit));
        return ((xs[..split], WordSequences.LabelTensor(labels[..split])),
                (xs[split..], WordSequences.LabelTensor(labels[split..])));
    }

    /// <summary>The word index: each word to its rank (1 = most frequent), before <c>indexFrom</c> is added.</summary>
    /// <param name="path"><c>reuters_word_index.json</c> itself or its folder; null searches as <see cref="LoadData"/>.</param>
    /// <returns>The mapping, as Keras's <c>get_word_index()</c>.</returns>
    /// <exception cref="FileNotFoundException">The file is not found; the message says where to get it.</exception>
    /// <exception cref="InvalidDataException">The file is not a JSON object of integers.</exception>
    public static IReadOnlyDictionary<string, int> GetWordIndex(string? path = null)
        => WordSequences.ReadWordIndex(DatasetLocator.Locate(WordIndex, path)[0]);

    /// <summary>The 46 topic names, indexed by label, as Keras's <c>get_label_names()</c>.</summary>
    /// <returns><c>["cocoa", "grain", "veg-oil", "earn", ...]</c>.</returns>
    /// <example>
    /// <code>
    /// string topic = Reuters.GetLabelNames()[(int)yTrain[0].item&lt;long&gt;()];   // "earn"...
    /// </code>
    /// </example>
    public static IReadOnlyList<string> GetLabelNames() => LabelNames;
}
