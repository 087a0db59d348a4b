using SkiaSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Data.Tests;

public sealed class DirectoryIteratorTests
{
    private string _root = "";

    [SetUp]
    public void MakeRoot() => _root = TestImages.TempDir();

    [TearDown]
    public void RemoveRoot()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    /// <summary>cats: 3 red PNGs, dogs: 2 blue JPEGs.</summary>
    private string CatsAndDogs()
    {
        for (int i = 0; i < 3; i++)
            TestImages.Solid(Path.Combine(_root, "cats", $"cat.{i}.png"), 64, 48, new SKColor(255, 0, 0));
        for (int i = 0; i < 2; i++)
            TestImages.Solid(Path.Combine(_root, "dogs", $"dog.{i}.jpg"), 50, 40, new SKColor(0, 0, 255), SKEncodedImageFormat.Jpeg);
        return _root;
    }

    private static List<(Tensor x, Tensor y)> OnePass(IEnumerable<(Tensor x, Tensor y)> it) => it.ToList();

    [Test]
    public void RedPngResizedGivesExactlyRescaledRed()
    {
        TestImages.Solid(Path.Combine(_root, "a", "red.png"), 64, 48, new SKColor(255, 0, 0));
        var it = new ImageDataGenerator(rescale: 1f / 255).FlowFromDirectory(_root, targetSize: (32, 32));
        var (x, y) = it.Single();
        Assert.That(x.shape, Is.EqualTo(new long[] { 1, 32, 32, 3 }));
        Assert.That(x.dtype, Is.EqualTo(ScalarType.Float32));
        var v = x.data<float>().ToArray();
        for (int i = 0; i < v.Length; i++)
            Assert.That(v[i], Is.EqualTo(i % 3 == 0 ? 1f : 0f), $"value {i}");
        Assert.That(y.shape, Is.EqualTo(new long[] { 1, 1 }));
    }

    [Test]
    public void ClassesFilenamesCountAndMessage()
    {
        var output = new StringWriter();
        var saved = Console.Out;
        Console.SetOut(output);
        DirectoryIterator it;
        try
        {
            it = new ImageDataGenerator().FlowFromDirectory(CatsAndDogs(), targetSize: (8, 8), batchSize: 2);
        }
        finally
        {
            Console.SetOut(saved);
        }
        Assert.That(output.ToString(), Does.Contain("Found 5 images belonging to 2 classes."));
        Assert.That(it.Samples, Is.EqualTo(5));
        Assert.That(it.Count, Is.EqualTo(3));
        Assert.That(it.BatchSize, Is.EqualTo(2));
        Assert.That(it.ImageShape, Is.EqualTo(new[] { 8, 8, 3 }));
        Assert.That(it.ClassIndices, Is.EquivalentTo(new Dictionary<string, int> { ["cats"] = 0, ["dogs"] = 1 }));
        Assert.That(it.Classes, Is.EqualTo(new[] { 0, 0, 0, 1, 1 }));
        Assert.That(it.Filenames, Is.EqualTo(new[] { "cats/cat.0.png", "cats/cat.1.png", "cats/cat.2.png", "dogs/dog.0.jpg", "dogs/dog.1.jpg" }));
    }

    [Test]
    public void ClassesAreSortedOrdinallyAsPython()
    {
        foreach (var name in new[] { "dogs", "cats", "Zebra", "ant" })
            TestImages.Solid(Path.Combine(_root, name, "x.png"), 4, 4, SKColors.White);
        var it = new ImageDataGenerator().FlowFromDirectory(_root, targetSize: (4, 4));
        Assert.That(it.ClassIndices.OrderBy(p => p.Value).Select(p => p.Key), Is.EqualTo(new[] { "Zebra", "ant", "cats", "dogs" }));
    }

