using Sequential.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Training;

public class EnumerableDataAdapterTests
{
    // Batch i holds the single value i, so the order of batches can be read back.
    private static List<(Tensor x, Tensor y)> Batches(int count) =>
        Enumerable.Range(0, count).Select(i => (full(1, 1, (float)i), tensor(new long[] { i }))).ToList();

    private static IEnumerable<(Tensor x, Tensor y)> Lazy(int count, Action? onPass = null)
    {
        onPass?.Invoke();
        for (int i = 0; i < count; i++) yield return (full(1, 1, (float)i), tensor(new long[] { i }));
    }

    private static long[] Ids(IEnumerable<Batch> batches) =>
        batches.Select(b => b.Y!.item<long>()).ToArray();

    [Test]
    public void BatchesPerPass_KnownForCollections_NullForGenerators()
    {
        Assert.That(new EnumerableDataAdapter(Batches(4), "data").BatchesPerPass, Is.EqualTo(4));
        Assert.That(new EnumerableDataAdapter(Lazy(4), "data").BatchesPerPass, Is.Null);
        Assert.That(new EnumerableDataAdapter(Lazy(4), "data", defaultSteps: 2).BatchesPerPass, Is.EqualTo(2));
    }

    [Test]
    public void NoSteps_OnePassPerEpoch()
    {
        var adapter = new EnumerableDataAdapter(Batches(3), "data");
        Assert.That(Ids(adapter.Batches(null)), Is.EqualTo(new long[] { 0, 1, 2 }));
        Assert.That(Ids(adapter.Batches(null)), Is.EqualTo(new long[] { 0, 1, 2 }));
    }

    [Test]
    public void Steps_ContinueWhereThePreviousEpochStopped_AndIntoTheNextPass()
    {
        // Keras 3: with steps_per_epoch, an epoch picks up the open iterator; at its end a new pass starts.
        int passes = 0;
        var adapter = new EnumerableDataAdapter(Lazy(5, () => passes++), "data");
        Assert.That(Ids(adapter.Batches(3)), Is.EqualTo(new long[] { 0, 1, 2 }));
        Assert.That(Ids(adapter.Batches(3)), Is.EqualTo(new long[] { 3, 4, 0 }));
        Assert.That(Ids(adapter.Batches(4)), Is.EqualTo(new long[] { 1, 2, 3, 4 }));
        Assert.That(passes, Is.EqualTo(2));
    }

    [Test]
    public void Fit_WithSteps_EndsTheOpenPass()
    {
        // A pass left open by stepsPerEpoch must be disposed when Fit returns: an iterator's prefetch threads
        // and buffered batches live until then.
        bool finished = false;
        IEnumerable<(Tensor x, Tensor y)> Source()
        {
            try { for (int i = 0; i < 10; i++) yield return (full(1, 2, (float)i), tensor(new long[] { i % 2 })); }
            finally { finished = true; }
        }
        var model = new SequentialModel(new Sequential.Layers.Dense(2, inputShape: [2]));
        model.Compile(optimizer: "sgd", loss: new Sequential.Losses.SparseCategoricalCrossentropy(fromLogits: true), device: "cpu");
        model.Fit(Source(), epochs: 1, stepsPerEpoch: 3, verbose: 0);
        Assert.That(finished, Is.True);
    }

    [Test]
    public void Empty_Throws_NamingTheSource([Values(null, 2)] int? steps)
    {
        var adapter = new EnumerableDataAdapter(Lazy(0), "validationData");
        var e = Assert.Throws<ArgumentException>(() => adapter.Batches(steps).ToList());
        Assert.That(e!.Message, Does.Contain("validationData produced no batches"));
    }

    [Test]
    public void NonPositiveSteps_Throw([Values(0, -1)] int steps)
    {
        var adapter = new EnumerableDataAdapter(Batches(2), "data");
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => adapter.Batches(steps).ToList());
        Assert.That(e!.Message, Does.Contain("steps must be a positive number of batches"));
    }

    [Test]
    public void Fit_EmptyIterator_ThrowsThroughTheModel()
    {
        var model = new SequentialModel(new Sequential.Layers.Dense(2, inputShape: [1]));
        model.Compile(optimizer: "sgd", loss: new Sequential.Losses.SparseCategoricalCrossentropy(fromLogits: true), device: "cpu");
        var e = Assert.Throws<ArgumentException>(() => model.Fit(new List<(Tensor, Tensor)>(), verbose: 0));
        Assert.That(e!.Message, Does.Contain("data produced no batches"));
    }

    [Test]
    public void Predict_WithSteps_UsesThatManyBatches()
    {
        var model = new SequentialModel(new Sequential.Layers.Dense(2, inputShape: [1]));
        using var output = model.Predict(Lazy(5), steps: 3, verbose: 0);
        Assert.That(output.shape, Is.EqualTo(new long[] { 3, 2 }));
    }
}
