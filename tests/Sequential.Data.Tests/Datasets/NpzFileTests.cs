using System.Buffers.Binary;
using TorchSharp;
using static Sequential.Data.Tests.Datasets.NumpyTestFiles;

namespace Sequential.Data.Tests.Datasets;

public sealed class NpzFileTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = NewTempFolder();

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void Read_NumpysSavezCompressedObjectArrays_GivesTheLists()
    {
        string path = Write(_folder, "imdb.npz", NumpyReferenceFiles.ImdbSynthetic);

        var arrays = NpzFile.Read(path, ["x_train", "y_test"], "test");

        var first = (PickleList)arrays["x_train"].Items![0]!;
        Assert.That(first.Integers, Is.EqualTo(new long[] { 1, 17 }));   // review(0, 0), as numpy printed it
        Assert.That(arrays["x_train"].Shape, Is.EqualTo(new long[] { 30 }));
        Assert.That(arrays["y_test"].ToInt64s(out _), Has.Length.EqualTo(20));
    }

    [Test]
    public void Read_NumpysSavezFloatArrays_GivesTheValues()
    {
        string path = Write(_folder, "housing.npz", NumpyReferenceFiles.HousingSmall);

        var arrays = NpzFile.Read(path, ["x", "y"], "test");
        using var x = arrays["x"].ToTensor();
        using var y = arrays["y"].ToTensor();

        Assert.That(x.shape, Is.EqualTo(new long[] { 5, 3 }));
        Assert.That(x.dtype, Is.EqualTo(torch.ScalarType.Float64));
        Assert.That(x[4, 2].item<double>(), Is.EqualTo(14 / 4.0));
        Assert.That(y.data<double>().ToArray(), Is.EqualTo(new[] { 24.0, 21.6, 34.7, 33.4, 36.2 }));
    }

    [Test]
    public void Read_MissingMember_ListsWhatTheArchiveHolds()
    {
        string path = Write(_folder, "other.npz", Npz(false, ("a", Int64Npy([1])), ("b", Int64Npy([2]))));

        var e = Assert.Throws<InvalidDataException>(() => NpzFile.Read(path, ["x_train"], "Keras's imdb.npz"))!;

        Assert.That(e.Message, Does.Contain(path).And.Contain("no array 'x_train'").And.Contain("a.npy, b.npy")
            .And.Contain("Keras's imdb.npz"));
    }

    [Test]
    public void Read_NotAZip_NamesTheFileAndWhatWasExpected()
    {
        string path = Write(_folder, "imdb.npz", Float64Npy([1.0]));   // a bare .npy renamed
        var e = Assert.Throws<InvalidDataException>(() => NpzFile.Read(path, ["x"], "Keras's imdb.npz"))!;
        Assert.That(e.Message, Does.Contain(path).And.Contain("not a numpy .npz archive").And.Contain("Keras's imdb.npz"));
    }

    [Test]
    public void Read_TruncatedArchive_IsRejected()
    {
        byte[] whole = NumpyReferenceFiles.ImdbSynthetic;
        string path = Write(_folder, "imdb.npz", whole[..(whole.Length - 100)]);
        var e = Assert.Throws<InvalidDataException>(() => NpzFile.Read(path, ["x_train"], "test"))!;
        Assert.That(e.Message, Does.Contain(path).And.Contain("or is truncated (End of Central Directory record could not be found"));
    }

    [Test]
    public void Read_MemberDeclaringFourGigabytes_IsRejectedBeforeAllocating()
    {
        byte[] zip = Npz(false, ("x", Int64Npy([1, 2, 3])));
        SetDeclaredSize(zip, uint.MaxValue - 1);
        string path = Write(_folder, "big.npz", zip);

        var e = Assert.Throws<InvalidDataException>(() => NpzFile.Read(path, ["x"], "test"))!;

        Assert.That(e.Message, Does.Contain($"{path}/x.npy").And.Contain($"claims 4294967294 bytes, more than the {NpzFile.MaxMemberBytes}"));
    }

    [Test]
    public void Read_MemberLongerThanDeclared_IsRejected()
    {
        byte[] zip = Npz(false, ("x", Int64Npy([1, 2, 3])));
        SetDeclaredSize(zip, 100);   // the member really holds 152 bytes
        string path = Write(_folder, "lying.npz", zip);

        var e = Assert.Throws<InvalidDataException>(() => NpzFile.Read(path, ["x"], "test"))!;

        Assert.That(e.Message, Does.Contain($"{path}/x.npy' decompresses to more than 100 bytes but the archive declares 100"));
    }

    [Test]
    public void Read_MemberCompressedWithLzma_IsRejectedNamingIt()
    {
        byte[] zip = Npz(false, ("x", Int64Npy([1, 2, 3])));
        int central = zip.AsSpan().IndexOf(new byte[] { 0x50, 0x4B, 0x01, 0x02 });
        BinaryPrimitives.WriteUInt16LittleEndian(zip.AsSpan(8), 14);             // method 14, LZMA: numpy never writes it
        BinaryPrimitives.WriteUInt16LittleEndian(zip.AsSpan(central + 10), 14);
        string path = Write(_folder, "lzma.npz", zip);

        var e = Assert.Throws<InvalidDataException>(() => NpzFile.Read(path, ["x"], "test"))!;

        Assert.That(e.Message, Does.Contain($"{path}/x.npy' cannot be decompressed").And.Contain("LZMA"));
    }

    /// <summary>Rewrites the uncompressed size in the one member's local header and central directory entry.</summary>
    private static void SetDeclaredSize(byte[] zip, uint size)
    {
        int central = zip.AsSpan().IndexOf(new byte[] { 0x50, 0x4B, 0x01, 0x02 });
        BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(22), size);
        BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(central + 24), size);
    }
}
