using TorchSharp;
using static Sequential.Data.Tests.Datasets.NumpyTestFiles;

namespace Sequential.Data.Tests.Datasets;

/// <summary>
/// CIFAR-10 from small batches in its real formats: the pickled dictionaries of <c>cifar-10-python.tar.gz</c> (as
/// cPickle protocol 2 wrote them on Python 2, and as Python 3 re-pickles them) and the binary records.
/// </summary>
public sealed class Cifar10Tests
{
    private static readonly string[] BatchNames = ["data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5", "test_batch"];

    private DatasetEnvironment _environment = null!;

    [SetUp]
    public void Isolate() => _environment = new DatasetEnvironment();

    [TearDown]
    public void Restore() => _environment.Dispose();

    /// <summary>Channel-first value of pixel (c, h, w) of global image n.</summary>
    internal static byte Pixel(int n, int c, int h, int w) => (byte)((n * 7 + c * 50 + h * 3 + w) % 256);

    /// <summary>Images <paramref name="first"/> to <paramref name="first"/> + count - 1, channel-first as CIFAR stores them.</summary>
    internal static byte[] Pixels(int first, int count)
    {
        var pixels = new byte[count * 3072];
        for (int n = 0; n < count; n++)
            for (int c = 0; c < 3; c++)
                for (int h = 0; h < 32; h++)
                    for (int w = 0; w < 32; w++)
                        pixels[n * 3072 + c * 1024 + h * 32 + w] = Pixel(first + n, c, h, w);
        return pixels;
    }

    private static long Label(int n) => (n * 3) % 10;

    /// <summary>Five training batches of two images and a test batch of three; image n has label (3n) % 10.</summary>
    private static void WriteBatches(string folder, bool binary = false, bool python2 = true)
    {
        for (int b = 0; b < 6; b++)
        {
            int first = 2 * b, count = b < 5 ? 2 : 3;
            long[] labels = [.. Enumerable.Range(first, count).Select(Label)];
            byte[] file = binary
                ? CifarBinary(Pixels(first, count), labels)
                : CifarPickle(Pixels(first, count), [("labels", labels)], python2);
            Write(folder, BatchNames[b] + (binary ? ".bin" : ""), file);
        }
    }

    private static void AssertImages(torch.Tensor x, int first, int count)
    {
        Assert.That(x.dtype, Is.EqualTo(torch.ScalarType.Byte));
        Assert.That(x.shape, Is.EqualTo(new long[] { count, 32, 32, 3 }));
        var values = x.data<byte>().ToArray();
        for (int n = 0; n < count; n++)
            foreach (var (h, w) in new[] { (0, 0), (0, 31), (5, 9), (31, 0), (31, 31) })
                for (int c = 0; c < 3; c++)
                    Assert.That(values[((n * 32 + h) * 32 + w) * 3 + c], Is.EqualTo(Pixel(first + n, c, h, w)), $"image {n} ({h}, {w}, {c})");
    }

