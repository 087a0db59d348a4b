using TorchSharp;
using static Sequential.Data.Tests.Datasets.IdxTestFiles;

namespace Sequential.Data.Tests.Datasets;

/// <summary>Search order, explicit folders and cross-file checks, through the public LoadData methods.</summary>
public sealed class IdxDatasetTests
{
    private DatasetEnvironment _environment = null!;

    [SetUp]
    public void IsolateFromUserFolders() => _environment = new DatasetEnvironment();

    [TearDown]
    public void Restore() => _environment.Dispose();

    private string Folder(string name) => Path.Combine(_environment.Root, name);

    [TestCase(true)]
    [TestCase(false)]
    public void LoadData_GivenDirectory_ReadsItsFiles(bool gzip)
    {
        WriteDataset(Folder("given"), train: 12, test: 5, gzip);

        var ((xTrain, yTrain), (xTest, yTest)) = Mnist.LoadData(out string source, Folder("given"));
        using (xTrain) using (yTrain) using (xTest) using (yTest)
        {
            Assert.That(source, Is.EqualTo(Folder("given")));
            Assert.That(xTrain.shape, Is.EqualTo(new long[] { 12, 28, 28 }));
            Assert.That(xTest.shape, Is.EqualTo(new long[] { 5, 28, 28 }));
            Assert.That(yTrain.dtype, Is.EqualTo(torch.ScalarType.Int64));
            Assert.That(yTrain.data<long>().ToArray(), Is.EqualTo(new long[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1 }));
            Assert.That(xTrain.data<byte>().ToArray(), Is.EqualTo(Pixels(12 * 784, seed: 1 + 12)));
        }
    }

    [Test]
    public void LoadData_GivenDirectoryMissingAFile_ThrowsAndDoesNotFallBack()
    {
        WriteDataset(Folder("partial"), train: 3, test: 2, gzip: true);
        File.Delete(Path.Combine(Folder("partial"), "t10k-labels-idx1-ubyte.gz"));

        var e = Assert.Throws<FileNotFoundException>(() => Mnist.LoadData(Folder("partial")));

        Assert.That(e!.Message, Does.Contain(Folder("partial")).And.Contain("t10k-labels-idx1-ubyte"));
        Assert.That(e.Message, Does.Not.Contain("train-images-idx3-ubyte,"));   // only the missing one is listed
    }

    [Test]
    public void LoadData_GivenDirectoryThatDoesNotExist_Throws()
    {
        var e = Assert.Throws<FileNotFoundException>(() => FashionMnist.LoadData(Folder("nowhere")));
        Assert.That(e!.Message, Does.Contain(Folder("nowhere")).And.Contain("does not exist"));
    }

    [Test]
    public void LoadData_MixedRawAndGzippedFiles_AreAccepted()
    {
        WriteDataset(Folder("mixed"), train: 4, test: 2, gzip: false);
        string labels = Path.Combine(Folder("mixed"), "train-labels-idx1-ubyte");
        File.WriteAllBytes(labels + ".gz", Gzip(File.ReadAllBytes(labels)));
        File.Delete(labels);

        var ((xTrain, yTrain), (xTest, yTest)) = Mnist.LoadData(Folder("mixed"));
        using (xTrain) using (yTrain) using (xTest) using (yTest)
            Assert.That(yTrain.data<long>().ToArray(), Is.EqualTo(new long[] { 0, 1, 2, 3 }));
    }

    [Test]
    public void LoadData_ImageAndLabelCountsDiffer_NamesBothFilesAndCounts()
    {
        WriteDataset(Folder("uneven"), train: 6, test: 2, gzip: false);
        Write(Path.Combine(Folder("uneven"), "train-labels-idx1-ubyte"), Idx([1, 2, 3, 4, 5], 5), gzip: false);

        var e = Assert.Throws<InvalidDataException>(() => Mnist.LoadData(Folder("uneven")));

        Assert.That(e!.Message, Does.Contain("train-images-idx3-ubyte").And.Contain("train-labels-idx1-ubyte"));
        Assert.That(e.Message, Does.Contain("6 images").And.Contain("5 labels"));
    }

