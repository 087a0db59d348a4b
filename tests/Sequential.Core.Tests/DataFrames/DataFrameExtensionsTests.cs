using Microsoft.Data.Analysis;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.DataFrames;

public class DataFrameExtensionsTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    private static IEnumerable<TestCaseData> NumericColumns()
    {
        yield return new TestCaseData(new PrimitiveDataFrameColumn<byte>("v", new byte[] { 0, 7, 255 }), new[] { 0f, 7f, 255f }).SetName("byte");
        yield return new TestCaseData(new PrimitiveDataFrameColumn<sbyte>("v", new sbyte[] { -128, 0, 127 }), new[] { -128f, 0f, 127f }).SetName("sbyte");
        yield return new TestCaseData(new PrimitiveDataFrameColumn<short>("v", new short[] { -300, 1, 300 }), new[] { -300f, 1f, 300f }).SetName("short");
        yield return new TestCaseData(new PrimitiveDataFrameColumn<ushort>("v", new ushort[] { 0, 1, 65535 }), new[] { 0f, 1f, 65535f }).SetName("ushort");
        yield return new TestCaseData(new Int32DataFrameColumn("v", new[] { -5, 0, 100000 }), new[] { -5f, 0f, 100000f }).SetName("int");
        yield return new TestCaseData(new PrimitiveDataFrameColumn<uint>("v", new uint[] { 0, 3, 4000000000 }), new[] { 0f, 3f, 4e9f }).SetName("uint");
        yield return new TestCaseData(new Int64DataFrameColumn("v", new[] { -1L, 2L, 1L << 40 }), new[] { -1f, 2f, 1099511627776f }).SetName("long");
        yield return new TestCaseData(new PrimitiveDataFrameColumn<ulong>("v", new ulong[] { 0, 9, 1UL << 63 }), new[] { 0f, 9f, 9.223372e18f }).SetName("ulong");
        yield return new TestCaseData(new SingleDataFrameColumn("v", new[] { -0.5f, 1.25f, 3e30f }), new[] { -0.5f, 1.25f, 3e30f }).SetName("float");
        yield return new TestCaseData(new DoubleDataFrameColumn("v", new[] { -0.1, 2.5, 1e10 }), new[] { -0.1f, 2.5f, 1e10f }).SetName("double");
        yield return new TestCaseData(new DecimalDataFrameColumn("v", new[] { -1.5m, 0.1m, 12345.678m }), new[] { -1.5f, 0.1f, 12345.678f }).SetName("decimal");
        yield return new TestCaseData(new BooleanDataFrameColumn("v", new[] { true, false, true }), new[] { 1f, 0f, 1f }).SetName("bool");
    }

    [TestCaseSource(nameof(NumericColumns))]
    public void ToTensor_ConvertsEachColumnTypeToFloat32(DataFrameColumn column, float[] expected)
    {
        using var x = new DataFrame(column).ToTensor();
        Assert.That(x.dtype, Is.EqualTo(ScalarType.Float32));
        Assert.That(x.shape, Is.EqualTo(new long[] { 3, 1 }));
        Assert.That(x.data<float>().ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void ToTensor_IsRowMajor_InTheOrderOfTheColumnsAsked()
    {
        var frame = new DataFrame(
            new Int32DataFrameColumn("a", [1, 2, 3]),
            new DoubleDataFrameColumn("b", [0.5, 1.5, 2.5]),
            new BooleanDataFrameColumn("c", [true, false, false]));
        using var x = frame.ToTensor(["c", "a", "b"]);
        Assert.That(x.data<float>().ToArray(), Is.EqualTo(new[] { 1f, 1f, 0.5f, 0f, 2f, 1.5f, 0f, 3f, 2.5f }));
    }

    [Test]
    public void ToTensor_SpansBlockBoundaries()
    {
        const int rows = 10_000; // more than one 4,096-row block, not a multiple of it
        var frame = new DataFrame(
            new Int32DataFrameColumn("a", Enumerable.Range(0, rows)),
            new DoubleDataFrameColumn("b", Enumerable.Range(0, rows).Select(i => -i * 0.5)));
        using var x = frame.ToTensor();
        var values = x.data<float>().ToArray();
        Assert.That(values[2 * 9_999], Is.EqualTo(9_999f));
        Assert.That(values[2 * 4_096 + 1], Is.EqualTo(-2_048f));
    }

    [Test]
    public void ToTensor_LargeFramePath_GivesTheSameValues()
    {
        // Frames over 2 GB are copied through a block buffer instead of Tensor.bytes; force that path on a small frame.
        var frame = new DataFrame(
            new Int32DataFrameColumn("a", Enumerable.Range(0, 10_000)),
            new DoubleDataFrameColumn("b", Enumerable.Range(0, 10_000).Select(i => -i * 0.5)));
        using var direct = frame.ToTensor();
        long saved = DataFrameConverter.DirectWriteLimitBytes;
        DataFrameConverter.DirectWriteLimitBytes = 0;
        try
        {
            using var buffered = frame.ToTensor();
            Assert.That(buffered.data<float>().ToArray(), Is.EqualTo(direct.data<float>().ToArray()));
        }
        finally
        {
            DataFrameConverter.DirectWriteLimitBytes = saved;
        }
    }

    [Test]
    public void LabelTensor_IntegerColumnGivesInt64_FloatColumnGivesFloat32()
    {
        var frame = new DataFrame(new Int32DataFrameColumn("k", [2, 0, 1]), new SingleDataFrameColumn("f", [0.5f, 1f, 0f]));
        using var k = DataFrameConverter.ToLabelTensor(DataFrameConverter.Columns(frame, ["k"], "labels"), 3);
        using var f = DataFrameConverter.ToLabelTensor(DataFrameConverter.Columns(frame, ["f"], "labels"), 3);
        using var both = DataFrameConverter.ToLabelTensor(DataFrameConverter.Columns(frame, ["k", "f"], "labels"), 3);
        Assert.That(k.dtype, Is.EqualTo(ScalarType.Int64));
        Assert.That(k.data<long>().ToArray(), Is.EqualTo(new[] { 2L, 0L, 1L }));
        Assert.That(f.dtype, Is.EqualTo(ScalarType.Float32));
        Assert.That(f.shape, Is.EqualTo(new long[] { 3 }));
        Assert.That(both.shape, Is.EqualTo(new long[] { 3, 2 }));
    }

    [Test]
    public void ToTensor_RejectsUnsupportedTypes()
    {
        var frame = new DataFrame(new PrimitiveDataFrameColumn<DateTime>("when", [DateTime.UnixEpoch]));
        var ex = Assert.Throws<ArgumentException>(() => frame.ToTensor());
        Assert.That(ex!.Message, Does.Contain("\"when\"").And.Contain("DateTime"));
    }

    private static DataFrame Numbered(int rows) => new(new Int32DataFrameColumn("id", Enumerable.Range(0, rows)),
        new DoubleDataFrameColumn("x", Enumerable.Range(0, rows).Select(i => i * 2.0)));

    [TestCase(10, 0.2, 8, 2)]
    [TestCase(10, 0.25, 7, 3)] // ceil(2.5) = 3 test rows, as scikit-learn
    [TestCase(569, 0.2, 455, 114)]
    public void TrainTestSplit_Sizes(int rows, double fraction, int train, int test)
    {
        var (a, b) = Numbered(rows).TrainTestSplit(fraction, seed: 1);
        Assert.That(a.Rows.Count, Is.EqualTo(train));
        Assert.That(b.Rows.Count, Is.EqualTo(test));
    }

    [Test]
    public void TrainTestSplit_IsAPartition_ReproducibleBySeed_AndKeepsRowsWhole()
    {
        var frame = Numbered(50);
        var (train, test) = frame.TrainTestSplit(0.3, seed: 42);
        var (train2, test2) = frame.TrainTestSplit(0.3, seed: 42);
        var (_, test3) = frame.TrainTestSplit(0.3, seed: 43);
        var ids = Ids(train).Concat(Ids(test)).Order();
        Assert.That(ids, Is.EqualTo(Enumerable.Range(0, 50)));
        Assert.That(Ids(test2), Is.EqualTo(Ids(test)));
        Assert.That(Ids(train2), Is.EqualTo(Ids(train)));
        Assert.That(Ids(test3), Is.Not.EqualTo(Ids(test)));
        Assert.That(Ids(test), Is.Not.Ordered, "rows are shuffled");
        for (long r = 0; r < test.Rows.Count; r++)
            Assert.That((double)test["x"][r]!, Is.EqualTo((int)test["id"][r]! * 2.0));
    }

    [Test]
    public void TrainTestSplit_WithoutSeed_FollowsRandomSeedSet()
    {
        var frame = Numbered(30);
        RandomSeed.Set(5);
        var (_, first) = frame.TrainTestSplit(0.5);
        RandomSeed.Set(5);
        var (_, second) = frame.TrainTestSplit(0.5);
        Assert.That(Ids(second), Is.EqualTo(Ids(first)));
    }

    [TestCase(0.0)]
    [TestCase(1.0)]
    [TestCase(-0.1)]
    [TestCase(double.NaN)]
    public void TrainTestSplit_RejectsFractionsOutsideZeroOne(double fraction) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Numbered(10).TrainTestSplit(fraction, seed: 1));

    [Test]
    public void TrainTestSplit_RejectsTooFewRows()
    {
        Assert.Throws<ArgumentException>(() => Numbered(1).TrainTestSplit(0.5, seed: 1));
        Assert.Throws<ArgumentException>(() => Numbered(0).TrainTestSplit(0.5, seed: 1));
    }

    private static List<int> Ids(DataFrame frame) => [.. ((Int32DataFrameColumn)frame["id"]).Select(v => v!.Value)];
}
