using static Sequential.Data.Utils;
using static TorchSharp.torch;

namespace Sequential.Data.Tests;

/// <summary>Keras's sequence_utils_test.py (pad_sequences).</summary>
public class UtilsPadSequencesTests
{
    private static long[] Longs(Tensor t) => t.to_type(ScalarType.Int64).contiguous().data<long>().ToArray();

    private static float[] Floats(Tensor t) => t.contiguous().data<float>().ToArray();

    [Test]
    public void PadSequences_KerasValues()
    {
        int[][] a = [[1], [1, 2], [1, 2, 3]];
        var pre = PadSequences(a, maxlen: 3, padding: "pre");
        Assert.That(pre.dtype, Is.EqualTo(ScalarType.Int32));
        Assert.That(pre.shape, Is.EqualTo(new long[] { 3, 3 }));
        Assert.That(Longs(pre), Is.EqualTo(new long[] { 0, 0, 1, 0, 1, 2, 1, 2, 3 }));
        Assert.That(Longs(PadSequences(a, maxlen: 3, padding: "post")), Is.EqualTo(new long[] { 1, 0, 0, 1, 2, 0, 1, 2, 3 }));
        Assert.That(Longs(PadSequences(a, maxlen: 2, truncating: "pre")), Is.EqualTo(new long[] { 0, 1, 1, 2, 2, 3 }));
        Assert.That(Longs(PadSequences(a, maxlen: 2, truncating: "post")), Is.EqualTo(new long[] { 0, 1, 1, 2, 1, 2 }));
        Assert.That(Longs(PadSequences(a, maxlen: 3, value: 1)), Is.EqualTo(new long[] { 1, 1, 1, 1, 1, 2, 1, 2, 3 }));
        Assert.That(PadSequences(a).shape, Is.EqualTo(new long[] { 3, 3 }), "maxlen defaults to the longest");
    }

    [Test]
    public void PadSequencesFloat_KerasValues()
    {
        double[][] a = [[1.2], [1.2, 2.3], [1.2, 2.3, 3.4]];
        Assert.That(Floats(PadSequences(a, maxlen: 3, padding: "pre")), Is.EqualTo(new[] { 0, 0, 1.2f, 0, 1.2f, 2.3f, 1.2f, 2.3f, 3.4f }).Within(1e-6));
        Assert.That(Floats(PadSequences(a, maxlen: 3, padding: "post")), Is.EqualTo(new[] { 1.2f, 0, 0, 1.2f, 2.3f, 0, 1.2f, 2.3f, 3.4f }).Within(1e-6));
        Assert.That(Floats(PadSequences(a, maxlen: 2, truncating: "pre")), Is.EqualTo(new[] { 0, 1.2f, 1.2f, 2.3f, 2.3f, 3.4f }).Within(1e-6));
        Assert.That(Floats(PadSequences(a, maxlen: 2, truncating: "post")), Is.EqualTo(new[] { 0, 1.2f, 1.2f, 2.3f, 1.2f, 2.3f }).Within(1e-6));
        Assert.That(Floats(PadSequences(a, maxlen: 3, value: 1)), Is.EqualTo(new[] { 1, 1, 1.2f, 1, 1.2f, 2.3f, 1.2f, 2.3f, 3.4f }).Within(1e-6));
    }

    [Test]
    public void EmptySequencesAndLongIds_AndBadArguments()
    {
        long[][] ids = [[], [(1L << 60) + 1, 7]];   // not representable as a double: ids must stay exact
        var padded = PadSequences(ids, maxlen: 3, dtype: ScalarType.Int64);
        Assert.That(Longs(padded), Is.EqualTo(new long[] { 0, 0, 0, 0, (1L << 60) + 1, 7 }));
        Assert.That(Assert.Throws<ArgumentException>(() => PadSequences(ids, padding: "middle"))!.Message, Does.Contain("Padding type \"middle\" not understood"));
        Assert.That(Assert.Throws<ArgumentException>(() => PadSequences(ids, truncating: "x"))!.Message, Does.Contain("Truncating type \"x\" not understood"));
        Assert.Throws<ArgumentException>(() => PadSequences(ids, maxlen: -1));
        Assert.That(Assert.Throws<ArgumentException>(() => PadSequences(new int[]?[] { [1], null }!))!.Message, Does.Contain("position 1 is null"));
    }
}
