using System.Text;
using static Sequential.Data.Tests.Datasets.NumpyTestFiles;

namespace Sequential.Data.Tests.Datasets;

/// <summary>
/// <c>Reuters.LoadData</c> on numpy's own <c>reuters.npz</c>-format file (<see cref="NumpyReferenceFiles.ReutersSynthetic"/>);
/// every expected list was printed by Keras's <c>reuters.load_data</c> code running on that file with numpy 1.24.2.
/// </summary>
public sealed class ReutersTests
{
    private DatasetEnvironment _environment = null!;
    private string _file = null!;

    [SetUp]
    public void WriteFile()
    {
        _environment = new DatasetEnvironment();
        _file = Write(_environment.Root, "reuters.npz", NumpyReferenceFiles.ReutersSynthetic);
    }

    [TearDown]
    public void Restore() => _environment.Dispose();

    [Test]
    public void LoadData_KerasDefaults_GiveKerasOrderAndSplit()
    {
        var ((xTrain, yTrain), (xTest, yTest)) = Reuters.LoadData(_file);
        using (yTrain) using (yTest)
        {
            Assert.That(xTrain, Has.Length.EqualTo(20));   // int(25 * 0.8)
            Assert.That(xTrain[0], Is.EqualTo(new[] { 1, 5, 21, 38, 16, 32 }));
            Assert.That(xTrain[1], Is.EqualTo(new[] { 1, 36, 12, 29 }));
            Assert.That(yTrain.data<long>().ToArray(), Is.EqualTo(new long[]
                { 44, 3, 15, 40, 19, 24, 5, 30, 45, 28, 20, 39, 9, 35, 18, 13, 8, 29, 0, 34 }));
            Assert.That(xTest, Has.Length.EqualTo(5));
            Assert.That(xTest[0], Is.EqualTo(new[] { 1, 40, 16, 33, 11 }));
            Assert.That(xTest[^1], Is.EqualTo(new[] { 1, 2, 18, 35, 13 }));
            Assert.That(yTest.data<long>().ToArray(), Is.EqualTo(new long[] { 23, 14, 4, 10, 25 }));
        }
    }

    [Test]
    public void LoadData_NumWordsSplitSeedMaxlen_MatchKeras()
    {
        var ((xTrain, yTrain), (xTest, yTest)) = Reuters.LoadData(_file, numWords: 12, testSplit: 0.3, seed: 1, maxlen: 9);
        using (yTrain) using (yTest)
        {
            Assert.That(xTrain, Has.Length.EqualTo(11));   // int(17 * 0.7) of the 17 shorter than 9
            Assert.That(xTrain[0], Is.EqualTo(new[] { 1, 2, 2, 2, 2 }));
            Assert.That(xTrain[1], Is.EqualTo(new[] { 1, 10, 2, 3, 2, 2, 2 }));
            Assert.That(yTrain.data<long>().ToArray(), Is.EqualTo(new long[] { 24, 19, 39, 4, 44, 3, 20, 30, 18, 5, 0 }));
            Assert.That(xTest, Has.Length.EqualTo(6));
            Assert.That(xTest[0], Is.EqualTo(new[] { 1, 2, 8 }));
            Assert.That(yTest.data<long>().ToArray(), Is.EqualTo(new long[] { 29, 28, 23, 45, 40, 25 }));
        }
    }

    [TestCase(-0.1)]
    [TestCase(1.5)]
    [TestCase(double.NaN)]
    public void LoadData_TestSplitOutsideZeroToOne_IsRejected(double testSplit)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Reuters.LoadData(_file, testSplit: testSplit))!;
        Assert.That(e.ParamName, Is.EqualTo("testSplit"));
    }

    [Test]
    public void LoadData_NotFound_GivesKerasUrlAndHash()
    {
        var e = Assert.Throws<FileNotFoundException>(() => Reuters.LoadData())!;
        Assert.That(e.Message, Does.Contain("reuters.npz")
            .And.Contain("https://storage.googleapis.com/tensorflow/tf-keras-datasets/reuters.npz")
            .And.Contain("d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"));
    }

    [Test]
    public void LoadData_ImdbFileGiven_NamesTheExpectedFormat()
    {
        string imdb = Write(_environment.Root, "imdb.npz", NumpyReferenceFiles.ImdbSynthetic);
        var e = Assert.Throws<InvalidDataException>(() => Reuters.LoadData(imdb))!;
        Assert.That(e.Message, Does.Contain(imdb).And.Contain("no array 'x'").And.Contain("Keras's reuters.npz"));
    }

    [Test]
    public void GetWordIndex_FromTheDatasetFolder()
    {
        string root = _environment.UseDatasetsVariable();
        Write(root, "reuters/reuters_word_index.json", Encoding.UTF8.GetBytes("{\"mdbl\": 10996, \"the\": 1}"));
        Assert.That(Reuters.GetWordIndex()["mdbl"], Is.EqualTo(10996));
    }

    [Test]
    public void GetLabelNames_AreKeras46Topics()
    {
        var names = Reuters.GetLabelNames();
        Assert.That(names, Has.Count.EqualTo(46));
        Assert.That(names[0], Is.EqualTo("cocoa"));
        Assert.That(names[3], Is.EqualTo("earn"));
        Assert.That(names[45], Is.EqualTo("lead"));
    }
}
