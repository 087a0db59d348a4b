using System.Text;
using TorchSharp;
using static Sequential.Data.Tests.Datasets.NumpyTestFiles;

namespace Sequential.Data.Tests.Datasets;

/// <summary>
/// <c>Imdb.LoadData</c> on numpy's own <c>imdb.npz</c>-format file (<see cref="NumpyReferenceFiles.ImdbSynthetic"/>); every
/// expected list was printed by Keras's <c>imdb.load_data</c> code running on that file with numpy 1.24.2.
/// </summary>
public sealed class ImdbTests
{
    private DatasetEnvironment _environment = null!;
    private string _file = null!;

    [SetUp]
    public void WriteFile()
    {
        _environment = new DatasetEnvironment();
        _file = Write(_environment.Root, "keras/datasets/imdb.npz", NumpyReferenceFiles.ImdbSynthetic);
    }

    [TearDown]
    public void Restore() => _environment.Dispose();

    private static long[] Labels(torch.Tensor y)
    {
        Assert.That(y.dtype, Is.EqualTo(torch.ScalarType.Int64));
        Assert.That(y.dim(), Is.EqualTo(1));
        return y.data<long>().ToArray();
    }

    [Test]
    public void LoadData_KerasDefaults_GiveKerasOrderOffsetAndLabels()
    {
        var ((xTrain, yTrain), (xTest, yTest)) = Imdb.LoadData(_file);
        using (yTrain) using (yTest)
        {
            Assert.That(xTrain, Has.Length.EqualTo(30));
            Assert.That(xTrain[0], Is.EqualTo(new[] { 1, 33, 9, 26, 4, 20, 37, 15, 31, 8 }));
            Assert.That(xTrain[1], Is.EqualTo(new[] { 1, 12, 28, 5, 23 }));
            Assert.That(Labels(yTrain), Is.EqualTo(new long[]
                { 1, 0, 1, 0, 1, 1, 1, 1, 0, 0, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1 }));
            Assert.That(xTest, Has.Length.EqualTo(20));
            // The largest index (39 + 3 = 42) becomes OOV 2: Keras sets num_words to it and keeps w < num_words.
            Assert.That(xTest[0], Is.EqualTo(new[] { 1, 2, 19, 36, 14, 30, 7 }));
            Assert.That(xTest[^1], Is.EqualTo(new[] { 1, 40, 16, 33, 11, 27 }));
            Assert.That(Labels(yTest), Is.EqualTo(new long[] { 0, 1, 0, 1, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0 }));
        }
    }

    [Test]
    public void LoadData_NumWordsAndSkipTop_ReplaceWithOov()
    {
        var ((xTrain, yTrain), (xTest, yTest)) = Imdb.LoadData(_file, numWords: 20, skipTop: 4);
        using (yTrain) using (yTest)
        {
            Assert.That(xTrain[0], Is.EqualTo(new[] { 2, 2, 9, 2, 4, 2, 2, 15, 2, 8 }));   // start char 1 < skipTop too
            Assert.That(xTrain[1], Is.EqualTo(new[] { 2, 12, 2, 5, 2 }));
            Assert.That(xTest[0], Is.EqualTo(new[] { 2, 2, 19, 2, 14, 2, 7 }));
            Assert.That(xTest[^1], Is.EqualTo(new[] { 2, 2, 16, 2, 11, 2 }));
        }
    }

    [Test]
    public void LoadData_Maxlen_DropsReviewsOfMaxlenOrMore()
    {
        var ((xTrain, yTrain), (xTest, yTest)) = Imdb.LoadData(_file, maxlen: 7);
        using (yTrain) using (yTest)
        {
            Assert.That(xTrain, Has.Length.EqualTo(13));
            Assert.That(xTrain.Max(x => x.Length), Is.EqualTo(6));
            Assert.That(xTrain[0], Is.EqualTo(new[] { 1, 12, 28, 5, 23 }));
            Assert.That(xTrain[1], Is.EqualTo(new[] { 1, 15, 31, 8, 26, 42 }));   // 42 kept: num_words is the max of the kept reviews
            Assert.That(Labels(yTrain), Is.EqualTo(new long[] { 0, 1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 1, 0 }));
            Assert.That(xTest, Has.Length.EqualTo(9));
            Assert.That(xTest[0], Is.EqualTo(new[] { 1, 35, 11, 28, 6 }));
            Assert.That(Labels(yTest), Is.EqualTo(new long[] { 0, 1, 0, 1, 0, 1, 1, 0, 0 }));
        }
    }

