using static Sequential.Data.Utils;
using static TorchSharp.torch;

namespace Sequential.Data.Tests;

/// <summary>Keras's timeseries_dataset_utils_test.py.</summary>
public class UtilsTimeseriesDatasetFromArrayTests
{
    private static long[] Longs(Tensor t) => t.to_type(ScalarType.Int64).contiguous().data<long>().ToArray();

    private static long[] Range(long from, long to, long step = 1)
    {
        var values = new List<long>();
        for (long v = from; v < to; v += step) values.Add(v);
        return [.. values];
    }

    [Test]
    public void Basics_OrderTargetsLengthsBatches()
    {
        var data = arange(100, dtype: ScalarType.Int64);
        var batches = TimeseriesDatasetFromArray(data, data * 2, sequenceLength: 9, batchSize: 5).ToList();
        Assert.That(batches, Has.Count.EqualTo(19));
        for (int i = 0; i < batches.Count; i++)
        {
            var (inputs, targets) = batches[i];
            Assert.That(inputs.shape, Is.EqualTo(i < 18 ? new long[] { 5, 9 } : new long[] { 2, 9 }));
            Assert.That(Longs(inputs[.., 0] * 2), Is.EqualTo(Longs(targets)));
            for (int j = 0; j < inputs.shape[0]; j++)
                Assert.That(Longs(inputs[j]), Is.EqualTo(Range(i * 5 + j, i * 5 + j + 9)));
        }
    }

    [Test]
    public void TimeseriesRegression_TargetsOffsetByTheWindow()
    {
        var data = arange(10, dtype: ScalarType.Int64);
        var batches = TimeseriesDatasetFromArray(data, data[3..], sequenceLength: 3, batchSize: 1).ToList();
        Assert.That(batches, Has.Count.EqualTo(7));
        for (int i = 0; i < 7; i++)
        {
            Assert.That(Longs(batches[i].y), Is.EqualTo(new long[] { 3 + i }));
            Assert.That(Longs(batches[i].x[0]), Is.EqualTo(Range(i, i + 3)));
        }
    }

    [Test]
    public void NoTargets_WindowsAlone()
    {
        var ds = TimeseriesDatasetFromArray(arange(50, dtype: ScalarType.Int64), null, sequenceLength: 10, batchSize: 5);
        var batches = ((IBatchSource)ds).GetBatches().ToList();
        Assert.That(batches, Has.Count.EqualTo(9));
        Assert.That(batches[8].X.shape, Is.EqualTo(new long[] { 1, 10 }));
        Assert.That(batches.All(b => b.Targets is null), Is.True);
        Assert.That(Longs(batches[3].X[2]), Is.EqualTo(Range(17, 27)));
    }

    [Test]
    public void SamplingRate_AndStartEndIndex()
    {
        var data = arange(100, dtype: ScalarType.Int64);
        var batches = TimeseriesDatasetFromArray(data, data * 2, sequenceLength: 9, batchSize: 5, samplingRate: 2).ToList();
        Assert.That(batches, Has.Count.EqualTo(17));
        Assert.That(batches[16].x.shape, Is.EqualTo(new long[] { 4, 9 }));
        Assert.That(Longs(batches[1].x[3]), Is.EqualTo(Range(8, 26, 2)));
        // start_index 10, end_index 30: windows of 5 from steps 10..29, targets at their first step.
        var window = TimeseriesDatasetFromArray(data, data * 2, sequenceLength: 5, batchSize: 100, startIndex: 10, endIndex: 30).ToList();
        Assert.That(window[0].x.shape, Is.EqualTo(new long[] { 16, 5 }));
        Assert.That(Longs(window[0].x[0]), Is.EqualTo(Range(10, 15)));
        Assert.That(Longs(window[0].y[0..1]), Is.EqualTo(new long[] { 20 }));
    }

    [Test]
    public void Shuffle_IsDeterministicForASeed_CoversEveryWindow_AndKeepsTargetsWithWindows()
    {
        var data = arange(10, dtype: ScalarType.Int64);
        var first = TimeseriesDatasetFromArray(data, data * 2, sequenceLength: 5, batchSize: 1, shuffle: true, seed: 123).ToList();
        Assert.That(first, Has.Count.EqualTo(6));
        foreach (var (x, y) in first) Assert.That(Longs(x[.., 0] * 2), Is.EqualTo(Longs(y)));
        Assert.That(first.Select(b => Longs(b.x)[0]).Order(), Is.EqualTo(new long[] { 0, 1, 2, 3, 4, 5 }), "every window once");
        var again = TimeseriesDatasetFromArray(data, data * 2, sequenceLength: 5, batchSize: 1, shuffle: true, seed: 123).ToList();
        Assert.That(again.Select(b => Longs(b.x)[0]), Is.EqualTo(first.Select(b => Longs(b.x)[0])), "same seed, same order");
    }

    [Test]
    public void BadArguments_KerasMessages()
    {
        var data = arange(20, dtype: ScalarType.Float32);
        Assert.That(Assert.Throws<ArgumentException>(() => TimeseriesDatasetFromArray(data, null, 5, startIndex: -1))!.Message,
            Does.StartWith("`start_index` must be 0 or greater."));
        Assert.That(Assert.Throws<ArgumentException>(() => TimeseriesDatasetFromArray(data, null, 5, startIndex: 5, endIndex: 5))!.Message,
            Does.StartWith("`end_index` must be higher than `start_index`."));
        Assert.That(Assert.Throws<ArgumentException>(() => TimeseriesDatasetFromArray(data, null, 5, samplingRate: 0))!.Message,
            Does.StartWith("`sampling_rate` must be higher than 0."));
        Assert.That(Assert.Throws<ArgumentException>(() => TimeseriesDatasetFromArray(data, null, 5, sequenceStride: 20))!.Message,
            Does.StartWith("`sequence_stride` must be lower than the length of the data."));
        Assert.That(Assert.Throws<ArgumentException>(() => TimeseriesDatasetFromArray(data, null, 30))!.Message,
            Does.Contain("too few for one window"));
    }

    [Test]
    public void FeatureWindows_TrainADenseModel()
    {
        var series = randn(200, 3, generator: new Generator(1));
        var ds = TimeseriesDatasetFromArray(series[..190], series[10.., 0].unsqueeze(1), sequenceLength: 10, batchSize: 32);
        var model = new SequentialModel(new Layers.Flatten(inputShape: [10, 3]), new Layers.Dense(1));
        model.Compile(optimizer: "adam", loss: "mse", device: "cpu");
        var history = model.Fit(ds, epochs: 2, verbose: 0);
        Assert.That(history["loss"], Has.Count.EqualTo(2));
        Assert.That(double.IsFinite(history["loss"][1]), Is.True);
    }
}
