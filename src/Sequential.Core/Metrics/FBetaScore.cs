using Sequential.Losses;
using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// The F-beta score (Keras's <c>keras.metrics.FBetaScore</c>): (1 + β²)·precision·recall / (β²·precision + recall),
/// per class of a (samples, classes) output, from true positives, false positives and false negatives counted on the device.
/// </summary>
/// <remarks>
/// <para>A prediction counts as positive when it is above <c>threshold</c>; with no threshold, each sample's largest
/// prediction(s) are positive (ties included, values within 1e-9 of 0 excluded), as in Keras.</para>
/// <para><c>average</c>: null for one score per class (as Keras's default; such a result cannot be logged as one number:
/// choose an average to log it), <c>"micro"</c> (counts pooled over classes), <c>"macro"</c> (the mean of the classes'
/// scores) or <c>"weighted"</c> (the mean weighted by each class's number of positive labels).</para>
/// </remarks>
/// <example>
/// <code>
/// model.Compile(optimizer: "adam", loss: "categorical_crossentropy", metrics: [new F1Score(average: "macro")]);
/// </code>
/// </example>
public class FBetaScore : Metric
{
    private const double Epsilon = TargetChecks.Epsilon;
    private Tensor? _truePositives, _falsePositives, _falseNegatives, _support;   // float64 [C] (or [] for micro)

    /// <summary>Creates the metric.</summary>
    /// <param name="average">null, <c>"micro"</c>, <c>"macro"</c> or <c>"weighted"</c>.</param>
    /// <param name="beta">The weight of recall against precision; greater than 0.</param>
    /// <param name="threshold">Predictions above it are positive, in (0, 1]; null for each sample's largest.</param>
    /// <param name="name">The key in logs and History.</param>
    /// <exception cref="ArgumentException">An unknown average, a beta not above 0, or a threshold outside (0, 1].</exception>
    public FBetaScore(string? average = null, double beta = 1.0, double? threshold = null, string name = "fbeta_score") : base(name)
    {
        if (average is not (null or "micro" or "macro" or "weighted"))
            throw new ArgumentException(
                $"Invalid `average` argument value \"{average}\". Expected one of: null, \"micro\", \"macro\", \"weighted\".", nameof(average));
        if (!(beta > 0))
            throw new ArgumentException($"Invalid `beta` argument value {beta}. It should be > 0.", nameof(beta));
        if (threshold is double t && !(t > 0 && t <= 1))
            throw new ArgumentException($"Invalid `threshold` argument value {t}. It should verify 0 < threshold <= 1.", nameof(threshold));
        Average = average;
        Beta = beta;
        Threshold = threshold;
    }

    /// <summary>How the classes' scores are combined, or null for one per class.</summary>
    public string? Average { get; }

    /// <summary>The weight of recall against precision.</summary>
    public double Beta { get; }

    /// <summary>The threshold above which a prediction is positive, or null for each sample's largest.</summary>
    public double? Threshold { get; }

    /// <inheritdoc/>
    public override MetricDirection Direction => MetricDirection.Up;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The inputs are not (samples, classes) of one shape.</exception>
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight)
    {
        using var scope = NewDisposeScope();
        if (yPred.dim() != 2 || !yTrue.shape.AsSpan().SequenceEqual(yPred.shape))
            throw new ArgumentException(
                $"{GetType().Name} expects 2D inputs with shape (batch_size, output_dim); received y_pred.shape=" +
                $"{TargetChecks.Format(yPred.shape)} and y_true.shape={TargetChecks.Format(yTrue.shape)}.", nameof(yPred));
        var p = yPred.detach().to_type(ScalarType.Float64);
        var y = yTrue.to(p.device).to_type(ScalarType.Float64);
        p = Threshold is double t
            ? p.gt(t).to_type(ScalarType.Float64)
            : p.ge(p.amax([-1], keepdim: true)).logical_and(p.abs().gt(1e-9)).to_type(ScalarType.Float64);
        Tensor? w = null;
        if (sampleWeight is not null)
        {
            w = sampleWeight.detach().to(p.device).to_type(ScalarType.Float64);
            while (w.dim() < y.dim()) w = w.unsqueeze(-1);
        }
        if (_truePositives is null)
        {
            long[] shape = Average == "micro" ? [] : [p.shape[1]];
            Tensor Zeros() => zeros(shape, ScalarType.Float64, p.device).DetachFromDisposeScope();
            (_truePositives, _falsePositives, _falseNegatives, _support) = (Zeros(), Zeros(), Zeros(), Zeros());
        }
        Tensor WeightedSum(Tensor v)
        {
            var x = w is null ? v : v * w;
            return Average == "micro" ? x.sum() : x.sum([0]);
        }
        _truePositives.add_(WeightedSum(p * y));
        _falsePositives!.add_(WeightedSum(p * (1 - y)));
        _falseNegatives!.add_(WeightedSum((1 - p) * y));
        _support!.add_(WeightedSum(y));
    }

    /// <inheritdoc/>
    /// <returns>A float64 scalar, or one score per class when <see cref="Average"/> is null; 0 before any update.</returns>
    public override Tensor Result()
    {
        if (_truePositives is null) return tensor(0.0, ScalarType.Float64);
        var precision = _truePositives / (_truePositives + _falsePositives! + Epsilon);
        var recall = _truePositives / (_truePositives + _falseNegatives! + Epsilon);
        double beta2 = Beta * Beta;
        var score = precision * recall / (beta2 * precision + recall + Epsilon) * (1 + beta2);
        return Average switch
        {
            "weighted" => (score * (_support! / (_support!.sum() + Epsilon))).sum(),
            null => score,
            _ => score.mean(),
        };
    }

    /// <inheritdoc/>
    public override void ResetState()
    {
        using var scope = NewDisposeScope();
        foreach (var t in new[] { _truePositives, _falsePositives, _falseNegatives, _support }) t?.zero_();
    }
}
