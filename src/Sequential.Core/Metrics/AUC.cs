using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// The area under the ROC or precision-recall curve (Keras's <c>keras.metrics.AUC</c>, string <c>"auc"</c>), approximated
/// by a Riemann sum over <see cref="NumThresholds"/> thresholds, exactly as Keras computes it.
/// </summary>
/// <remarks>
/// <para>Thresholds: by default <see cref="NumThresholds"/> evenly spaced in [0, 1] with end points just outside it
/// (−1e-7 and 1 + 1e-7), or the given <c>thresholds</c> plus those end points. <c>curve</c> is <c>"ROC"</c> (false
/// positive rate against recall), <c>"PR"</c> (recall against precision) or <c>"PRGAIN"</c>; <c>summationMethod</c> is
/// <c>"interpolation"</c> (the trapezoidal rule; for PR, Davis and Goadrich's interpolation of true and false
/// positives), <c>"minoring"</c> or <c>"majoring"</c>. With <c>multiLabel</c>, each column of a [N, L] output gets its own
/// curve and the result is their mean (weighted by <c>labelWeights</c> when given); otherwise every element counts in
/// one curve (and <c>labelWeights</c> weigh the columns' elements). <c>fromLogits</c> applies a sigmoid first.</para>
/// <para><b>On the device.</b> Keras keeps four counters per threshold and adds to them per batch. Here each prediction
/// is put in the bucket of the thresholds it exceeds, on the device, and the counters are the cumulative sums of the
/// buckets, taken when the result is read; batches are bucketed in groups (a copy into a device buffer per batch), so the
/// metric adds a few small copies to a training step, not a dozen kernels. Nothing reaches the host until a value is
/// read.</para>
/// </remarks>
/// <example>
/// <code>
/// // Keras: metrics=[keras.metrics.AUC(name="prc", curve="PR"), "auc"]
/// model.Compile(optimizer: "adam", loss: new BinaryCrossentropy(fromLogits: true),
///     metrics: [new AUC(curve: "PR", name: "prc", fromLogits: true), new AUC(fromLogits: true)]);
/// </code>
/// </example>
public sealed class AUC : Metric
{
    private const double Epsilon = 1e-7;
    private readonly ConfusionHistogram _histogram;
    private readonly int _count;
    private Tensor? _labelWeightValues;

