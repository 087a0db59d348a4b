using System.Diagnostics;
using Sequential.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sequential;

/// <summary>
/// Data-parallel training over MPI processes (Keras's <c>keras.distribution.DataParallel</c>, carried out as Horovod
/// did it): every process holds the whole model; each step, each takes its share of the global batch, computes
/// gradients on it, and the gradients are averaged across processes with one MPI allreduce, so every optimizer takes
/// the same step and the weights stay identical everywhere. Start the program with
/// <c>mpirun -np 2 dotnet run ...</c>; without <c>mpirun</c> it is one process and nothing changes.
/// </summary>
/// <remarks>
/// <para>What each process does: the initial weights are broadcast from rank 0 when <c>Fit</c> starts; every batch
/// <c>Fit</c> draws (the same on every rank: the shuffling seed is shared) is cut into <see cref="Size"/> contiguous
/// parts and rank r trains on part r, so <c>batchSize</c> is the global batch, as in Keras; gradients are averaged
/// weighted by each part's sample count (an uneven last batch gives the gradient of the whole batch); the epoch's logs
/// (loss, metrics, validation) are averaged the same way, so History, EarlyStopping and ReduceLROnPlateau agree on every
/// rank; only rank 0 (<see cref="IsChief"/>) shows the progress bar and runs the callbacks that write files.</para>
/// <para>Needs Open MPI (Debian: <c>apt install openmpi-bin</c>) when started by <c>mpirun</c>. A process that fails
/// ends the job: Open MPI's <c>mpirun</c> stops the other ranks when one exits with an error.</para>
/// </remarks>
/// <example>
/// <code>
/// // mpirun -np 2 dotnet run -c Release --project examples/Mnist -- --distributed
/// var distribution = new DataParallel();
/// model.Compile(optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"], distribution: distribution);
/// model.Fit(x, y, batchSize: 64, epochs: 5, verbose: distribution.IsChief ? 1 : 0);
/// </code>
/// </example>
public sealed class DataParallel
{
    private readonly Mpi? _mpi;
    private long _averagedSteps, _allreduceTicks, _copyTicks;

