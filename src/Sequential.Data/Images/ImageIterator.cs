using System.Collections;
using System.Collections.Concurrent;
using Sequential.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Data;

/// <summary>
/// Base of the image iterators (Keras's <c>Iterator</c>): batches of <c>(x, y)</c> where one enumeration is one
/// pass over the samples, shuffled per pass, loaded on worker threads ahead of the model.
/// </summary>
/// <remarks>
/// <para>A background thread prepares up to <see cref="PrefetchBatches"/> batches ahead; inside a batch the
/// samples are decoded and augmented in parallel by up to <see cref="Workers"/> threads, straight into the batch
/// tensor's memory. Each sample's random augmentation comes from a stream derived from (seed, pass, sample index),
/// so the same seed gives the same batches whatever the thread count.</para>
/// <para><c>x</c> is float32 <c>[N, H, W, C]</c> on the CPU. The tensors of a batch join the caller's current
/// <c>DisposeScope</c> when it is taken (as in <c>Model.Fit</c>), otherwise the caller owns them.</para>
/// </remarks>
public abstract class ImageIterator : IReadOnlyCollection<(Tensor x, Tensor y)>, IShardedSource
{
    private readonly long _baseSeed;
    private int _passes;
    private long _loaded;
    private int _workers = Environment.ProcessorCount;
    private int _prefetch = 2;

    private protected ImageIterator(int samples, int batchSize, bool shuffle, int? seed, int[] imageShape)
    {
        Backend.EnsureNativeLoaded();
        if (batchSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"batchSize must be at least 1; got {batchSize}.");
        Samples = samples;
        BatchSize = batchSize;
        Shuffle = shuffle;
        Seed = seed;
        ImageShape = imageShape;
        // Without a seed, RandomSeed.Set(...) still makes runs reproducible.
        _baseSeed = seed ?? RandomSeed.Shared.NextInt64();
    }

    /// <summary>Number of samples (Keras's <c>samples</c> / <c>n</c>).</summary>
    public int Samples { get; private set; }

    /// <summary>Samples per batch; the last batch of a pass may be smaller.</summary>
    public int BatchSize { get; private set; }

    /// <summary>Whether each pass visits the samples in a new random order.</summary>
    public bool Shuffle { get; }

    /// <summary>The seed given, or null (then <see cref="RandomSeed"/>'s generator picked one).</summary>
    public int? Seed { get; }

    /// <summary>Shape of one image, <c>[height, width, channels]</c> (Keras's <c>image_shape</c>).</summary>
    public IReadOnlyList<int> ImageShape { get; }

    /// <summary>Batches per pass: <c>ceil(Samples / BatchSize)</c> (Keras's <c>len(iterator)</c>).</summary>
    public int Count => (Samples + BatchSize - 1) / BatchSize;