    [Test]
    public void ExplicitClassesSetTheOrder()
    {
        var it = new ImageDataGenerator().FlowFromDirectory(CatsAndDogs(), targetSize: (4, 4), classes: ["dogs", "cats"],
            classMode: ClassMode.Sparse, shuffle: false);
        Assert.That(it.ClassIndices["dogs"], Is.EqualTo(0));
        Assert.That(it.Filenames[0], Is.EqualTo("dogs/dog.0.jpg"));
        var y = it.Single().y;   // batch 32 holds all five
        Assert.That(y.data<long>().ToArray(), Is.EqualTo(new long[] { 0, 0, 1, 1, 1 }));
    }

    [Test]
    public void LabelsPerClassMode()
    {
        string dir = CatsAndDogs();
        var gen = new ImageDataGenerator(rescale: 1f / 255);
        Tensor Y(ClassMode mode) => gen.FlowFromDirectory(dir, targetSize: (4, 4), classMode: mode, shuffle: false).Single().y;

        var binary = Y(ClassMode.Binary);
        Assert.That(binary.dtype, Is.EqualTo(ScalarType.Float32));
        Assert.That(binary.data<float>().ToArray(), Is.EqualTo(new float[] { 0, 0, 0, 1, 1 }));

        var categorical = Y(ClassMode.Categorical);
        Assert.That(categorical.shape, Is.EqualTo(new long[] { 5, 2 }));
        Assert.That(categorical.data<float>().ToArray(), Is.EqualTo(new float[] { 1, 0, 1, 0, 1, 0, 0, 1, 0, 1 }));

        var sparse = Y(ClassMode.Sparse);
        Assert.That(sparse.dtype, Is.EqualTo(ScalarType.Int64));
        Assert.That(sparse.data<long>().ToArray(), Is.EqualTo(new long[] { 0, 0, 0, 1, 1 }));

        var (x, y) = gen.FlowFromDirectory(dir, targetSize: (4, 4), classMode: ClassMode.Input).Single();
        Assert.That(ReferenceEquals(x, y), Is.True);

        Assert.That(Y(ClassMode.None).numel(), Is.EqualTo(0));
    }

    [Test]
    public void BinaryNeedsTwoClasses()
    {
        TestImages.Solid(Path.Combine(_root, "only", "a.png"), 4, 4, SKColors.White);
        var e = Assert.Throws<ArgumentException>(() => new ImageDataGenerator().FlowFromDirectory(_root, classMode: ClassMode.Binary));
        Assert.That(e!.Message, Does.Contain("exactly two classes"));
    }

    [Test]
    public void EachEnumerationIsOnePass()
    {
        var it = new ImageDataGenerator().FlowFromDirectory(CatsAndDogs(), targetSize: (4, 4), batchSize: 2,
            classMode: ClassMode.Sparse, seed: 1);
        for (int pass = 0; pass < 2; pass++)
        {
            var batches = OnePass(it);
            Assert.That(batches.Select(b => b.x.shape[0]), Is.EqualTo(new long[] { 2, 2, 1 }));
            var labels = batches.SelectMany(b => b.y.data<long>().ToArray()).Order();
            Assert.That(labels, Is.EqualTo(new long[] { 0, 0, 0, 1, 1 }));
        }
    }

    [Test]
    public void ShuffledOrderChangesPerPassAndCoversEverySample()
    {
        var dir = _root;
        for (int i = 0; i < 20; i++)
            TestImages.Solid(Path.Combine(dir, "c", $"{i:D2}.png"), 4, 4, new SKColor((byte)(i * 10), 0, 0));
        var it = new ImageDataGenerator().FlowFromDirectory(dir, targetSize: (1, 1), batchSize: 20, seed: 3);
        float[] Pass() => it.Single().x.data<float>().ToArray().Where((_, i) => i % 3 == 0).ToArray();
        var first = Pass();
        var second = Pass();
        Assert.That(first, Is.Not.EqualTo(second));
        Assert.That(first.Order(), Is.EqualTo(Enumerable.Range(0, 20).Select(i => (float)(i * 10))));
        Assert.That(second.Order(), Is.EqualTo(first.Order()));
    }

