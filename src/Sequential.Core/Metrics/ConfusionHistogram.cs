using Sequential.Losses;
using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// The state behind every metric read off a confusion matrix at thresholds (Keras's
/// <c>update_confusion_matrix_variables</c>): <see cref="TruePositives"/> and its siblings, <see cref="Precision"/>,
/// <see cref="Recall"/>, <see cref="AUC"/> and the metrics at a fixed sensitivity, specificity, precision or recall.
/// </summary>
/// <remarks>
/// <para><b>One histogram instead of four counters per threshold.</b> A prediction exceeds thresholds
/// t<sub>0</sub> &lt; ... &lt; t<sub>c−1</sub> and no others, so it is enough to count, per label value (0 or 1), how
/// many predictions exceed exactly c thresholds (c = 0..T): a histogram of T + 1 bins. A prediction is positive at
/// threshold i when c &gt; i, so TP(i) is the positive labels' histogram summed over c &gt; i, FN(i) the rest of the
/// positives, and FP and TN the same for the negatives. c is Keras's bucket index plus one: <c>ceil(p·(T − 1))</c> for
/// evenly spaced thresholds (Keras's O(T + N) path, the same floating-point rounding), else the number of thresholds
/// below p (<c>searchsorted</c>), which is Keras's <c>p &gt; threshold</c> test. All of it runs on the device: binning,
/// one <c>bincount</c> or <c>index_add_</c>, and the cumulative sums when a result is read.</para>
/// <para><b>Batches are binned in groups.</b> Binning one small batch takes a dozen tiny kernels, which would be a
/// noticeable part of a small model's step. So an update only copies the batch's predictions, labels and weights into
/// a buffer on the device (a copy each, which also converts their dtypes); the buffer is binned when it is full, and
/// before any result is read. The copy (rather than keeping a reference) means later changes to the caller's tensors
/// cannot change the counts. Shapes are checked at the update, so errors still name the batch that caused them.</para>
/// </remarks>
internal sealed class ConfusionHistogram
{
    /// <summary>Keras's <c>NEG_INF</c>: predictions outside the top k are set to it, and top-k metrics threshold at it.</summary>
    internal const double NegativeInfinity = -1e10;

    private readonly string _metric;
    private readonly double[] _thresholds;
    private readonly bool _evenly;
    private readonly bool _withEpsilon;
    private readonly bool _multiLabel;
    private readonly int? _topK;
    private readonly int? _classId;
    private readonly bool _fromLogits;
    private readonly double[]? _labelWeights;

    private Tensor? _counts;          // float64 [2, T + 1, L]: [label, thresholds exceeded, label column]
    private Tensor? _thresholdValues; // float32 [T] on the device, for searchsorted
    private Tensor? _labelWeightValues;
    private readonly RowBuffer _buffer = new();
    private ConfusionStage? _stage;   // a buffer shared with other metrics of a compiled output, binned before reading
    private long? _labels;        // columns counted apart, once known

    /// <summary>Creates the state.</summary>
    /// <param name="metric">The metric's name, for messages.</param>
    /// <param name="thresholds">Sorted thresholds.</param>
    /// <param name="evenly">Whether they are Keras's evenly spaced ones (binned with Keras's arithmetic).</param>
    /// <param name="multiLabel">Keep one histogram per label column (the last axis of rank-2 predictions).</param>
    /// <param name="topK">Keep only each row's k largest predictions positive.</param>
    /// <param name="classId">Count only this column of the last axis.</param>
    /// <param name="fromLogits">Apply a sigmoid to the predictions first.</param>
    /// <param name="labelWeights">Weights per label column (not multi-label), multiplied into the counts.</param>
    public ConfusionHistogram(string metric, double[] thresholds, bool evenly, bool multiLabel = false, int? topK = null,
        int? classId = null, bool fromLogits = false, double[]? labelWeights = null)
    {
        _metric = metric;
        _thresholds = thresholds;
        _evenly = evenly;
        _withEpsilon = evenly && (thresholds[0] < 0 || thresholds[^1] > 1);
        _multiLabel = multiLabel;
        _topK = topK;
        _classId = classId;
        _fromLogits = fromLogits;
        _labelWeights = labelWeights;
    }

    /// <summary>The number of thresholds.</summary>
    public int Count => _thresholds.Length;

