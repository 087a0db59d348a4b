using static Sequential.Data.Tests.Datasets.NumpyTestFiles;

namespace Sequential.Data.Tests.Datasets;

public sealed class Cifar100Tests
{
    private DatasetEnvironment _environment = null!;

    [SetUp]
    public void Isolate() => _environment = new DatasetEnvironment();

    [TearDown]
    public void Restore() => _environment.Dispose();

    private static long Fine(int n) => (n * 37) % 100;

    private static long Coarse(int n) => (n * 37) % 100 / 5;

    /// <summary>Writes train (4 images) and test (2 images) with fine and coarse labels.</summary>
    private static void WriteFiles(string folder, bool binary)
    {
        foreach (var (name, first, count) in new[] { ("train", 0, 4), ("test", 4, 2) })
        {
            long[] fine = [.. Enumerable.Range(first, count).Select(Fine)];
            long[] coarse = [.. Enumerable.Range(first, count).Select(Coarse)];
            byte[] pixels = Cifar10Tests.Pixels(first, count);
            if (binary) Write(folder, name + ".bin", CifarBinary(pixels, coarse, fine));
            else Write(folder, name, CifarPickle(pixels, [("fine_labels", fine), ("coarse_labels", coarse)]));
        }
    }

    [TestCase("fine", false)]
    [TestCase("coarse", false)]
    [TestCase("fine", true)]
    [TestCase("coarse", true)]
    public void LoadData_LabelMode_PicksFineOrCoarseLabels(string labelMode, bool binary)
    {
        string folder = Path.Combine(_environment.Root, "extracted");
        WriteFiles(Path.Combine(folder, binary ? "cifar-100-binary" : "cifar-100-python"), binary);
        Func<int, long> label = labelMode == "fine" ? Fine : Coarse;

        var ((xTrain, yTrain), (xTest, yTest)) = Cifar100.LoadData(labelMode, folder);
        using (xTrain) using (yTrain) using (xTest) using (yTest)
        {
            Assert.That(xTrain.shape, Is.EqualTo(new long[] { 4, 32, 32, 3 }));
            Assert.That(yTrain.shape, Is.EqualTo(new long[] { 4, 1 }));
            Assert.That(yTrain.data<long>().ToArray(), Is.EqualTo(Enumerable.Range(0, 4).Select(label).ToArray()));
            Assert.That(yTest.data<long>().ToArray(), Is.EqualTo(Enumerable.Range(4, 2).Select(label).ToArray()));
            Assert.That(xTest[1, 7, 3, 2].item<byte>(), Is.EqualTo(Cifar10Tests.Pixel(5, 2, 7, 3)));
        }
    }

    [Test]
    public void LoadData_KerasCacheLayout_IsFoundThroughTheDatasetsVariable()
    {
        string root = _environment.UseDatasetsVariable();
        WriteFiles(Path.Combine(root, "cifar100", "cifar-100-python-target", "cifar-100-python"), binary: false);

        var ((xTrain, yTrain), (xTest, yTest)) = Cifar100.LoadData();
        using (xTrain) using (yTrain) using (xTest) using (yTest)
            Assert.That(yTest.data<long>().ToArray(), Is.EqualTo(new[] { Fine(4), Fine(5) }));
    }

    [Test]
    public void LoadData_UnknownLabelMode_ThrowsKerasMessage()
    {
        var e = Assert.Throws<ArgumentException>(() => Cifar100.LoadData("medium"))!;
        Assert.That(e.ParamName, Is.EqualTo("labelMode"));
        Assert.That(e.Message, Does.Contain("must be one of \"fine\", \"coarse\". Received: labelMode=medium."));
    }

    [Test]
    public void LoadData_Cifar10BinaryRecordsInPlaceOfCifar100_AreRejected()
    {
        string folder = Path.Combine(_environment.Root, "mixed");
        Write(folder, "train.bin", CifarBinary(Cifar10Tests.Pixels(0, 3), [1, 2, 3]));   // 3073-byte records
        Write(folder, "test.bin", CifarBinary(Cifar10Tests.Pixels(0, 1), [1], [2]));

        var e = Assert.Throws<InvalidDataException>(() => Cifar100.LoadData(directory: folder))!;

        Assert.That(e.Message, Does.Contain("train.bin' has 9219 bytes, not a whole number of 3074-byte records")
            .And.Contain("a CIFAR-100 file"));
    }

    [Test]
    public void LoadData_NotFound_GivesKerasUrlAndHash()
    {
        var e = Assert.Throws<FileNotFoundException>(() => Cifar100.LoadData())!;
        Assert.That(e.Message, Does.Contain("cifar-100-python.tar.gz")
            .And.Contain("85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7"));
    }
}