    private static void AssertLabels(torch.Tensor y, int first, int count)
    {
        Assert.That(y.dtype, Is.EqualTo(torch.ScalarType.Int64));
        Assert.That(y.shape, Is.EqualTo(new long[] { count, 1 }));
        Assert.That(y.data<long>().ToArray(), Is.EqualTo(Enumerable.Range(first, count).Select(Label).ToArray()));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void LoadData_ExtractedPythonTarball_GivesChannelsLastImagesAndLabels(bool python2)
    {
        string folder = Path.Combine(_environment.Root, "extracted");
        WriteBatches(Path.Combine(folder, "cifar-10-batches-py"), python2: python2);

        var ((xTrain, yTrain), (xTest, yTest)) = Cifar10.LoadData(folder);
        using (xTrain) using (yTrain) using (xTest) using (yTest)
        {
            AssertImages(xTrain, 0, 10);
            AssertLabels(yTrain, 0, 10);
            AssertImages(xTest, 10, 3);
            AssertLabels(yTest, 10, 3);
        }
    }

    [Test]
    public void LoadData_KerasCacheLayoutInTheUsersFolder_IsFound()
    {
        WriteBatches(Path.Combine(_environment.Home, ".sequential", "datasets", "cifar10", "cifar-10-batches-py-target", "cifar-10-batches-py"));

        var ((xTrain, yTrain), (xTest, yTest)) = Cifar10.LoadData();
        using (xTrain) using (yTrain) using (xTest) using (yTest)
            AssertLabels(yTest, 10, 3);
    }

    [Test]
    public void LoadData_BinaryVersion_GivesTheSameArrays()
    {
        string folder = Path.Combine(_environment.Root, "bin");
        WriteBatches(Path.Combine(folder, "cifar-10-batches-bin"), binary: true);

        var ((xTrain, yTrain), (xTest, yTest)) = Cifar10.LoadData(folder);
        using (xTrain) using (yTrain) using (xTest) using (yTest)
        {
            AssertImages(xTrain, 0, 10);
            AssertLabels(yTrain, 0, 10);
            AssertImages(xTest, 10, 3);
        }
    }

    [Test]
    public void LoadData_FolderMissingTheTestBatch_NamesIt()
    {
        string folder = Path.Combine(_environment.Root, "partial");
        WriteBatches(folder);
        File.Delete(Path.Combine(folder, "test_batch"));

        var e = Assert.Throws<FileNotFoundException>(() => Cifar10.LoadData(folder))!;

        Assert.That(e.Message, Does.Contain(folder).And.Contain("lacks test_batch"));
    }

    [Test]
    public void LoadData_NotFound_SaysWhatKerasDownloadsAndHowToExtract()
    {
        var e = Assert.Throws<FileNotFoundException>(() => Cifar10.LoadData())!;

        Assert.That(e.Message, Does.Contain("CIFAR-10 was not found").And.Contain("cifar-10-batches-py/data_batch_1"));
        Assert.That(e.Message, Does.Contain("https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz")
            .And.Contain("sha256 6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce")
            .And.Contain("tar xzf cifar-10-python.tar.gz -C ~/.sequential/datasets/cifar10"));
    }

    [Test]
    public void LoadData_FileInsteadOfFolder_AsksForTheFolder()
    {
        string file = Write(_environment.Root, "cifar-10-python.tar.gz", [0x1F, 0x8B]);
        var e = Assert.Throws<FileNotFoundException>(() => Cifar10.LoadData(file))!;
        Assert.That(e.Message, Does.Contain(file).And.Contain("is a file, but the loader needs the folder"));
    }

    [Test]
    public void LoadData_Cifar100FilesRenamed_NameTheMissingKey()
    {
        string folder = Path.Combine(_environment.Root, "wrong");
        WriteBatches(folder);
        Write(folder, "test_batch", CifarPickle(Pixels(0, 1), [("fine_labels", [5]), ("coarse_labels", [1])]));

        var e = Assert.Throws<InvalidDataException>(() => Cifar10.LoadData(folder))!;

        Assert.That(e.Message, Does.Contain("test_batch' has no 'labels' entry").And.Contain("fine_labels")
            .And.Contain("a CIFAR-10 batch"));
    }

    [Test]
    public void LoadData_LabelOutsideTenClasses_IsRejected()
    {
        string folder = Path.Combine(_environment.Root, "labels");
        WriteBatches(folder);
        Write(folder, "data_batch_3", CifarPickle(Pixels(0, 1), [("labels", [42])]));

        var e = Assert.Throws<InvalidDataException>(() => Cifar10.LoadData(folder))!;

        Assert.That(e.Message, Does.Contain("data_batch_3': 'labels' holds 42 for image 0, outside the 10 classes"));
    }

    [Test]
    public void LoadData_TruncatedBinaryBatch_IsRejected()
    {
        string folder = Path.Combine(_environment.Root, "cut");
        WriteBatches(folder, binary: true);
        string batch = Path.Combine(folder, "data_batch_2.bin");
        File.WriteAllBytes(batch, File.ReadAllBytes(batch)[..5000]);

        var e = Assert.Throws<InvalidDataException>(() => Cifar10.LoadData(folder))!;

        Assert.That(e.Message, Does.Contain(batch).And.Contain("5000 bytes, not a whole number of 3073-byte records"));
    }

    [Test]
    public void LoadData_TruncatedPickleBatch_IsRejected()
    {
        string folder = Path.Combine(_environment.Root, "cut");
        WriteBatches(folder);
        string batch = Path.Combine(folder, "data_batch_4");
        File.WriteAllBytes(batch, File.ReadAllBytes(batch)[..3000]);

        var e = Assert.Throws<InvalidDataException>(() => Cifar10.LoadData(folder))!;

        Assert.That(e.Message, Does.Contain(batch).And.Contain("truncated"));
    }

    [Test]
    public void LoadData_PickleGadgetInABatch_IsRefused()
    {
        string folder = Path.Combine(_environment.Root, "evil");
        WriteBatches(folder);
        string batch = Write(folder, "data_batch_1",
            PickleBuilder.Start(2, python2: true).Global("os", "system").Text("rm -rf ~").Tuple(1).Op('R').Stop());

        var e = Assert.Throws<InvalidDataException>(() => Cifar10.LoadData(folder))!;

        Assert.That(e.Message, Does.Contain(batch).And.Contain("'os.system'"));
    }

    [Test]
    public void LoadData_LabelsThatAreAnArrayNeverFilled_AreRejected()
    {
        string folder = Path.Combine(_environment.Root, "unfilled");
        WriteBatches(folder);
        var pickle = PickleBuilder.Start().Op('}').Put().Op('(')
            .Text("data").Array("u1", '|', [1, 3072], b => b.Bytes(new byte[3072]))
            .Text("labels").Global("numpy.core.multiarray", "_reconstruct").Global("numpy", "ndarray").Int(0).Tuple(1)
            .Bytes("b"u8.ToArray()).Tuple(3).Op('R').Op('u').Stop();
        string batch = Write(folder, "data_batch_2", pickle);

        var e = Assert.Throws<InvalidDataException>(() => Cifar10.LoadData(folder))!;

        Assert.That(e.Message, Does.Contain($"'{batch}': 'labels' is not a list of integers"));
    }

    [Test]
    public void LoadData_ColumnMajorData_IsRejected()
    {
        string folder = Path.Combine(_environment.Root, "fortran");
        WriteBatches(folder);
        var pickle = PickleBuilder.Start().Op('}').Put().Op('(')
            .Text("data").Array("u1", '|', [2, 3072], b => b.Bytes(new byte[6144]), fortranOrder: true)
            .Text("labels").IntList([1, 2]).Op('u').Stop();
        string batch = Write(folder, "data_batch_1", pickle);

        var e = Assert.Throws<InvalidDataException>(() => Cifar10.LoadData(folder))!;

        Assert.That(e.Message, Does.Contain(batch).And.Contain("column-major"));
    }

    [Test]
    public void LoadData_NumpyTwoReconstructModule_IsAccepted()
    {
        // numpy 2 pickles _reconstruct from numpy._core.multiarray; Keras allows both spellings.
        string folder = Path.Combine(_environment.Root, "numpy2");
        WriteBatches(folder);
        var pickle = PickleBuilder.Start().Op('}').Put().Op('(')
            .Text("data").Array("u1", '|', [1, 3072], b => b.Bytes(Pixels(0, 1)), reconstructModule: "numpy._core.multiarray")
            .Text("labels").IntList([4]).Op('u').Stop();
        Write(folder, "test_batch", pickle);

        var ((xTrain, yTrain), (xTest, yTest)) = Cifar10.LoadData(folder);
        using (xTrain) using (yTrain) using (xTest) using (yTest)
        {
            AssertImages(xTest, 0, 1);
            Assert.That(yTest.data<long>().ToArray(), Is.EqualTo(new long[] { 4 }));
        }
    }

    [Test]
    public void LoadData_DataOfTheWrongShape_IsRejected()
    {
        string folder = Path.Combine(_environment.Root, "shape");
        WriteBatches(folder);
        var pickle = PickleBuilder.Start().Op('}').Put().Op('(')
            .Text("data").Array("u1", '|', [2, 100], b => b.Bytes(new byte[200]))
            .Text("labels").IntList([1, 2]).Op('u').Stop();
        Write(folder, "data_batch_5", pickle);

        var e = Assert.Throws<InvalidDataException>(() => Cifar10.LoadData(folder))!;

        Assert.That(e.Message, Does.Contain("'data' should be a uint8 array of shape (N, 3072)").And.Contain("shape (2, 100)"));
    }
}