    /// <summary>Creates the metric.</summary>
    /// <param name="numThresholds">How many thresholds (more than 1) when <paramref name="thresholds"/> is null.</param>
    /// <param name="curve"><c>"ROC"</c>, <c>"PR"</c> or <c>"PRGAIN"</c>, any case.</param>
    /// <param name="summationMethod"><c>"interpolation"</c>, <c>"minoring"</c> or <c>"majoring"</c>, any case.</param>
    /// <param name="name">The key in logs and History.</param>
    /// <param name="thresholds">Thresholds in [0, 1] to use instead of evenly spaced ones (sorted here).</param>
    /// <param name="multiLabel">One curve per column of [N, L] outputs, averaged.</param>
    /// <param name="numLabels">With <paramref name="multiLabel"/>, the number of columns (checked on every batch), or null
    /// to take it from the first batch.</param>
    /// <param name="labelWeights">A non-negative weight per label column.</param>
    /// <param name="fromLogits">Apply a sigmoid to the predictions first.</param>
    /// <exception cref="ArgumentException">An unknown curve or summation method, a threshold outside [0, 1], fewer than 2
    /// thresholds, or <paramref name="numLabels"/> without <paramref name="multiLabel"/>.</exception>
    public AUC(int numThresholds = 200, string curve = "ROC", string summationMethod = "interpolation", string name = "auc",
        IReadOnlyList<double>? thresholds = null, bool multiLabel = false, int? numLabels = null,
        IReadOnlyList<double>? labelWeights = null, bool fromLogits = false) : base(name)
    {
        ArgumentNullException.ThrowIfNull(curve);
        ArgumentNullException.ThrowIfNull(summationMethod);
        Curve = curve.ToUpperInvariant() switch
        {
            "ROC" or "PR" or "PRGAIN" => curve.ToUpperInvariant(),
            _ => throw new ArgumentException($"Invalid AUC curve value \"{curve}\"; expected \"ROC\", \"PR\" or \"PRGAIN\".", nameof(curve)),
        };
        SummationMethod = summationMethod.ToLowerInvariant() switch
        {
            "interpolation" or "minoring" or "majoring" => summationMethod.ToLowerInvariant(),
            _ => throw new ArgumentException(
                $"Invalid AUC summation method value \"{summationMethod}\"; expected \"interpolation\", \"majoring\" or \"minoring\".",
                nameof(summationMethod)),
        };
        if (numLabels is not null && !multiLabel)
            throw new ArgumentException("`numLabels` is needed only when `multiLabel` is true.", nameof(numLabels));
        if (labelWeights is not null && labelWeights.Any(w => !(w >= 0)))
            throw new ArgumentException("labelWeights must be non-negative numbers.", nameof(labelWeights));
        double[] all;
        bool evenly;
        if (thresholds is not null)
        {
            var sorted = ConfusionHistogram.CheckThresholds(thresholds, nameof(thresholds)).Order().ToArray();
            numThresholds = sorted.Length + 2;
            evenly = ConfusionHistogram.IsEvenlyDistributed([0.0, .. sorted, 1.0]);
            all = [0.0 - Epsilon, .. sorted, 1.0 + Epsilon];
        }
        else
        {
            if (numThresholds <= 1)
                throw new ArgumentException($"Argument `numThresholds` must be an integer > 1; received {numThresholds}.", nameof(numThresholds));
            evenly = true;
            all = [0.0 - Epsilon, .. Enumerable.Range(0, numThresholds - 2).Select(i => (i + 1) * 1.0 / (numThresholds - 1)), 1.0 + Epsilon];
        }
        NumThresholds = numThresholds;
        Thresholds = thresholds is null ? null : [.. thresholds.Order()];
        MultiLabel = multiLabel;
        NumLabels = numLabels;
        LabelWeights = labelWeights;
        FromLogits = fromLogits;
        _count = all.Length;
        _histogram = new ConfusionHistogram(name, all, evenly, multiLabel: multiLabel, fromLogits: fromLogits,
            labelWeights: multiLabel ? null : labelWeights?.ToArray());
    }

    /// <summary>The number of thresholds, end points included.</summary>
    public int NumThresholds { get; }

    /// <summary><c>"ROC"</c>, <c>"PR"</c> or <c>"PRGAIN"</c>.</summary>
    public string Curve { get; }

    /// <summary><c>"interpolation"</c>, <c>"minoring"</c> or <c>"majoring"</c>.</summary>
    public string SummationMethod { get; }

    /// <summary>The thresholds given (sorted), without the end points; null when evenly spaced ones are used.</summary>
    public IReadOnlyList<double>? Thresholds { get; }

    /// <summary>Whether each label column has its own curve.</summary>
    public bool MultiLabel { get; }

    /// <summary>The number of label columns expected with <see cref="MultiLabel"/>, or null.</summary>
    public int? NumLabels { get; }

    /// <summary>Weights of the label columns, or null.</summary>
    public IReadOnlyList<double>? LabelWeights { get; }

    /// <summary>Whether predictions are logits.</summary>
    public bool FromLogits { get; }

