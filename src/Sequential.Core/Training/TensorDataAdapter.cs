using Sequential.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Training;

/// <summary>Batches from in-memory tensors, shuffled per epoch with TorchSharp's seeded generator.</summary>
internal sealed class TensorDataAdapter : DataAdapter, IDisposable
{
    private readonly List<Tensor> _owned = []; // conversions and views this adapter made; the caller's tensors are never disposed here
    private readonly Tensor _x;
    private readonly Tensor? _y;
    private readonly Tensor? _w;
    private readonly int _batchSize;
    private readonly bool _shuffle;

    private TensorDataAdapter(Tensor x, Tensor? y, int batchSize, bool shuffle, Tensor? sampleWeight = null)
    {
        _x = x;
        _y = y;
        _w = sampleWeight;
        _batchSize = batchSize;
        _shuffle = shuffle;
    }

    public long Samples => _x.shape[0];

    /// <summary>Frees what the adapter created (float copies of integer inputs, converted labels, split views).</summary>
    public void Dispose()
    {
        foreach (var tensor in _owned) tensor.Dispose();
        _owned.Clear();
    }

    private TensorDataAdapter Owning(params Tensor[] created)
    {
        _owned.AddRange(created);
        return this;
    }

    private static Tensor[] Created(Tensor? original, Tensor? prepared) =>
        prepared is null || ReferenceEquals(original, prepared) ? [] : [prepared];

    /// <summary>Data up to this size is copied to an accelerator once per call instead of once per batch.</summary>
    internal const long ResidentLimitBytes = 2L << 30;

    /// <summary>
    /// On CUDA, a data set that fits (<see cref="ResidentLimitBytes"/>) moves to the device once, so batches are
    /// gathered there and no host-to-device copy or synchronisation happens per batch. Larger data stays on the
    /// host and the loop copies each batch.
    /// </summary>
    /// <param name="model">The model, whose device decides.</param>
    /// <param name="prepared">The prepared tensor (possibly a conversion of <paramref name="original"/>).</param>
    /// <param name="original">The caller's tensor, never disposed here.</param>
    /// <param name="bytesTogether">Size of the inputs and targets together.</param>
    private static Tensor Resident(Model model, Tensor prepared, Tensor original, long bytesTogether)
    {
        var device = model.Device;
        if (device.type == DeviceType.CPU || prepared.device_type == device.type || bytesTogether > ResidentLimitBytes) return prepared;
        var moved = prepared.to(device);
        if (!ReferenceEquals(prepared, original)) prepared.Dispose(); // an intermediate host conversion
        return moved;
    }

    private static long Bytes(Tensor? t) => t is null ? 0 : t.numel() * t.element_size();

    public override int? BatchesPerPass => (int)((Samples + _batchSize - 1) / _batchSize);

    public override IEnumerable<Batch> Batches(int? steps)
    {
        long n = Samples;
        int total = steps ?? BatchesPerPass!.Value;
        Tensor? order = null;
        try
        {
            long start = 0;
            for (int step = 0; step < total; step++)
            {
                if (start >= n) start = 0; // stepsPerEpoch beyond one pass continues into the next
                if (start == 0 && _shuffle)
                {
                    order?.Dispose();
                    using (NewDisposeScope()) { order = randperm(n, ScalarType.Int64, _x.device).MoveToOuterDisposeScope(); }
                    order = order.DetachFromDisposeScope();
                }
                long length = Math.Min(_batchSize, n - start);
                if (_shuffle)
                {
                    var index = order!.narrow(0, start, length);
                    yield return new Batch(_x.index_select(0, index), _y?.index_select(0, index), _w?.index_select(0, index));
                }
                else
                {
                    yield return new Batch(_x.narrow(0, start, length), _y?.narrow(0, start, length), _w?.narrow(0, start, length));
                }
                start += length;
            }
        }
        finally
        {
            order?.Dispose();
        }
    }

