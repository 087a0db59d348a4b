using System.Buffers.Binary;
using System.Security.Cryptography;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Data.Tests.Pipelines;

public sealed class FileCacheDatasetTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "seq-cache-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    private static Dataset Mixed(out Func<int> calls)
    {
        int count = 0;
        calls = () => count;
        var features = new Component(new Dictionary<string, Component>
        {
            ["pixels"] = torch.arange(12, ScalarType.Float32).reshape(3, 2, 2),
            ["city"] = new StringTensor(new[] { "Oslo", "Rome", "Lima" }),
            ["flag"] = torch.tensor(new[] { true, false, true }),
        });
        return Dataset.FromTensorSlices(features, torch.tensor(new long[] { 7, 8, 9 }))
            .Map((Element e) => { Interlocked.Increment(ref count); return e; });
    }

    private static List<string> Describe(Dataset ds)
    {
        using var scope = torch.NewDisposeScope();
        return [.. ds.Elements().Select(e =>
            $"{e} {string.Join(",", e.X["pixels"].Tensor.data<float>().ToArray())} {e.X["city"].Strings.Value} " +
            $"{e.X["flag"].Tensor.item<bool>()} {e.Y!.Tensor.item<long>()}")];
    }

    [Test]
    public void TheFirstCompletePassWritesTheFile_LaterPassesAndRunsReadIt()
    {
        string file = PathOf("train.cache");
        var ds = Mixed(out var calls).Cache(file);
        var expected = Describe(ds);
        Assert.That(File.Exists(file));
        Assert.That(expected[1], Is.EqualTo("(x: {pixels: float32 (2, 2), city: strings (), flag: bool ()}, y: int64 ()) 4,5,6,7 Rome False 8"));
        Assert.That(Describe(ds), Is.EqualTo(expected));
        Assert.That(calls(), Is.EqualTo(3), "the second pass read the file");
        // Another pipeline (a later run of the program) with the same file reads it without running its input.
        var again = Mixed(out var callsAgain).Cache(file);
        Assert.That(Describe(again), Is.EqualTo(expected));
        Assert.That(callsAgain(), Is.Zero);
        Assert.That(Directory.GetFiles(_folder), Is.EqualTo(new[] { file }), "no temporary file is left");
    }

    [Test]
    public void AnAbandonedPass_WritesNothing()
    {
        string file = PathOf("partial.cache");
        var ds = Dataset.FromTensorSlices(Read.Range(10)).Cache(file);
        Assert.That(Read.Scalars(ds.Take(3)), Is.EqualTo(new long[] { 0, 1, 2 }));
        Assert.That(Directory.GetFiles(_folder), Is.Empty);
        Assert.That(Read.Scalars(ds), Has.Length.EqualTo(10));
        Assert.That(File.Exists(file));
    }

    [Test]
    public void BatchesOfStrings_RoundTrip()
    {
        string file = PathOf("texts.cache");
        var ds = Dataset.FromTensorSlices(new[] { "a", "é ü", "" }, Read.Range(3)).Batch(2).Cache(file);
        Read.X(Dataset.FromTensorSlices(Read.Range(1))); // warm up
        using (torch.NewDisposeScope()) ds.Elements().ToList();
        using var scope = torch.NewDisposeScope();
        var batches = ds.Elements().ToList();
        Assert.That(batches[0].X.Strings, Is.EqualTo(new[] { "a", "é ü" }));
        Assert.That(batches[1].X.Strings.Shape, Is.EqualTo(new long[] { 1 }));
        Assert.That(Read.Longs(batches[1].Y!.Tensor), Is.EqualTo(new long[] { 2 }));
    }

    // Hostile files: each is refused with an InvalidDataException naming the file, before allocating what it claims.

    private string Written()
    {
        string file = PathOf("good.cache");
        Read.X(Dataset.FromTensorSlices(Read.Range(3)).Cache(file));
        return file;
    }

    private InvalidDataException Refused(string file)
    {
        var ds = Dataset.FromTensorSlices(Read.Range(3)).Cache(file);
        var e = Assert.Throws<InvalidDataException>(() => Read.X(ds))!;
        Assert.That(e.Message, Does.StartWith($"'{file}' is not a valid dataset cache file: "));
        Assert.That(e.Message, Does.EndWith("Delete it; the next complete pass of the dataset writes it again."));
        return e;
    }

    [Test]
    public void AnotherFormat_IsRefused()
    {
        string file = PathOf("other.cache");
        File.WriteAllText(file, "this is a text file, not a cache of anything at all");
        Assert.That(Refused(file).Message, Does.Contain("it does not start with SQDCACHE (it is not a dataset cache file)"));
        File.WriteAllBytes(file, [1, 2, 3]);
        Assert.That(Refused(file).Message, Does.Contain("it has 3 bytes, fewer than the 24-byte header"));
    }

    [Test]
    public void AFutureVersion_IsRefused()
    {
        string file = Written();
        var bytes = File.ReadAllBytes(file);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), 2);
        File.WriteAllBytes(file, bytes);
        Assert.That(Refused(file).Message, Does.Contain("it has format version 2; this version of Sequential reads version 1"));
    }

    [Test]
    public void AHugeElementCount_IsRefusedBeforeReading()
    {
        string file = Written();
        var bytes = File.ReadAllBytes(file);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(16), long.MaxValue);
        File.WriteAllBytes(file, bytes);
        Assert.That(Refused(file).Message, Does.Contain($"its header claims {long.MaxValue} elements, but its {bytes.Length} bytes can hold at most"));
    }

    [Test]
    public void AHugeRecordLength_IsRefusedBeforeAllocating()
    {
        string file = Written();
        var bytes = File.ReadAllBytes(file);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(24), 1L << 60);
        File.WriteAllBytes(file, bytes);
        Assert.That(Refused(file).Message, Does.Contain($"element 0 claims {1L << 60} bytes, but "));
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(24), -1);
        File.WriteAllBytes(file, bytes);
        Assert.That(Refused(file).Message, Does.Contain("element 0 claims -1 bytes"));
    }

    [Test]
    public void ATruncatedFile_IsRefused()
    {
        string file = Written();
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..^10]);
        Assert.That(Refused(file).Message, Does.Contain("element 2 claims"));
        File.WriteAllBytes(file, bytes[..30]);
        Assert.That(Refused(file).Message, Does.Contain("its header claims 3 elements, but its 30 bytes can hold at most 0"));
    }

    [Test]
    public void ExtraBytesAfterTheLastElement_AreRefused()
    {
        string file = Written();
        File.AppendAllText(file, "junk");
        Assert.That(Refused(file).Message, Does.Contain("4 bytes follow its last element"));
    }

    [Test]
    public void AFlippedByte_IsCaughtByTheHash()
    {
        string file = Written();
        var bytes = File.ReadAllBytes(file);
        bytes[^40] ^= 0x01; // inside the last element's tensor data
        File.WriteAllBytes(file, bytes);
        Assert.That(Refused(file).Message, Does.Contain("element 2's bytes do not match their SHA-256 (the file is corrupted)"));
    }

    /// <summary>A safetensors document: 8-byte header length, the JSON header, the data.</summary>
    private static byte[] SafeTensorsDocument(string json, byte[] data)
    {
        byte[] header = System.Text.Encoding.UTF8.GetBytes(json);
        var document = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteInt64LittleEndian(document, header.Length);
        header.CopyTo(document, 8);
        data.CopyTo(document, 8 + header.Length);
        return document;
    }

    /// <summary>A cache file of one record holding <paramref name="payload"/>, with a correct SHA-256.</summary>
    private string Forged(byte[] payload)
    {
        string file = PathOf("forged.cache");
        using var stream = File.Create(file);
        stream.Write(CacheFile.Header(1));
        stream.Write(BitConverter.GetBytes((long)payload.Length));
        stream.Write(payload);
        stream.Write(SHA256.HashData(payload));
        return file;
    }

    private const string XOnly = "\"structure\":\"{\\\"x\\\":{\\\"tensor\\\":\\\"x\\\"},\\\"y\\\":null}\"";

    [Test]
    public void AForgedRecordWithAValidHash_IsStillChecked()
    {
        // Its safetensors header claims a trillion floats it does not hold: refused before any allocation.
        string file = Forged(SafeTensorsDocument(
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[1000000000000],\"data_offsets\":[0,4000000000000]},\"__metadata__\":{" + XOnly + "}}", []));
        Assert.That(Refused(file).Message, Does.Contain("element 0 is not a valid element ("));
        Assert.That(Refused(file).Message, Does.Contain("tensor 'x' has data offsets [0, 4000000000000]"));
    }

    [Test]
    public void AForgedStructure_IsRefused()
    {
        string file = Forged(SafeTensorsDocument(
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"__metadata__\":{\"structure\":" +
            "\"{\\\"x\\\":{\\\"strings\\\":{\\\"shape\\\":[5],\\\"values\\\":[\\\"a\\\"]}},\\\"y\\\":null}\"}}", new byte[4]));
        Assert.That(Refused(file).Message, Does.Contain("has strings whose shape [5] does not match their 1 values"));
    }

    [Test]
    public void AValidForgedRecord_IsRead()
    {
        // The same hand-written format, valid: shows the tests above refuse for the reason they name.
        var data = BitConverter.GetBytes(2.5f);
        string file = Forged(SafeTensorsDocument(
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"__metadata__\":{" + XOnly + "}}", data));
        using var scope = torch.NewDisposeScope();
        var element = Dataset.FromTensorSlices(Read.Range(3)).Cache(file).Elements().Single();
        Assert.That(element.X.Tensor.data<float>().ToArray(), Is.EqualTo(new[] { 2.5f }));
    }

    [Test]
    public void AnEmptyFilename_IsRefusedWithTheFix()
    {
        var e = Assert.Throws<ArgumentException>(() => Dataset.FromTensorSlices(Read.Range(2)).Cache(""))!;
        Assert.That(e.Message, Does.StartWith("filename is empty; pass a file path, or call Cache() to cache in memory"));
    }
}
