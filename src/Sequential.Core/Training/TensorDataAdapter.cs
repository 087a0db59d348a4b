using Sequential.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Training;

/// <summary>Batches from in-memory tensors, shuffled per epoch with TorchSharp's seeded generator.</summary>
internal sealed class TensorDataAdapter : DataAdapter, IDisposable
{
    private readonly List<Tensor> _owned = []; // conversions and views this adapter made; the caller's tensors are never disposed here
    private readonly Tensor[] _x;
    private readonly Tensor[]? _y;
    private readonly Tensor? _w;
    private readonly int _batchSize;
    private readonly bool _shuffle;

    private TensorDataAdapter(Tensor[] x, Tensor[]? y, int batchSize, bool shuffle, Tensor? sampleWeight = null)
    {
        _x = x;
        _y = y;
        _w = sampleWeight;
        _batchSize = batchSize;
        _shuffle = shuffle;
    }

    public long Samples => _x[0].shape[0];

    /// <summary>Frees what the adapter created (float copies of integer inputs, converted labels, split views).</summary>
    public void Dispose()
    {
        foreach (var tensor in _owned) tensor.Dispose();
        _owned.Clear();
    }

    private TensorDataAdapter Owning(IEnumerable<Tensor> created)
    {
        _owned.AddRange(created);
        return this;
    }

    /// <summary>The tensors of <paramref name="prepared"/> that are not the caller's <paramref name="original"/> ones.</summary>
    private static IEnumerable<Tensor> Created(IReadOnlyList<Tensor>? original, IReadOnlyList<Tensor>? prepared)
    {
        for (int i = 0; i < (prepared?.Count ?? 0); i++)
            if (!ReferenceEquals(original![i], prepared![i])) yield return prepared[i];
    }

    /// <summary>Data up to this size is copied to an accelerator once per call instead of once per batch.</summary>
    internal const long ResidentLimitBytes = 2L << 30;

    /// <summary>
    /// On CUDA, a data set that fits (<see cref="ResidentLimitBytes"/>) moves to the device once, so batches are
    /// gathered there and no host-to-device copy or synchronisation happens per batch. Larger data stays on the
    /// host and the loop copies each batch.
    /// </summary>
    /// <param name="model">The model, whose device decides.</param>
    /// <param name="prepared">The prepared tensors (possibly conversions of <paramref name="original"/>), replaced in place.</param>
    /// <param name="original">The caller's tensors, never disposed here.</param>
    /// <param name="bytesTogether">Size of the inputs and targets together.</param>
    private static void Resident(Model model, Tensor[]? prepared, IReadOnlyList<Tensor>? original, long bytesTogether)
    {
        var device = model.Device;
        if (prepared is null || device.type == DeviceType.CPU || bytesTogether > ResidentLimitBytes) return;
        for (int i = 0; i < prepared.Length; i++)
        {
            if (prepared[i].device_type == device.type) continue;
            var moved = prepared[i].to(device);
            if (!ReferenceEquals(prepared[i], original![i])) prepared[i].Dispose(); // an intermediate host conversion
            prepared[i] = moved;
        }
    }

