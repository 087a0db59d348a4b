using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Sequential.Data;

public static partial class Utils
{
    /// <summary>The largest text file <see cref="TextDatasetFromDirectory"/> reads by default without a maxLength (64 MiB).</summary>
    public const long DefaultMaxTextFileBytes = 64L << 20;

    /// <summary>
    /// A dataset of texts from a folder of class subfolders (Keras 3's <c>keras.utils.text_dataset_from_directory</c>):
    /// batches of strings (a <see cref="StringTensor"/> <c>[batch]</c>, each a whole <c>.txt</c> file) with their labels, the
    /// same files in the same order and the same training/validation split as Keras for the same seed.
    /// </summary>
    /// <param name="directory">The folder. With <c>labels: "inferred"</c>, one subfolder per class (subfolders of those are
    /// read too); otherwise every <c>.txt</c> file under it.</param>
    /// <param name="labels"><c>"inferred"</c> (default: from the subfolder names), <c>null</c> (no labels), or explicit
    /// integer labels, one per file in the alphanumeric order of the paths.</param>
    /// <param name="labelMode">"int" (default: int32 <c>[batch]</c>), "categorical" (float32 one-hot <c>[batch, classes]</c>),
    /// "binary" (float32 <c>[batch, 1]</c>, exactly 2 classes) or null (texts alone).</param>
    /// <param name="classNames">With inferred labels, the subfolders to read and their label order (default: all, sorted).</param>
    /// <param name="batchSize">The batch size (default 32); null gives single texts (shape <c>()</c>).</param>
    /// <param name="maxLength">Keep at most this many bytes of each file (Keras's <c>tf.strings.substr</c> in bytes); null: all.</param>
    /// <param name="shuffle">Shuffle (default): the file list once with the seed, and the elements each pass in a buffer of
    /// 8 batches (1024 without batching). False keeps the sorted order.</param>
    /// <param name="seed">The shuffling seed (0 to 2^31 - 1); needed with <paramref name="validationSplit"/> and shuffling.</param>
    /// <param name="validationSplit">The fraction in (0, 1) of the files kept for validation.</param>
    /// <param name="subset">With <paramref name="validationSplit"/>: "training", "validation", or "both" (deconstruct the
    /// result into the two).</param>
    /// <param name="followLinks">Also read subfolders that are symbolic links (never one that loops or leads into
    /// another class's folder).</param>
    /// <param name="verbose">Print Keras's "Found N files belonging to M classes." and "Using K files for training." lines.</param>
    /// <param name="maxFileBytes">Without <paramref name="maxLength"/>: the largest file read; a larger one fails the pass,
    /// naming the file.</param>
    /// <returns>The dataset, with <see cref="Dataset.ClassNames"/> (not with <c>labelMode: null</c>) and <see cref="Dataset.FilePaths"/>.</returns>
    /// <exception cref="ArgumentException">An argument Keras refuses (Keras's message), a folder without .txt files
    /// ("No text files found in directory ..."), explicit labels of the wrong length, "binary" without exactly 2 classes.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="directory"/> does not exist.</exception>
    /// <exception cref="InvalidOperationException">While enumerating: a file cannot be read or is larger than
    /// <paramref name="maxFileBytes"/> (the inner exception names the file).</exception>
    /// <remarks>
    /// <para><b>Files, order and split are Keras's</b>, by the same <c>index_directory</c> and numpy <c>RandomState</c> shuffle
    /// as <see cref="ImageDatasetFromDirectory"/> (files ending in <c>.txt</c>, any case; see there). Keras then shuffles each
    /// pass with tf.data's generator; here <see cref="Dataset.Shuffle"/> does it with the same buffer and seed but another
    /// generator, so the order within a pass differs (the files of each subset do not).</para>
    /// <para><b>Text.</b> Files are decoded as UTF-8 (a byte-order mark stays in the text, as in TensorFlow's bytes); bytes
    /// that are not UTF-8, and a character that <paramref name="maxLength"/> cuts in two, become U+FFFD (TensorFlow keeps
    /// the raw bytes). Reading runs on <see cref="Dataset.Autotune"/> worker threads of the dataset's <c>Map</c>.</para>
    /// </remarks>
    /// <example>
    /// keras.io's text classification from scratch:
    /// <code>
    /// using static Sequential.Data.Utils;
    ///
    /// var (train, val) = TextDatasetFromDirectory("aclImdb/train", batchSize: 32, validationSplit: 0.2, subset: "both", seed: 1337);
    /// var vectorize = new TextVectorization(maxTokens: 20000, outputSequenceLength: 500);
    /// vectorize.Adapt(train.Map(e => new Element(e.X)));                    // the texts alone
    /// var ids = train.Map(e => new Element(vectorize.Apply(e.X.Strings), e.Y));   // int64 [batch, 500] and the labels
    /// </code>
    /// </example>
    public static TextDirectoryDataset TextDatasetFromDirectory(string directory, DirectoryLabels labels = default, string? labelMode = "int",
        IReadOnlyList<string>? classNames = null, int? batchSize = 32, int? maxLength = null, bool shuffle = true, int? seed = null,
        double? validationSplit = null, string? subset = null, bool followLinks = false, bool verbose = true,
        long maxFileBytes = DefaultMaxTextFileBytes)
    {
        ArgumentNullException.ThrowIfNull(directory);
        CheckLabels(ref labels, ref labelMode, classNames, "text files", "text samples");
        if (batchSize is < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "TextDatasetFromDirectory: batchSize must be positive, or null for single texts.");
        if (maxLength is < 0)
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "TextDatasetFromDirectory: maxLength must be 0 or more bytes, or null for whole files.");
        if (maxFileBytes < 0 || maxFileBytes > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(maxFileBytes), maxFileBytes, $"TextDatasetFromDirectory: maxFileBytes must be in [0, {Array.MaxLength}].");
        CheckValidationSplit(validationSplit, subset, shuffle, seed);
        int actualSeed = seed ?? RandomSeed.Shared.Next(1_000_000);
        if (actualSeed < 0)
            throw new ArgumentOutOfRangeException(nameof(seed), seed, "seed must be between 0 and 2**32 - 1, as numpy's RandomState requires.");

