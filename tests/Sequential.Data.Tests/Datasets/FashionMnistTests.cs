using TorchSharp;

namespace Sequential.Data.Tests.Datasets;

/// <summary>The full Fashion-MNIST from the Debian package dataset-fashion-mnist (installed by .ci/run).</summary>
public sealed class FashionMnistTests
{
    private DatasetEnvironment _environment = null!;

    [SetUp]
    public void IsolateFromUserFolders()
    {
        SystemData.Require(FashionMnist.DebianPackageFolder, "dataset-fashion-mnist");
        _environment = new DatasetEnvironment();
    }

    [TearDown]
    public void Restore() => _environment?.Dispose();

    [Test]
    public void LoadData_FromDebianPackage_FullSizes()
    {
        var ((xTrain, yTrain), (xTest, yTest)) = FashionMnist.LoadData(out string source);
        using (xTrain) using (yTrain) using (xTest) using (yTest)
        using (var trainCounts = torch.bincount(yTrain, minlength: 10))
        using (var testCounts = torch.bincount(yTest, minlength: 10))
        {
            Assert.That(source, Is.EqualTo(FashionMnist.DebianPackageFolder));
            Assert.That(xTrain.shape, Is.EqualTo(new long[] { 60000, 28, 28 }));
            Assert.That(xTest.shape, Is.EqualTo(new long[] { 10000, 28, 28 }));
            Assert.That(yTrain.dtype, Is.EqualTo(torch.ScalarType.Int64));
            Assert.That(xTrain.dtype, Is.EqualTo(torch.ScalarType.Byte));
            // Fashion-MNIST is balanced: 6,000 and 1,000 of each class.
            Assert.That(trainCounts.data<long>().ToArray(), Is.All.EqualTo(6000));
            Assert.That(testCounts.data<long>().ToArray(), Is.All.EqualTo(1000));
            Assert.That(yTrain[..10].data<long>().ToArray(), Is.EqualTo(new long[] { 9, 0, 0, 3, 0, 2, 7, 2, 5, 5 }));
            Assert.That(yTest[..10].data<long>().ToArray(), Is.EqualTo(new long[] { 9, 2, 1, 1, 6, 1, 4, 6, 5, 7 }));
            Assert.That(xTrain[0].sum().item<long>(), Is.EqualTo(76247));
            Assert.That(xTest[0].sum().item<long>(), Is.EqualTo(33456));
        }
    }
}