    [Test]
    public void LoadData_ImagesInPlaceOfLabels_ExpectsTheLabelHeader()
    {
        WriteDataset(Folder("swapped"), train: 2, test: 2, gzip: false);
        File.Copy(Path.Combine(Folder("swapped"), "t10k-images-idx3-ubyte"),
            Path.Combine(Folder("swapped"), "t10k-labels-idx1-ubyte"), overwrite: true);

        var e = Assert.Throws<InvalidDataException>(() => Mnist.LoadData(Folder("swapped")));

        Assert.That(e!.Message, Does.Contain("t10k-labels-idx1-ubyte").And.Contain("00000803").And.Contain("0x00000801"));
    }

    [Test]
    public void LoadData_DatasetsVariable_ComesBeforeHomeAndShippedSubset()
    {
        string root = _environment.UseDatasetsVariable();
        WriteDataset(Path.Combine(root, "mnist"), train: 3, test: 2, gzip: true);
        WriteDataset(Path.Combine(_environment.Home, ".sequential", "datasets", "mnist"), train: 4, test: 2, gzip: true);

        var ((xTrain, yTrain), (xTest, yTest)) = Mnist.LoadData(out string source);
        using (xTrain) using (yTrain) using (xTest) using (yTest)
        {
            Assert.That(source, Is.EqualTo(Path.Combine(root, "mnist")));
            Assert.That(xTrain.shape[0], Is.EqualTo(3));
        }
    }

    [Test]
    public void LoadData_HomeFolder_ComesBeforeShippedSubset()
    {
        string home = Path.Combine(_environment.Home, ".sequential", "datasets", "mnist");
        WriteDataset(home, train: 4, test: 2, gzip: false);

        var ((xTrain, yTrain), (xTest, yTest)) = Mnist.LoadData(out string source);
        using (xTrain) using (yTrain) using (xTest) using (yTest)
        {
            Assert.That(source, Is.EqualTo(home));
            Assert.That(xTrain.shape[0], Is.EqualTo(4));
        }
    }

    [Test]
    public void LoadData_HalfFilledSearchFolder_IsAnErrorNotSkipped()
    {
        string home = Path.Combine(_environment.Home, ".sequential", "datasets", "mnist");
        WriteDataset(home, train: 4, test: 2, gzip: false);
        File.Delete(Path.Combine(home, "train-images-idx3-ubyte"));

        var e = Assert.Throws<FileNotFoundException>(() => Mnist.LoadData());

        Assert.That(e!.Message, Does.Contain(home).And.Contain("train-images-idx3-ubyte"));
    }

    [Test]
    public void Load_NothingFound_NamesEveryPlaceAndHowToGetIt()
    {
        string root = _environment.UseDatasetsVariable();
        var dataset = new IdxDataset.Description("Demo", "demo", [Folder("system")], EmbeddedPrefix: null,
            HowToGet: "Download it from example.org.");

        var e = Assert.Throws<FileNotFoundException>(() => IdxDataset.Load(dataset, null, "", out _));

        Assert.That(e!.Message, Does.Contain(Path.Combine(root, "demo")));
        Assert.That(e.Message, Does.Contain(Path.Combine(_environment.Home, ".sequential", "datasets", "demo")));
        Assert.That(e.Message, Does.Contain(Folder("system")));
        Assert.That(e.Message, Does.Contain("Download it from example.org."));
    }

    [Test]
    public void FashionMnist_NotFound_MessageSaysHowToInstall()
    {
        Assume.That(Directory.Exists(FashionMnist.DebianPackageFolder), Is.False,
            "the Debian package is installed here, so Fashion-MNIST is always found");

        var e = Assert.Throws<FileNotFoundException>(() => FashionMnist.LoadData());

        Assert.That(e!.Message, Does.Contain(FashionMnist.DebianPackageFolder).And.Contain("dataset-fashion-mnist"));
    }
}