    /// <summary>The label columns counted apart (1 unless multi-label), known after the first update.</summary>
    public long Labels => _labels ?? 1;

    /// <summary>Keras's threshold validation for thresholds a user passes.</summary>
    public static double[] CheckThresholds(IReadOnlyList<double> thresholds, string argument)
    {
        if (thresholds.Count == 0) throw new ArgumentException($"{argument} is empty; give at least one threshold in [0, 1].", argument);
        var bad = thresholds.Where(t => !(t >= 0 && t <= 1)).ToList();
        if (bad.Count > 0)
            throw new ArgumentException(
                $"Threshold values must be in [0, 1]; received {string.Join(", ", bad.Select(TargetChecks.Format))}.", argument);
        return [.. thresholds];
    }

    /// <summary>Keras's <c>is_evenly_distributed_thresholds</c>: at least 3 values, i/(T − 1) within 1e-7.</summary>
    public static bool IsEvenlyDistributed(double[] thresholds)
    {
        int n = thresholds.Length;
        if (n < 3) return false;
        for (int i = 0; i < n; i++)
            if (Math.Abs(thresholds[i] - (double)(float)((float)i / (n - 1))) > 1e-7 + 1e-5 * Math.Abs((float)i / (n - 1)))
                return false;
        return true;
    }

    /// <summary>Adds a batch: checks shapes now, copies into the buffer, bins when it is full.</summary>
    /// <remarks>Runs once per metric per training step, so it reads each shape from libtorch once and calls no kernel
    /// but the two (three with weights) copies into the buffer.</remarks>
    public void Update(Tensor yTrue, Tensor yPred, Tensor? sampleWeight)
    {
        // The common case (the same row shape as the buffer, room left, no weights): the checks that depend on the row
        // shape passed when the buffer was made for it.
        long[] shape = yPred.shape;
        if (sampleWeight is null && !(_topK is not null && shape.Length == 1) && _buffer.TakesAsIs(shape, yTrue))
            _buffer.CopyAsIs(yTrue, yPred, shape[0]);
        else
            UpdateChecked(yTrue, yPred, sampleWeight);
    }

    /// <summary>
    /// Whether a batch of predictions of <paramref name="shape"/> (targets of the same shape, no weights), once
    /// <see cref="Update"/> accepted one, may be binned straight from a <see cref="ConfusionStage"/>'s copy: the checks
    /// of <see cref="Update"/> depend only on that shape.
    /// </summary>
    public bool CanShare(long[] shape) => shape.Length >= 2 || (shape.Length == 1 && _topK is null);

    /// <summary>Shares <paramref name="stage"/>'s buffer: it is binned into these counts too, before they are read or
    /// cleared.</summary>
    public void Join(ConfusionStage stage) => _stage = stage;

    private void UpdateChecked(Tensor yTrue, Tensor yPred, Tensor? sampleWeight)
    {
        using var scope = NewDisposeScope();
        yPred = yPred.detach();
        (yTrue, yPred) = TargetChecks.MatchRank(yTrue, yPred);
        long[] shape = yPred.shape;
        if (!yTrue.shape.AsSpan().SequenceEqual(shape))
            throw new ArgumentException(
                $"Metric '{_metric}': targets of shape {TargetChecks.Format(yTrue.shape)} do not match predictions of shape " +
                $"{TargetChecks.Format(shape)}; give one label (0 or 1) per prediction.", nameof(yTrue));
        if (shape.Length == 0 || (_topK is not null && shape.Length == 1))
        {
            // A scalar is one prediction; with top k, taken along the last axis, a vector is one row (and must not be
            // pooled with the next batch's).
            (yTrue, yPred) = shape.Length == 0 ? (yTrue.reshape(1), yPred.reshape(1)) : (yTrue.unsqueeze(0), yPred.unsqueeze(0));
            if (shape.Length == 1 && sampleWeight is { } sw && sw.dim() == 1) sampleWeight = sw.unsqueeze(0);
            shape = yPred.shape;
        }
        CheckShape(shape);
        Tensor? weight = sampleWeight is null ? null : WeightsFor(sampleWeight, shape);

        long rows = shape[0];
        var rowShape = shape.AsSpan(1);
        if (_counts is null) EnsureState(yPred.device, _multiLabel ? shape[1] : 1);
        if (!_buffer.Holds(rowShape) || !_buffer.HasRoomFor(rows))
        {
            Flush();
            if (!_buffer.Holds(rowShape) || rows > _buffer.Capacity) _buffer.Allocate(rowShape.ToArray(), rows, _counts!.device);
        }
        _buffer.Copy(yTrue, yPred, weight);
    }