    /// <summary>Validates and prepares training (and validation) tensors; builds the model for their shape.</summary>
    /// <remarks>
    /// <paramref name="sampleWeight"/> is split with the data by <paramref name="validationSplit"/>, as Keras's
    /// <c>train_validation_split</c> does, so the validation loss is weighted too; <paramref name="validationData"/>
    /// carries no weights.
    /// </remarks>
    public static (TensorDataAdapter train, TensorDataAdapter? validation) Create(Model model, Tensor x, Tensor? y, int batchSize,
        bool shuffle, double validationSplit, (Tensor x, Tensor? y)? validationData, Tensor? sampleWeight = null)
    {
        CheckBatchSize(batchSize);
        var (xs, ys) = Prepare(model, x, y, "x", "y");
        var ws = sampleWeight is null ? null : PrepareWeights(sampleWeight, xs.shape[0]);
        long bytes = Bytes(xs) + Bytes(ys);
        xs = Resident(model, xs, x, bytes);
        ys = ys is null ? null : Resident(model, ys, y!, bytes);
        if (ws is not null) ws = Resident(model, ws, sampleWeight!, bytes);
        List<Tensor> converted = [.. Created(x, xs), .. Created(y, ys), .. Created(sampleWeight, ws)];
        TensorDataAdapter? validation = null;
        if (validationData is { } data)
        {
            var (xv, yv) = Prepare(model, data.x, data.y, "validationData.x", "validationData.y");
            long validationBytes = Bytes(xv) + Bytes(yv);
            xv = Resident(model, xv, data.x, validationBytes);
            yv = yv is null ? null : Resident(model, yv, data.y!, validationBytes);
            validation = new TensorDataAdapter(xv, yv, batchSize, shuffle: false).Owning([.. Created(data.x, xv), .. Created(data.y, yv)]);
        }
        else if (validationSplit > 0)
        {
            long n = xs.shape[0];
            long trainCount = (long)Math.Floor(n * (1.0 - validationSplit));
            if (trainCount <= 0 || trainCount >= n)
                throw new ArgumentException(
                    $"validationSplit {validationSplit} of {n} samples leaves {trainCount} for training and {n - trainCount} for validation; " +
                    "both need at least one sample. Use more data or another split.", nameof(validationSplit));
            Tensor? Tail(Tensor? t) => t?.narrow(0, trainCount, n - trainCount);
            Tensor? Head(Tensor? t) => t?.narrow(0, 0, trainCount);
            var (xv, yv, wv) = (Tail(xs)!, Tail(ys), Tail(ws));
            validation = new TensorDataAdapter(xv, yv, batchSize, false, wv).Owning([xv, .. Present(yv, wv)]);
            (xs, ys, ws) = (Head(xs)!, Head(ys), Head(ws));
            converted = [.. converted, xs, .. Present(ys, ws)];
        }
        return (new TensorDataAdapter(xs, ys, batchSize, shuffle, ws).Owning([.. converted]), validation);
    }

    private static Tensor[] Present(params Tensor?[] tensors) => [.. tensors.OfType<Tensor>()];

    private static Tensor PrepareWeights(Tensor sampleWeight, long samples)
    {
        var w = sampleWeight.dim() == 2 && sampleWeight.shape[1] == 1 ? sampleWeight.squeeze(-1) : sampleWeight;
        if (w.dim() != 1 || w.shape[0] != samples)
            throw new ArgumentException(
                $"sampleWeight must hold one weight per sample, shape {Shapes.Format([samples])} (or {Shapes.Format([samples, 1])}); " +
                $"got shape {Shapes.Format(sampleWeight.shape)}.",
                nameof(sampleWeight));
        w = w.to_type(ScalarType.Float32);
        if (!w.isfinite().all().item<bool>())
            throw new ArgumentException("sampleWeight contains NaN or infinite values; every weight must be a finite number.", nameof(sampleWeight));
        return w;
    }

    /// <summary>Validates and prepares inputs for Predict; builds the model for their shape.</summary>
    public static TensorDataAdapter ForPrediction(Model model, Tensor x, int batchSize)
    {
        CheckBatchSize(batchSize);
        var xs = PrepareInputs(model, x, "x");
        return new TensorDataAdapter(xs, null, batchSize, shuffle: false).Owning(Created(x, xs));
    }

    private static void CheckBatchSize(int batchSize)
    {
        if (batchSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"batchSize must be a positive number of samples, e.g. 32; got {batchSize}.");
    }

    private static (Tensor x, Tensor? y) Prepare(Model model, Tensor x, Tensor? y, string xName, string yName)
    {
        var xs = PrepareInputs(model, x, xName);
        if (y is null) return (xs, null); // Fit(x) for a model whose TrainStep needs no targets
        if (y.dim() == 0)
            throw new ArgumentException($"{yName} must have a sample dimension; got a scalar.", yName);
        if (y.shape[0] != xs.shape[0])
            throw new ArgumentException(
                $"{xName} and {yName} must have the same number of samples: {xName} has {xs.shape[0]} (shape {Shapes.Format(xs.shape)}), " +
                $"{yName} has {y.shape[0]} (shape {Shapes.Format(y.shape)}).");
        var loss = model.Loss;
        var ys = loss is null ? y : loss.PrepareTargets(y);
        using (NewDisposeScope()) // the checks' temporaries (as large as y) must not wait for the GC
        {
            NonFinite.Check(ys, yName, yName, "remove or fill them before training");
            loss?.Validate(ys, model.OutputShape!);
        }
        return (xs, ys);
    }

    private static Tensor PrepareInputs(Model model, Tensor x, string name)
    {
        ArgumentNullException.ThrowIfNull(x, name);
        if (x.dim() < 2)
            throw new ArgumentException(
                $"{name} must be a batch of samples, shape [N, ...]; got shape {Shapes.Format(x.shape)}. " +
                "For a single feature per sample use x.reshape(-1, 1).", name);
        if (x.shape[0] == 0)
            throw new ArgumentException($"{name} is empty: it has 0 samples (shape {Shapes.Format(x.shape)}).", name);
        var xs = x.dtype == ScalarType.Float32 ? x : x.to_type(ScalarType.Float32);
        NonFinite.Check(xs, name, name, "remove, clip or fill them before calling the model");
        model.EnsureBuiltFor(xs.shape[1..]);
        return xs;
    }
}
