using System.Collections.Concurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Data;

/// <summary>
/// Batches of images read from a folder with one sub-folder per class (Keras's <c>DirectoryIterator</c>), made
/// by <see cref="ImageDataGenerator.FlowFromDirectory"/>. One enumeration is one pass.
/// </summary>
/// <remarks>
/// <c>x</c> is float32 <c>[N, H, W, C]</c>; <c>y</c> depends on <see cref="ClassMode"/>. Files with the extensions
/// <c>.png .jpg .jpeg .bmp .gif .webp</c> (any case) are read, recursively inside each class folder, in Keras's
/// order (folders then files sorted by ordinal name). Every file is treated as hostile: only regular files of at
/// most <see cref="MaxFileBytes"/> are read, and an image whose header claims more than <see cref="MaxImagePixels"/>
/// pixels is refused before decoding; such files are invalid, skipped or raised as <c>onInvalidImage</c> says. Memory
/// during a pass is bounded by about <see cref="ImageIterator.PrefetchBatches"/> + 2 batches plus, on each of the
/// <see cref="ImageIterator.Workers"/> threads, one file and its decoded pixels, freed after each image.
/// </remarks>
public sealed class DirectoryIterator : ImageIterator
{
    private readonly ImageDataGenerator _generator;
    private readonly string[] _paths;
    private readonly int[] _classes;
    private readonly string _interpolation;
    private readonly bool _augment;
    private readonly bool _throwOnInvalid;
    private readonly ConcurrentDictionary<int, string> _invalid = new();
    private readonly HashSet<int> _reported = [];

    internal DirectoryIterator(string directory, ImageDataGenerator generator, (int, int) targetSize, string colorMode,
        IReadOnlyList<string>? classes, ClassMode classMode, int batchSize, bool shuffle, int? seed, string? subset,
        string interpolation, bool followLinks, string onInvalidImage, long maxImagePixels, long maxFileBytes)
        : base(0, 1, shuffle, seed, Shape(targetSize, colorMode))
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (batchSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"batchSize must be at least 1; got {batchSize}.");
        _interpolation = (interpolation ?? "nearest").ToLowerInvariant();
        if (!ImageDecoder.Interpolations.Contains(_interpolation))
            throw new ArgumentException($"Unknown interpolation \"{interpolation}\"; accepted: {Quoted(ImageDecoder.Interpolations)}.", nameof(interpolation));
        _throwOnInvalid = (onInvalidImage ?? "skip").ToLowerInvariant() switch
        {
            "skip" => false,
            "error" => true,
            _ => throw new ArgumentException($"Unknown onInvalidImage \"{onInvalidImage}\"; accepted: \"skip\", \"error\".", nameof(onInvalidImage)),
        };
        if (maxImagePixels < 1 || maxImagePixels > ImageDecoder.MaxDecodablePixels)
            throw new ArgumentOutOfRangeException(nameof(maxImagePixels), maxImagePixels,
                $"maxImagePixels must be in [1, {ImageDecoder.MaxDecodablePixels}] (an image's RGBA bytes must fit 2 GiB); got {maxImagePixels}.");
        if (maxFileBytes < 1 || maxFileBytes > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(maxFileBytes), maxFileBytes,
                $"maxFileBytes must be in [1, {int.MaxValue}]; got {maxFileBytes}.");
        MaxImagePixels = maxImagePixels;
        MaxFileBytes = maxFileBytes;
        (double, double) split = subset?.ToLowerInvariant() switch
        {
            null => (0, 1),
            "validation" => (0, generator.ValidationSplit),
            "training" => (generator.ValidationSplit, 1),
            _ => throw new ArgumentException($"Unknown subset \"{subset}\"; accepted: \"training\", \"validation\" or null.", nameof(subset)),
        };
        if (!System.IO.Directory.Exists(directory))
            throw new DirectoryNotFoundException(
                $"FlowFromDirectory: the directory '{directory}' does not exist. It must hold one sub-folder per class with {Quoted(ImageDecoder.Extensions)} images.");