    /// <summary>The option checks on a batch's (rank-matched) prediction shape.</summary>
    private void CheckShape(long[] shape)
    {
        if (_multiLabel && shape.Length != 2)
            throw new ArgumentException(
                $"Metric '{_metric}': multiLabel needs predictions of rank 2 (samples, labels); received shape {TargetChecks.Format(shape)}.",
                "yPred");
        if (_classId is int id && (shape.Length < 2 || id >= shape[^1]))
            throw new ArgumentException(
                $"Metric '{_metric}': classId {id} needs predictions of shape (samples, classes) with more than {id} classes; " +
                $"received shape {TargetChecks.Format(shape)}.", "yPred");
        if (_topK is int k && k > shape[^1])
            throw new ArgumentException(
                $"Metric '{_metric}': topK {k} is larger than the last axis of predictions of shape {TargetChecks.Format(shape)}.", "yPred");
        if (_labelWeights is not null && shape[^1] != _labelWeights.Length)
            throw new ArgumentException(
                $"Metric '{_metric}': {_labelWeights.Length} label weights do not fit predictions of shape {TargetChecks.Format(shape)}; " +
                "give one weight per label (the last axis).", "yPred");
        if (_multiLabel && _labels is long labels && shape[1] != labels)
            throw new ArgumentException(
                $"Metric '{_metric}': it counts {labels} labels, but this batch has {shape[1]}; reset the metric to count a different number.",
                "yPred");
    }

    /// <summary>Keras: weights get a trailing axis, then match the predictions' rank, then broadcast to them.</summary>
    private Tensor WeightsFor(Tensor sampleWeight, long[] predShape)
    {
        var w = sampleWeight.detach();
        if (w.dim() == predShape.Length + 1 && w.shape[^1] == 1) w = w.squeeze(-1);
        while (w.dim() > 0 && w.dim() < predShape.Length) w = w.unsqueeze(-1);
        if (!Broadcasts(w.shape, predShape))
            throw new ArgumentException(
                $"Metric '{_metric}': sample weights of shape {TargetChecks.Format(sampleWeight.shape)} do not fit predictions of shape " +
                $"{TargetChecks.Format(predShape)}; pass one weight per sample.", nameof(sampleWeight));
        return w;
    }

    private static bool Broadcasts(long[] from, long[] to)
    {
        if (from.Length > to.Length) return false;
        for (int i = 1; i <= from.Length; i++)
            if (from[^i] != to[^i] && from[^i] != 1) return false;
        return true;
    }

    private void EnsureState(Device device, long labels)
    {
        if (_counts is not null) return;
        _labels = labels;
        _counts = zeros([2, Count + 1, labels], ScalarType.Float64, device).DetachFromDisposeScope();
        if (!_evenly) _thresholdValues = tensor(_thresholds.Select(t => (float)t).ToArray(), device: device).DetachFromDisposeScope();
        if (_labelWeights is not null)
            _labelWeightValues = tensor(_labelWeights.Select(t => (float)t).ToArray(), device: device).DetachFromDisposeScope();
    }

    /// <summary>Bins the buffered rows into the histogram.</summary>
    private void Flush()
    {
        if (!_buffer.Pending || _counts is null) return;
        using var scope = NewDisposeScope();
        var (p, y, w) = _buffer.Take();
        Bin(p, y, w);
    }

    private void Bin(Tensor p, Tensor y, Tensor? w)
    {
        using var scope = NewDisposeScope();
        Add(Increments(p, y, w));
    }

    /// <summary>
    /// Whether <paramref name="other"/> bins every row exactly as this histogram does (the same thresholds and options,
    /// the same label columns): Precision and Recall with their defaults, say. A <see cref="ConfusionStage"/> then bins
    /// its rows once for both (<see cref="Increments"/>, <see cref="Add"/>).
    /// </summary>
    public bool BinsAlike(ConfusionHistogram other) =>
        _thresholds.SequenceEqual(other._thresholds) && _evenly == other._evenly && _withEpsilon == other._withEpsilon
        && _multiLabel == other._multiLabel && _topK == other._topK && _classId == other._classId && _fromLogits == other._fromLogits
        && (_labelWeights ?? []).SequenceEqual(other._labelWeights ?? []) && (_labelWeights is null) == (other._labelWeights is null)
        && _labels == other._labels && _counts is not null && other._counts is not null;