    [Test]
    public void LoadData_NoOovNoStartIndexFromZeroOtherSeed_MatchesKeras()
    {
        var ((xTrain, yTrain), (xTest, yTest)) =
            Imdb.LoadData(_file, numWords: 15, oovChar: null, startChar: null, indexFrom: 0, seed: 7);
        using (yTrain) using (yTest)
        {
            Assert.That(xTrain[0], Is.EqualTo(new[] { 10, 5 }));
            Assert.That(xTrain[1], Is.EqualTo(new[] { 8, 1 }));
            Assert.That(Labels(yTrain), Is.EqualTo(new long[]
                { 0, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1, 1, 0, 1, 0, 1 }));
            Assert.That(xTest[0], Is.EqualTo(new[] { 9, 2, 13, 7 }));
            Assert.That(xTest[^1], Is.EqualTo(new[] { 6, 10 }));
        }
    }

    [Test]
    public void LoadData_MaxlenKeepingNothing_ThrowsKerasMessage()
    {
        var e = Assert.Throws<ArgumentException>(() => Imdb.LoadData(_file, maxlen: 2))!;
        Assert.That(e.ParamName, Is.EqualTo("maxlen"));
        Assert.That(e.Message, Does.Contain("After filtering for sequences shorter than maxlen=2, no sequence was kept. Increase maxlen."));
    }