    /// <summary>Joins the MPI job this process was started in (initializing MPI), or makes a one-process distribution
    /// when it was not started by <c>mpirun</c>.</summary>
    /// <exception cref="InvalidOperationException">Started by <c>mpirun</c>, but no Open MPI library is installed in a
    /// root-owned system folder; the message names the package.</exception>
    public DataParallel()
    {
        if (!Mpi.Launched) return;
        _mpi = Mpi.Library ?? throw new InvalidOperationException(
            "This process was started by mpirun, but Open MPI's library (libmpi.so.40) was not found in a root-owned system folder. " +
            "Install it (Debian/Ubuntu: apt install openmpi-bin; Fedora: dnf install openmpi) or run without mpirun for one process.");
        _mpi.Init();
        Rank = _mpi.Rank;
        Size = _mpi.Size;
        var mpi = _mpi;
        int rank = Rank, size = Size;
        // A rank that fails ends the whole job (MPI_Abort) rather than leaving the others waiting in an allreduce forever;
        // one that ends normally finalizes MPI.
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            Console.Error.WriteLine($"Rank {rank} of {size} failed; ending the MPI job: {e.ExceptionObject}");
            mpi.Abort(1);
        };
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (Environment.ExitCode != 0) mpi.Abort(Environment.ExitCode);
            else mpi.Shutdown();
        };
    }

    /// <summary>A distribution that believes it is rank <paramref name="rank"/> of <paramref name="size"/> without MPI
    /// (tests of the sharding).</summary>
    internal DataParallel(int rank, int size) => (Rank, Size) = (rank, size);

    /// <summary>This process's rank, 0 to <see cref="Size"/> - 1.</summary>
    public int Rank { get; }

    /// <summary>The number of processes (1 without <c>mpirun</c>).</summary>
    public int Size { get; } = 1;

    /// <summary>Whether this is rank 0, the process that prints and writes files.</summary>
    public bool IsChief => Rank == 0;

    /// <summary>The MPI library in use, or null for one process.</summary>
    public string? Library => _mpi?.Path;

    /// <summary>
    /// Training steps whose gradients were averaged across the processes so far (0 with one process, which sends
    /// nothing). With <see cref="AllreduceTime"/> and <see cref="GradientCopyTime"/>, what one step's communication costs.
    /// </summary>
    /// <example><code>Console.WriteLine($"allreduce: {distribution.AllreduceTime.TotalMilliseconds / distribution.AveragedSteps:F2} ms/step");</code></example>
    public long AveragedSteps => Interlocked.Read(ref _averagedSteps);

    /// <summary>
    /// Time spent in the gradients' <c>MPI_Allreduce</c> over <see cref="AveragedSteps"/> steps: the transfer and the
    /// sum, plus any wait for a slower process to arrive (the step's imbalance shows here).
    /// </summary>
    /// <example><code>TimeSpan inAllreduce = distribution.AllreduceTime;</code></example>
    public TimeSpan AllreduceTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _allreduceTicks));

    /// <summary>
    /// Time spent over <see cref="AveragedSteps"/> steps copying the gradients into the flat buffer the allreduce sends
    /// (each times the sample count, with the flags) and back out of it (each divided by the total count).
    /// </summary>
    /// <example><code>TimeSpan copying = distribution.GradientCopyTime;</code></example>
    public TimeSpan GradientCopyTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _copyTicks));

    /// <inheritdoc/>
    public override string ToString() => $"DataParallel(rank {Rank} of {Size}{(_mpi is null ? ", no MPI" : "")})";

    /// <summary>Copies every parameter and buffer of <paramref name="model"/> from rank 0 to the others.</summary>
    internal void BroadcastWeights(Model model)
    {
        if (_mpi is null) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var tensors = model.parameters().Cast<Tensor>().Concat(model.buffers()).Where(t => t.is_floating_point()).ToList();
        if (tensors.Count == 0) return;
        var flat = cat(tensors.Select(t => t.detach().to(ScalarType.Float32).cpu().flatten()).ToList()).contiguous();
        _mpi.BroadcastBytes(flat.bytes, root: 0);
        long offset = 0;
        foreach (var t in tensors)
        {
            t.copy_(flat.narrow(0, offset, t.numel()).view(t.shape));
            offset += t.numel();
        }
    }

    /// <summary>
    /// Replaces each weight's gradient by the average over every process of the gradients, weighted by the samples each
    /// process computed them on: one allreduce of one buffer holding every gradient (no call per parameter).
    /// </summary>
    internal void AverageGradients(IReadOnlyList<Parameter> weights, long localSamples)
    {
        if (_mpi is null) return;
        long start = Stopwatch.GetTimestamp();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // One buffer: each gradient times this rank's samples (zeros where it has none), one flag per weight saying
        // whether this rank has a gradient for it, and the sample count.
        var parts = new List<Tensor>(weights.Count + 2);
        foreach (var w in weights)
            parts.Add(w.grad is { } g ? g.to(ScalarType.Float32).cpu().flatten() * localSamples : zeros(w.numel()));
        parts.Add(tensor(weights.Select(w => w.grad is null ? 0f : 1f).ToArray()));
        parts.Add(tensor(new float[] { localSamples }));
        var flat = cat(parts).contiguous();
        long sent = Stopwatch.GetTimestamp();
        _mpi.AllreduceSumFloat(flat.bytes);
        long received = Stopwatch.GetTimestamp();
        long flags = flat.numel() - 1 - weights.Count;
        var tail = flat.narrow(0, flags, weights.Count + 1).data<float>().ToArray();   // the flags and the total count
        float total = tail[^1];
        long offset = 0;
        for (int i = 0; i < weights.Count; i++)
        {
            var w = weights[i];
            var slice = flat.narrow(0, offset, w.numel());
            offset += w.numel();
            // A weight no rank has a gradient for keeps none, so the optimizer leaves it alone, as with one process.
            if (tail[i] == 0) continue;
            var mean = (slice / total).view(w.shape).to(w.dtype).to(w.device);
            if (w.grad is { } g) g.copy_(mean);
            else w.grad = mean.DetachFromDisposeScope();
        }
        Interlocked.Add(ref _copyTicks, sent - start + Stopwatch.GetTimestamp() - received);
        Interlocked.Add(ref _allreduceTicks, received - sent);
        Interlocked.Increment(ref _averagedSteps);
    }

    /// <summary>The logs averaged over every process, weighted by the samples each one saw.</summary>
    internal Dictionary<string, double> AverageLogs(IReadOnlyDictionary<string, double> logs, long localSamples)
    {
        var keys = logs.Keys.Order(StringComparer.Ordinal).ToArray();
        if (_mpi is null) return keys.ToDictionary(k => k, k => logs[k]);
        var values = new double[keys.Length + 1];
        for (int i = 0; i < keys.Length; i++) values[i] = logs[keys[i]] * localSamples;
        values[^1] = localSamples;
        _mpi.AllreduceSum(values);
        var result = new Dictionary<string, double>();
        foreach (var key in logs.Keys) result[key] = values[Array.IndexOf(keys, key)] / values[^1];   // the caller's key order
        return result;
    }

    /// <summary>Rank 0's random generator state everywhere, so that every rank shuffles (and draws dropout) as rank 0
    /// does: with the same seed on one process, the same batches.</summary>
    internal void ShareRandomState()
    {
        if (_mpi is null) return;
        using var state = torch.random.get_rng_state().contiguous();
        _mpi.BroadcastBytes(state.bytes, root: 0);
        torch.random.set_rng_state(state);
    }

    /// <summary>This rank's contiguous part of a global batch: rows [N r / size, N (r + 1) / size).</summary>
    internal Batch Shard(Batch batch)
    {
        if (Size == 1) return batch;
        long n = batch.Size, start = n * Rank / Size, end = n * (Rank + 1) / Size;
        Tensor Part(Tensor t) => t.dim() > 0 && t.shape[0] == n ? t.narrow(0, start, end - start) : t;
        return batch with
        {
            Inputs = [.. batch.Inputs.Select(Part)],
            Targets = batch.Targets is null ? null : [.. batch.Targets.Select(Part)],
            SampleWeight = batch.SampleWeight is null ? null : Part(batch.SampleWeight),
        };
    }
}
