using System.Collections.Concurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Data.Tests.Pipelines;

public sealed class PrefetchDatasetTests
{
    /// <summary>A map that counts the elements made and not yet consumed, and the calls running.</summary>
    private sealed class Counting
    {
        public int Made;
        public int Consumed;
        public int Running;
        public int MostAhead;
        public readonly ConcurrentBag<Tensor> Outputs = [];

        public Tensor Map(Tensor x)
        {
            Interlocked.Increment(ref Running);
            int made = Interlocked.Increment(ref Made);
            int ahead = made - Volatile.Read(ref Consumed);
            int most;
            while (ahead > (most = Volatile.Read(ref MostAhead)) && Interlocked.CompareExchange(ref MostAhead, ahead, most) != most) { }
            var y = x * 2;
            Outputs.Add(y);
            Interlocked.Decrement(ref Running);
            return y;
        }
    }

    [Test]
    public void ElementsInFlight_NeverExceedThePrefetchBufferPlusFourPerParallelCall()
    {
        var counting = new Counting();
        var ds = Dataset.FromTensorSlices(Read.Range(300)).Map(counting.Map, numParallelCalls: 3).Prefetch(4);
        using var scope = torch.NewDisposeScope();
        using var pass = ds.Elements().GetEnumerator();
        long expected = 0;
        while (pass.MoveNext())
        {
            Interlocked.Increment(ref counting.Consumed);
            Assert.That(pass.Current.X.Tensor.item<long>(), Is.EqualTo(2 * expected++));
            // A slow consumer: an unbounded producer would run far ahead meanwhile.
            if (expected % 50 == 1) Thread.Sleep(30);
        }
        Assert.That(expected, Is.EqualTo(300));
        // buffer 4 + 4 x 3 in the map's window (four jobs per worker) + 1 in the prefetch thread's hands waiting for room.
        Assert.That(counting.MostAhead, Is.LessThanOrEqualTo(4 + 4 * 3 + 1));
        Assert.That(counting.MostAhead, Is.GreaterThanOrEqualTo(4), "the prefetch thread did run ahead");
    }

    [Test]
    public void AnAbandonedPass_StopsItsThreadsAndDisposesWhatTheyMade()
    {
        var counting = new Counting();
        var ds = Dataset.FromTensorSlices(Read.Range(1000)).Map(counting.Map, numParallelCalls: 2).Prefetch(3);
        using (torch.NewDisposeScope())
        {
            using var pass = ds.Elements().GetEnumerator();
            for (int i = 0; i < 3; i++) Assert.That(pass.MoveNext());
            Thread.Sleep(30); // let the workers fill their buffers
            Assert.That(WorkerThread.Live, Is.EqualTo(3), "one prefetch thread and two map workers while the pass runs");
        }
        // The pass is disposed: its threads have ended, nothing runs or is made any more, and every tensor is freed
        // (the three taken with the consumer's scope, the rest by the pipeline).
        Assert.That(WorkerThread.Live, Is.Zero);
        int made = counting.Made;
        Assert.That(counting.Running, Is.Zero);
        Assert.That(made, Is.LessThan(1000));
        Thread.Sleep(30);
        Assert.That(counting.Made, Is.EqualTo(made));
        Assert.That(counting.Outputs.Count(t => !t.IsInvalid), Is.Zero);
    }

    [Test]
    public void Take_StopsTheWorkersBeforeHandingOnItsLastElement()
    {
        var counting = new Counting();
        var ds = Dataset.FromTensorSlices(Read.Range(1000)).Map(counting.Map, numParallelCalls: 2).Prefetch(2).Take(5);
        using var scope = torch.NewDisposeScope();
        using var pass = ds.Elements().GetEnumerator();
        for (int i = 0; i < 5; i++) Assert.That(pass.MoveNext());
        // The consumer holds the fifth element and has not asked for more: the workers are already gone.
        Assert.That(WorkerThread.Live, Is.Zero);
        Assert.That(counting.Outputs.Count(t => !t.IsInvalid), Is.EqualTo(5));
    }

    [Test]
    public void AnErrorUpstream_SurfacesInTheConsumer_AndTheThreadEnds()
    {
        var ds = Dataset.FromTensorSlices(Read.Range(50))
            .Map(x => x.item<long>() == 20 ? throw new InvalidDataException("bad file") : x).Prefetch(2);
        var e = Assert.Throws<InvalidOperationException>(() => Read.X(ds))!;
        Assert.That(e.Message, Is.EqualTo("The function given to Map failed on element 20 of the pass (InvalidDataException: bad file)."));
        Assert.That(WorkerThread.Live, Is.Zero);
    }

    [Test]
    public void ValuesAndCardinality_AreTheInputs()
    {
        var ds = Dataset.FromTensorSlices(Read.Range(7)).Batch(2).Prefetch(Dataset.Autotune);
        Assert.That(Read.X(ds), Is.EqualTo(Read.X(Dataset.FromTensorSlices(Read.Range(7)).Batch(2))));
        Assert.That(ds.Cardinality(), Is.EqualTo(4));
        Assert.That(Read.X(Dataset.FromTensorSlices(Read.Range(3)).Prefetch(0)), Has.Count.EqualTo(3));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ds.Prefetch(-2))!;
        Assert.That(e.Message, Does.StartWith("bufferSize must be 0 or more, or Dataset.Autotune; got -2."));
    }
}
