using Sequential.Losses;
using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// Intersection over union for chosen classes (Keras's <c>keras.metrics.IoU</c>), the standard measure of semantic
/// segmentation: per class TP / (TP + FP + FN) from a confusion matrix accumulated on the device, averaged over
/// <see cref="TargetClassIds"/> (classes that never occur, in targets or predictions, are left out of the mean).
/// </summary>
/// <remarks>
/// Targets and predictions are class ids (<c>sparseYTrue</c>, <c>sparseYPred</c>) or scores whose arg-max along
/// <c>axis</c> is taken; ids outside [0, numClasses) and targets equal to <c>ignoreClass</c> are not counted. Float
/// predictions given as ids are truncated to integers, as Keras's integer cast does. <see cref="MeanIoU"/>,
/// <see cref="BinaryIoU"/>, <see cref="OneHotIoU"/> and <see cref="OneHotMeanIoU"/> are this metric with fixed options.
/// </remarks>
/// <example>
/// <code>
/// var iou = new IoU(numClasses: 2, targetClassIds: [0]);
/// iou.UpdateState(tensor(new long[] { 0, 0, 1, 1 }), tensor(new long[] { 0, 1, 0, 1 }));   // 1 / (2 + 2 - 1) = 0.3333
/// </code>
/// </example>
public class IoU : Metric
{
    private Tensor? _confusion;   // float64 [numClasses, numClasses]: rows are targets, columns predictions
    private Tensor? _targets;     // int64 target class ids on the device

    /// <summary>Creates the metric.</summary>
    /// <param name="numClasses">The number of classes.</param>
    /// <param name="targetClassIds">The classes whose IoU is averaged.</param>
    /// <param name="name">The key in logs and History.</param>
    /// <param name="ignoreClass">A target class id that is not counted (e.g. a "void" label), or null.</param>
    /// <param name="sparseYTrue">Whether targets are class ids (else scores or one-hot rows, arg-maxed).</param>
    /// <param name="sparseYPred">Whether predictions are class ids (else scores, arg-maxed).</param>
    /// <param name="axis">The class axis for the arg-max.</param>
    /// <exception cref="ArgumentException"><paramref name="numClasses"/> below 1, or a target class id outside [0, numClasses).</exception>
    public IoU(int numClasses, IReadOnlyList<int> targetClassIds, string name = "io_u", int? ignoreClass = null,
        bool sparseYTrue = true, bool sparseYPred = true, int axis = -1) : base(name)
    {
        ArgumentNullException.ThrowIfNull(targetClassIds);
        if (numClasses < 1) throw new ArgumentException($"numClasses must be at least 1; received {numClasses}.", nameof(numClasses));
        if (targetClassIds.Count == 0) throw new ArgumentException("targetClassIds is empty; name at least one class.", nameof(targetClassIds));
        var bad = targetClassIds.Where(id => id < 0 || id >= numClasses).ToList();
        if (bad.Count > 0)
            throw new ArgumentException($"Target class id {string.Join(", ", bad)} is out of range, which is [0, {numClasses}).", nameof(targetClassIds));
        NumClasses = numClasses;
        TargetClassIds = [.. targetClassIds];
        IgnoreClass = ignoreClass;
        SparseYTrue = sparseYTrue;
        SparseYPred = sparseYPred;
        Axis = axis;
    }

    /// <summary>The number of classes.</summary>
    public int NumClasses { get; }

    /// <summary>The classes whose IoU is averaged.</summary>
    public IReadOnlyList<int> TargetClassIds { get; }

    /// <summary>A target class id that is not counted, or null.</summary>
    public int? IgnoreClass { get; }

    /// <summary>Whether targets are class ids.</summary>
    public bool SparseYTrue { get; }

    /// <summary>Whether predictions are class ids.</summary>
    public bool SparseYPred { get; }

    /// <summary>The class axis for the arg-max of non-sparse inputs.</summary>
    public int Axis { get; }

    /// <inheritdoc/>
    public override MetricDirection Direction => MetricDirection.Up;

    /// <summary>Turns predictions into class ids before counting (<see cref="BinaryIoU"/> thresholds them).</summary>
    /// <param name="yPred">The batch's predictions.</param>
    /// <returns>Class ids, or scores when <see cref="SparseYPred"/> is false.</returns>
    protected virtual Tensor PredictedClasses(Tensor yPred) => yPred;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">Targets and predictions hold different numbers of ids, or the weights do not fit.</exception>
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight)
    {
        using var scope = NewDisposeScope();
        var p = PredictedClasses(yPred.detach());
        var y = yTrue.to(p.device);
        if (!SparseYTrue) y = y.argmax(Axis);
        if (!SparseYPred) p = p.argmax(Axis);
        y = y.reshape(-1).to_type(ScalarType.Int64);
        p = p.reshape(-1).to_type(ScalarType.Int64);
        if (y.shape[0] != p.shape[0])
            throw new ArgumentException(
                $"Metric '{Name}': targets of shape {TargetChecks.Format(yTrue.shape)} and predictions of shape " +
                $"{TargetChecks.Format(yPred.shape)} do not hold the same number of class ids.", nameof(yTrue));
        var w = sampleWeight is null ? ones(y.shape, ScalarType.Float64, y.device) : sampleWeight.detach().to(y.device).to_type(ScalarType.Float64).reshape(-1);
        if (w.shape[0] != y.shape[0])
        {
            if (w.shape[0] != 1)
                throw new ArgumentException(
                    $"Metric '{Name}': sample weights of shape {TargetChecks.Format(sampleWeight!.shape)} do not fit {y.shape[0]} class ids.",
                    nameof(sampleWeight));
            w = w.expand(y.shape);
        }
        var valid = y.ge(0).logical_and(y.lt(NumClasses)).logical_and(p.ge(0)).logical_and(p.lt(NumClasses));
        if (IgnoreClass is int ignore) valid = valid.logical_and(y.ne(ignore));
        var index = where(valid, y * NumClasses + p, zeros_like(y));
        w = where(valid, w, zeros_like(w));
        _confusion ??= zeros([NumClasses, NumClasses], ScalarType.Float64, y.device).DetachFromDisposeScope();
        _confusion.view(-1).add_(index.bincount(w, NumClasses * NumClasses));
    }

    /// <inheritdoc/>
    /// <returns>The mean IoU of the target classes that occurred, a float64 scalar; 0 before any update.</returns>
    public override Tensor Result()
    {
        if (_confusion is null) return tensor(0.0, ScalarType.Float64);
        _targets ??= tensor(TargetClassIds.Select(i => (long)i).ToArray(), device: _confusion.device).DetachFromDisposeScope();
        var truePositives = _confusion.diagonal();
        var denominator = _confusion.sum([0]) + _confusion.sum([1]) - truePositives;
        var tp = truePositives.index_select(0, _targets);
        var den = denominator.index_select(0, _targets);
        var valid = den.ne(0).sum().to_type(ScalarType.Float64);
        return ConfusionMath.DivideNoNan(ConfusionMath.DivideNoNan(tp, den).sum(), valid);
    }

    /// <inheritdoc/>
    public override void ResetState()
    {
        using var scope = NewDisposeScope();
        _confusion?.zero_();
    }
}