    [Test]
    public void SameSeedSameBatchesWhateverTheThreadCount()
    {
        string dir = _root;
        for (int i = 0; i < 12; i++)
            File.WriteAllBytes(Path.Combine(Directory.CreateDirectory(Path.Combine(dir, i % 2 == 0 ? "a" : "b")).FullName, $"{i}.png"),
                TestImages.Encode(20, 16, (x, y) => new SKColor((byte)(x * 12), (byte)(y * 15), (byte)(i * 20)), SKEncodedImageFormat.Png));
        var gen = new ImageDataGenerator(rescale: 1f / 255, rotationRange: 30, widthShiftRange: 0.1f, zoomRange: 0.2f,
            horizontalFlip: true, brightnessRange: (0.7f, 1.3f));
        float[] Run(int seed, int workers, int prefetch)
        {
            var it = gen.FlowFromDirectory(dir, targetSize: (16, 16), batchSize: 5, seed: seed);
            it.Workers = workers;
            it.PrefetchBatches = prefetch;
            return Enumerable.Range(0, 2).SelectMany(_ => it.SelectMany(b => b.x.data<float>().ToArray())).ToArray();
        }
        var reference = Run(7, 1, 0);
        Assert.That(Run(7, 1, 0), Is.EqualTo(reference));
        Assert.That(Run(7, 4, 2), Is.EqualTo(reference));
        Assert.That(Run(8, 4, 2), Is.Not.EqualTo(reference));
    }

    [Test]
    public void ValidationSubsetTakesTheFirstFractionOfEachClass()
    {
        for (int i = 0; i < 10; i++)
        {
            TestImages.Solid(Path.Combine(_root, "cats", $"c{i}.png"), 4, 4, SKColors.Red);
            TestImages.Solid(Path.Combine(_root, "dogs", $"d{i}.png"), 4, 4, SKColors.Blue);
        }
        var gen = new ImageDataGenerator(validationSplit: 0.2, horizontalFlip: true);
        var val = gen.FlowFromDirectory(_root, targetSize: (4, 4), subset: "validation");
        var train = gen.FlowFromDirectory(_root, targetSize: (4, 4), subset: "training");
        Assert.That(val.Samples, Is.EqualTo(4));
        Assert.That(train.Samples, Is.EqualTo(16));
        Assert.That(val.Filenames, Is.EqualTo(new[] { "cats/c0.png", "cats/c1.png", "dogs/d0.png", "dogs/d1.png" }));
        Assert.That(train.Filenames, Does.Not.Contain("cats/c0.png"));
        Assert.Throws<ArgumentException>(() => gen.FlowFromDirectory(_root, subset: "test"));
    }

    [Test]
    public void ValidationSubsetIsNotAugmented()
    {
        // Left half red, right half blue: with horizontalFlip some training images come out mirrored,
        // validation images never do.
        for (int i = 0; i < 8; i++)
            File.WriteAllBytes(Path.Combine(Directory.CreateDirectory(Path.Combine(_root, "c")).FullName, $"{i}.png"),
                TestImages.Encode(8, 2, (x, _) => x < 4 ? SKColors.Red : SKColors.Blue, SKEncodedImageFormat.Png));
        var gen = new ImageDataGenerator(horizontalFlip: true, validationSplit: 0.5);
        float FirstRedOf(DirectoryIterator it) => it.Single().x[.., 0, 0, 0].sum().item<float>();
        Assert.That(FirstRedOf(gen.FlowFromDirectory(_root, targetSize: (2, 8), subset: "validation", seed: 1)), Is.EqualTo(4 * 255));
        var training = Enumerable.Range(0, 5).Select(s => FirstRedOf(gen.FlowFromDirectory(_root, targetSize: (2, 8), subset: "training", seed: s)));
        Assert.That(training.Any(v => v < 4 * 255), Is.True, "horizontalFlip never flipped a training image");
    }

