using System.Buffers.Binary;
using System.Text;
using Sequential.Layers;
using Sequential.Persistence;

namespace Sequential.Core.Tests.Persistence;

/// <summary>Hostile safetensors headers: refused with an InvalidDataException naming the file and the tensor, before
/// libtorch sees a shape.</summary>
public class SafeTensorsTests
{
    /// <summary>A safetensors file from a header written by hand and <paramref name="dataBytes"/> zero bytes of data.</summary>
    private static byte[] File(string header, int dataBytes)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        return bytes;
    }

    private static string Tensor(string name, string shape, long begin, long end, string dtype = "F32") =>
        $"\"{name}\": {{\"dtype\": \"{dtype}\", \"shape\": {shape}, \"data_offsets\": [{begin}, {end}]}}";

    private static InvalidDataException Refused(byte[] bytes) =>
        Assert.Throws<InvalidDataException>(() => SafeTensors.ReadHeader(bytes, "w.safetensors"))!;

    [Test]
    public void AShapeWhoseElementCountOverflowsIsRefused()
    {
        // (2^62 + 32) * 4 elements * 4 bytes wraps around to 512 bytes in unchecked 64-bit arithmetic.
        var e = Refused(File("{" + Tensor("dense.kernel", "[4611686018427387936, 4]", 0, 512) + "}", 512));
        Assert.That(e.Message, Does.Contain("w.safetensors").And.Contain("tensor 'dense.kernel'").And.Contain("does not fit in 64 bits"));
    }

    [Test]
    public void AZeroSizeDoesNotHideAnOverflowOfTheOtherSizes()
    {
        var e = Refused(File("{" + Tensor("t", "[0, 4611686018427387904, 8]", 0, 0) + "}", 0));
        Assert.That(e.Message, Does.Contain("tensor 't'").And.Contain("does not fit in 64 bits"));
    }

    [Test]
    public void ANegativeSizeIsRefused()
    {
        // (-2) * (-2) * 4 bytes = 16 bytes: the byte count alone looks right.
        var e = Refused(File("{" + Tensor("dense.kernel", "[-2, -2]", 0, 16) + "}", 16));
        Assert.That(e.Message, Does.Contain("w.safetensors").And.Contain("tensor 'dense.kernel'").And.Contain("negative size"));
    }

    [Test]
    public void ATensorNamedTwiceIsRefusedByName()
    {
        var e = Refused(File("{" + Tensor("dense.bias", "[2]", 0, 8) + ", " + Tensor("dense.bias", "[2]", 8, 16) + "}", 16));
        Assert.That(e.Message, Does.Contain("w.safetensors").And.Contain("tensor 'dense.bias' appears twice"));
    }

    [Test]
    public void OverlappingDataIsRefused()
    {
        var e = Refused(File("{" + Tensor("a", "[4]", 0, 16) + ", " + Tensor("b", "[2]", 8, 16) + "}", 16));
        Assert.That(e.Message, Does.Contain("w.safetensors").And.Contain("tensor 'b'").And.Contain("overlap"));
    }

    [Test]
    public void TwoTensorsSharingTheSameBytesAreRefused()
    {
        var e = Refused(File("{" + Tensor("a", "[4]", 0, 16) + ", " + Tensor("b", "[4]", 0, 16) + "}", 16));
        Assert.That(e.Message, Does.Contain("overlap"));
    }

    [Test]
    public void UnusedBytesBetweenTensorsAreRefused()
    {
        var e = Refused(File("{" + Tensor("a", "[4]", 0, 16) + ", " + Tensor("b", "[4]", 32, 48) + "}", 48));
        Assert.That(e.Message, Does.Contain("tensor 'b' starts at data offset 32, leaving bytes 16 to 32 unused"));
    }

    [Test]
    public void TrailingBytesAfterTheTensorsAreRefused()
    {
        var e = Refused(File("{" + Tensor("a", "[4]", 0, 16) + "}", 24));
        Assert.That(e.Message, Does.Contain("its tensors hold 16 bytes but 24 data bytes follow the header"));
    }

    [Test]
    public void AHeaderLongerThanTheLimitIsRefusedBeforeItIsRead()
    {
        var bytes = new byte[64];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 100_000_001);
        var e = Refused(bytes);
        Assert.That(e.Message, Does.Contain("100000001 bytes, more than the 100000000"));
    }

    [TestCase("{\"a\": 5}", "tensor 'a' is not described by an object")]
    [TestCase("{\"a\": {\"dtype\": \"F32\", \"shape\": [1.5], \"data_offsets\": [0, 4]}}", "tensor 'a' has shape value 1.5")]
    [TestCase("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0]}}", "tensor 'a' has data offsets [0]")]
    [TestCase("{\"a\": {\"dtype\": \"Q4\", \"shape\": [1], \"data_offsets\": [0, 4]}}", "tensor 'a' has unsupported dtype Q4")]
    [TestCase("{\"__metadata__\": {\"k\": 1}}", "__metadata__ value 'k' is not a string")]
    [TestCase("[1, 2]", "not a JSON object")]
    public void AMalformedEntryIsRefusedByName(string header, string message)
    {
        var e = Refused(File(header, 4));
        Assert.That(e.Message, Does.Contain("w.safetensors").And.Contain(message));
    }

    [Test]
    public void LoadWeightsOfAnOverflowingShapeNamesTheFileAndTheTensor()
    {
        // Through the public API: the header is refused before libtorch is asked for a tensor of that shape.
        string path = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"overflow-{Guid.NewGuid():N}.safetensors");
        System.IO.File.WriteAllBytes(path, File("{" + Tensor("dense.kernel", "[4611686018427387936, 4]", 0, 512) + "}", 512));
        try
        {
            var model = new SequentialModel(new Dense(4, inputShape: [4]));
            var e = Assert.Throws<InvalidDataException>(() => model.LoadWeights(path));
            Assert.That(e!.Message, Does.Contain(path).And.Contain("tensor 'dense.kernel'"));
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Test]
    public void AFileWrittenBySaveWeightsPassesEveryCheck()
    {
        var model = TestModels.Mlp();
        var bytes = SafeTensors.Write(model.state_dict().Select(kv => (kv.Key, kv.Value)));
        var header = SafeTensors.ReadHeader(bytes, "w.safetensors");
        Assert.That(header.Entries.Select(e => e.Name), Is.EqualTo(new[] { "dense.kernel", "dense.bias", "dense_1.kernel", "dense_1.bias" }));
        Assert.That(header.TotalValues, Is.EqualTo(103));
    }
}
