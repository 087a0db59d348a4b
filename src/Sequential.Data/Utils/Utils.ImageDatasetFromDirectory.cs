using System.Runtime.InteropServices;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Data;

public static partial class Utils
{
    /// <summary>The file extensions Keras's <c>image_dataset_from_directory</c> lists (its <c>ALLOWLIST_FORMATS</c>).</summary>
    private static readonly string[] KerasImageFormats = [".bmp", ".gif", ".jpeg", ".jpg", ".png"];

    private static readonly string[] KerasInterpolations = ["bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian", "mitchellcubic"];

    /// <summary>
    /// A dataset of images from a folder of class subfolders (Keras 3's <c>keras.utils.image_dataset_from_directory</c>):
    /// batches of float32 images <c>[batch, height, width, channels]</c> (values 0-255, not rescaled) with their labels,
    /// the same files in the same order and the same training/validation split as Keras for the same seed.
    /// </summary>
    /// <param name="directory">The folder. With <c>labels: "inferred"</c>, one subfolder per class (subfolders of those are
    /// read too); otherwise every image under it.</param>
    /// <param name="labels"><c>"inferred"</c> (default: from the subfolder names), <c>null</c> (no labels), or explicit
    /// integer labels, one per image in the alphanumeric order of the paths (as <c>os.walk</c> sorted).</param>
    /// <param name="labelMode">"int" (default: int32 <c>[batch]</c>), "categorical" (float32 one-hot
    /// <c>[batch, classes]</c>), "binary" (float32 <c>[batch, 1]</c>, exactly 2 classes) or null (images alone).</param>
    /// <param name="classNames">With inferred labels, the subfolders to read and their label order (default: all, sorted).</param>
    /// <param name="colorMode">"rgb" (default, 3 channels), "grayscale" (1) or "rgba" (4).</param>
    /// <param name="batchSize">The batch size (default 32); null gives single images <c>[height, width, channels]</c>.</param>
    /// <param name="imageSize">(height, width) every image is resized to; default (256, 256).</param>
    /// <param name="shuffle">Shuffle (default): the file list once with the seed, and the elements each pass in a buffer of
    /// 8 batches. False keeps the sorted order.</param>
    /// <param name="seed">The shuffling seed (0 to 2^31 - 1); needed with <paramref name="validationSplit"/> and shuffling.</param>
    /// <param name="validationSplit">The fraction in (0, 1) of the files kept for validation.</param>
    /// <param name="subset">With <paramref name="validationSplit"/>: "training", "validation", or "both" (deconstruct the
    /// result into the two).</param>
    /// <param name="interpolation">"bilinear" (default) or "nearest", computed as TensorFlow's <c>tf.image.resize</c>.</param>
    /// <param name="followLinks">Also read subfolders that are symbolic links (never one that loops or leads into
    /// another class's folder).</param>
    /// <param name="cropToAspectRatio">Crop the largest centred region with the target's aspect ratio before resizing.</param>
    /// <param name="padToAspectRatio">Resize keeping the aspect ratio and pad with zeros to the target size.</param>
    /// <param name="verbose">Print Keras's "Found N files belonging to M classes." and "Using K files for training." lines.</param>
    /// <param name="maxFileBytes">The largest image file read; a larger one fails the pass, naming the file.</param>
    /// <param name="maxImagePixels">The most pixels an image header may claim (Pillow's <c>MAX_IMAGE_PIXELS</c>).</param>
    /// <returns>The dataset, with <see cref="Dataset.ClassNames"/> (not with <c>labelMode: null</c>) and <see cref="Dataset.FilePaths"/>.</returns>
    /// <exception cref="ArgumentException">An argument Keras refuses (Keras's message), a folder without images
    /// ("No images found in directory ..."), explicit labels of the wrong length, "binary" without exactly 2 classes.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="directory"/> does not exist.</exception>
    /// <exception cref="InvalidOperationException">While enumerating: an image cannot be read or decoded (the inner
    /// <see cref="InvalidDataException"/> names the file and why).</exception>
    /// <remarks>
    /// <para><b>Files, order and split are Keras's.</b> Files ending in .bmp, .gif, .jpeg, .jpg or .png (any case), class
    /// folders sorted, each walked folder by folder in sorted path order with its files sorted (Keras's
    /// <c>index_directory</c>); then, with <paramref name="shuffle"/>, the whole list is shuffled with numpy's legacy
    /// <c>np.random.RandomState(seed).shuffle</c> (ported: <c>LegacyRandomState</c>) BEFORE the split, and the last
    /// <c>int(validationSplit * N)</c> files are the validation set (<c>get_training_or_validation_split</c>). So
    /// <see cref="Dataset.FilePaths"/> and which files are for training are exactly Keras's for the same seed.</para>
    /// <para><b>What differs.</b> Keras then shuffles each pass with tf.data's <c>shuffle(8 * batch_size, seed)</c>
    /// (TensorFlow's own generator); here <see cref="Dataset.Shuffle"/> does it with the same buffer and seed but another
    /// generator, so the order of samples within a pass differs (the files of each subset do not). Without a seed Keras
    /// draws one from numpy's global generator; here from <c>RandomSeed.Shared</c>. Names are sorted by UTF-16 code unit
    /// (Python: by code point; they differ only between characters above U+FFFF and U+E000-U+FFFF). Images are decoded by
    /// Skia rather than TensorFlow (libjpeg-turbo in both; grayscale is Pillow's luma, where TensorFlow keeps a JPEG's Y)
    /// and the EXIF orientation of a photo is applied (TensorFlow ignores it); resizing is TensorFlow's kernel, ported.
    /// "bicubic", "area", "lanczos3/5", "gaussian" and "mitchellcubic" are refused rather than approximated.</para>
    /// <para>Decoding runs on <see cref="Dataset.Autotune"/> worker threads of the dataset's <c>Map</c>; each holds one
    /// decoded image, so memory is bounded by the workers, the shuffle buffer of file names and the prefetched batches.</para>
    /// </remarks>
    /// <example>
    /// Keras's
    /// <code>
    /// train_ds, val_ds = keras.utils.image_dataset_from_directory("PetImages", validation_split=0.2, subset="both",
    ///     seed=1337, image_size=(180, 180), batch_size=128)
    /// </code>
    /// becomes:
    /// <code>
    /// using static Sequential.Data.Utils;
    ///
    /// var (train, val) = ImageDatasetFromDirectory("PetImages", validationSplit: 0.2, subset: "both", seed: 1337,
    ///     imageSize: (180, 180), batchSize: 128);
    /// IReadOnlyList&lt;string&gt; names = train.ClassNames;   // ["Cat", "Dog"]
    /// model.Fit(train, epochs: 25, validationData: val);
    /// </code>
    /// </example>
    public static ImageDirectoryDataset ImageDatasetFromDirectory(string directory, DirectoryLabels labels = default, string? labelMode = "int",
        IReadOnlyList<string>? classNames = null, string colorMode = "rgb", int? batchSize = 32, (int Height, int Width)? imageSize = null,
        bool shuffle = true, int? seed = null, double? validationSplit = null, string? subset = null, string interpolation = "bilinear",
        bool followLinks = false, bool cropToAspectRatio = false, bool padToAspectRatio = false, bool verbose = true,
        long maxFileBytes = ImageDataGenerator.DefaultMaxFileBytes, long maxImagePixels = ImageDataGenerator.DefaultMaxImagePixels)
    {
        ArgumentNullException.ThrowIfNull(directory);
        CheckLabels(ref labels, ref labelMode, classNames, "image files", "images");
        int channels = colorMode switch
        {
            "rgb" => 3,
            "rgba" => 4,
            "grayscale" => 1,
            _ => throw new ArgumentException($"`color_mode` must be one of {{\"rgb\", \"rgba\", \"grayscale\"}}. Received: color_mode={colorMode}", nameof(colorMode)),
        };
        var (height, width) = imageSize ?? (256, 256);
        if (height < 1 || width < 1 || (long)height * width * channels > ImageDecoder.MaxDecodablePixels)
            throw new ArgumentException(
                $"Invalid `image_size` value. Expected a tuple of 2 positive integers. Received: image_size=({height}, {width})" +
                (height < 1 || width < 1 ? "" : $" (at most {ImageDecoder.MaxDecodablePixels:N0} values per image)"), nameof(imageSize));
        if (batchSize is < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "ImageDatasetFromDirectory: batchSize must be positive, or null for single images.");
        ArgumentNullException.ThrowIfNull(interpolation);
        interpolation = interpolation.ToLowerInvariant();
        if (!KerasInterpolations.Contains(interpolation))
            throw new ArgumentException(
                $"Argument `interpolation` should be one of ({string.Join(", ", KerasInterpolations.Select(i => $"'{i}'"))}). Received: interpolation={interpolation}",
                nameof(interpolation));
        if (!TfResize.Interpolations.Contains(interpolation))
            throw new ArgumentException(
                $"ImageDatasetFromDirectory: interpolation \"{interpolation}\" is not implemented here; use \"bilinear\" or \"nearest\" " +
                "(TensorFlow's kernels, ported exactly).", nameof(interpolation));
        if (cropToAspectRatio && padToAspectRatio)
            throw new ArgumentException("Only one of `pad_to_aspect_ratio`, `crop_to_aspect_ratio` can be set to `True`.", nameof(padToAspectRatio));
        if (maxFileBytes < 1 || maxFileBytes > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(maxFileBytes), maxFileBytes, $"ImageDatasetFromDirectory: maxFileBytes must be in [1, {int.MaxValue}].");
        if (maxImagePixels < 1 || maxImagePixels > ImageDecoder.MaxDecodablePixels)
            throw new ArgumentOutOfRangeException(nameof(maxImagePixels), maxImagePixels,
                $"ImageDatasetFromDirectory: maxImagePixels must be in [1, {ImageDecoder.MaxDecodablePixels}] (an image's RGBA bytes must fit 2 GiB).");
        CheckValidationSplit(validationSplit, subset, shuffle, seed);
        int actualSeed = seed ?? RandomSeed.Shared.Next(1_000_000);
        if (actualSeed < 0)
            throw new ArgumentOutOfRangeException(nameof(seed), seed, "seed must be between 0 and 2**32 - 1, as numpy's RandomState requires.");

        var (paths, indices, names) = IndexDirectory(directory, labels, classNames, shuffle, actualSeed, followLinks, verbose,
            KerasImageFormats, nameof(ImageDatasetFromDirectory));
        if (labelMode == "binary" && names!.Count != 2)
            throw new ArgumentException(
                $"When passing `label_mode=\"binary\"`, there must be exactly 2 class_names. Received: class_names={PyList(names)}", nameof(labelMode));

        var load = new ImageLoad(height, width, channels, interpolation, cropToAspectRatio, padToAspectRatio, maxFileBytes, maxImagePixels);
        int bufferSize = batchSize is int b ? checked(b * 8) : 1024;
        ImageDirectoryDataset Make(string? part, bool shuffled)
        {
            var (from, count) = Subset(paths.Length, validationSplit, part, verbose);
            if (count == 0)
                throw new ArgumentException(
                    $"No {(subset == "both" ? part + " " : "")}images found in directory {directory}. Allowed formats: " +
                    $"({string.Join(", ", KerasImageFormats.Select(f => $"'{f}'"))})" +
                    (labels.Inferred ? " (with labels \"inferred\", the images go in one subfolder per class)." : "."), nameof(directory));
            var files = paths[from..(from + count)];
            Dataset ds = Dataset.FromTensorSlices(new Component(new StringTensor(files)),
                labelMode is null ? null : new Component(LabelTensor(indices![from..(from + count)], labelMode, names!.Count)));
            if (shuffled)
                ds = ds.Shuffle(bufferSize, actualSeed);
            ds = ds.Map(e => new Element(new Component(load.Load(e.X.Strings.Value)), e.Y), Dataset.Autotune);
            if (batchSize is int size)
                ds = ds.Batch(size);
            return new ImageDirectoryDataset(ds.Prefetch(Dataset.Autotune), names, files) { ImagesRead = () => load.Loads };
        }
        if (subset == "both")
        {
            var training = Make("training", shuffle);
            var validation = Make("validation", false);
            return new ImageDirectoryDataset(training.Source!, names, training.FilePaths, validation) { ImagesRead = training.ImagesRead };
        }
        return Make(subset, shuffle);
    }