    [Test]
    public void InvalidFilesAreSkippedWithOneWarningEach()
    {
        string dir = CatsAndDogs();
        var jpeg = TestImages.Encode(64, 64, (x, y) => new SKColor((byte)(x * 4), (byte)(y * 4), 0), SKEncodedImageFormat.Jpeg, 90);
        File.WriteAllBytes(Path.Combine(dir, "cats", "truncated.jpg"), jpeg[..(jpeg.Length / 2)]);
        File.WriteAllText(Path.Combine(dir, "cats", "notes.png"), "not an image at all");
        File.WriteAllBytes(Path.Combine(dir, "dogs", "empty.jpg"), []);
        var it = new ImageDataGenerator().FlowFromDirectory(dir, targetSize: (4, 4), batchSize: 3, classMode: ClassMode.Sparse, shuffle: false);
        Assert.That(it.Samples, Is.EqualTo(8));

        var errors = new StringWriter();
        var saved = Console.Error;
        Console.SetError(errors);
        List<long> sizes, sizesAgain;
        try
        {
            sizes = it.Select(b => b.x.shape[0]).ToList();
            sizesAgain = it.Select(b => b.x.shape[0]).ToList();
        }
        finally
        {
            Console.SetError(saved);
        }
        Assert.That(sizes.Sum(), Is.EqualTo(5));
        Assert.That(sizesAgain.Sum(), Is.EqualTo(5));
        string log = errors.ToString();
        Assert.That(log, Does.Contain("cats/truncated.jpg").And.Contain("cats/notes.png").And.Contain("dogs/empty.jpg"));
        Assert.That(log, Does.Contain("3 so far"));
        Assert.That(log.Split("cats/notes.png").Length - 1, Is.EqualTo(1), "warned more than once about a file");
        Assert.That(it.InvalidFiles, Is.EquivalentTo(new[] { "cats/truncated.jpg", "cats/notes.png", "dogs/empty.jpg" }));
    }

    [Test]
    public void InvalidFileIsAnErrorWhenAskedFor()
    {
        string dir = CatsAndDogs();
        File.WriteAllBytes(Path.Combine(dir, "dogs", "empty.jpg"), []);
        var it = new ImageDataGenerator().FlowFromDirectory(dir, targetSize: (4, 4), onInvalidImage: "error");
        var e = Assert.Throws<InvalidDataException>(() => it.ToList());
        Assert.That(e!.Message, Does.Contain("empty.jpg").And.Contain("0 bytes"));
    }

    [Test]
    public void MissingOrEmptyDirectoriesFailAtConstruction()
    {
        var gen = new ImageDataGenerator();
        string missing = Path.Combine(_root, "nope");
        Assert.That(Assert.Throws<DirectoryNotFoundException>(() => gen.FlowFromDirectory(missing))!.Message, Does.Contain(missing));
        var noClasses = Assert.Throws<ArgumentException>(() => gen.FlowFromDirectory(_root))!;
        Assert.That(noClasses.Message, Does.Contain(_root).And.Contain(".jpg").And.Contain("no class sub-folders"));
        Directory.CreateDirectory(Path.Combine(_root, "cats"));
        var noImages = Assert.Throws<ArgumentException>(() => gen.FlowFromDirectory(_root))!;
        Assert.That(noImages.Message, Does.Contain("found no images").And.Contain(".png"));
    }

    [Test]
    public void EmptyClassFolderCountsZero()
    {
        TestImages.Solid(Path.Combine(_root, "cats", "a.png"), 4, 4, SKColors.Red);
        Directory.CreateDirectory(Path.Combine(_root, "dogs"));
        var it = new ImageDataGenerator().FlowFromDirectory(_root, targetSize: (4, 4));
        Assert.That(it.ClassIndices.Count, Is.EqualTo(2));
        Assert.That(it.Samples, Is.EqualTo(1));
        Assert.That(it.Single().y.shape, Is.EqualTo(new long[] { 1, 2 }));
    }

