using TorchSharp;
using static Sequential.Data.Tests.Datasets.NumpyTestFiles;

namespace Sequential.Data.Tests.Datasets;

/// <summary>Row orders are numpy 1.24.2's <c>RandomState(113).shuffle(np.arange(n))</c>, as Keras shuffles.</summary>
public sealed class CaliforniaHousingTests
{
    private DatasetEnvironment _environment = null!;
    private string _file = null!;

    /// <summary>700 float32 rows of 8 columns, row i = [i, 0, ..., 0], y[i] = 1000 * i: more rows than "small" keeps.</summary>
    [SetUp]
    public void WriteFile()
    {
        _environment = new DatasetEnvironment();
        float[] x = [.. Enumerable.Range(0, 700 * 8).Select(k => k % 8 == 0 ? k / 8 : 0f)];
        float[] y = [.. Enumerable.Range(0, 700).Select(i => 1000f * i)];
        string root = _environment.UseDatasetsVariable();
        _file = Write(root, "california_housing/california_housing.npz",
            Npz(true, ("x", Float32Npy(x, 700, 8)), ("y", Float32Npy(y))));
    }

    [TearDown]
    public void Restore() => _environment.Dispose();

    [Test]
    public void LoadData_Large_ShufflesEveryRowAsKeras()
    {
        var ((xTrain, yTrain), (xTest, yTest)) = CaliforniaHousing.LoadData();
        using (xTrain) using (yTrain) using (xTest) using (yTest)
        {
            Assert.That(xTrain.shape, Is.EqualTo(new long[] { 560, 8 }));
            Assert.That(xTest.shape, Is.EqualTo(new long[] { 140, 8 }));
            Assert.That(xTrain.dtype, Is.EqualTo(torch.ScalarType.Float32));   // the file's dtype, as Keras
            Assert.That(xTrain[.., 0].data<float>().ToArray()[..6], Is.EqualTo(new float[] { 107, 175, 556, 64, 39, 541 }));
            Assert.That(yTrain[0].item<float>(), Is.EqualTo(107000f));
            Assert.That(xTest[.., 0].data<float>().ToArray()[^3..], Is.EqualTo(new float[] { 586, 162, 165 }));
        }
    }

    [Test]
    public void LoadData_Small_KeepsTheFirst600RowsThenShuffles()
    {
        var ((xTrain, yTrain), (xTest, yTest)) = CaliforniaHousing.LoadData(version: "small");
        using (xTrain) using (yTrain) using (xTest) using (yTest)
        {
            Assert.That(xTrain.shape[0], Is.EqualTo(480));
            Assert.That(xTest.shape[0], Is.EqualTo(120));
            Assert.That(xTrain[.., 0].data<float>().ToArray()[..6], Is.EqualTo(new float[] { 568, 505, 59, 71, 298, 205 }));
            using var all = torch.cat([xTrain[.., 0], xTest[.., 0]]);
            Assert.That(all.max().item<float>(), Is.EqualTo(599f));
        }
    }

    [Test]
    public void LoadData_UnknownVersion_ThrowsKerasMessage()
    {
        var e = Assert.Throws<ArgumentException>(() => CaliforniaHousing.LoadData(version: "medium"))!;
        Assert.That(e.ParamName, Is.EqualTo("version"));
        Assert.That(e.Message, Does.Contain("must be one of 'small', 'large'. Received: version=medium"));
    }

    [Test]
    public void LoadData_WrongFile_NamesTheExpectedFormat()
    {
        string imdb = Write(_environment.Root, "imdb.npz", NumpyReferenceFiles.ImdbSynthetic);
        var e = Assert.Throws<InvalidDataException>(() => CaliforniaHousing.LoadData(path: imdb))!;
        Assert.That(e.Message, Does.Contain(imdb).And.Contain("no array 'x'").And.Contain("Keras's california_housing.npz"));
    }
}