        var (paths, indices, names) = IndexDirectory(directory, labels, classNames, shuffle, actualSeed, followLinks, verbose,
            [".txt"], nameof(TextDatasetFromDirectory));
        if (labelMode == "binary" && names!.Count != 2)
            throw new ArgumentException(
                $"When passing `label_mode=\"binary\"`, there must be exactly 2 class_names. Received: class_names={PyList(names)}", nameof(labelMode));

        int bufferSize = batchSize is int b ? checked(b * 8) : 1024;
        TextDirectoryDataset Make(string? part, bool shuffled)
        {
            var (from, count) = Subset(paths.Length, validationSplit, part, verbose);
            if (count == 0)
                throw new ArgumentException(
                    $"No {(subset == "both" ? part + " " : "")}text files found in directory {directory}. Allowed format: .txt" +
                    (labels.Inferred ? " (with labels \"inferred\", the files go in one subfolder per class)." : ""), nameof(directory));
            var files = paths[from..(from + count)];
            Dataset ds = Dataset.FromTensorSlices(new Component(new StringTensor(files)),
                labelMode is null ? null : new Component(LabelTensor(indices![from..(from + count)], labelMode, names!.Count)));
            if (shuffled)
                ds = ds.Shuffle(bufferSize, actualSeed);
            ds = ds.Map(e => new Element(new Component(new StringTensor(ReadText(e.X.Strings.Value, maxLength, maxFileBytes))), e.Y), Dataset.Autotune);
            if (batchSize is int size)
                ds = ds.Batch(size);
            return new TextDirectoryDataset(ds.Prefetch(Dataset.Autotune), names, files);
        }
        if (subset == "both")
        {
            var training = Make("training", shuffle);
            var validation = Make("validation", false);
            return new TextDirectoryDataset(training.Source!, names, training.FilePaths, validation);
        }
        return Make(subset, shuffle);
    }

    /// <summary>The first <paramref name="maxLength"/> bytes of a file (all without one, up to <paramref name="maxFileBytes"/>),
    /// decoded as UTF-8.</summary>
    /// <exception cref="InvalidDataException">The file is larger than <paramref name="maxFileBytes"/>, or cannot be read.</exception>
    private static string ReadText(string path, int? maxLength, long maxFileBytes)
    {
        try
        {
            using SafeFileHandle handle = File.OpenHandle(path);
            long length = RandomAccess.GetLength(handle);
            if (maxLength is null && length > maxFileBytes)
                throw new InvalidDataException(
                    $"TextDatasetFromDirectory: '{path}' has {length:N0} bytes, more than maxFileBytes ({maxFileBytes:N0}); pass a maxLength " +
                    "to read the start of each file, or a larger maxFileBytes.");
            var buffer = new byte[maxLength is int max ? Math.Min(max, length) : length];
            int read = 0;
            while (read < buffer.Length)
            {
                int n = RandomAccess.Read(handle, buffer.AsSpan(read), read);
                if (n == 0) break;
                read += n;
            }
            return Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"TextDatasetFromDirectory: '{path}' could not be read: {e.Message}", e);
        }
    }
}