        _generator = generator;
        _augment = subset?.ToLowerInvariant() != "validation";
        Directory = Path.GetFullPath(directory);
        ClassMode = classMode;
        ColorMode = colorMode.ToLowerInvariant();
        Subset = subset?.ToLowerInvariant();

        var classNames = classes?.ToList() ?? new DirectoryInfo(Directory).EnumerateDirectories()
            .Select(d => d.Name).Order(StringComparer.Ordinal).ToList();
        if (classNames.Count == 0)
            throw new ArgumentException(
                $"FlowFromDirectory: '{Directory}' has no class sub-folders. Put the images in one sub-folder per class, " +
                $"e.g. {Path.Combine(Directory, "cats", "cat.1.jpg")}; accepted extensions: {Quoted(ImageDecoder.Extensions)}.", nameof(directory));
        if (classMode == ClassMode.Binary && classNames.Count != 2)
            throw new ArgumentException(
                $"ClassMode.Binary needs exactly two classes; '{Directory}' has {classNames.Count}: {string.Join(", ", classNames)}. " +
                "Use ClassMode.Categorical or ClassMode.Sparse for more.", nameof(classMode));

        var paths = new List<string>();
        var labels = new List<int>();
        for (int k = 0; k < classNames.Count; k++)
        {
            string classDir = Path.Combine(Directory, classNames[k]);
            var files = System.IO.Directory.Exists(classDir)
                ? ClassFolder.Walk(classDir, Directory, followLinks, warning => Console.Error.WriteLine($"Warning: FlowFromDirectory is {warning}"))
                : [];
            int start = (int)(split.Item1 * files.Count), stop = (int)(split.Item2 * files.Count);
            if (files.Count == 0)
                Console.Error.WriteLine($"Warning: class folder '{classDir}' holds no {Quoted(ImageDecoder.Extensions)} images.");
            for (int i = start; i < stop; i++)
            {
                paths.Add(files[i]);
                labels.Add(k);
            }
        }
        if (paths.Count == 0)
            throw new ArgumentException(
                $"FlowFromDirectory: found no images in the class folders of '{Directory}'{(subset is null ? "" : $" for subset \"{subset}\" (validationSplit {generator.ValidationSplit})")}; " +
                $"accepted extensions: {Quoted(ImageDecoder.Extensions)}.", nameof(directory));

        _paths = [.. paths];
        _classes = [.. labels];
        ClassIndices = classNames.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i);
        Filenames = _paths.Select(p => Path.GetRelativePath(Directory, p)).ToArray();
        SetSize(_paths.Length, batchSize);
        Console.WriteLine($"Found {_paths.Length} images belonging to {classNames.Count} classes.");
    }

    /// <summary>The folder read, as a full path.</summary>
    public string Directory { get; }

    /// <summary>What <c>y</c> holds.</summary>
    public ClassMode ClassMode { get; }

    /// <summary><c>"rgb"</c>, <c>"grayscale"</c> or <c>"rgba"</c>.</summary>
    public string ColorMode { get; }

    /// <summary><c>"training"</c>, <c>"validation"</c> or null.</summary>
    public string? Subset { get; }

    /// <summary>Class name to index (Keras's <c>class_indices</c>), e.g. <c>{cats: 0, dogs: 1}</c>.</summary>
    public IReadOnlyDictionary<string, int> ClassIndices { get; }

    /// <summary>The class index of every file, in file order (Keras's <c>classes</c>).</summary>
    public IReadOnlyList<int> Classes => _classes;

    /// <summary>Every file relative to <see cref="Directory"/>, e.g. <c>cats/cat.1.jpg</c> (Keras's <c>filenames</c>).</summary>
    public IReadOnlyList<string> Filenames { get; }

    /// <summary>Every file's full path (Keras's <c>filepaths</c>).</summary>
    public IReadOnlyList<string> Filepaths => _paths;

    /// <summary>The most pixels an image's header may claim (<c>maxImagePixels</c>); larger images are invalid.</summary>
    public long MaxImagePixels { get; }

    /// <summary>The largest file read (<c>maxFileBytes</c>); larger files are invalid.</summary>
    public long MaxFileBytes { get; }

    /// <summary>Files found unusable so far (relative names); they are left out of every pass.</summary>
    public IReadOnlyList<string> InvalidFiles
    {
        get { lock (_reported) return _reported.Select(i => Filenames[i]).ToList(); }
    }

    private protected override bool LoadSample(int index, Random random, Span<float> dest)
    {
        if (_invalid.ContainsKey(index))
            return false;
        int h = ImageShape[0], w = ImageShape[1], c = ImageShape[2];
        string? error = ImageDecoder.Load(_paths[index], h, w, c, _interpolation, MaxFileBytes, MaxImagePixels, dest);
        if (error is not null)
        {
            if (_throwOnInvalid)
                throw new InvalidDataException($"'{_paths[index]}' is not a usable image: {error}. Pass onInvalidImage: \"skip\" to leave such files out.");
            _invalid[index] = error;
            return false;
        }
        _generator.Process(dest, h, w, c, random, _augment);
        return true;
    }

    private protected override void ReportInvalid(IReadOnlyList<int> indices)
    {
        List<int> fresh;
        int total;
        lock (_reported)
        {
            fresh = indices.Where(_reported.Add).ToList();
            total = _reported.Count;
        }
        if (fresh.Count == 0) return;
        Console.Error.WriteLine(
            $"Warning: skipped {fresh.Count} invalid image file(s) ({total} so far in '{Directory}'): " +
            string.Join("; ", fresh.Select(i => $"{Filenames[i]} ({_invalid[i]})")) + ".");
    }

    private protected override Tensor MakeTargets(int[] indices, Tensor x)
    {
        switch (ClassMode)
        {
            case ClassMode.Binary:
                return torch.tensor(indices.Select(i => (float)_classes[i]).ToArray());
            case ClassMode.Sparse:
                return torch.tensor(indices.Select(i => (long)_classes[i]).ToArray());
            case ClassMode.Categorical:
            {
                int k = ClassIndices.Count;
                var oneHot = new float[indices.Length * k];
                for (int i = 0; i < indices.Length; i++) oneHot[i * k + _classes[indices[i]]] = 1;
                return torch.tensor(oneHot, [indices.Length, k]);
            }
            case ClassMode.Input:
                return x;
            default:
                return torch.empty([0], ScalarType.Float32);
        }
    }

    private static int[] Shape((int, int) targetSize, string colorMode)
    {
        var (h, w) = targetSize;
        if (h <= 0 || w <= 0)
            throw new ArgumentOutOfRangeException(nameof(targetSize), targetSize, $"targetSize must be (height, width) of at least 1 each; got ({h}, {w}).");
        if ((long)h * w > ImageDecoder.MaxDecodablePixels)
            throw new ArgumentOutOfRangeException(nameof(targetSize), targetSize,
                $"targetSize ({h}, {w}) is {(long)h * w} pixels; at most {ImageDecoder.MaxDecodablePixels} fit one image's buffer.");
        int c = (colorMode ?? throw new ArgumentNullException(nameof(colorMode))).ToLowerInvariant() switch
        {
            "rgb" => 3,
            "grayscale" => 1,
            "rgba" => 4,
            _ => throw new ArgumentException($"Unknown colorMode \"{colorMode}\"; accepted: \"rgb\", \"grayscale\", \"rgba\".", nameof(colorMode)),
        };
        return [h, w, c];
    }

    private static string Quoted(IEnumerable<string> names) => string.Join(", ", names);
}
