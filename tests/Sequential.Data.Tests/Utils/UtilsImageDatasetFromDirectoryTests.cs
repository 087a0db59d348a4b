using Sequential.Layers;
using SkiaSharp;
using TorchSharp;
using static Sequential.Data.Utils;
using static TorchSharp.torch;

namespace Sequential.Data.Tests;

/// <summary>
/// Keras 3's image_dataset_utils_test.py ported (shapes, dtypes, label modes, class names, split sizes, errors), plus
/// Keras's exact file order and split for a seed, TensorFlow's resize values, and a Fit end to end.
/// </summary>
[NonParallelizable] // Console.Out is redirected to read Keras's "Found N files" lines.
public sealed class UtilsImageDatasetFromDirectoryTests
{
    private readonly List<string> _dirs = [];

    [TearDown]
    public void TearDown()
    {
        foreach (string dir in _dirs)
            Directory.Delete(dir, recursive: true);
        _dirs.Clear();
    }

    /// <summary>Keras's test helper <c>_prepare_directory</c>: images 24x24 spread round-robin over class folders (and their subfolders).</summary>
    private string Prepare(int numClasses = 2, int count = 16, bool nested = false, string colorMode = "rgb")
    {
        string root = TestImages.TempDir();
        _dirs.Add(root);
        var paths = new List<string>();
        for (int c = 0; c < numClasses; c++)
        {
            string cls = $"class_{c}";
            var classPaths = nested
                ? new[] { cls, Path.Join(cls, "subfolder_1"), Path.Join(cls, "subfolder_2"), Path.Join(cls, "subfolder_1", "sub-subfolder") }
                : [cls];
            foreach (var p in classPaths) Directory.CreateDirectory(Path.Join(root, p));
            paths.AddRange(classPaths);
        }
        var random = new Random(1);
        for (int i = 0; i < count; i++)
        {
            string ext = colorMode == "rgb" ? "jpg" : "png";
            byte[] bytes = TestImages.Encode(24, 24, (_, _) => new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256),
                colorMode == "rgba" ? (byte)random.Next(256) : (byte)255), ext == "jpg" ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Png);
            File.WriteAllBytes(Path.Join(root, paths[i % paths.Count], $"image_{i}.{ext}"), bytes);
        }
        return root;
    }

    private static List<(Tensor x, Tensor? y)> All(Dataset ds)
    {
        var list = new List<(Tensor, Tensor?)>();
        foreach (var e in ds.Elements())
            list.Add((e.X.Tensor, e.Y?.Tensor));
        return list;
    }

    private static string Quiet(Func<object> make, out object result)
    {
        var saved = Console.Out;
        using var writer = new StringWriter();
        Console.SetOut(writer);
        try { result = make(); }
        finally { Console.SetOut(saved); }
        return writer.ToString();
    }

    [Test]
    public void UnderDataParallel_EachRankDecodesOnlyItsRowsOfEachShuffledBatch_WhichAreTheSlicesOfTheWholeBatch()
    {
        string dir = Prepare(numClasses: 3, count: 13);
        using var scope = torch.NewDisposeScope();
        ImageDirectoryDataset Make() => ImageDatasetFromDirectory(dir, batchSize: 6, imageSize: (9, 9), seed: 3, verbose: false);
        var one = Make();
        var whole = one.GetBatches().ToList();   // batches of 6, 6 and 1
        Assert.That(one.ImagesRead(), Is.EqualTo(13));
        var zero = Make();
        var first = Shards.Read(zero, 0, 2);
        var other = Make();
        var second = Shards.Read(other, 1, 2);
        Shards.AssertSlices(whole, first, 0, 2);
        Shards.AssertSlices(whole, second, 1, 2);
        Assert.That((zero.ImagesRead(), other.ImagesRead()), Is.EqualTo((7L, 7L)),
            "rows 0-2, 0-2 and the last batch's one image for its shape; rows 3-5, 3-5, 0");
    }

    [Test]
    public void NoLabels_ImagesAlone_WithoutClassNames()
    {
        string dir = Prepare(numClasses: 2, count: 10, nested: true);
        using var scope = torch.NewDisposeScope();
        var ds = ImageDatasetFromDirectory(dir, batchSize: 5, imageSize: (18, 18), labels: null, verbose: false);
        Assert.Throws<InvalidOperationException>(() => _ = ds.ClassNames);
        var batches = All(ds);
        Assert.That(batches, Has.Count.EqualTo(2));
        Assert.That(batches[0].x.shape, Is.EqualTo(new long[] { 5, 18, 18, 3 }));
        Assert.That(batches[0].x.dtype, Is.EqualTo(ScalarType.Float32));
        Assert.That(batches[0].y, Is.Null);
        Assert.That(batches.Sum(b => b.x.shape[0]), Is.EqualTo(10));
    }

    [TestCase("int", ScalarType.Int32, new long[] { 8 })]
    [TestCase("binary", ScalarType.Float32, new long[] { 8, 1 })]
    [TestCase("categorical", ScalarType.Float32, new long[] { 8, 2 })]
    public void Binary_LabelModes(string labelMode, ScalarType dtype, long[] labelShape)
    {
        string dir = Prepare(numClasses: 2);
        using var scope = torch.NewDisposeScope();
        var ds = ImageDatasetFromDirectory(dir, batchSize: 8, imageSize: (18, 18), labelMode: labelMode, verbose: false);
        var (x, y) = All(ds)[0];
        Assert.That(x.shape, Is.EqualTo(new long[] { 8, 18, 18, 3 }));
        Assert.That(x.dtype, Is.EqualTo(ScalarType.Float32));
        Assert.That(y!.shape, Is.EqualTo(labelShape));
        Assert.That(y.dtype, Is.EqualTo(dtype));
        Assert.That(ds.ClassNames, Is.EqualTo(new[] { "class_0", "class_1" }));
    }

    [Test]
    public void SampleCount_AndMulticlass()
    {
        string dir = Prepare(numClasses: 4, count: 15);
        using var scope = torch.NewDisposeScope();
        var ds = ImageDatasetFromDirectory(dir, batchSize: 8, imageSize: (18, 18), labelMode: null, verbose: false);
        Assert.That(All(ds).Sum(b => b.x.shape[0]), Is.EqualTo(15));
        var cat = ImageDatasetFromDirectory(dir, batchSize: 8, imageSize: (18, 18), labelMode: "categorical", verbose: false);
        var (x, y) = All(cat)[0];
        Assert.That(y!.shape, Is.EqualTo(new long[] { 8, 4 }));
        Assert.That(y.sum(1).data<float>().ToArray(), Is.All.EqualTo(1f));
        Assert.That(cat.ClassNames, Has.Count.EqualTo(4));
    }

    [TestCase("grayscale", 1)]
    [TestCase("rgba", 4)]
    public void ColorModes(string colorMode, int channels)
    {
        string dir = Prepare(numClasses: 4, count: 15, colorMode: colorMode);
        using var scope = torch.NewDisposeScope();
        var ds = ImageDatasetFromDirectory(dir, batchSize: 8, imageSize: (18, 18), colorMode: colorMode, verbose: false);
        Assert.That(All(ds)[0].x.shape, Is.EqualTo(new long[] { 8, 18, 18, channels }));
    }

    [Test]
    public void ValidationSplit_SizesAndBothSubsetsDisjointAndCovering()
    {
        string dir = Prepare(numClasses: 2, count: 10);
        using var scope = torch.NewDisposeScope();
        string text = Quiet(() => ImageDatasetFromDirectory(dir, batchSize: 10, imageSize: (18, 18), validationSplit: 0.2, subset: "training", seed: 1337), out var t);
        var train = (ImageDirectoryDataset)t;
        Assert.That(text, Is.EqualTo($"Found 10 files belonging to 2 classes.{Environment.NewLine}Using 8 files for training.{Environment.NewLine}"));
        Assert.That(All(train)[0].x.shape, Is.EqualTo(new long[] { 8, 18, 18, 3 }));
        var val = ImageDatasetFromDirectory(dir, batchSize: 10, imageSize: (18, 18), validationSplit: 0.2, subset: "validation", seed: 1337, verbose: false);
        Assert.That(All(val)[0].x.shape, Is.EqualTo(new long[] { 2, 18, 18, 3 }));

        text = Quiet(() => ImageDatasetFromDirectory(dir, batchSize: 10, imageSize: (18, 18), validationSplit: 0.2, subset: "both", seed: 1337), out var b);
        Assert.That(text, Does.Contain("Using 8 files for training.").And.Contain("Using 2 files for validation."));
        var (bothTrain, bothVal) = (ImageDirectoryDataset)b;
        Assert.That(bothTrain.FilePaths, Is.EqualTo(train.FilePaths));
        Assert.That(bothVal.FilePaths, Is.EqualTo(val.FilePaths));
        Assert.That(bothTrain.FilePaths.Intersect(bothVal.FilePaths), Is.Empty);
        Assert.That(bothTrain.FilePaths.Concat(bothVal.FilePaths).Order(), Is.EqualTo(Directory.GetFiles(dir, "*.jpg", SearchOption.AllDirectories).Order()));
        Assert.That(All(bothTrain)[0].x.shape[0], Is.EqualTo(8));
        Assert.That(All(bothVal)[0].x.shape[0], Is.EqualTo(2));
        Assert.That(bothVal.ClassNames, Is.EqualTo(new[] { "class_0", "class_1" }));
        Assert.Throws<InvalidOperationException>(() => { var (_, _) = train; });
    }

    [Test]
    public void ManualLabels()
    {
        string dir = Prepare(numClasses: 1, count: 4);
        var wrong = Assert.Throws<ArgumentException>(() => ImageDatasetFromDirectory(dir, batchSize: 8, imageSize: (18, 18), labels: new[] { 0, 1, 0 }, shuffle: false, verbose: false));
        Assert.That(wrong!.Message, Does.StartWith("Expected the lengths of `labels` to match the number of files in the target directory. len(labels) is 3 while we found 4 files"));
        using var scope = torch.NewDisposeScope();
        var ds = ImageDatasetFromDirectory(dir, batchSize: 8, imageSize: (18, 18), labels: new[] { 0, 1, 0, 1 }, shuffle: false, verbose: false);
        Assert.That(ds.ClassNames, Is.EqualTo(new[] { "0", "1" }));
        var (x, y) = All(ds)[0];
        Assert.That(x.shape, Is.EqualTo(new long[] { 4, 18, 18, 3 }));
        Assert.That(y!.data<int>().ToArray(), Is.EqualTo(new[] { 0, 1, 0, 1 }));

        string three = Prepare(numClasses: 3, count: 6);
        var multi = ImageDatasetFromDirectory(three, batchSize: 8, imageSize: (18, 18), labels: new[] { 0, 1, 0, 1, 1, 1 }, shuffle: false, verbose: false);
        Assert.That(multi.ClassNames, Is.EqualTo(new[] { "0", "1" }));
        Assert.That(All(multi)[0].y!.data<int>().ToArray(), Is.EqualTo(new[] { 0, 1, 0, 1, 1, 1 }));
    }

    [Test]
    public void FollowLinks_NestedFoldersCounted()
    {
        string dir = Prepare(numClasses: 2, count: 25, nested: true);
        using var scope = torch.NewDisposeScope();
        var ds = ImageDatasetFromDirectory(dir, batchSize: 8, imageSize: (18, 18), labelMode: null, followLinks: true, verbose: false);
        Assert.That(All(ds).Sum(b => b.x.shape[0]), Is.EqualTo(25));
    }

    [Test]
    public void NoImages_KerasMessage()
    {
        string dir = Prepare(numClasses: 2, count: 0);
        string text = Quiet(() => Assert.Throws<ArgumentException>(() => ImageDatasetFromDirectory(dir))!, out var e);
        Assert.That(text, Is.EqualTo($"Found 0 files belonging to 2 classes.{Environment.NewLine}"));
        Assert.That(((Exception)e).Message, Does.StartWith($"No images found in directory {dir}. Allowed formats: ('.bmp', '.gif', '.jpeg', '.jpg', '.png')"));

        string empty = TestImages.TempDir();
        _dirs.Add(empty);
        text = Quiet(() => Assert.Throws<ArgumentException>(() => ImageDatasetFromDirectory(empty))!, out e);
        Assert.That(text, Does.StartWith("Found 0 files belonging to 0 classes."));
        Assert.That(((Exception)e).Message, Does.StartWith("No images found in directory"));
        Assert.Throws<DirectoryNotFoundException>(() => ImageDatasetFromDirectory(Path.Join(empty, "missing")));
    }

    [Test]
    public void NotBatched_SingleImages()
    {
        string dir = Prepare(numClasses: 2, count: 2);
        using var scope = torch.NewDisposeScope();
        var ds = ImageDatasetFromDirectory(dir, batchSize: null, imageSize: (18, 18), labelMode: null, shuffle: false, verbose: false);
        Assert.That(All(ds)[0].x.shape, Is.EqualTo(new long[] { 18, 18, 3 }));
    }

    [Test]
    public void Errors_KerasMessages()
    {
        string dir = Prepare(numClasses: 3, count: 5);
        void Fails(string start, Action call) =>
            Assert.That(Assert.Throws<ArgumentException>(() => Quiet(() => { call(); return 0; }, out _))!.Message, Does.StartWith(start));
        Fails("`labels` argument should be", () => ImageDatasetFromDirectory(dir, labels: "other"));
        Fails("`label_mode` argument must be", () => ImageDatasetFromDirectory(dir, labelMode: "other"));
        Fails("`color_mode` must be one of", () => ImageDatasetFromDirectory(dir, colorMode: "other"));
        Fails("You can only pass `class_names` if `labels=\"inferred\"`",
            () => ImageDatasetFromDirectory(dir, labels: new[] { 0, 0, 1, 1, 1 }, classNames: ["class_0", "class_1", "class_2"]));
        Fails("Expected the lengths of `labels` to match the number of files", () => ImageDatasetFromDirectory(dir, labels: new[] { 0, 0, 1, 1 }));
        Fails("The `class_names` passed did not match the names of the subdirectories of the target directory. " +
              "Expected: ['class_0', 'class_1', 'class_2'] (or a subset of it), but received: class_names=['class_0', 'wrong_class']",
            () => ImageDatasetFromDirectory(dir, classNames: ["class_0", "wrong_class"]));
        Fails("When passing `label_mode=\"binary\"`, there must be exactly 2 class_names. Received: class_names=['class_0', 'class_1', 'class_2']",
            () => ImageDatasetFromDirectory(dir, labelMode: "binary"));
        Fails("`validation_split` must be between 0 and 1, received: 2", () => ImageDatasetFromDirectory(dir, validationSplit: 2));
        Fails("`validation_split` must be between 0 and 1, received: -0.5", () => ImageDatasetFromDirectory(dir, validationSplit: -0.5, subset: "training", seed: 1));
        Fails("`subset` must be either \"training\", \"validation\" or \"both\", received: other", () => ImageDatasetFromDirectory(dir, validationSplit: 0.2, subset: "other", seed: 1));
        Fails("If `subset` is set, `validation_split` must be set, and inversely.", () => ImageDatasetFromDirectory(dir, validationSplit: 0.0, subset: "training"));
        Fails("If `subset` is set, `validation_split` must be set, and inversely.", () => ImageDatasetFromDirectory(dir, validationSplit: 0.3));
        Fails("If using `validation_split` and shuffling the data, you must provide a `seed`", () => ImageDatasetFromDirectory(dir, validationSplit: 0.2, subset: "training"));
        Fails("Invalid `image_size` value.", () => ImageDatasetFromDirectory(dir, imageSize: (0, 18)));
        Fails("Invalid `image_size` value.", () => ImageDatasetFromDirectory(dir, imageSize: (18, -1)));
        Fails("Argument `interpolation` should be one of", () => ImageDatasetFromDirectory(dir, interpolation: "cubic"));
        Fails("ImageDatasetFromDirectory: interpolation \"bicubic\" is not implemented here", () => ImageDatasetFromDirectory(dir, interpolation: "bicubic"));
        Fails("Only one of `pad_to_aspect_ratio`, `crop_to_aspect_ratio`", () => ImageDatasetFromDirectory(dir, cropToAspectRatio: true, padToAspectRatio: true));
        Fails("When `labels=None` (no labels), argument `class_names` cannot be specified.", () => ImageDatasetFromDirectory(dir, labels: null, classNames: ["class_0"]));
    }

    /// <summary>
    /// Keras's file order (index_directory) and split for seed 113, derived by hand. The sorted list (class folders
    /// sorted, hidden ".x" class skipped, webp/txt not Keras formats, a file beside the class folders ignored, folders
    /// walked in sorted path order, files sorted by code point so "B" &lt; "a" and "img_10" &lt; "img_2"):
    /// 0 a/B.png, 1 a/img_1.PNG, 2 a/img_10.png, 3 a/img_2.png, 4 a/sub/z.png, 5 b/c.png, 6 b/d.png, 7 b/sub/f.png,
    /// 8 b/sub/g.png, 9 b/sub-1/e.png.
    /// numpy: <c>r = np.random.RandomState(113); i = np.arange(10); r.shuffle(i)</c> gives [9, 3, 6, 1, 0, 7, 4, 8, 2, 5]
    /// (LegacyRandomStateTests checks this against numpy 1.24), so Keras's file_paths is sorted[i]; with
    /// validation_split 0.2, int(0.2 * 10) = 2 files validate: the last two, sorted[2] and sorted[5].
    /// </summary>
    [Test]
    public void FileOrderAndSplit_AreKeras()
    {
        string dir = TestImages.TempDir();
        _dirs.Add(dir);
        // Keras's sorted order: roots sort as whole strings, so "b/sub" (a prefix) comes before "b/sub-1".
        string[] sorted = ["a/B.png", "a/img_1.PNG", "a/img_10.png", "a/img_2.png", "a/sub/z.png", "b/c.png", "b/d.png", "b/sub/f.png", "b/sub/g.png", "b/sub-1/e.png"];
        // Written in another order, each with red = 10 * its index in the sorted list.
        foreach (int i in new[] { 9, 0, 5, 2, 7, 1, 8, 3, 6, 4 })
            TestImages.Solid(Path.Join(dir, sorted[i]), 2, 2, new SKColor((byte)(i * 10), 0, 0));
        TestImages.Solid(Path.Join(dir, "a", "skip.webp"), 2, 2, SKColors.Red, SKEncodedImageFormat.Webp);
        File.WriteAllText(Path.Join(dir, "b", "notes.txt"), "x");
        TestImages.Solid(Path.Join(dir, ".hidden", "h.png"), 2, 2, SKColors.Red);
        TestImages.Solid(Path.Join(dir, "top.png"), 2, 2, SKColors.Red);
        int[] numpy = [9, 3, 6, 1, 0, 7, 4, 8, 2, 5];
        string P(string rel) => Path.Join(dir, rel);

        var all = ImageDatasetFromDirectory(dir, shuffle: false, verbose: false);
        Assert.That(all.FilePaths, Is.EqualTo(sorted.Select(P)));
        Assert.That(all.ClassNames, Is.EqualTo(new[] { "a", "b" }));

        string text = Quiet(() => ImageDatasetFromDirectory(dir, validationSplit: 0.2, subset: "both", seed: 113, imageSize: (2, 2), batchSize: 3), out var both);
        Assert.That(text, Is.EqualTo(string.Join(Environment.NewLine, "Found 10 files belonging to 2 classes.", "Using 8 files for training.",
            "Using 2 files for validation.", "")));
        var (train, val) = (ImageDirectoryDataset)both;
        Assert.That(train.FilePaths, Is.EqualTo(numpy[..8].Select(i => P(sorted[i]))));
        Assert.That(val.FilePaths, Is.EqualTo(new[] { P("a/img_10.png"), P("b/c.png") }));
        // The validation subset of "both" is not shuffled per pass: images and labels come in FilePaths' order, the
        // pixels saying which file (red = 10 * sorted index) and the label its class.
        using var scope = torch.NewDisposeScope();
        var (x, y) = All(val)[0];
        Assert.That(x[.., 0, 0, 0].data<float>().ToArray(), Is.EqualTo(new[] { 20f, 50f }));
        Assert.That(y!.data<int>().ToArray(), Is.EqualTo(new[] { 0, 1 }));
        // The training subset is shuffled per pass; its labels still match its images.
        foreach (var (bx, by) in All(train))
            for (int i = 0; i < bx.shape[0]; i++)
            {
                int index = (int)bx[i, 0, 0, 0].item<float>() / 10;
                Assert.That(by!.data<int>()[i], Is.EqualTo(sorted[index].StartsWith('a') ? 0 : 1));
            }
    }

    [Test]
    public void Resize_IsTensorFlows_BilinearNearestCropPad()
    {
        string dir = TestImages.TempDir();
        _dirs.Add(dir);
        // One row [0, 100] (2x1): tf.image.resize to 1x4, bilinear, half-pixel centres: [0, 25, 75, 100]; nearest: [0, 0, 100, 100].
        File.WriteAllBytes(Path.Join(dir, "row.png"), TestImages.Encode(2, 1, (x, _) => new SKColor((byte)(x * 100), 0, 0), SKEncodedImageFormat.Png));
        float[] Red(string interpolation, (int, int) size, bool crop = false, bool pad = false)
        {
            using var scope = torch.NewDisposeScope();
            var ds = ImageDatasetFromDirectory(dir, labels: null, batchSize: null, imageSize: size, interpolation: interpolation, shuffle: false,
                cropToAspectRatio: crop, padToAspectRatio: pad, verbose: false);
            return All(ds)[0].x[.., .., 0].flatten().data<float>().ToArray();
        }
        Assert.That(Red("bilinear", (1, 4)), Is.EqualTo(new[] { 0f, 25f, 75f, 100f }));
        Assert.That(Red("nearest", (1, 4)), Is.EqualTo(new[] { 0f, 0f, 100f, 100f }));
        File.Delete(Path.Join(dir, "row.png"));
        // 4x2 (w x h), pixel value 10 * x + 100 * y.
        File.WriteAllBytes(Path.Join(dir, "wide.png"), TestImages.Encode(4, 2, (x, y) => new SKColor((byte)(10 * x + 100 * y), 0, 0), SKEncodedImageFormat.Png));
        // Bilinear down to 1x2 without antialiasing: sample at (0.5, 0.5) and (2.5, 0.5): 55 and 75.
        Assert.That(Red("bilinear", (1, 2)), Is.EqualTo(new[] { 55f, 75f }));
        // smart_resize crop to 2x2: crop_width = int(2 * 2 / 2) = 2 from x = int((4 - 2) / 2) = 1: columns 1 and 2.
        Assert.That(Red("bilinear", (2, 2), crop: true), Is.EqualTo(new[] { 10f, 20f, 110f, 120f }));
        // resize_with_pad to 4x4: ratio 1, the image unchanged in rows 1-2, zeros above and below.
        Assert.That(Red("bilinear", (4, 4), pad: true), Is.EqualTo(new[] { 0f, 0, 0, 0, 0, 10, 20, 30, 100, 110, 120, 130, 0, 0, 0, 0 }));
    }

    [Test]
    public void CorruptImage_FailsTheEnumeration_NamingTheFile()
    {
        string dir = Prepare(numClasses: 2, count: 4);
        string bad = Path.Join(dir, "class_1", "broken.jpg");
        File.WriteAllBytes(bad, [0xFF, 0xD8, 0xFF, 0x00, 1, 2, 3]);
        var ds = ImageDatasetFromDirectory(dir, batchSize: 2, imageSize: (8, 8), shuffle: false, verbose: false);
        var e = Assert.Throws<InvalidOperationException>(() => { using var scope = torch.NewDisposeScope(); All(ds); });
        Exception? inner = e;
        while (inner is not null && inner is not InvalidDataException) inner = inner.InnerException;
        Assert.That(inner, Is.Not.Null, e!.ToString());
        Assert.That(inner!.Message, Does.Contain($"'{bad}' is not a usable image"));
        Assert.That(WorkerThread.Live, Is.Zero);
    }

    [Test]
    public void AHeaderClaimingTooManyPixels_IsRefusedBeforeDecoding_NamingTheFile()
    {
        string dir = TestImages.TempDir();
        _dirs.Add(dir);
        Directory.CreateDirectory(Path.Join(dir, "only"));
        string huge = Path.Join(dir, "only", "huge.png");
        File.WriteAllBytes(huge, TestImages.PngClaiming(100_000, 100_000));
        var ds = ImageDatasetFromDirectory(dir, labels: DirectoryLabels.Of(new List<int> { 0 }), imageSize: (4, 4), verbose: false);
        var e = Assert.Throws<InvalidOperationException>(() => { using var scope = torch.NewDisposeScope(); All(ds); });
        Assert.That(e!.InnerException, Is.TypeOf<InvalidDataException>());
        Assert.That(e.InnerException!.Message, Does.StartWith($"ImageDatasetFromDirectory: '{huge}' is not a usable image:").And.Contain("10,000,000,000"));
    }

    [Test]
    public void Fit_EndToEnd_OnATinyFolder()
    {
        string dir = TestImages.TempDir();
        _dirs.Add(dir);
        for (int i = 0; i < 12; i++)
        {
            TestImages.Solid(Path.Join(dir, "dark", $"{i}.png"), 6, 6, new SKColor((byte)(i * 3), (byte)(i * 3), (byte)(i * 3)));
            TestImages.Solid(Path.Join(dir, "light", $"{i}.png"), 6, 6, new SKColor((byte)(220 + i * 3), (byte)(220 + i * 3), (byte)(220 + i * 3)));
        }
        var (train, val) = ImageDatasetFromDirectory(dir, validationSplit: 0.25, subset: "both", seed: 1337, imageSize: (4, 4), batchSize: 6,
            labelMode: "binary", verbose: false);
        Assert.That(train.ClassNames, Is.EqualTo(new[] { "dark", "light" }));
        RandomSeed.Set(3);
        var model = new SequentialModel(new Rescaling(1f / 255, inputShape: [4, 4, 3]), new Flatten(), new Dense(1, activation: "sigmoid"));
        model.Compile(optimizer: new Sequential.Optimizers.Adam(0.05), loss: "binary_crossentropy", metrics: ["accuracy"], device: "cpu");
        var history = model.Fit(train, epochs: 30, validationData: val, verbose: 0);
        Assert.That(history["loss"][^1], Is.LessThan(history["loss"][0]));
        Assert.That(history["val_accuracy"][^1], Is.EqualTo(1.0).Within(1e-6));
        Assert.That(WorkerThread.Live, Is.Zero);
    }
}