    /// <summary>Adds increments that <see cref="Increments"/> computed (here or in a histogram that
    /// <see cref="BinsAlike"/> this one) to the counts.</summary>
    public void Add(Tensor increments) => _counts!.view(-1).add_(increments);

    /// <summary>
    /// The rows' contribution to the flat counts [2 · (T + 1) · L]: an int64 <c>bincount</c> of their bin indices, or the
    /// float64 sums of their weights per bin; in the caller's dispose scope.
    /// </summary>
    public Tensor Increments(Tensor p, Tensor y, Tensor? w)
    {
        if (_fromLogits) p = p.sigmoid();
        if (_topK is int k)
        {
            var keep = zeros_like(p, ScalarType.Bool).scatter_(-1, p.topk(k, dim: -1).indexes, ones_like(p, ScalarType.Bool));
            p = where(keep, p, full_like(p, NegativeInfinity));
        }
        if (_classId is int id)
        {
            p = p.narrow(-1, id, 1);
            y = y.narrow(-1, id, 1);
            w = w?.narrow(-1, id, 1);
        }
        if (_labelWeightValues is not null) w = w is null ? _labelWeightValues.expand(p.shape) : w * _labelWeightValues;
        long bins = Count + 1;
        Tensor exceeded;
        if (_evenly)
        {
            // Keras's bucket index ceil(p (T - 1)) - 1, plus one; with the epsilon end points, p = 0 exceeds the first.
            exceeded = p.clamp(0, 1).mul(Count - 1).ceil_().to_type(ScalarType.Int64);
            if (_withEpsilon) exceeded = exceeded.clamp_min_(1);
        }
        else if (Count == 1)
        {
            // One threshold (Precision's and Recall's 0.5): searchsorted's count of thresholds below p is p > t, which one
            // comparison gives for a fraction of searchsorted's cost.
            exceeded = p.gt(_thresholdValues!).to_type(ScalarType.Int64);
        }
        else
        {
            exceeded = searchsorted(_thresholdValues!, p.contiguous());
        }
        // Flat index into [2, T + 1, L]: (label · (T + 1) + exceeded) · L + column.
        var index = exceeded.add_(y.ne(0).to_type(ScalarType.Int64), alpha: bins);
        long labels = _labels ?? 1;
        if (labels > 1) index = index.mul_(labels).add_(arange(labels, ScalarType.Int64, p.device));
        index = index.reshape(-1);
        long size = 2 * bins * labels;
        return w is null
            ? index.bincount(null, size)
            : zeros(size, ScalarType.Float64, p.device).index_add_(0, index, w.expand(p.shape).reshape(-1).to_type(ScalarType.Float64), 1);
    }

    /// <summary>True positives, false positives, true negatives and false negatives per threshold: float64 tensors of
    /// shape [T] ([T, L] when multi-label), zeros before any update.</summary>
    public (Tensor TruePositives, Tensor FalsePositives, Tensor TrueNegatives, Tensor FalseNegatives) Counts()
    {
        _stage?.Flush();
        Flush();
        if (_counts is null)
        {
            var zero = zeros(Count, ScalarType.Float64);
            return (zero, zero.clone(), zero.clone(), zero.clone());
        }
        var atLeast = _counts.flip(1).cumsum(1).flip(1);   // [2, T + 1, L]: predictions exceeding at least c thresholds
        var totals = atLeast.select(1, 0).unsqueeze(1);     // [2, 1, L]
        var positive = atLeast.narrow(1, 1, Count);         // [2, T, L]: predicted positive at threshold i
        var negative = totals - positive;
        Tensor Shape(Tensor t) => _multiLabel ? t : t.squeeze(-1);
        return (Shape(positive[1]), Shape(positive[0]), Shape(negative[0]), Shape(negative[1]));
    }

    /// <summary>Clears the counts and any buffered rows; keeps the tensors (and their device).</summary>
    public void Reset()
    {
        using var scope = NewDisposeScope();
        _stage?.Flush(); // the other metrics sharing the stage keep their rows
        _counts?.zero_();
        _buffer.Clear();
    }
}