    [TestCase(-1, 0, null, "numWords")]
    [TestCase(null, -1, null, "skipTop")]
    [TestCase(null, 0, -5, "maxlen")]
    public void LoadData_NegativeOption_IsRejectedBeforeReading(int? numWords, int skipTop, int? maxlen, string parameter)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Imdb.LoadData("/nonexistent", numWords, skipTop, maxlen))!;
        Assert.That(e.ParamName, Is.EqualTo(parameter));
    }

    [Test]
    public void LoadData_NegativeSeed_SaysNumpysRange()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Imdb.LoadData(_file, seed: -1))!;
        Assert.That(e.Message, Does.Contain("between 0 and 2**32 - 1"));
    }

    [Test]
    public void LoadData_FolderHoldingTheFile_IsRead()
    {
        var ((xTrain, yTrain), (_, yTest)) = Imdb.LoadData(Path.GetDirectoryName(_file));
        using (yTrain) using (yTest)
            Assert.That(xTrain[1], Is.EqualTo(new[] { 1, 12, 28, 5, 23 }));
    }

    [Test]
    public void LoadData_DatasetsVariable_ComesBeforeHome()
    {
        string root = _environment.UseDatasetsVariable();
        Write(root, "imdb/imdb.npz", NumpyReferenceFiles.ImdbSynthetic);
        Write(_environment.Home, ".sequential/datasets/imdb/imdb.npz",
            ImdbNpz([[5]], [1], [[6]], [0]));

        var ((xTrain, yTrain), (_, yTest)) = Imdb.LoadData();
        using (yTrain) using (yTest)
            Assert.That(xTrain, Has.Length.EqualTo(30));
    }

    [Test]
    public void LoadData_HomeFolder_IsFoundWithoutThePath()
    {
        Write(_environment.Home, ".sequential/datasets/imdb/imdb.npz", ImdbNpz([[5, 6]], [1], [[6]], [0]));

        var ((xTrain, yTrain), (xTest, yTest)) = Imdb.LoadData();
        using (yTrain) using (yTest)
        {
            Assert.That(xTrain, Is.EqualTo(new[] { new[] { 1, 8, 2 } }));   // 9 is the largest index: OOV, as in Keras
            Assert.That(xTest, Is.EqualTo(new[] { new[] { 1, 2 } }));
        }
    }

    [Test]
    public void LoadData_NotFound_ListsTheFoldersAndKerasDownload()
    {
        var e = Assert.Throws<FileNotFoundException>(() => Imdb.LoadData())!;

        Assert.That(e.Message, Does.Contain("IMDB was not found").And.Contain("imdb.npz")
            .And.Contain(Path.Combine(_environment.Home, ".sequential", "datasets", "imdb")).And.Contain("$SEQUENTIAL_DATASETS (not set)"));
        Assert.That(e.Message, Does.Contain("https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb.npz")
            .And.Contain("sha256 69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"));
    }

    [Test]
    public void LoadData_NotFound_DownloadsThroughGetFile_AndChecksKerasHash()
    {
        // The mirror serves an imdb.npz that is not Keras's file: the download happens, the hash check refuses it,
        // and nothing is left in the cache.
        Write(_environment.Mirror, "imdb.npz", ImdbNpz([[5]], [1], [[6]], [0]));
        var e = Assert.Throws<FileNotFoundException>(() => Imdb.LoadData())!;
        Assert.That(e.Message, Does.Contain($"Downloading {new Uri(_environment.Mirror + "/").AbsoluteUri}imdb.npz failed")
            .And.Contain("69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"));
        Assert.That(e.InnerException, Is.TypeOf<InvalidDataException>());
        string cache = Path.Combine(_environment.Home, ".sequential", "datasets", "imdb");
        Assert.That(Directory.Exists(cache) ? Directory.GetFiles(cache) : [], Is.Empty, "a download that fails its hash is not kept");
    }

    [Test]
    public void LoadData_GivenPathThatDoesNotExist_SaysSoAndDoesNotSearch()
    {
        Write(_environment.Home, ".sequential/datasets/imdb/imdb.npz", ImdbNpz([[5]], [1], [[6]], [0]));
        string missing = Path.Combine(_environment.Root, "nowhere", "imdb.npz");

        var e = Assert.Throws<FileNotFoundException>(() => Imdb.LoadData(missing))!;

        Assert.That(e.Message, Does.Contain(missing).And.Contain("does not exist"));
    }

    [Test]
    public void LoadData_ReutersFileGiven_NamesTheFileAndTheExpectedFormat()
    {
        string reuters = Write(_environment.Root, "reuters.npz", NumpyReferenceFiles.ReutersSynthetic);
        var e = Assert.Throws<InvalidDataException>(() => Imdb.LoadData(reuters))!;
        Assert.That(e.Message, Does.Contain(reuters).And.Contain("no array 'x_train'").And.Contain("x.npy, y.npy")
            .And.Contain("Keras's imdb.npz"));
    }

    [Test]
    public void LoadData_TextFileGiven_NamesTheFileAndTheExpectedFormat()
    {
        string text = Write(_environment.Root, "imdb.npz", Encoding.UTF8.GetBytes("<html>Not found</html>"));
        var e = Assert.Throws<InvalidDataException>(() => Imdb.LoadData(text))!;
        Assert.That(e.Message, Does.Contain(text).And.Contain("not a numpy .npz archive").And.Contain("Keras's imdb.npz"));
    }

    [Test]
    public void LoadData_LabelCountDiffers_NamesBothMembers()
    {
        string path = Write(_environment.Root, "uneven.npz", ImdbNpz([[1], [2], [3]], [0, 1], [[4]], [1]));
        var e = Assert.Throws<InvalidDataException>(() => Imdb.LoadData(path))!;
        Assert.That(e.Message, Does.Contain("y_train.npy' holds 2 labels but").And.Contain("x_train.npy' holds 3 sequences"));
    }

    [Test]
    public void LoadData_PickleGadgetInAMember_IsRefusedNamingTheMember()
    {
        var gadget = PickleBuilder.Start().Global("posix", "system").Text("touch /tmp/pwned").Tuple(1).Op('R').Stop();
        byte[] npz = Npz(false, ("x_train", [.. NpyHeader("|O", [1]), .. gadget]), ("y_train", Int64Npy([1])),
            ("x_test", ObjectNpy([[1]])), ("y_test", Int64Npy([1])));
        string path = Write(_environment.Root, "evil.npz", npz);

        var e = Assert.Throws<InvalidDataException>(() => Imdb.LoadData(path))!;

        Assert.That(e.Message, Does.Contain($"{path}/x_train.npy").And.Contain("'posix.system'").And.Contain("nothing was run"));
    }

    [Test]
    public void LoadData_OneListSharedThousandsOfTimes_IsRefused()
    {
        // A 1,000-word list written once, then recalled from the memo for 5,000 reviews: 5 million words from ~13 KB.
        var pickle = PickleBuilder.Start().Array("O8", '|', [5000], b =>
        {
            b.Op(']').Put().Op('(');
            b.Op(']').Raw((byte)'r', 0xE8, 0x03, 0, 0).Op('(');   // the shared list is memo 1000
            for (int i = 0; i < 1000; i++) b.Int(i);
            b.Op('e');
            for (int i = 1; i < 5000; i++) b.Raw((byte)'j', 0xE8, 0x03, 0, 0);
            b.Op('e');
        }).Stop();
        byte[] npz = Npz(false, ("x_train", [.. NpyHeader("|O", [5000]), .. pickle]), ("y_train", Int64Npy(new long[5000])),
            ("x_test", ObjectNpy([[1]])), ("y_test", Int64Npy([1])));
        string path = Write(_environment.Root, "bomb.npz", npz);

        var e = Assert.Throws<InvalidDataException>(() => Imdb.LoadData(path))!;

        Assert.That(e.Message, Does.Contain("x_train.npy").And.Contain("shares lists over and over"));
    }

    [Test]
    public void LoadData_ReviewThatIsAnArrayNeverFilled_IsRejected()
    {
        // An item made by _reconstruct with no BUILD after it: an array with no dtype or data.
        var pickle = PickleBuilder.Start().Array("O8", '|', [1], b => b.Op(']').Put()
            .Global("numpy.core.multiarray", "_reconstruct").Global("numpy", "ndarray").Int(0).Tuple(1).Bytes("b"u8.ToArray())
            .Tuple(3).Op('R').Op('a')).Stop();
        byte[] npz = Npz(false, ("x_train", [.. NpyHeader("|O", [1]), .. pickle]), ("y_train", Int64Npy([1])),
            ("x_test", ObjectNpy([[1]])), ("y_test", Int64Npy([1])));
        string path = Write(_environment.Root, "unfilled.npz", npz);

        var e = Assert.Throws<InvalidDataException>(() => Imdb.LoadData(path))!;

        Assert.That(e.Message, Does.Contain("x_train.npy': item 0 is not a list of integers"));
    }

    [Test]
    public void LoadData_ReviewsAsInt32Arrays_AreReadToo()
    {
        // An object array whose items are numpy int32 arrays instead of lists: Keras's unpickler accepts it, so do we.
        var pickle = PickleBuilder.Start().Array("O8", '|', [2], b => b.List(new[] { new[] { 5, 6 }, new[] { 7 } },
            (items, review) => items.Array("i4", '<', [review.Length], d => d.Bytes([.. review.SelectMany(BitConverter.GetBytes)])))).Stop();
        byte[] npz = Npz(false, ("x_train", [.. NpyHeader("|O", [2]), .. pickle]), ("y_train", Int64Npy([1, 0])),
            ("x_test", ObjectNpy([[1]])), ("y_test", Int64Npy([1])));
        string path = Write(_environment.Root, "arrays.npz", npz);

        var ((xTrain, yTrain), (_, yTest)) = Imdb.LoadData(path, seed: 0, numWords: 100);
        using (yTrain) using (yTest)
            Assert.That(xTrain.OrderBy(x => x.Length), Is.EqualTo(new[] { new[] { 1, 10 }, new[] { 1, 8, 9 } }));
    }

    [Test]
    public void LoadData_WordIndexTooLargeForIndexFrom_IsReported()
    {
        string path = Write(_environment.Root, "big.npz", ImdbNpz([[int.MaxValue - 1]], [1], [[1]], [0]));
        var e = Assert.Throws<InvalidDataException>(() => Imdb.LoadData(path))!;
        Assert.That(e.Message, Does.Contain("2147483646").And.Contain("indexFrom 3"));
    }

    [Test]
    public void GetWordIndex_ReadsKerasJson()
    {
        Write(_environment.Home, ".sequential/datasets/imdb/imdb_word_index.json",
            Encoding.UTF8.GetBytes("{\"the\": 1, \"and\": 2, \"fawn\": 34701}"));

        var index = Imdb.GetWordIndex();

        Assert.That(index["the"], Is.EqualTo(1));
        Assert.That(index["fawn"], Is.EqualTo(34701));
        Assert.That(index, Has.Count.EqualTo(3));
    }

    [Test]
    public void GetWordIndex_NotJson_NamesTheFile()
    {
        string path = Write(_environment.Root, "imdb_word_index.json", Encoding.UTF8.GetBytes("{\"the\": \"one\"}"));
        var e = Assert.Throws<InvalidDataException>(() => Imdb.GetWordIndex(path))!;
        Assert.That(e.Message, Does.Contain(path).And.Contain("not a Keras word index"));
    }

    [Test]
    public void GetWordIndex_NotFound_GivesKerasUrlAndMd5()
    {
        var e = Assert.Throws<FileNotFoundException>(() => Imdb.GetWordIndex())!;
        Assert.That(e.Message, Does.Contain("imdb_word_index.json").And.Contain("md5 bfafd718b763782e994055a2d397834f"));
    }
}
