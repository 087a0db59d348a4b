using System.Text;
using TorchSharp;
using static Sequential.Data.Utils;
using static TorchSharp.torch;

namespace Sequential.Data.Tests;

/// <summary>Keras 3's text_dataset_utils_test.py ported (shapes, dtypes, label modes, split sizes, errors), plus Keras's
/// exact file order and split for a seed.</summary>
[NonParallelizable] // Console.Out is redirected to read Keras's "Found N files" lines.
public sealed class UtilsTextDatasetFromDirectoryTests
{
    private readonly List<string> _dirs = [];

    [TearDown]
    public void TearDown()
    {
        foreach (string dir in _dirs)
            Directory.Delete(dir, recursive: true);
        _dirs.Clear();
    }

    private string TempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "seq-txt-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        _dirs.Add(dir);
        return dir;
    }

    /// <summary>Keras's <c>_prepare_directory</c>: text files of 20 characters spread round-robin over class folders.</summary>
    private string Prepare(int numClasses = 2, int count = 16, bool nested = false, int length = 20)
    {
        string root = TempDir();
        var paths = new List<string>();
        for (int c = 0; c < numClasses; c++)
        {
            string cls = $"class_{c}";
            string[] classPaths = nested
                ? [cls, Path.Join(cls, "subfolder_1"), Path.Join(cls, "subfolder_2"), Path.Join(cls, "subfolder_1", "sub-subfolder")]
                : [cls];
            foreach (var p in classPaths) Directory.CreateDirectory(Path.Join(root, p));
            paths.AddRange(classPaths);
        }
        var random = new Random(1);
        for (int i = 0; i < count; i++)
            File.WriteAllText(Path.Join(root, paths[i % paths.Count], $"text_{i}.txt"),
                new string([.. Enumerable.Range(0, length).Select(_ => (char)random.Next('a', 'z' + 1))]));
        return root;
    }

    private static List<(StringTensor x, Tensor? y)> All(Dataset ds)
    {
        var list = new List<(StringTensor, Tensor?)>();
        foreach (var e in ds.Elements())
            list.Add((e.X.Strings, e.Y?.Tensor));
        return list;
    }

    [Test]
    public void Standalone_NoLabels_BatchesOfStrings()
    {
        string dir = Prepare(numClasses: 2, count: 10);
        Directory.CreateDirectory(Path.Join(dir, "class_0", "deeper"));
        var ds = TextDatasetFromDirectory(Path.Join(dir, "class_0"), batchSize: 5, labels: null, verbose: false);
        var batches = All(ds);
        Assert.That(batches.Select(b => b.x.Shape.ToArray()), Is.EqualTo(new[] { new long[] { 5 } }));
        Assert.That(batches[0].y, Is.Null);
        Assert.That(batches[0].x[0], Has.Length.EqualTo(20));
    }

    [Test]
    public void LabelModes_MaxLength_KerasShapesAndDtypes()
    {
        using var scope = NewDisposeScope();
        string dir = Prepare(numClasses: 2, count: 16);
        var (x, y) = All(TextDatasetFromDirectory(dir, batchSize: 8, maxLength: 10, verbose: false))[0];
        Assert.That(x.Shape, Is.EqualTo(new long[] { 8 }));
        Assert.That(x.All(t => t.Length == 10));
        Assert.That(y!.shape, Is.EqualTo(new long[] { 8 }));
        Assert.That(y.dtype, Is.EqualTo(ScalarType.Int32));
        var binary = All(TextDatasetFromDirectory(dir, batchSize: 8, labelMode: "binary", verbose: false))[0].y!;
        Assert.That(binary.shape, Is.EqualTo(new long[] { 8, 1 }));
        Assert.That(binary.dtype, Is.EqualTo(ScalarType.Float32));
        var categorical = All(TextDatasetFromDirectory(dir, batchSize: 8, labelMode: "categorical", verbose: false))[0].y!;
        Assert.That(categorical.shape, Is.EqualTo(new long[] { 8, 2 }));
        var four = Prepare(numClasses: 4, count: 15);
        Assert.That(All(TextDatasetFromDirectory(four, batchSize: 8, labelMode: null, verbose: false)).Sum(b => b.x.Count), Is.EqualTo(15));
        Assert.That(All(TextDatasetFromDirectory(four, batchSize: 8, labelMode: "categorical", verbose: false))[0].y!.shape,
            Is.EqualTo(new long[] { 8, 4 }));
    }

    [Test]
    public void ValidationSplit_SizesAsKeras_AndBoth()
    {
        string dir = Prepare(numClasses: 2, count: 10);
        string text = Quiet(() => TextDatasetFromDirectory(dir, batchSize: 10, validationSplit: 0.2, subset: "both", seed: 1337));
        Assert.That(text, Is.EqualTo(string.Join(Environment.NewLine, "Found 10 files belonging to 2 classes.", "Using 8 files for training.",
            "Using 2 files for validation.", "")));
        var (train, val) = TextDatasetFromDirectory(dir, batchSize: 10, validationSplit: 0.2, subset: "both", seed: 1337, verbose: false);
        Assert.That(All(train)[0].x.Count, Is.EqualTo(8));
        Assert.That(All(val)[0].x.Count, Is.EqualTo(2));
        Assert.That(train.FilePaths.Concat(val.FilePaths).Order(), Is.EqualTo(TextDatasetFromDirectory(dir, shuffle: false, verbose: false).FilePaths));
        Assert.That(All(TextDatasetFromDirectory(dir, batchSize: 10, validationSplit: 0.2, subset: "validation", seed: 1337, verbose: false))[0].x.Count,
            Is.EqualTo(2));
    }

    /// <summary>
    /// Keras's order: sorted paths (class folders sorted, then each class walked in sorted order; other extensions and
    /// hidden folders skipped): 0 neg/a.txt, 1 neg/b.TXT, 2 neg/sub/c.txt, 3 pos/d.txt, 4 pos/e.txt, 5 pos/f.txt, 6 pos/g.txt.
    /// numpy: <c>r = np.random.RandomState(1337); i = np.arange(7); r.shuffle(i)</c> gives [6, 2, 1, 3, 0, 4, 5]; with
    /// validation_split 0.3, int(0.3 * 7) = 2 files validate: the last two, sorted[4] and sorted[5].
    /// </summary>
    [Test]
    public void FileOrderAndSplit_AreKeras_TextsAndLabelsMatch()
    {
        string dir = TempDir();
        string[] sorted = ["neg/a.txt", "neg/b.TXT", "neg/sub/c.txt", "pos/d.txt", "pos/e.txt", "pos/f.txt", "pos/g.txt"];
        foreach (int i in new[] { 5, 0, 3, 6, 1, 4, 2 })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Join(dir, sorted[i]))!);
            File.WriteAllText(Path.Join(dir, sorted[i]), $"file {i}");
        }
        File.WriteAllText(Path.Join(dir, "neg", "skip.md"), "x");
        Directory.CreateDirectory(Path.Join(dir, ".hidden"));
        File.WriteAllText(Path.Join(dir, ".hidden", "h.txt"), "x");
        File.WriteAllText(Path.Join(dir, "top.txt"), "x");
        string P(string rel) => Path.Join(dir, rel);
        int[] numpy = [6, 2, 1, 3, 0, 4, 5];

        var (train, val) = TextDatasetFromDirectory(dir, validationSplit: 0.3, subset: "both", seed: 1337, batchSize: 2, verbose: false);
        Assert.That(train.ClassNames, Is.EqualTo(new[] { "neg", "pos" }));
        Assert.That(train.FilePaths, Is.EqualTo(numpy[..5].Select(i => P(sorted[i]))));
        Assert.That(val.FilePaths, Is.EqualTo(new[] { P(sorted[4]), P(sorted[5]) }));
        using var scope = NewDisposeScope();
        var (x, y) = All(val)[0];
        Assert.That(x.ToArray(), Is.EqualTo(new[] { "file 4", "file 5" }));
        Assert.That(y!.data<int>().ToArray(), Is.EqualTo(new[] { 1, 1 }));
        foreach (var (bx, by) in All(train))
            for (int i = 0; i < bx.Count; i++)
                Assert.That(by!.data<int>()[i], Is.EqualTo(sorted[int.Parse(bx[i][5..])].StartsWith("neg") ? 0 : 1));
    }

    [Test]
    public void ManualLabels_ClassNames_Unbatched()
    {
        string dir = Prepare(numClasses: 2, count: 2);
        using var scope = NewDisposeScope();
        Assert.That(All(TextDatasetFromDirectory(dir, batchSize: 8, labels: new[] { 0, 1 }, shuffle: false, verbose: false))[0].y!.data<int>().ToArray(),
            Is.EqualTo(new[] { 0, 1 }));
        var one = TextDatasetFromDirectory(dir, classNames: ["class_1"], shuffle: false, batchSize: null, verbose: false);
        var elements = All(one);
        Assert.That(elements, Has.Count.EqualTo(1));
        Assert.That(elements[0].x.Shape, Is.Empty);
        Assert.That(one.FilePaths, Is.EqualTo(new[] { Path.Join(dir, "class_1", "text_1.txt") }));
    }

    [Test]
    public void FollowLinks_ReadsLinkedFolders()
    {
        string dir = Prepare(numClasses: 2, count: 25, nested: true);
        string outside = TempDir();
        File.WriteAllText(Path.Join(outside, "linked.txt"), "linked");
        Directory.CreateSymbolicLink(Path.Join(dir, "class_0", "link"), outside);
        Assert.That(TextDatasetFromDirectory(dir, followLinks: true, verbose: false).FilePaths, Has.Count.EqualTo(26));
        Assert.That(TextDatasetFromDirectory(dir, followLinks: false, verbose: false).FilePaths, Has.Count.EqualTo(25));
    }

    [Test]
    public void Utf8_NonAscii_AndMaxLengthInBytes()
    {
        string dir = TempDir();
        Directory.CreateDirectory(Path.Join(dir, "a"));
        File.WriteAllBytes(Path.Join(dir, "a", "x.txt"), Encoding.UTF8.GetBytes("café 日本"));
        string Read(int? maxLength) => All(TextDatasetFromDirectory(dir, maxLength: maxLength, batchSize: null, verbose: false))[0].x.Value;
        Assert.That(Read(null), Is.EqualTo("café 日本"));
        Assert.That(Read(3), Is.EqualTo("caf"));
        // "é" is 2 bytes: 4 bytes cut it in two, as tf.strings.substr cuts bytes; the half becomes U+FFFD.
        Assert.That(Read(4), Is.EqualTo("caf\uFFFD"));
        Assert.That(Read(0), Is.EqualTo(""));
    }

    [Test]
    public void FileLargerThanMaxFileBytes_FailsThePass_NamingIt()
    {
        string dir = TempDir();
        Directory.CreateDirectory(Path.Join(dir, "a"));
        File.WriteAllText(Path.Join(dir, "a", "big.txt"), new string('x', 100));
        var ds = TextDatasetFromDirectory(dir, maxFileBytes: 99, verbose: false);
        var e = Assert.Catch(() => All(ds));
        var inner = e is InvalidDataException ? e : e!.InnerException;
        Assert.That(inner, Is.TypeOf<InvalidDataException>());
        Assert.That(inner!.Message, Does.Contain("big.txt' has 100 bytes, more than maxFileBytes (99)"));
        Assert.That(All(TextDatasetFromDirectory(dir, maxFileBytes: 99, maxLength: 10, verbose: false))[0].x[0], Is.EqualTo(new string('x', 10)));
    }

    [Test]
    public void Errors_KerasMessages()
    {
        string empty = TempDir();
        Directory.CreateDirectory(Path.Join(empty, "a"));
        var none = Assert.Throws<ArgumentException>(() => TextDatasetFromDirectory(empty, verbose: false));
        Assert.That(none!.Message, Does.StartWith($"No text files found in directory {empty}. Allowed format: .txt"));
        string dir = Prepare(numClasses: 3, count: 6);
        var binary = Assert.Throws<ArgumentException>(() => TextDatasetFromDirectory(dir, labelMode: "binary", verbose: false));
        Assert.That(binary!.Message, Does.StartWith("When passing `label_mode=\"binary\"`, there must be exactly 2 class_names."));
        var mode = Assert.Throws<ArgumentException>(() => TextDatasetFromDirectory(dir, labelMode: "other", verbose: false));
        Assert.That(mode!.Message, Does.StartWith("`label_mode` argument must be one of"));
        var seed = Assert.Throws<ArgumentException>(() => TextDatasetFromDirectory(dir, validationSplit: 0.2, subset: "training", verbose: false));
        Assert.That(seed!.Message, Does.StartWith("If using `validation_split` and shuffling the data, you must provide a `seed`"));
        var labels = Assert.Throws<ArgumentException>(() => TextDatasetFromDirectory(dir, labels: "other", verbose: false));
        Assert.That(labels!.Message, Does.Contain("only contains text samples (no labels)"));
        Assert.Throws<DirectoryNotFoundException>(() => TextDatasetFromDirectory(Path.Join(dir, "missing"), verbose: false));
    }

    private static string Quiet(Func<object> make)
    {
        var previous = Console.Out;
        var writer = new StringWriter();
        Console.SetOut(writer);
        try { make(); }
        finally { Console.SetOut(previous); }
        return writer.ToString();
    }
}