    private static long Bytes(IEnumerable<Tensor>? ts) => ts?.Sum(t => t.numel() * t.element_size()) ?? 0;

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
                    using (NewDisposeScope()) { order = randperm(n, ScalarType.Int64, _x[0].device).MoveToOuterDisposeScope(); }
                    order = order.DetachFromDisposeScope();
                }
                long length = Math.Min(_batchSize, n - start);
                if (_shuffle)
                {
                    var index = order!.narrow(0, start, length);
                    yield return new Batch(Select(_x, t => t.index_select(0, index))!, Select(_y, t => t.index_select(0, index)), _w?.index_select(0, index));
                }
                else
                {
                    long from = start;
                    yield return new Batch(Select(_x, t => t.narrow(0, from, length))!, Select(_y, t => t.narrow(0, from, length)), _w?.narrow(0, from, length));
                }
                start += length;
            }
        }
        finally
        {
            order?.Dispose();
        }
    }

    private static Tensor[]? Select(Tensor[]? tensors, Func<Tensor, Tensor> take)
    {
        if (tensors is null) return null;
        var result = new Tensor[tensors.Length];
        for (int i = 0; i < result.Length; i++) result[i] = take(tensors[i]);
        return result;
    }

    /// <summary>Validates and prepares training (and validation) tensors of a one-input model; builds the model for their shape.</summary>
    public static (TensorDataAdapter train, TensorDataAdapter? validation) Create(Model model, Tensor x, Tensor? y, int batchSize,
        bool shuffle, double validationSplit, (Tensor x, Tensor? y)? validationData, Tensor? sampleWeight = null) =>
        Create(model, [x], y is null ? null : [y], batchSize, shuffle, validationSplit,
            validationData is { } v ? ([v.x], v.y is null ? null : [v.y]) : null, sampleWeight);

    /// <summary>Validates and prepares training (and validation) tensors, one per model input and output, in the model's
    /// order; builds the model for their shapes.</summary>
    /// <remarks>
    /// <paramref name="sampleWeight"/> is split with the data by <paramref name="validationSplit"/>, as Keras's
    /// <c>train_validation_split</c> does, so the validation loss is weighted too; <paramref name="validationData"/>
    /// carries no weights.
    /// </remarks>
    public static (TensorDataAdapter train, TensorDataAdapter? validation) Create(Model model, IReadOnlyList<Tensor> x, IReadOnlyList<Tensor>? y,
        int batchSize, bool shuffle, double validationSplit, (IReadOnlyList<Tensor> x, IReadOnlyList<Tensor>? y)? validationData,
        Tensor? sampleWeight = null)
    {
        CheckBatchSize(batchSize);
        var (xs, ys) = Prepare(model, x, y, "x", "y");
        var ws = sampleWeight is null ? null : PrepareWeights(sampleWeight, xs[0].shape[0]);
        long bytes = Bytes(xs) + Bytes(ys);
        Resident(model, xs, x, bytes);
        Resident(model, ys, y, bytes);
        if (ws is not null)
        {
            var w = new[] { ws };
            Resident(model, w, [sampleWeight!], bytes);
            ws = w[0];
        }
        List<Tensor> converted = [.. Created(x, xs), .. Created(y, ys), .. ws is null || ReferenceEquals(ws, sampleWeight) ? [] : new[] { ws }];
        TensorDataAdapter? validation = null;
        if (validationData is { } data)
        {
            var (xv, yv) = Prepare(model, data.x, data.y, "validationData.x", "validationData.y");
            long validationBytes = Bytes(xv) + Bytes(yv);
            Resident(model, xv, data.x, validationBytes);
            Resident(model, yv, data.y, validationBytes);
            validation = new TensorDataAdapter(xv, yv, batchSize, shuffle: false).Owning([.. Created(data.x, xv), .. Created(data.y, yv)]);
        }
        else if (validationSplit > 0)
        {
            long n = xs[0].shape[0];
            long trainCount = (long)Math.Floor(n * (1.0 - validationSplit));
            if (trainCount <= 0 || trainCount >= n)
                throw new ArgumentException(
                    $"validationSplit {validationSplit} of {n} samples leaves {trainCount} for training and {n - trainCount} for validation; " +
                    "both need at least one sample. Use more data or another split.", nameof(validationSplit));
            Tensor Tail(Tensor t) => t.narrow(0, trainCount, n - trainCount);
            Tensor Head(Tensor t) => t.narrow(0, 0, trainCount);
            var (xv, yv, wv) = (Select(xs, Tail)!, Select(ys, Tail), ws is null ? null : Tail(ws));
            validation = new TensorDataAdapter(xv, yv, batchSize, false, wv).Owning([.. xv, .. yv ?? [], .. wv is null ? [] : new[] { wv }]);
            (xs, ys, ws) = (Select(xs, Head)!, Select(ys, Head), ws is null ? null : Head(ws));
            converted = [.. converted, .. xs, .. ys ?? [], .. ws is null ? [] : new[] { ws }];
        }
        return (new TensorDataAdapter(xs, ys, batchSize, shuffle, ws).Owning(converted), validation);
    }

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

    /// <summary>Validates and prepares inputs for Predict, one per model input; builds the model for their shapes.</summary>
    public static TensorDataAdapter ForPrediction(Model model, IReadOnlyList<Tensor> x, int batchSize)
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

    private static (Tensor[] x, Tensor[]? y) Prepare(Model model, IReadOnlyList<Tensor> x, IReadOnlyList<Tensor>? y, string xName, string yName)
    {
        var xs = PrepareInputs(model, x, xName);
        if (y is null) return (xs, null); // Fit(x) for a model whose TrainStep needs no targets
        model.CheckTargetCount(y.Count, yName);
        var ys = new Tensor[y.Count];
        var shapes = model.OutputShapes;
        for (int i = 0; i < y.Count; i++)
        {
            string name = y.Count > 1 ? $"{yName}[{i}]" : yName;
            ArgumentNullException.ThrowIfNull(y[i], name);
            if (y[i].dim() == 0)
                throw new ArgumentException($"{name} must have a sample dimension; got a scalar.", yName);
            if (y[i].shape[0] != xs[0].shape[0])
                throw new ArgumentException(
                    $"{xName} and {name} must have the same number of samples: {xName} has {xs[0].shape[0]} (shape {Shapes.Format(xs[0].shape)}), " +
                    $"{name} has {y[i].shape[0]} (shape {Shapes.Format(y[i].shape)}).");
            var loss = model.LossFor(i);
            ys[i] = loss is null ? y[i] : loss.PrepareTargets(y[i]);
            using (NewDisposeScope()) // the checks' temporaries (as large as y) must not wait for the GC
            {
                NonFinite.Check(ys[i], name, yName, "remove or fill them before training");
                if (shapes is not null && i < shapes.Count) loss?.Validate(ys[i], shapes[i]);
            }
        }
        return (xs, ys);
    }

    private static Tensor[] PrepareInputs(Model model, IReadOnlyList<Tensor> x, string name)
    {
        ArgumentNullException.ThrowIfNull(x, name);
        model.CheckInputCount(x.Count, name);
        var xs = new Tensor[x.Count];
        for (int i = 0; i < x.Count; i++)
        {
            string what = x.Count > 1 ? $"{name}[{i}]" : name;
            ArgumentNullException.ThrowIfNull(x[i], what);
            if (x[i].dim() < 2)
                throw new ArgumentException(
                    $"{what} must be a batch of samples, shape [N, ...]; got shape {Shapes.Format(x[i].shape)}. " +
                    "For a single feature per sample use x.reshape(-1, 1).", name);
            if (x[i].shape[0] == 0)
                throw new ArgumentException($"{what} is empty: it has 0 samples (shape {Shapes.Format(x[i].shape)}).", name);
            if (i > 0 && x[i].shape[0] != x[0].shape[0])
                throw new ArgumentException(
                    $"All inputs must have the same number of samples: {name}[0] has {x[0].shape[0]}, {what} has {x[i].shape[0]}.", name);
            xs[i] = model.CastInput(x[i], i);
            NonFinite.Check(xs[i], what, name, "remove, clip or fill them before calling the model");
        }
        model.EnsureBuiltFor(xs);
        return xs;
    }
}
