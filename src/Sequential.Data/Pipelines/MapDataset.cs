using System.Runtime.ExceptionServices;
using static TorchSharp.torch;

namespace Sequential.Data;

/// <summary>
/// <see cref="Dataset.Map(Func{Element, Element}, int?)"/>. Without <c>numParallelCalls</c> the function runs on the
/// thread that pulls the elements; with it, on that many worker threads of the pass, at most that many elements in
/// flight, and the elements come out in input order. A seeded function gets a generator seeded from
/// (seed, pass, element index), so its draws do not depend on which thread ran it or when.
/// </summary>
internal sealed class MapDataset : Dataset
{
    private readonly Dataset _input;
    private readonly Func<Element, Generator?, Element> _function;
    private readonly int? _parallel;
    private readonly long? _seed;
    private int _passes;

    /// <summary>The most worker threads a Map may ask for: far more than any machine's cores, few enough to start.</summary>
    internal const int MaxParallelCalls = 256;

    public MapDataset(Dataset input, Func<Element, Generator?, Element> function, int? numParallelCalls, long? seed)
    {
        _input = input;
        _function = function;
        _parallel = numParallelCalls switch
        {
            null => null,
            Autotune => Environment.ProcessorCount,
            >= 1 and <= MaxParallelCalls => numParallelCalls,
            _ => throw new ArgumentOutOfRangeException(nameof(numParallelCalls), numParallelCalls,
                $"numParallelCalls must be from 1 to {MaxParallelCalls} (each is a worker thread of the pass), or Dataset.Autotune " +
                $"(the processor count); got {numParallelCalls}."),
        };
        _seed = seed;
    }

    /// <summary>The worker threads a pass uses (null: none, the puller runs the function).</summary>
    internal int? Workers => _parallel;

    public override long Cardinality() => _input.Cardinality();

    internal override IEnumerator<Element> Open() => Run(_input.Open, null)!;

    /// <summary>The function runs only on the elements <paramref name="wanted"/> accepts (the others come out null),
    /// with the same element indices, so the same seeds, as in a whole pass.</summary>
    internal override IEnumerator<Element?> OpenRows(Func<long, bool> wanted) => Run(() => _input.OpenRows(wanted), wanted);

    private IEnumerator<Element?> Run(Func<IEnumerator<Element?>> open, Func<long, bool>? wanted)
    {
        int pass = Interlocked.Increment(ref _passes) - 1;
        Func<long, ulong>? seedOf = _seed is long seed ? index => SeedOf(seed, pass, index) : null;
        return _parallel is int workers ? Parallel(workers, seedOf, open, wanted) : Sequential(seedOf, open, wanted);
    }

    /// <summary>Null for an element not wanted (or skipped upstream), whose tensors are disposed; else the element.</summary>
    private static Element? Skip(Element? input, long index, Func<long, bool>? wanted)
    {
        if (input is not null && (wanted is null || wanted(index))) return input;
        input?.DisposeTensors();
        return null;
    }

    /// <summary>The seed of element <paramref name="index"/>'s generator in pass <paramref name="pass"/> (ImageIterator's mix).</summary>
    internal static ulong SeedOf(long seed, int pass, long index) =>
        (ulong)ImageIterator.Mix(seed ^ (index >> 31), pass, (int)(index & int.MaxValue));

    private IEnumerator<Element?> Sequential(Func<long, ulong>? seedOf, Func<IEnumerator<Element?>> open, Func<long, bool>? wanted)
    {
        using var input = open();
        for (long index = 0; input.MoveNext(); index++)
            yield return Skip(input.Current, index, wanted) is { } element ? UserFunction.Map(_function, element, index, seedOf) : null;
    }

    /// <summary>One element in flight: its input (null for one skipped), and once a worker ran it, its output or error.</summary>
    private sealed class Job(Element? input, long index)
    {
        public Element? Input { get; } = input;
        public long Index { get; } = index;
        public Element? Output;
        public Exception? Error;
        public readonly ManualResetEventSlim Done = new();

        /// <summary>Disposes whatever tensors the job still holds (after its worker is done with it).</summary>
        public void Discard()
        {
            if (Output is not null) Output.DisposeTensors();
            else if (Error is null) Input?.DisposeTensors(); // never ran: the input is still ours
            Done.Dispose();
        }
    }

    private IEnumerator<Element?> Parallel(int workers, Func<long, ulong>? seedOf, Func<IEnumerator<Element?>> open, Func<long, bool>? wanted)
    {
        var jobs = new System.Collections.Concurrent.BlockingCollection<Job>();
        var window = new Queue<Job>();
        var threads = new List<Thread>();
        var stopping = new CancellationTokenSource();
        IEnumerator<Element?>? input = null;
        try
        {
            input = open();
            for (int w = 0; w < workers; w++)
                threads.Add(WorkerThread.Start("Sequential.Data map", () => Work(jobs, stopping.Token, seedOf)));
            long next = 0;
            bool exhausted = false;
            while (true)
            {
                // Four jobs per worker in flight: a worker that finishes before the oldest job (which is returned first, to
                // keep the order) starts the next one instead of waiting for it.
                while (!exhausted && window.Count < 4 * workers)
                {
                    if (!input.MoveNext())
                    {
                        exhausted = true;
                        break;
                    }
                    long index = next++;
                    var job = new Job(Skip(input.Current, index, wanted), index);
                    window.Enqueue(job);
                    if (job.Input is null) job.Done.Set();   // skipped: nothing to run, Output stays null
                    else jobs.Add(job);
                }
                if (window.Count == 0) yield break;
                var oldest = window.Peek();
                oldest.Done.Wait();
                window.Dequeue();
                oldest.Done.Dispose();
                if (oldest.Error is not null) ExceptionDispatchInfo.Capture(oldest.Error).Throw();
                yield return oldest.Output;
            }
        }
        finally
        {
            // Stop the workers (a job not started yet is skipped), wait for them, then free what the window still holds.
            stopping.Cancel();
            jobs.CompleteAdding();
            foreach (var thread in threads) thread.Join();
            foreach (var job in window) job.Discard();
            input?.Dispose();
            jobs.Dispose();
            stopping.Dispose();
        }
    }

    private void Work(System.Collections.Concurrent.BlockingCollection<Job> jobs, CancellationToken stopping, Func<long, ulong>? seedOf)
    {
        foreach (var job in jobs.GetConsumingEnumerable())
        {
            if (stopping.IsCancellationRequested)
            {
                job.Done.Set(); // left for the owner to discard: Output and Error stay null
                continue;
            }
            try
            {
                job.Output = UserFunction.Map(_function, job.Input!, job.Index, seedOf);
            }
            catch (Exception e)
            {
                job.Error = e;
            }
            finally
            {
                job.Done.Set();
            }
        }
    }
}
