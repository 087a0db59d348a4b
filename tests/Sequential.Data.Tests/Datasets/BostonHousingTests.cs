using TorchSharp;
using static Sequential.Data.Tests.Datasets.NumpyTestFiles;

namespace Sequential.Data.Tests.Datasets;

/// <summary>Row orders are numpy 1.24.2's <c>RandomState(seed).shuffle(np.arange(n))</c>, as Keras shuffles.</summary>
public sealed class BostonHousingTests
{
    private DatasetEnvironment _environment = null!;

    [SetUp]
    public void Isolate() => _environment = new DatasetEnvironment();

    [TearDown]
    public void Restore() => _environment.Dispose();

    /// <summary>506 rows of 13 columns where row i is [i, i + 0.01, ..., i + 0.12] and y[i] = i / 10.</summary>
    private string WriteBostonShapedFile(string folder, string name = "boston_housing.npz")
    {
        double[] x = [.. Enumerable.Range(0, 506 * 13).Select(k => k / 13 + (k % 13) / 100.0)];
        double[] y = [.. Enumerable.Range(0, 506).Select(i => i / 10.0)];
        return Write(folder, name, Npz(false, ("x", Float64Npy(x, 506, 13)), ("y", Float64Npy(y))));
    }

    private static double[] FirstColumn(torch.Tensor x) => x[.., 0].data<double>().ToArray();

    [Test]
    public void LoadData_KerasDefaults_ShuffleAndSplitAsKeras()
    {
        WriteBostonShapedFile(Path.Combine(_environment.Home, ".sequential", "datasets", "boston_housing"));

        var ((xTrain, yTrain), (xTest, yTest)) = BostonHousing.LoadData();
        using (xTrain) using (yTrain) using (xTest) using (yTest)
        {
            Assert.That(xTrain.shape, Is.EqualTo(new long[] { 404, 13 }));
            Assert.That(xTest.shape, Is.EqualTo(new long[] { 102, 13 }));
            Assert.That(xTrain.dtype, Is.EqualTo(torch.ScalarType.Float64));
            Assert.That(yTrain.shape, Is.EqualTo(new long[] { 404 }));
            Assert.That(FirstColumn(xTrain)[..6], Is.EqualTo(new double[] { 22, 202, 368, 335, 461, 323 }));
            Assert.That(FirstColumn(xTest)[^3..], Is.EqualTo(new double[] { 162, 220, 165 }));
            Assert.That(yTrain[0].item<double>(), Is.EqualTo(2.2));
            Assert.That(xTrain[0, 12].item<double>(), Is.EqualTo(22.12).Within(1e-12));   // whole rows move together
        }
    }

    [Test]
    public void LoadData_OtherSeedAndSplit_MatchNumpy()
    {
        string path = WriteBostonShapedFile(_environment.Root);

        var ((xTrain, yTrain), (xTest, yTest)) = BostonHousing.LoadData(path, testSplit: 0.25, seed: 9);
        using (xTrain) using (yTrain) using (xTest) using (yTest)
        {
            Assert.That(xTrain.shape[0], Is.EqualTo(379));
            Assert.That(xTest.shape[0], Is.EqualTo(127));
            Assert.That(FirstColumn(xTrain)[..4], Is.EqualTo(new double[] { 464, 419, 277, 491 }));
        }
    }

    [Test]
    public void LoadData_NumpysOwnFile_IsRead()
    {
        string path = Write(_environment.Root, "boston_housing.npz", NumpyReferenceFiles.HousingSmall);

        var ((xTrain, yTrain), (xTest, yTest)) = BostonHousing.LoadData(path);
        using (xTrain) using (yTrain) using (xTest) using (yTest)
        {
            // RandomState(113) shuffles 5 rows to [1, 0, 3, 2, 4]; int(5 * 0.8) = 4 train rows.
            Assert.That(yTrain.data<double>().ToArray(), Is.EqualTo(new[] { 21.6, 24.0, 33.4, 34.7 }));
            Assert.That(yTest.data<double>().ToArray(), Is.EqualTo(new[] { 36.2 }));
            Assert.That(xTrain[0].data<double>().ToArray(), Is.EqualTo(new[] { 0.75, 1.0, 1.25 }));
        }
    }

    [Test]
    public void LoadData_TestSplitZero_KeepsEveryRowForTraining()
    {
        string path = WriteBostonShapedFile(_environment.Root);
        var ((xTrain, yTrain), (xTest, yTest)) = BostonHousing.LoadData(path, testSplit: 0);
        using (xTrain) using (yTrain) using (xTest) using (yTest)
        {
            Assert.That(xTrain.shape[0], Is.EqualTo(506));
            Assert.That(xTest.shape, Is.EqualTo(new long[] { 0, 13 }));
        }
    }

    [TestCase(1.0)]
    [TestCase(-0.2)]
    public void LoadData_TestSplitOutsideRange_ThrowsKerasMessage(double testSplit)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => BostonHousing.LoadData(testSplit: testSplit))!;
        Assert.That(e.Message, Does.Contain($"Invalid testSplit argument: {testSplit}").And.Contain("exclusive of 1"));
    }

    [Test]
    public void LoadData_RowCountsDiffer_NamesTheFile()
    {
        string path = Write(_environment.Root, "b.npz", Npz(false, ("x", Float64Npy(new double[6], 3, 2)), ("y", Float64Npy(new double[2]))));
        var e = Assert.Throws<InvalidDataException>(() => BostonHousing.LoadData(path))!;
        Assert.That(e.Message, Does.Contain(path).And.Contain("3 rows in x").And.Contain("2 in y"));
    }

    [Test]
    public void LoadData_ObjectArrayInPlaceOfFloats_IsRejected()
    {
        string path = Write(_environment.Root, "b.npz", Npz(false, ("x", ObjectNpy([[1], [2]])), ("y", Float64Npy(new double[2]))));
        var e = Assert.Throws<InvalidDataException>(() => BostonHousing.LoadData(path))!;
        Assert.That(e.Message, Does.Contain($"{path}/x.npy").And.Contain("numeric array").And.Contain("dtype '|O'"));
    }

    [Test]
    public void LoadData_NotFound_GivesKerasUrlAndHash()
    {
        var e = Assert.Throws<FileNotFoundException>(() => BostonHousing.LoadData())!;
        Assert.That(e.Message, Does.Contain("boston_housing.npz")
            .And.Contain("f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"));
    }
}