    /// <summary>Threads that decode and augment the samples of one batch in parallel (default: the processor count).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public int Workers
    {
        get => _workers;
        set => _workers = value >= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(Workers), value, $"Workers must be at least 1; got {value}.");
    }

    /// <summary>
    /// Batches prepared ahead on a background thread (default 2); 0 loads each batch when it is asked for.
    /// Memory held by the iterator is bounded by this many batches.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public int PrefetchBatches
    {
        get => _prefetch;
        set => _prefetch = value >= 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(PrefetchBatches), value, $"PrefetchBatches must be 0 or more; got {value}.");
    }

    /// <summary>Sets the sizes once a subclass knows them (after listing its files).</summary>
    private protected void SetSize(int samples, int batchSize)
    {
        Samples = samples;
        BatchSize = batchSize;
    }

    /// <summary>Starts a new pass over the samples (a new shuffle and new augmentations).</summary>
    /// <returns>The batches of one pass.</returns>
    public IEnumerator<(Tensor x, Tensor y)> GetEnumerator() => Open(0, 1);

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Data-parallel training: each batch holds only rank <paramref name="shard"/>'s rows, the only ones loaded.</summary>
    IEnumerable<Sequential.Batch>? IShardedSource.GetBatches(int shard, int shards) => Parts(shard, shards);

    private IEnumerable<Sequential.Batch> Parts(int shard, int shards)
    {
        using var pass = Open(shard, shards);
        while (pass.MoveNext())
            yield return new Sequential.Batch(pass.Current.x, pass.Current.y);
    }

    /// <summary>Samples loaded (decoded or copied) so far, over every pass: tests see that a rank loads only its part.</summary>
    internal long SamplesLoaded => Interlocked.Read(ref _loaded);

    /// <summary>
    /// A new pass whose batches hold part <paramref name="shard"/> of <paramref name="shards"/> of each batch: rows
    /// <c>[N shard / shards, N (shard + 1) / shards)</c> of a batch of N, the only ones loaded (1 of 1: whole batches).
    /// </summary>
    private IEnumerator<(Tensor x, Tensor y)> Open(int shard, int shards)
    {
        int pass = Interlocked.Increment(ref _passes) - 1;
        return PrefetchBatches == 0 ? Synchronous(pass, shard, shards) : new Prefetcher(this, pass, shard, shards);
    }

    /// <summary>Decodes/copies, augments and standardizes sample <paramref name="index"/> into <paramref name="dest"/>.</summary>
    /// <param name="index">Sample index in [0, Samples).</param>
    /// <param name="random">This sample's random stream for this pass.</param>
    /// <param name="dest">Where the <c>[H, W, C]</c> floats go.</param>
    /// <returns>False when the sample is unusable (skipped).</returns>
    private protected abstract bool LoadSample(int index, Random random, Span<float> dest);

    /// <summary>Builds the targets for the samples of a batch, on the consumer's thread.</summary>
    private protected abstract Tensor MakeTargets(int[] indices, Tensor x);

    /// <summary>Called on the loading thread after each batch with the samples that were unusable.</summary>
    private protected virtual void ReportInvalid(IReadOnlyList<int> indices) { }

    /// <summary>The address of a contiguous CPU tensor's data (TorchSharp's <c>bytes</c> is a span over it).</summary>
    internal static unsafe IntPtr Pointer(Tensor t)
    {
        fixed (byte* p = t.bytes)
            return (IntPtr)p;
    }

    /// <summary>The order of the samples in a pass.</summary>
    internal int[] Order(int pass)
    {
        var order = Enumerable.Range(0, Samples).ToArray();
        if (Shuffle)
            new Random(Mix(_baseSeed, pass, -1)).Shuffle(order);
        return order;
    }

    /// <summary>A 32-bit seed from (seed, pass, index) by SplitMix64 finalisation; stable across runs and threads.</summary>
    internal static int Mix(long seed, int pass, int index)
    {
        ulong z = (ulong)seed;
        foreach (ulong v in (ReadOnlySpan<ulong>)[(ulong)(uint)pass, (ulong)(uint)index])
        {
            z += 0x9E3779B97F4A7C15UL + v;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
        }
        return (int)(z & 0x7FFFFFFF);
    }

    private IEnumerator<(Tensor x, Tensor y)> Synchronous(int pass, int shard, int shards)
    {
        int[] order = Order(pass);
        for (int b = 0; b < Count; b++)
        {
            var (x, indices) = LoadBatch(order, b, pass, shard, shards);
            if (x is null) continue;
            torch.CurrentDisposeScope?.Attach(x);
            yield return (x, MakeTargets(indices, x));
        }
    }

    /// <summary>
    /// Loads part <paramref name="shard"/> of <paramref name="shards"/> of batch <paramref name="b"/> of a pass (1 of 1:
    /// the whole batch); x is null when every sample of a whole batch was unusable. A part keeps its unusable samples out
    /// but is never null (zero rows at worst): every rank must take the same number of steps.
    /// </summary>
    private unsafe (Tensor? x, int[] indices) LoadBatch(int[] order, int b, int pass, int shard, int shards)
    {
        int start = b * BatchSize, whole = Math.Min(BatchSize, Samples - start);
        int first = (int)((long)whole * shard / shards), n = (int)((long)whole * (shard + 1) / shards) - first;
        int[] indices = order[(start + first)..(start + first + n)];
        Interlocked.Add(ref _loaded, n);
        int h = ImageShape[0], w = ImageShape[1], c = ImageShape[2], per = h * w * c;
        var x = torch.empty([n, h, w, c], ScalarType.Float32);
        // Detach from any scope of this thread: the consumer attaches it to its own when it takes the batch.
        torch.CurrentDisposeScope?.Detach(x);
        var valid = new bool[n];
        IntPtr data = Pointer(x);
        try
        {
            Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = Workers }, i =>
            {
                var dest = new Span<float>((float*)data + (long)i * per, per);
                valid[i] = LoadSample(indices[i], new Random(Mix(_baseSeed, pass, indices[i])), dest);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            x.Dispose();
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
        catch
        {
            x.Dispose();
            throw;
        }
        if (valid.All(v => v))
            return (x, indices);

        ReportInvalid(indices.Where((_, i) => !valid[i]).ToList());
        var keep = Enumerable.Range(0, n).Where(i => valid[i]).ToArray();
        if (keep.Length == 0)
        {
            if (shards > 1)
            {
                var none = x.narrow(0, 0, 0);
                torch.CurrentDisposeScope?.Detach(none);
                x.Dispose();
                return (none, []);
            }
            x.Dispose();
            return (null, []);
        }
        var idx = torch.tensor(keep.Select(i => (long)i).ToArray());
        var kept = x.index_select(0, idx);
        torch.CurrentDisposeScope?.Detach(kept);
        idx.Dispose();
        x.Dispose();
        return (kept, keep.Select(i => indices[i]).ToArray());
    }

    /// <summary>One pass with a background thread loading a bounded number of batches ahead.</summary>
    private sealed class Prefetcher : IEnumerator<(Tensor x, Tensor y)>
    {
        private readonly ImageIterator _owner;
        private readonly BlockingCollection<(Tensor? x, int[] indices, Exception? error)> _queue;
        private readonly CancellationTokenSource _cancel = new();
        private readonly Thread _thread;
        private bool _done;

        public Prefetcher(ImageIterator owner, int pass, int shard, int shards)
        {
            _owner = owner;
            _queue = new(boundedCapacity: owner.PrefetchBatches);
            int[] order = owner.Order(pass);
            _thread = new Thread(() => Produce(order, pass, shard, shards)) { IsBackground = true, Name = "Sequential.Data prefetch" };
            _thread.Start();
        }

        public (Tensor x, Tensor y) Current { get; private set; }

        object IEnumerator.Current => Current;

        private void Produce(int[] order, int pass, int shard, int shards)
        {
            var token = _cancel.Token;
            try
            {
                for (int b = 0; b < _owner.Count && !token.IsCancellationRequested; b++)
                {
                    var (x, indices) = _owner.LoadBatch(order, b, pass, shard, shards);
                    if (x is null) continue;
                    try
                    {
                        _queue.Add((x, indices, null), token);
                    }
                    catch (OperationCanceledException)
                    {
                        x.Dispose();
                        return;
                    }
                }
            }
            catch (Exception e)
            {
                try { _queue.Add((null, [], e), token); } catch (OperationCanceledException) { }
            }
            finally
            {
                _queue.CompleteAdding();
            }
        }

        public bool MoveNext()
        {
            if (_done) return false;
            if (!_queue.TryTake(out var item, Timeout.Infinite))
            {
                _done = true;
                return false;
            }
            if (item.error is not null)
            {
                _done = true;
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(item.error).Throw();
            }
            var x = item.x!;
            torch.CurrentDisposeScope?.Attach(x);
            Current = (x, _owner.MakeTargets(item.indices, x));
            return true;
        }

        public void Reset() => throw new NotSupportedException("Enumerate the iterator again for a new pass.");

        public void Dispose()
        {
            _done = true;
            _cancel.Cancel();
            _thread.Join();
            while (_queue.TryTake(out var left))
                left.x?.Dispose();
            _queue.Dispose();
            _cancel.Dispose();
        }
    }
}