    /// <inheritdoc/>
    public override MetricDirection Direction => MetricDirection.Up;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">Targets and predictions differ in shape, or a multi-label batch does not have
    /// <see cref="NumLabels"/> (or <see cref="LabelWeights"/>' count of) columns.</exception>
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight)
    {
        if (MultiLabel && yPred.dim() == 2)
        {
            long columns = yPred.shape[1];
            if ((NumLabels is int n && n != columns) || (LabelWeights is { } w && w.Count != columns))
                throw new ArgumentException(
                    $"Metric '{Name}': predictions of shape {Layers.Shapes.Format(yPred.shape)} have {columns} labels, but the metric was " +
                    $"created for {NumLabels ?? LabelWeights!.Count}.", nameof(yPred));
        }
        _histogram.Update(yTrue, yPred, sampleWeight);
    }

    /// <inheritdoc/>
    /// <returns>The area as a float64 scalar on the metric's device.</returns>
    public override Tensor Result()
    {
        var (tp, fp, tn, fn) = _histogram.Counts();
        Tensor terms;
        if (Curve == "PR" && SummationMethod == "interpolation")
        {
            terms = InterpolatedPrecisionRecall(tp, fp, fn);
        }
        else
        {
            var recall = ConfusionMath.DivideNoNan(tp, tp + fn);
            Tensor x, y;
            if (Curve == "ROC")
            {
                (x, y) = (ConfusionMath.DivideNoNan(fp, fp + tn), recall);
            }
            else if (Curve == "PR")
            {
                (x, y) = (recall, ConfusionMath.DivideNoNan(tp, tp + fp));
            }
            else
            {
                // Keras's PRGAIN, with its fixes for no true positives (recall gain 0, precision gain 1) and negative gains.
                var scaling = ConfusionMath.DivideNoNan(tp + fn, tn + fp);
                var noPositives = tp.eq(0);
                var recallGain = where(noPositives, zeros_like(tp), 1.0 - scaling * ConfusionMath.DivideNoNan(fn, tp)).clamp_min(0);
                var precisionGain = where(noPositives, ones_like(tp), 1.0 - scaling * ConfusionMath.DivideNoNan(fp, tp));
                (x, y) = (recallGain, precisionGain);
            }
            var (y0, y1) = (y.narrow(0, 0, _count - 1), y.narrow(0, 1, _count - 1));
            var heights = SummationMethod switch
            {
                "interpolation" => (y0 + y1) / 2.0,
                "minoring" => minimum(y0, y1),
                _ => maximum(y0, y1),
            };
            terms = (x.narrow(0, 0, _count - 1) - x.narrow(0, 1, _count - 1)) * heights;
        }
        if (!MultiLabel) return terms.sum();
        var byLabel = terms.sum([0]);
        if (LabelWeights is null) return byLabel.mean();
        _labelWeightValues ??= tensor(LabelWeights.ToArray(), ScalarType.Float64, byLabel.device).DetachFromDisposeScope();
        return ConfusionMath.DivideNoNan((byLabel * _labelWeightValues).sum(), _labelWeightValues.sum());
    }

    /// <summary>Keras's <c>interpolate_pr_auc</c> (Davis and Goadrich 2006): precision interpolated between thresholds
    /// through the true and false positive counts, integrated in closed form.</summary>
    private Tensor InterpolatedPrecisionRecall(Tensor tp, Tensor fp, Tensor fn)
    {
        int m = _count - 1;
        var (tp0, tp1) = (tp.narrow(0, 0, m), tp.narrow(0, 1, m));
        var dtp = tp0 - tp1;
        var p = tp + fp;
        var (p0, p1) = (p.narrow(0, 0, m), p.narrow(0, 1, m));
        var slope = ConfusionMath.DivideNoNan(dtp, (p0 - p1).clamp_min(0));
        var intercept = tp1 - slope * p1;
        var ratio = where(p0.gt(0).logical_and(p1.gt(0)), ConfusionMath.DivideNoNan(p0, p1.clamp_min(0)), ones_like(p1));
        return ConfusionMath.DivideNoNan(slope * (dtp + intercept * ratio.log()), (tp1 + fn.narrow(0, 1, m)).clamp_min(0));
    }

    /// <inheritdoc/>
    public override void ResetState() => _histogram.Reset();

    /// <inheritdoc/>
    internal override ConfusionHistogram Histogram => _histogram;
}
