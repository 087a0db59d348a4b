using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Data.Tests.Pipelines;

public sealed class MapDatasetTests
{
    [Test]
    public void OneArgumentForm_MapsX()
    {
        var ds = Dataset.FromTensorSlices(Read.Range(4)).Map(x => x * 10);
        Assert.That(Read.Scalars(ds), Is.EqualTo(new long[] { 0, 10, 20, 30 }));
        Assert.That(ds.Cardinality(), Is.EqualTo(4));
    }

    [Test]
    public void PairForm_MapsXAndY_AndDropsYWhenAskedTo()
    {
        var ds = Dataset.FromTensorSlices(Read.Range(3), Read.Range(3) + 5);
        var mapped = ds.Map((x, y) => (x + y, y * 2));
        Assert.That(Read.Scalars(mapped), Is.EqualTo(new long[] { 5, 7, 9 }));
        Assert.That(Read.Y(mapped).Select(v => v.Single()), Is.EqualTo(new long[] { 10, 12, 14 }));
        var xOnly = ds.Map((x, y) => x);
        using var scope = torch.NewDisposeScope();
        Assert.That(xOnly.Elements().All(e => e.Y is null));
    }

    [Test]
    public void ElementForm_MapsDictionariesAndStrings()
    {
        var ds = Dataset.FromTensorSlices(new[] { "ab", "cde" }, Read.Range(2))
            .Map(e => new Element(new Component(new Dictionary<string, Tensor>
            {
                ["length"] = torch.tensor((long)e.X.Strings.Value.Length),
            }), e.Y));
        using var scope = torch.NewDisposeScope();
        Assert.That(ds.Elements().Select(e => e.X["length"].Tensor.item<long>()), Is.EqualTo(new long[] { 2, 3 }));
    }

    [TestCase(1)]
    [TestCase(3)]
    [TestCase(Dataset.Autotune)]
    public void ParallelCalls_KeepTheOrder(int calls)
    {
        // Later elements finish first (earlier ones spin longer), so any reordering would show.
        var ds = Dataset.FromTensorSlices(Read.Range(40)).Map(x =>
        {
            long v = x.item<long>();
            Thread.SpinWait((int)(40 - v) * 2000);
            return x + 1000;
        }, numParallelCalls: calls);
        Assert.That(Read.Scalars(ds), Is.EqualTo(Enumerable.Range(1000, 40).Select(v => (long)v)));
    }

    [Test]
    public void ParallelCalls_RunOffTheCallingThread()
    {
        var threads = new System.Collections.Concurrent.ConcurrentBag<int>();
        var ds = Dataset.FromTensorSlices(Read.Range(6)).Map((Tensor x) => { threads.Add(Environment.CurrentManagedThreadId); return x; }, numParallelCalls: 2);
        Read.X(ds);
        Assert.That(threads, Has.None.EqualTo(Environment.CurrentManagedThreadId));
        threads.Clear();
        Read.X(Dataset.FromTensorSlices(Read.Range(3)).Map((Tensor x) => { threads.Add(Environment.CurrentManagedThreadId); return x; }));
        Assert.That(threads.Distinct(), Is.EqualTo(new[] { Environment.CurrentManagedThreadId }), "without numParallelCalls the puller runs it");
    }

    [Test]
    public void SeededRandomMap_IsTheSameWhateverTheParallelism_AndDiffersBetweenPasses()
    {
        using var x = torch.zeros(16, 3);
        float[] Run(int? calls, int passes = 1)
        {
            var ds = Dataset.FromTensorSlices(x, Read.Range(16))
                .Map((x, y, g) => (x + torch.rand(x.shape, generator: g), y), numParallelCalls: calls, seed: 42);
            float[] last = [];
            for (int p = 0; p < passes; p++)
                using (torch.NewDisposeScope())
                    last = [.. ds.Elements().SelectMany(e => e.X.Tensor.data<float>().ToArray())];
            return last;
        }
        var sequential = Run(null);
        Assert.That(Run(4), Is.EqualTo(sequential));
        Assert.That(Run(Dataset.Autotune), Is.EqualTo(sequential));
        Assert.That(Run(1), Is.EqualTo(sequential));
        Assert.That(sequential.Distinct().Count(), Is.EqualTo(48), "every element and value drew its own numbers");
        Assert.That(Run(4, passes: 2), Is.Not.EqualTo(sequential), "a second pass (epoch) draws new numbers");
        Assert.That(Run(null, passes: 2), Is.EqualTo(Run(4, passes: 2)));
    }

