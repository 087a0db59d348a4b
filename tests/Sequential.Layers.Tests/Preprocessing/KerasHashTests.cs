using System.Text;

namespace Sequential.Layers.Tests.Preprocessing;

public class KerasHashTests
{
    /// <summary>FarmHash's self-test data: bytes from the generator in farmhash.cc's Setup().</summary>
    private static byte[] FarmHashTestData(int size)
    {
        const ulong k0 = 0xc3a5c85c97cb3127UL;
        var data = new byte[size];
        ulong a = 9, b = 777;
        unchecked
        {
            for (int i = 0; i < size; i++)
            {
                a += b;
                b += a;
                a = (a ^ (a >> 41)) * k0;
                b = (b ^ (b >> 41)) * k0 + (ulong)i;
                data[i] = (byte)(b >> 37);
            }
        }
        return data;
    }

    [Test]
    public void Fingerprint64_MatchesFarmHashSelfTest_OnEveryLengthBranch()
    {
        // farmhash.cc, farmhashnaTest: Test(i * i, i) checks farmhashna::Hash64(data + i*i, i) against expected[6i+4], expected[6i+5].
        var expected = new (int Length, uint High, uint Low)[]
        {
            (0, 2598464059u, 797982799u), (1, 1410420968u, 2134990486u), (3, 4019337850u, 452431531u),
            (5, 2199864459u, 3696623795u), (8, 2700149065u, 2699376854u), (12, 3824583307u, 1612122221u),
            (16, 65721842u, 489963606u), (17, 1790705123u, 2128624475u), (32, 126024219u, 146044391u),
            (33, 165589978u, 1578546616u), (64, 3740748788u, 3388062747u), (65, 1020177209u, 734239551u),
            (100, 95237878u, 2005032160u), (200, 1089679033u, 240953857u), (298, 540133451u, 3313113759u),
        };
        var data = FarmHashTestData(298 * 298 + 298);
        foreach (var (length, high, low) in expected)
        {
            ulong hash = KerasHash.Fingerprint64(data.AsSpan(length * length, length));
            Assert.That(hash, Is.EqualTo(((ulong)high << 32) | low), $"length {length}");
        }
    }

    [Test]
    public void SipHash24_MatchesTheReferenceVectors()
    {
        // SipHash paper / reference implementation (vectors.h): key 00..0f, message 00..(n-1).
        var key = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
        ulong k0 = BitConverter.ToUInt64(key, 0), k1 = BitConverter.ToUInt64(key, 8);
        var message = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();
        Assert.That(KerasHash.SipHash24(k0, k1, message.AsSpan(0, 0)), Is.EqualTo(0x726fdb47dd0e0e31UL));
        Assert.That(KerasHash.SipHash24(k0, k1, message.AsSpan(0, 1)), Is.EqualTo(0x74f839c593dc67fdUL));
        Assert.That(KerasHash.SipHash24(k0, k1, message.AsSpan(0, 15)), Is.EqualTo(0xa129ca6149be45e5UL));
    }

    [Test]
    public void Bucket_StringsLandInKerasBins()
    {
        // Keras hashing_test.py: Hashing(num_bins=3)(["A".."E"]) -> [1, 0, 1, 1, 2]; num_bins=2 on the Wire names -> [0, 0, 1, 0, 0].
        Assert.That(new[] { "A", "B", "C", "D", "E" }.Select(s => KerasHash.Bucket(s, 3)), Is.EqualTo(new long[] { 1, 0, 1, 1, 2 }));
        string[] wire = ["omar", "stringer", "marlo", "wire", "skywalker"];
        Assert.That(wire.Select(s => KerasHash.Bucket(s, 2)), Is.EqualTo(new long[] { 0, 0, 1, 0, 0 }));
        // With a salt (SipHash): [133, 137] -> [1, 2, 1, 0, 2]; 133 (= [133, 133]) -> [0, 0, 2, 1, 0].
        Assert.That(new[] { "A", "B", "C", "D", "E" }.Select(s => KerasHash.Bucket(s, 3, (133, 137))), Is.EqualTo(new long[] { 1, 2, 1, 0, 2 }));
        Assert.That(new[] { "A", "B", "C", "D", "E" }.Select(s => KerasHash.Bucket(s, 3, (133, 133))), Is.EqualTo(new long[] { 0, 0, 2, 1, 0 }));
        Assert.That(wire.Select(s => KerasHash.Bucket(s, 2, (133, 137))), Is.EqualTo(new long[] { 0, 1, 0, 1, 0 }));
        Assert.That(wire.Select(s => KerasHash.Bucket(s, 2, (211, 137))), Is.EqualTo(new long[] { 1, 0, 1, 0, 1 }));
    }

    [Test]
    public void Bucket_IntegersHashTheirDecimalText()
    {
        // Keras: Hashing(num_bins=3)([0, 1, 2, 3, 4]) -> [1, 0, 1, 0, 2]; with salt [133, 137] -> [1, 1, 2, 0, 1].
        Assert.That(Enumerable.Range(0, 5).Select(i => KerasHash.Bucket(KerasHash.Text(i), 3)), Is.EqualTo(new long[] { 1, 0, 1, 0, 2 }));
        Assert.That(Enumerable.Range(0, 5).Select(i => KerasHash.Bucket(KerasHash.Text(i), 3, (133, 137))), Is.EqualTo(new long[] { 1, 1, 2, 0, 1 }));
        // integer_lookup_test.py: tf.strings.to_hash_bucket_fast(as_string([100, 200, 300, 400]), 4) -> [3, 1, 3, 1].
        Assert.That(new long[] { 100, 200, 300, 400 }.Select(i => KerasHash.Bucket(KerasHash.Text(i), 4)), Is.EqualTo(new long[] { 3, 1, 3, 1 }));
    }

    [Test]
    public void Fingerprint64_OfAStringHashesItsUtf8Bytes() =>
        Assert.That(KerasHash.Fingerprint64("é"), Is.EqualTo(KerasHash.Fingerprint64(Encoding.UTF8.GetBytes("é"))));
}
