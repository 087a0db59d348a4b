using System.Buffers.Binary;
using Tensorboard;

namespace Sequential.Core.Tests.Callbacks;

/// <summary>
/// Reads TensorBoard event files back as TensorBoard does: TFRecord framing (8-byte little-endian length, masked CRC-32C
/// of the length, the data, masked CRC-32C of the data), each record one <c>Event</c> protobuf. The CRC is computed here
/// independently of TorchSharp's, so a wrong checksum (which TensorBoard rejects as data loss) fails the test.
/// </summary>
internal static class EventFiles
{
    /// <summary>One summary value read back: where, what, when.</summary>
    public sealed record Value(string Run, string Tag, long Step, Summary.Types.Value Summary);

    /// <summary>The event files directly in <paramref name="dir"/>.</summary>
    public static string[] In(string dir) =>
        Directory.Exists(dir) ? Directory.GetFiles(dir, "events.out.tfevents.*").Order(StringComparer.Ordinal).ToArray() : [];

    /// <summary>Every event of one file, checking the framing and both checksums of every record.</summary>
    public static List<Event> Read(string file)
    {
        var bytes = File.ReadAllBytes(file);
        var events = new List<Event>();
        int position = 0;
        while (position < bytes.Length)
        {
            Assert.That(bytes.Length - position, Is.GreaterThanOrEqualTo(12), $"{file}: truncated record header at byte {position}");
            var header = bytes.AsSpan(position, 8);
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position + 8, 4)), Is.EqualTo(MaskedCrc(header)),
                $"{file}: length checksum of the record at byte {position}");
            position += 12;
            Assert.That(length, Is.LessThanOrEqualTo((ulong)(bytes.Length - position - 4)), $"{file}: record length {length} past the end");
            var data = bytes.AsSpan(position, (int)length);
            position += (int)length;
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position, 4)), Is.EqualTo(MaskedCrc(data)),
                $"{file}: data checksum of the record ending at byte {position}");
            position += 4;
            events.Add(Event.Parser.ParseFrom(data.ToArray()));
        }
        return events;
    }

    /// <summary>Every summary value under <paramref name="logDir"/>'s runs (<c>train</c>, <c>validation</c>), in file order.</summary>
    public static List<Value> Values(string logDir)
    {
        var values = new List<Value>();
        foreach (var run in new[] { "train", "validation" })
            foreach (var file in In(Path.Combine(logDir, run)))
                foreach (var e in Read(file))
                    if (e.Summary is { } summary)
                        values.AddRange(summary.Value.Select(v => new Value(run, v.Tag, e.Step, v)));
        return values;
    }

    /// <summary>The scalars of one tag in one run, as (step, value).</summary>
    public static List<(long step, float value)> Scalars(IEnumerable<Value> values, string run, string tag) =>
        values.Where(v => v.Run == run && v.Tag == tag).Select(v => (v.Step, v.Summary.SimpleValue)).ToList();

    private static uint MaskedCrc(ReadOnlySpan<byte> data)
    {
        uint crc = Crc32C(data);
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }

    /// <summary>CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), bit by bit: slow and obviously right.</summary>
    internal static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = ~0u;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        }
        return ~crc;
    }
}
