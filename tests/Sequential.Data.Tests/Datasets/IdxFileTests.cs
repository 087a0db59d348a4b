using TorchSharp;
using static Sequential.Data.Tests.Datasets.IdxTestFiles;

namespace Sequential.Data.Tests.Datasets;

public sealed class IdxFileTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = NewTempFolder();

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    [Test]
    public void Read_GivesHeaderShapeAndRowMajorBytes()
    {
        byte[] data = [.. Enumerable.Range(0, 24).Select(i => (byte)(i * 10))];
        File.WriteAllBytes(PathOf("small"), Idx(data, 2, 3, 4));

        var (shape, read) = IdxFile.Read(PathOf("small"));

        Assert.That(shape, Is.EqualTo(new[] { 2, 3, 4 }));
        Assert.That(read, Is.EqualTo(data));
        using var tensor = IdxFile.ReadTensor(PathOf("small"));
        Assert.That(tensor.shape, Is.EqualTo(new long[] { 2, 3, 4 }));
        Assert.That(tensor.dtype, Is.EqualTo(torch.ScalarType.Byte));
        Assert.That(tensor[1, 2, 3].item<byte>(), Is.EqualTo(230));   // index 23 row-major
        Assert.That(tensor[0, 1, 0].item<byte>(), Is.EqualTo(40));    // index 4
    }

    [Test]
    public void ReadTensor_RawAndGzipped_AreIdentical()
    {
        byte[] pixels = Pixels(7 * 28 * 28, seed: 3);
        Write(PathOf("images"), Idx(pixels, 7, 28, 28), gzip: false);
        Write(PathOf("images"), Idx(pixels, 7, 28, 28), gzip: true);   // images.gz beside images

        using var raw = IdxFile.ReadTensor(PathOf("images"));
        using var gz = IdxFile.ReadTensor(PathOf("images.gz"));

        Assert.That(gz.shape, Is.EqualTo(new long[] { 7, 28, 28 }));
        Assert.That(raw.data<byte>().ToArray(), Is.EqualTo(gz.data<byte>().ToArray()));
        Assert.That(gz.data<byte>().ToArray(), Is.EqualTo(pixels));
    }

    [Test]
    public void Read_GzipIsRecognisedByContentNotName()
    {
        byte[] labels = [3, 1, 4, 1, 5];
        File.WriteAllBytes(PathOf("labels-without-extension"), Gzip(Idx(labels, 5)));

        var (shape, data) = IdxFile.Read(PathOf("labels-without-extension"));

        Assert.That(shape, Is.EqualTo(new[] { 5 }));
        Assert.That(data, Is.EqualTo(labels));
    }

    [Test]
    public void Read_NotIdx_NamesFileBytesFoundAndExpectedHeaders()
    {
        File.WriteAllBytes(PathOf("archive.zip"), [0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0]);

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(PathOf("archive.zip")));

        Assert.That(e!.Message, Does.Contain(PathOf("archive.zip")));
        Assert.That(e.Message, Does.Contain("504B0304"));
        Assert.That(e.Message, Does.Contain("0x00000801").And.Contain("0x00000803"));
    }

    [Test]
    public void Read_FloatIdx_IsRejected()
    {
        // 0x0D is IDX's float type code: same layout, but not bytes.
        File.WriteAllBytes(PathOf("floats"), [0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0]);

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(PathOf("floats")));

        Assert.That(e!.Message, Does.Contain("floats").And.Contain("00000D01"));
    }

    [Test]
    public void Read_EmptyFile_SaysItIsEmpty()
    {
        File.WriteAllBytes(PathOf("empty"), []);

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(PathOf("empty")));

        Assert.That(e!.Message, Does.Contain(PathOf("empty")).And.Contain("empty"));
    }

    [Test]
    public void Read_Truncated_NamesFileAndExpectedAndActualBytes()
    {
        // Header promises 10 images (16 + 7840 bytes); only 100 pixel bytes follow.
        byte[] bytes = Idx(Pixels(100, seed: 1), 10, 28, 28);
        File.WriteAllBytes(PathOf("cut-images"), bytes);

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(PathOf("cut-images")));

        Assert.That(e!.Message, Does.Contain(PathOf("cut-images")).And.Contain("truncated"));
        Assert.That(e.Message, Does.Contain("7856").And.Contain("116"));
    }

    [Test]
    public void Read_TruncatedInsideGzip_ReportsDecompressedSizes()
    {
        // The gzip stream is valid; the IDX content in it announces 5 labels but holds 3.
        File.WriteAllBytes(PathOf("cut-labels.gz"), Gzip(HeaderWithPayload(5, [1, 2, 3])));

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(PathOf("cut-labels.gz")));

        Assert.That(e!.Message, Does.Contain(PathOf("cut-labels.gz")));
        Assert.That(e.Message, Does.Contain("13").And.Contain("11"));
    }

    [Test]
    public void Read_DamagedGzip_NamesFile()
    {
        byte[] gz = Gzip(Idx(Pixels(3 * 784, seed: 9), 3, 28, 28));
        File.WriteAllBytes(PathOf("half.gz"), gz[..(gz.Length / 2)]);

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(PathOf("half.gz")));

        Assert.That(e!.Message, Does.Contain(PathOf("half.gz")));
    }

    [Test]
    public void Read_TrailingBytes_AreAnError()
    {
        File.WriteAllBytes(PathOf("long"), [.. Idx([1, 2], 2), 99]);

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(PathOf("long")));

        Assert.That(e!.Message, Does.Contain(PathOf("long")).And.Contain("more bytes"));
    }

    [Test]
    public void Read_MissingFile_ThrowsFileNotFound()
    {
        var e = Assert.Throws<FileNotFoundException>(() => IdxFile.Read(PathOf("nothing-here")));
        Assert.That(e!.FileName, Is.EqualTo(PathOf("nothing-here")));
    }

    private static byte[] HeaderWithPayload(int announced, byte[] payload)
    {
        byte[] bytes = Idx(payload, payload.Length);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), announced);
        return bytes;
    }
}