    /// <summary>Keras's <c>check_validation_split_arg</c>, its messages word for word.</summary>
    private static void CheckValidationSplit(double? validationSplit, string? subset, bool shuffle, int? seed)
    {
        bool split = validationSplit is double v && v != 0;
        if (split && !(validationSplit > 0 && validationSplit < 1))
            throw new ArgumentException(
                $"`validation_split` must be between 0 and 1, received: {validationSplit!.Value.ToString("R", CultureInfo.InvariantCulture)}",
                nameof(validationSplit));
        if ((split || !string.IsNullOrEmpty(subset)) && !(split && !string.IsNullOrEmpty(subset)))
            throw new ArgumentException("If `subset` is set, `validation_split` must be set, and inversely.", split ? nameof(subset) : nameof(validationSplit));
        if (subset is not (null or "training" or "validation" or "both"))
            throw new ArgumentException($"`subset` must be either \"training\", \"validation\" or \"both\", received: {subset}", nameof(subset));
        if (split && shuffle && seed is null)
            throw new ArgumentException(
                "If using `validation_split` and shuffling the data, you must provide a `seed` argument, to make sure that there is no " +
                "overlap between the training and validation subset.", nameof(seed));
    }

    /// <summary>
    /// Keras's <c>index_directory</c>: the files (Keras's paths, <c>directory/class/...</c>), their class indices and the
    /// class names; shuffled with numpy's <c>RandomState(seed)</c> when asked. <paramref name="formats"/> are the file
    /// extensions read, <paramref name="caller"/> the loader named in messages.
    /// </summary>
    private static (string[] Paths, int[]? Labels, IReadOnlyList<string>? ClassNames) IndexDirectory(string directory, DirectoryLabels labels,
        IReadOnlyList<string>? classNames, bool shuffle, int seed, bool followLinks, bool verbose, IReadOnlyList<string> formats, string caller)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"{caller}: the folder '{directory}' does not exist.");
        List<string> subdirs;
        if (labels.Inferred)
        {
            subdirs = [.. Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>()
                .Where(name => !name.StartsWith('.') && Directory.Exists(Path.Join(directory, name))).Order(StringComparer.Ordinal)];
            if (classNames is not null)
            {
                if (!classNames.All(subdirs.Contains))
                    throw new ArgumentException(
                        "The `class_names` passed did not match the names of the subdirectories of the target directory. " +
                        $"Expected: {PyList(subdirs)} (or a subset of it), but received: class_names={PyList(classNames)}", nameof(classNames));
                subdirs = [.. classNames];
            }
        }
        else
        {
            if (classNames is not null)
                throw new ArgumentException(labels.None
                    ? "When `labels=None` (no labels), argument `class_names` cannot be specified."
                    : "When argument `labels` is specified, argument `class_names` cannot be specified (the `class_names` will be the sorted list of labels).",
                    nameof(classNames));
            subdirs = [""];
        }

        var files = new List<string>();
        var indices = new List<int>();
        string fullRoot = Path.GetFullPath(directory);
        for (int c = 0; c < subdirs.Count; c++)
        {
            string classDir = Path.Join(directory, subdirs[c]);
            foreach (string file in ClassFolder.Walk(classDir, directory, followLinks,
                warning => Console.Error.WriteLine($"Warning: {caller} is {warning}"), formats))
            {
                files.Add(Path.Join(directory, Path.GetRelativePath(fullRoot, file)));
                indices.Add(c);
            }
        }

        int[]? labelValues;
        IReadOnlyList<string>? names;
        if (labels.Inferred)
        {
            labelValues = [.. indices];
            names = subdirs;
        }
        else if (labels.None)
        {
            labelValues = null;
            names = null;
        }
        else
        {
            if (labels.Values!.Count != files.Count)
                throw new ArgumentException(
                    "Expected the lengths of `labels` to match the number of files in the target directory. " +
                    $"len(labels) is {labels.Values.Count} while we found {files.Count} files in directory {directory}.", nameof(labels));
            labelValues = [.. labels.Values];
            names = [.. labelValues.Distinct().Order().Select(l => l.ToString(CultureInfo.InvariantCulture))];
        }
        if (verbose)
            Console.WriteLine(names is null ? $"Found {files.Count} files." : $"Found {files.Count} files belonging to {names.Count} classes.");

        string[] paths = [.. files];
        if (shuffle)
        {
            // Keras: rng = np.random.RandomState(seed); rng.shuffle(file_paths); the labels with a fresh RandomState(seed),
            // so both get the same permutation.
            LegacyRandomState.FromSeed(seed).Shuffle(paths);
            if (labelValues is not null)
                LegacyRandomState.FromSeed(seed).Shuffle(labelValues);
        }
        return (paths, labelValues, names);
    }

    /// <summary>Keras's <c>get_training_or_validation_split</c>: the first <c>N - int(split * N)</c> files train.</summary>
    private static (int From, int Count) Subset(int total, double? validationSplit, string? subset, bool verbose)
    {
        if (validationSplit is not double split || split == 0)
            return (0, total);
        int validation = (int)(split * total), training = total - validation;
        if (subset == "training")
        {
            if (verbose) Console.WriteLine($"Using {training} files for training.");
            return (0, training);
        }
        if (verbose) Console.WriteLine($"Using {validation} files for validation.");
        return (training, validation);
    }

    /// <summary>Keras's <c>labels_to_dataset_tf</c>: int32 indices, float32 <c>[N, 1]</c> (binary) or float32 one-hot (categorical; <c>tf.one_hot</c> gives a row of zeros for an index out of range).</summary>
    private static Tensor LabelTensor(int[] labels, string labelMode, int classes)
    {
        switch (labelMode)
        {
            case "binary":
                return torch.tensor(labels.Select(l => (float)l).ToArray(), [labels.Length, 1]);
            case "categorical":
                var oneHot = new float[checked(labels.Length * classes)];
                for (int i = 0; i < labels.Length; i++)
                    if (labels[i] >= 0 && labels[i] < classes)
                        oneHot[i * classes + labels[i]] = 1f;
                return torch.tensor(oneHot, [labels.Length, classes]);
            default:
                return torch.tensor(labels, [labels.Length]);
        }
    }

    /// <summary>A list as Python prints it: <c>['a', 'b']</c>.</summary>
    private static string PyList(IEnumerable<string> items) => $"[{string.Join(", ", items.Select(i => $"'{i}'"))}]";

    /// <summary>Reads, decodes and resizes one image of <c>ImageDatasetFromDirectory</c>, on a map worker.</summary>
    private sealed record ImageLoad(int Height, int Width, int Channels, string Interpolation, bool Crop, bool Pad,
        long MaxFileBytes, long MaxImagePixels)
    {
        private long _loads;

        /// <summary>Images read so far (tests: under DataParallel a rank reads only its part of each batch).</summary>
        public long Loads => Interlocked.Read(ref _loads);

        public Tensor Load(string path)
        {
            Interlocked.Increment(ref _loads);
            if (ImageFile.Read(path, MaxFileBytes, out var data) is { } unreadable)
                throw Unusable(path, unreadable);
            byte[] rgba;
            int height, width;
            using (data)
            {
                if (ImageDecoder.DecodeFull(data, MaxImagePixels, out var decoded, out height, out width) is { } undecodable)
                    throw Unusable(path, undecodable);
                rgba = decoded!;
            }
            if (Channels == 1)
            {
                // PIL's luma, one byte a pixel (it never exceeds 255), resized as TensorFlow resizes a grayscale image.
                var luma = new byte[checked(height * width)];
                for (int i = 0; i < luma.Length; i++)
                    luma[i] = ImageDecoder.Luma(rgba, i * 4);
                rgba = luma;
            }
            // Resized straight into the tensor's memory: no float array, and no libtorch copy (whose OpenMP threads, started
            // from every map worker, spun for more CPU than the copy itself).
            var image = torch.empty([Height, Width, Channels], ScalarType.Float32);
            try
            {
                TfResize.Resize(rgba, Channels == 1 ? 1 : 4, height, width, Channels, Height, Width, Interpolation, Crop, Pad,
                    MemoryMarshal.Cast<byte, float>(image.bytes));
            }
            catch
            {
                image.Dispose();
                throw;
            }
            return image;
        }

        private static InvalidDataException Unusable(string path, string why) =>
            new($"ImageDatasetFromDirectory: '{path}' is not a usable image: {why.Replace(" to FlowFromDirectory", " to ImageDatasetFromDirectory")}; " +
                "remove or replace the file.");
    }

    /// <summary>Keras's checks of <c>labels</c>, <c>class_names</c> and <c>label_mode</c>, shared by the directory
    /// loaders (its messages, with <paramref name="files"/> and <paramref name="samples"/> naming what the folder holds);
    /// no labels or no label mode turns both off.</summary>
    private static void CheckLabels(ref DirectoryLabels labels, ref string? labelMode, IReadOnlyList<string>? classNames, string files, string samples)
    {
        if (!labels.Inferred && !labels.None)
        {
            if (labels.Values is null)
                throw new ArgumentException(
                    $"`labels` argument should be a list/tuple of integer labels, of the same size as the number of {files} in the target " +
                    "directory. If you wish to infer the labels from the subdirectory names in the target directory, pass `labels=\"inferred\"`. " +
                    $"If you wish to get a dataset that only contains {samples} (no labels), pass `labels=None`. Received: labels={labels}", nameof(labels));
            if (classNames is { Count: > 0 })
                throw new ArgumentException(
                    $"You can only pass `class_names` if `labels=\"inferred\"`. Received: labels={labels}, and class_names={PyList(classNames)}",
                    nameof(classNames));
        }
        if (labelMode is not (null or "int" or "categorical" or "binary"))
            throw new ArgumentException(
                $"`label_mode` argument must be one of \"int\", \"categorical\", \"binary\", or None. Received: label_mode={labelMode}", nameof(labelMode));
        if (labels.None || labelMode is null)
        {
            labels = (string?)null;
            labelMode = null;
        }
    }
}