    [Test]
    public void BadSizesNameTheValue()
    {
        string dir = CatsAndDogs();
        var gen = new ImageDataGenerator();
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => gen.FlowFromDirectory(dir, targetSize: (0, 10)))!.Message, Does.Contain("(0, 10)"));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => gen.FlowFromDirectory(dir, batchSize: 0))!;
        Assert.That(e.ParamName, Is.EqualTo("batchSize"));
        Assert.That(e.Message, Does.Contain("got 0"));
        Assert.Throws<ArgumentException>(() => gen.FlowFromDirectory(dir, colorMode: "cmyk"));
        Assert.Throws<ArgumentException>(() => gen.FlowFromDirectory(dir, interpolation: "lanczos"));
        // Once h * w * c overflowed an int in the batch loader; now refused while it can be named.
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => gen.FlowFromDirectory(dir, targetSize: (30000, 30000)))!.Message,
            Does.Contain("targetSize (30000, 30000) is 900000000 pixels"));
    }

    [Test]
    public void SymlinkedFoldersAreFollowedOnlyWhenAsked()
    {
        string elsewhere = Path.Combine(_root, "elsewhere");
        TestImages.Solid(Path.Combine(elsewhere, "x.png"), 4, 4, SKColors.Green);
        string data = Path.Combine(_root, "data");
        TestImages.Solid(Path.Combine(data, "cats", "a.png"), 4, 4, SKColors.Red);
        Directory.CreateSymbolicLink(Path.Combine(data, "cats", "more"), elsewhere);
        var gen = new ImageDataGenerator();
        Assert.That(gen.FlowFromDirectory(data, targetSize: (4, 4)).Samples, Is.EqualTo(1));
        var followed = gen.FlowFromDirectory(data, targetSize: (4, 4), followLinks: true);
        Assert.That(followed.Filenames, Is.EqualTo(new[] { "cats/a.png", "cats/more/x.png" }));
    }

    [Test]
    public void NonAsciiNamesWork()
    {
        TestImages.Solid(Path.Combine(_root, "chats", "chat_été_猫.png"), 6, 6, new SKColor(10, 20, 30));
        var it = new ImageDataGenerator().FlowFromDirectory(_root, targetSize: (2, 2));
        Assert.That(it.Filenames, Is.EqualTo(new[] { "chats/chat_été_猫.png" }));
        Assert.That(it.Single().x[0, 0, 0].data<float>().ToArray(), Is.EqualTo(new float[] { 10, 20, 30 }));
    }

    [Test]
    public void GrayscaleAndRgbaColorModes()
    {
        TestImages.Solid(Path.Combine(_root, "c", "a.png"), 6, 6, new SKColor(200, 100, 50));
        var gen = new ImageDataGenerator();
        var gray = gen.FlowFromDirectory(_root, targetSize: (3, 3), colorMode: "grayscale").Single().x;
        Assert.That(gray.shape, Is.EqualTo(new long[] { 1, 3, 3, 1 }));
        Assert.That(gray[0, 0, 0, 0].item<float>(), Is.EqualTo(124));
        var rgba = gen.FlowFromDirectory(_root, targetSize: (3, 3), colorMode: "rgba").Single().x;
        Assert.That(rgba[0, 1, 1].data<float>().ToArray(), Is.EqualTo(new float[] { 200, 100, 50, 255 }));
    }

    [Test]
    public void AbandoningAPassMidwayReleasesTheLoader()
    {
        var it = new ImageDataGenerator().FlowFromDirectory(CatsAndDogs(), targetSize: (4, 4), batchSize: 1);
        using (var e = it.GetEnumerator())
            Assert.That(e.MoveNext(), Is.True);   // Dispose must stop the prefetch thread, not hang
        Assert.That(it.Count(), Is.EqualTo(5));
    }

    [Test]
    public void PreprocessingFunctionRunsBeforeRescaleAsInKeras()
    {
        TestImages.Solid(Path.Combine(_root, "c", "a.png"), 4, 4, new SKColor(255, 0, 0));
        var gen = new ImageDataGenerator(rescale: 0.5f, preprocessingFunction: t => t + 10);
        var x = gen.FlowFromDirectory(_root, targetSize: (2, 2)).Single().x;
        Assert.That(x[0, 0, 0].data<float>().ToArray(), Is.EqualTo(new float[] { 132.5f, 5, 5 }));
    }

    [Test]
    public void FitTrainsEndToEndOnADirectory()
    {
        for (int i = 0; i < 6; i++)
        {
            TestImages.Solid(Path.Combine(_root, "cats", $"c{i}.png"), 12, 12, new SKColor(250, (byte)(i * 5), 0));
            TestImages.Solid(Path.Combine(_root, "dogs", $"d{i}.jpg"), 12, 12, new SKColor(0, (byte)(i * 5), 250), SKEncodedImageFormat.Jpeg);
        }
        var train = new ImageDataGenerator(rescale: 1f / 255, horizontalFlip: true, rotationRange: 10)
            .FlowFromDirectory(_root, targetSize: (8, 8), batchSize: 4, classMode: ClassMode.Binary, seed: 0);
        var model = new Sequential.SequentialModel(new Sequential.Layers.Flatten(inputShape: [8, 8, 3]),
            new Sequential.Layers.Dense(1, activation: "sigmoid"));
        model.Compile(optimizer: "adam", loss: "binary_crossentropy", metrics: ["accuracy"], device: "cpu");
        var history = model.Fit(train, epochs: 2, stepsPerEpoch: 4, verbose: 0);
        Assert.That(history["loss"], Has.Count.EqualTo(2));
        Assert.That(history["loss"].All(double.IsFinite), Is.True);
        Assert.That(history["accuracy"][1], Is.InRange(0.0, 1.0));
    }

    [Test]
    public void FitOnImagesOfAnotherSize_NamesTheLayerAndBothShapes()
    {
        for (int i = 0; i < 2; i++)
        {
            TestImages.Solid(Path.Combine(_root, "cats", $"c{i}.png"), 12, 12, new SKColor(250, 0, 0));
            TestImages.Solid(Path.Combine(_root, "dogs", $"d{i}.png"), 12, 12, new SKColor(0, 0, 250));
        }
        var train = new ImageDataGenerator(rescale: 1f / 255)
            .FlowFromDirectory(_root, targetSize: (32, 32), batchSize: 2, classMode: ClassMode.Binary);
        var model = new Sequential.SequentialModel(new Sequential.Layers.Flatten(inputShape: [28, 28, 3]),
            new Sequential.Layers.Dense(1, activation: "sigmoid"));
        model.Compile(optimizer: "adam", loss: "binary_crossentropy", device: "cpu");
        var e = Assert.Throws<ArgumentException>(() => model.Fit(train, epochs: 1, verbose: 0));
        Assert.That(e!.Message, Does.Contain("\"flatten\"").And.Contain("(None, 28, 28, 3)").And.Contain("(None, 32, 32, 3)"));
    }

    /// <summary>Runs <paramref name="action"/> with standard error captured; returns what was written there.</summary>
    private static string StdErr(Action action)
    {
        var errors = new StringWriter();
        var saved = Console.Error;
        Console.SetError(errors);
        try
        {
            action();
        }
        finally
        {
            Console.SetError(saved);
        }
        return errors.ToString();
    }

    [Test]
    public void HeaderBombsAreSkippedOrRaisedAsOnInvalidImageSays()
    {
        // Under 1 KB each; the old code died with SIGSEGV on either (reproduced by hand, not in this process).
        TestImages.Solid(Path.Combine(_root, "cats", "ok.png"), 4, 4, SKColors.Red);
        File.WriteAllBytes(Path.Combine(_root, "cats", "bomb.png"), TestImages.PngClaiming(65536, 16385));
        File.WriteAllBytes(Path.Combine(_root, "cats", "bomb.bmp"), TestImages.BmpClaiming(65535, 16385));
        TestImages.Solid(Path.Combine(_root, "dogs", "ok.png"), 4, 4, SKColors.Blue);
        var gen = new ImageDataGenerator();

        var skip = gen.FlowFromDirectory(_root, targetSize: (4, 4), shuffle: false);
        Assert.That(skip.MaxImagePixels, Is.EqualTo(89_478_485));
        List<long> sizes = [];
        string log = StdErr(() => sizes = skip.Select(b => b.x.shape[0]).ToList());
        Assert.That(sizes, Is.EqualTo(new long[] { 2 }));
        Assert.That(skip.InvalidFiles, Is.EquivalentTo(new[] { "cats/bomb.png", "cats/bomb.bmp" }));
        Assert.That(log, Does.Contain("cats/bomb.png (its header claims 65536x16385 = 1,073,807,360 pixels, more than maxImagePixels (89,478,485)")
            .And.Contain("cats/bomb.bmp (its header claims 65535x16385 = 1,073,790,975 pixels"));

        File.Delete(Path.Combine(_root, "cats", "bomb.bmp"));
        var raise = gen.FlowFromDirectory(_root, targetSize: (4, 4), onInvalidImage: "error");
        var e = Assert.Throws<InvalidDataException>(() => raise.ToList())!;
        Assert.That(e.Message, Does.Contain(Path.Combine(_root, "cats", "bomb.png")).And.Contain("65536x16385")
            .And.Contain("pass a larger maxImagePixels to FlowFromDirectory"));
    }

    [Test]
    public void MaxImagePixelsAndMaxFileBytesAreOptions()
    {
        string path = TestImages.Solid(Path.Combine(_root, "c", "a.png"), 20, 10, SKColors.Red);
        long size = new FileInfo(path).Length;
        var gen = new ImageDataGenerator();
        DirectoryIterator Flow(long pixels, long bytes) => gen.FlowFromDirectory(_root, targetSize: (2, 2), onInvalidImage: "error",
            maxImagePixels: pixels, maxFileBytes: bytes);

        Assert.That(Flow(200, size).Single().x.shape[0], Is.EqualTo(1));
        var pixels = Assert.Throws<InvalidDataException>(() => Flow(199, size).ToList())!;
        Assert.That(pixels.Message, Does.Contain("20x10 = 200 pixels, more than maxImagePixels (199)"));
        var bytes = Assert.Throws<InvalidDataException>(() => Flow(200, size - 1).ToList())!;
        Assert.That(bytes.Message, Does.Contain($"is {size:N0} bytes, more than maxFileBytes ({size - 1:N0} bytes)"));
        Assert.That(Flow(7, 8).MaxFileBytes, Is.EqualTo(8));

        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => Flow(0, 8))!.ParamName, Is.EqualTo("maxImagePixels"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => Flow(536_870_912, 8))!.Message, Does.Contain("536870911"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => Flow(8, 1L << 31))!.ParamName, Is.EqualTo("maxFileBytes"));
    }

    [Test]
    public void FifoAndLinkToDevZeroNamedLikeImagesAreSkippedNotHung()
    {
        TestImages.Solid(Path.Combine(_root, "c", "ok.png"), 4, 4, SKColors.Red);
        string fifo = Path.Combine(_root, "c", "fifo.png");
        if (!TestImages.MakeFifo(fifo) || !File.Exists("/dev/zero"))
            Assert.Ignore("no FIFOs or /dev/zero on this platform");
        File.CreateSymbolicLink(Path.Combine(_root, "c", "zero.png"), "/dev/zero");
        var it = new ImageDataGenerator().FlowFromDirectory(_root, targetSize: (4, 4));
        it.Workers = 1;   // so a regression reading /dev/zero costs one 2 GB array, not one per core
        Assert.That(it.Samples, Is.EqualTo(3));

        // The old code blocked for ever opening the FIFO (and ran /dev/zero out of memory).
        string log = TestImages.WithoutHanging(fifo, () => StdErr(() => Assert.That(it.Single().x.shape[0], Is.EqualTo(1))));
        Assert.That(it.InvalidFiles, Is.EquivalentTo(new[] { "c/fifo.png", "c/zero.png" }));
        if (OperatingSystem.IsLinux())
            Assert.That(log, Does.Contain("c/fifo.png (is not a regular file (it is a FIFO); only regular files are read)")
                .And.Contain("c/zero.png (is not a regular file (it is a character device)"));
    }

    [Test]
    public void LinkToAParentFolderIsNotFollowed()
    {
        // The old walk followed a/up -> .. again and again: 246 samples from 6 files, b's files labelled a.
        for (int i = 0; i < 3; i++)
        {
            TestImages.Solid(Path.Combine(_root, "a", $"{i}.png"), 2, 2, SKColors.Red);
            TestImages.Solid(Path.Combine(_root, "b", $"{i}.png"), 2, 2, SKColors.Blue);
        }
        Directory.CreateSymbolicLink(Path.Combine(_root, "a", "up"), "..");
        DirectoryIterator it = null!;
        string log = StdErr(() => it = new ImageDataGenerator().FlowFromDirectory(_root, targetSize: (2, 2), followLinks: true));
        Assert.That(it.Filenames, Is.EqualTo(new[] { "a/0.png", "a/1.png", "a/2.png", "b/0.png", "b/1.png", "b/2.png" }));
        Assert.That(it.Classes, Is.EqualTo(new[] { 0, 0, 0, 1, 1, 1 }));
        Assert.That(log, Does.Contain($"not following the link '{Path.Combine(_root, "a", "up")}': it leads back to")
            .And.Contain("the class folder or a folder above it (a cycle)"));
    }

    [Test]
    public void LinkIntoAnotherClassIsNotFollowed()
    {
        TestImages.Solid(Path.Combine(_root, "a", "x.png"), 2, 2, SKColors.Red);
        TestImages.Solid(Path.Combine(_root, "b", "sub", "y.png"), 2, 2, SKColors.Blue);
        Directory.CreateSymbolicLink(Path.Combine(_root, "a", "all_b"), Path.Combine(_root, "b"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "a", "some_b"), Path.Combine("..", "b", "sub"));
        DirectoryIterator it = null!;
        string log = StdErr(() => it = new ImageDataGenerator().FlowFromDirectory(_root, targetSize: (2, 2), followLinks: true));
        Assert.That(it.Filenames, Is.EqualTo(new[] { "a/x.png", "b/sub/y.png" }));
        Assert.That(it.Classes, Is.EqualTo(new[] { 0, 1 }));
        Assert.That(log, Does.Contain($"'{Path.Combine(_root, "a", "some_b")}': it leads to '")
            .And.Contain("but outside this class's folder, so its images would be counted under the wrong class"));
    }

    [Test]
    public void LinksOutsideAreFollowedOnceAndLinksBackFromThereAreNot()
    {
        string outside = Path.Combine(_root, "outside");
        TestImages.Solid(Path.Combine(outside, "x.png"), 2, 2, SKColors.Green);
        Directory.CreateSymbolicLink(Path.Combine(outside, "self"), ".");
        string data = Path.Combine(_root, "data");
        TestImages.Solid(Path.Combine(data, "a", "y.png"), 2, 2, SKColors.Red);
        TestImages.Solid(Path.Combine(data, "b", "z.png"), 2, 2, SKColors.Blue);
        Directory.CreateSymbolicLink(Path.Combine(outside, "back"), data);
        Directory.CreateSymbolicLink(Path.Combine(data, "a", "ext"), outside);
        Directory.CreateSymbolicLink(Path.Combine(data, "a", "ext2"), outside);
        DirectoryIterator it = null!;
        string log = StdErr(() => it = new ImageDataGenerator().FlowFromDirectory(data, targetSize: (2, 2), followLinks: true));
        Assert.That(it.Filenames, Is.EqualTo(new[] { "a/y.png", "a/ext/x.png", "b/z.png" }));   // Keras: folders sorted, then files
        Assert.That(it.Classes, Is.EqualTo(new[] { 0, 0, 1 }));
        Assert.That(log, Does.Contain($"'{Path.Combine(data, "a", "ext", "back")}': it leads back to"));
    }

    [Test]
    public void FolderAlsoReachedByALinkKeepsItsOwnName()
    {
        TestImages.Solid(Path.Combine(_root, "a", "sub", "x.png"), 2, 2, SKColors.Red);
        Directory.CreateSymbolicLink(Path.Combine(_root, "a", "0alias"), "sub");
        var it = new ImageDataGenerator().FlowFromDirectory(_root, targetSize: (2, 2), followLinks: true);
        Assert.That(it.Filenames, Is.EqualTo(new[] { "a/sub/x.png" }));
    }
}
