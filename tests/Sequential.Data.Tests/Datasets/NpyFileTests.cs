using System.Security.Cryptography;
using System.Text;
using TorchSharp;
using static Sequential.Data.Tests.Datasets.NumpyTestFiles;

namespace Sequential.Data.Tests.Datasets;

public sealed class NpyFileTests
{
    private const string Name = "test.npz/x.npy";

    private static readonly long[][] NumpyReferenceSequences =
    [
        [1, 14, 22], [], [7], [255, 256, 65535, 65536, -1, int.MaxValue], [1L << 31, 1L << 40, -(1L << 31) - 1],
        [.. Enumerable.Range(0, 1001).Select(i => (long)i)],
    ];

    [Test]
    public void TestWriter_ObjectArray_IsByteForByteWhatNumpyWrites()
    {
        // The writer the loader tests use produces numpy 1.24.2's exact bytes, so those tests read the real format.
        byte[] npy = ObjectNpy(NumpyReferenceSequences);
        Assert.That(npy, Has.Length.EqualTo(3111));
        Assert.That(Convert.ToHexStringLower(SHA256.HashData(npy)), Is.EqualTo(NumpyReferenceFiles.ObjectArraySha256));
    }

    [Test]
    public void Read_ObjectArray_GivesTheListsOfIntegers()
    {
        var array = NpyFile.Read(ObjectNpy(NumpyReferenceSequences), Name);

        Assert.That(array.Dtype.IsObject, Is.True);
        Assert.That(array.Shape, Is.EqualTo(new long[] { 6 }));
        for (int i = 0; i < NumpyReferenceSequences.Length; i++)
            Assert.That(((PickleList)array.Items![i]!).Integers, Is.EqualTo(NumpyReferenceSequences[i]), $"item {i}");
    }

    [Test]
    public void Read_ObjectArrayWrittenByPython2_IsReadToo()
    {
        var array = NpyFile.Read(ObjectNpy([[1, 2], [3]], python2: true), Name);
        Assert.That(((PickleList)array.Items![1]!).Integers, Is.EqualTo(new long[] { 3 }));
    }

    [Test]
    public void Read_NumpysFloat64Matrix_GivesValuesShapeAndDtype()
    {
        double[] values = [.. Enumerable.Range(0, 6).Select(i => i * 0.25)];
        var array = NpyFile.Read(Float64Npy(values, 2, 3), Name);
        using var tensor = array.ToTensor();

        Assert.That(tensor.dtype, Is.EqualTo(torch.ScalarType.Float64));
        Assert.That(tensor.shape, Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(tensor.data<double>().ToArray(), Is.EqualTo(values));
    }

    [Test]
    public void Read_FortranOrder_IsTransposedToRowMajor()
    {
        // Column-major [[0, 1, 2], [3, 4, 5]] is stored 0 3 1 4 2 5.
        byte[] data = [.. new double[] { 0, 3, 1, 4, 2, 5 }.SelectMany(BitConverter.GetBytes)];
        byte[] npy = [.. NpyHeader("<f8", [2, 3], fortranOrder: true), .. data];

        using var tensor = NpyFile.Read(npy, Name).ToTensor();

        Assert.That(tensor.shape, Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(tensor.data<double>().ToArray(), Is.EqualTo(new double[] { 0, 1, 2, 3, 4, 5 }));
    }

    [Test]
    public void Read_HeaderClaimingATrillionElements_IsRejectedWithoutAllocating()
    {
        byte[] npy = Npy("<f8", [1_000_000_000_000], new byte[64]);

        var e = Assert.Throws<InvalidDataException>(() => NpyFile.Read(npy, Name))!;

        Assert.That(e.Message, Does.Contain(Name).And.Contain("(1000000000000,)").And.Contain("8000000000000 bytes")
            .And.Contain("only 64 follow"));
    }

    [Test]
    public void Read_ShapeOverflowing64Bits_IsRejected()
    {
        byte[] npy = Npy("<f8", [1L << 40, 1L << 40], []);
        var e = Assert.Throws<InvalidDataException>(() => NpyFile.Read(npy, Name))!;
        Assert.That(e.Message, Does.Contain("more elements than fit in 64 bits"));
    }

    [Test]
    public void Read_ExtraBytesAfterTheData_AreRejected()
    {
        byte[] npy = [.. Float64Npy([1.0]), 0];
        var e = Assert.Throws<InvalidDataException>(() => NpyFile.Read(npy, Name))!;
        Assert.That(e.Message, Does.Contain("holds 9 bytes after its .npy header but shape (1,) of '<f8' needs 8"));
    }

    [TestCase("<U5", "'<U5' is not one Sequential reads")]
    [TestCase(">f8", "big-endian")]
    [TestCase("<u4", "'<u4' is not one Sequential reads")]
    public void Read_UnsupportedDtype_SaysWhich(string descriptor, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => NpyFile.Read(Npy(descriptor, [1], new byte[20]), Name))!;
        Assert.That(e.Message, Does.Contain(Name).And.Contain(expected));
    }

    [Test]
    public void Read_NotAnNpyFile_NamesTheMagic()
    {
        var e = Assert.Throws<InvalidDataException>(() => NpyFile.Read(Encoding.ASCII.GetBytes("PK\u0003\u0004 not npy"), Name))!;
        Assert.That(e.Message, Does.Contain("not a numpy .npy array").And.Contain("934E554D5059"));
    }

    [Test]
    public void Read_TruncatedHeader_IsRejected()
    {
        byte[] npy = Float64Npy([1.0, 2.0]);
        var e = Assert.Throws<InvalidDataException>(() => NpyFile.Read(npy[..40], Name))!;
        Assert.That(e.Message, Does.Contain("is truncated").And.Contain("fewer than the 128"));
    }

    [Test]
    public void Read_HeaderThatIsNotNumpysLiteral_IsRejected()
    {
        byte[] header = Encoding.Latin1.GetBytes("{'descr': __import__('os').system('x'), }\n");
        byte[] npy = [0x93, .. "NUMPY"u8, 1, 0, (byte)header.Length, 0, .. header];
        var e = Assert.Throws<InvalidDataException>(() => NpyFile.Read(npy, Name))!;
        Assert.That(e.Message, Does.Contain(".npy header Sequential cannot read").And.Contain("expected a quoted string"));
    }

    [Test]
    public void Read_HeaderLongerThanTheLimit_IsRejected()
    {
        byte[] npy = [0x93, .. "NUMPY"u8, 2, 0, 0xFF, 0xFF, 0xFF, 0x7F];
        var e = Assert.Throws<InvalidDataException>(() => NpyFile.Read(npy, Name))!;
        Assert.That(e.Message, Does.Contain("claims a 2147483647-byte .npy header"));
    }

    [Test]
    public void Read_ObjectHeaderShapeDiffersFromThePickle_IsRejected()
    {
        byte[] npy = ObjectNpy([[1], [2]]);
        byte[] lying = [.. NpyHeader("|O", [5]), .. npy[NpyHeader("|O", [2]).Length..]];
        var e = Assert.Throws<InvalidDataException>(() => NpyFile.Read(lying, Name))!;
        Assert.That(e.Message, Does.Contain("announces shape (5,) but its pickled array has shape (2,)"));
    }
}