    [Test]
    public void WrongForm_SaysWhichFormFits()
    {
        var pairs = Dataset.FromTensorSlices(Read.Range(2), Read.Range(2));
        var e = Assert.Throws<InvalidOperationException>(() => Read.X(pairs.Map((Tensor x) => x)))!;
        Assert.That(e.Message, Is.EqualTo("Map(x => ...) takes elements of (x: tensor), but this dataset's elements are " +
            "(x: tensor, y: tensor); write (x, y) => ... instead."));
        var texts = Dataset.FromTensorSlices(new[] { "a" }, Read.Range(1));
        e = Assert.Throws<InvalidOperationException>(() => Read.X(texts.Map((x, y) => x)))!;
        Assert.That(e.Message, Does.StartWith("Map((x, y) => ...) takes elements of (x: tensor, y: tensor), but this dataset's elements " +
            "are (x: strings, y: tensor); write e => ... and read e.X and e.Y"));
    }

    [TestCase(null)]
    [TestCase(3)]
    public void AFunctionThatThrows_SurfacesWithTheElementIndex_AndNothingLeaks(int? calls)
    {
        var made = new System.Collections.Concurrent.ConcurrentBag<Tensor>();
        var ds = Dataset.FromTensorSlices(Read.Range(20)).Map(x =>
        {
            if (x.item<long>() == 7) throw new FormatException("bad sample");
            var y = x * 2;
            made.Add(y);
            return y;
        }, numParallelCalls: calls);
        InvalidOperationException? error = null;
        using (torch.NewDisposeScope())
            error = Assert.Throws<InvalidOperationException>(() => ds.Elements().ToList());
        Assert.That(error!.Message, Is.EqualTo("The function given to Map failed on element 7 of the pass (FormatException: bad sample)."));
        Assert.That(error.InnerException, Is.TypeOf<FormatException>());
        Assert.That(made, Is.Not.Empty);
        Assert.That(made.All(t => t.IsInvalid), "every tensor the function made was disposed");
    }

    [Test]
    public void ACapturedTensor_IsNotDisposedWithTheElements()
    {
        using var constant = torch.tensor(5L);
        var ds = Dataset.FromTensorSlices(Read.Range(3)).Map(x => constant);
        Assert.That(Read.Scalars(ds), Is.EqualTo(new long[] { 5, 5, 5 }));
        Assert.That(constant.IsInvalid, Is.False);
        Assert.That(constant.item<long>(), Is.EqualTo(5));
    }

    [Test]
    public void TheFunctionsTemporaries_AreDisposedAtOnce()
    {
        var temporaries = new List<Tensor>();
        var ds = Dataset.FromTensorSlices(Read.Range(3)).Map(x =>
        {
            var t = x + 1;
            temporaries.Add(t);
            return t * 2;
        });
        Assert.That(Read.Scalars(ds), Is.EqualTo(new long[] { 2, 4, 6 }));
        Assert.That(temporaries.All(t => t.IsInvalid));
    }

    [Test]
    public void NumParallelCallsOutOfRange_IsRefused()
    {
        var ds = Dataset.FromTensorSlices(Read.Range(3));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ds.Map((Tensor x) => x, numParallelCalls: 0))!;
        Assert.That(e.Message, Does.StartWith("numParallelCalls must be from 1 to 256 (each is a worker thread of the pass), or " +
            "Dataset.Autotune (the processor count); got 0."));
        Assert.Throws<ArgumentOutOfRangeException>(() => ds.Map((Tensor x) => x, numParallelCalls: int.MaxValue));
    }
}
