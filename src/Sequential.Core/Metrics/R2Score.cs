using Sequential.Losses;
using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// The coefficient of determination R² (Keras's <c>keras.metrics.R2Score</c>, string <c>"r2_score"</c>): per output
/// column 1 − Σ(y − ŷ)² / Σ(y − ȳ)², over every sample since the last reset, then aggregated over the columns.
/// </summary>
/// <remarks>
/// <para><c>classAggregation</c>: <c>"uniform_average"</c> (the mean over columns, the default),
/// <c>"variance_weighted_average"</c> (weighted by each column's variance), or null (one score per column, which then
/// cannot be logged as one number). With <c>numRegressors</c> p &gt; 0 the adjusted R², 1 − (1 − R²)(n − 1)/(n − p − 1);
/// as in Keras, it falls back to the plain R² when n − 1 ≤ p (decided on the device, without Keras's warning, since
/// reading n would copy it to the host).</para>
/// <para>Inputs have shape (samples, outputs); labels of shape [N] meet a single-output [N, 1] prediction.</para>
/// </remarks>
public sealed class R2Score : Metric
{
    private Tensor? _sum, _squaredSum, _residual, _count, _samples;   // float64 on the device

    /// <summary>Creates the metric.</summary>
    /// <param name="classAggregation"><c>"uniform_average"</c>, <c>"variance_weighted_average"</c> or null.</param>
    /// <param name="numRegressors">The number of independent variables, for the adjusted R² (0 for the plain one).</param>
    /// <param name="name">The key in logs and History.</param>
    /// <exception cref="ArgumentException">An unknown <paramref name="classAggregation"/> or a negative <paramref name="numRegressors"/>.</exception>
    public R2Score(string? classAggregation = "uniform_average", int numRegressors = 0, string name = "r2_score") : base(name)
    {
        if (classAggregation is not (null or "uniform_average" or "variance_weighted_average"))
            throw new ArgumentException(
                $"Invalid value for argument `classAggregation`: \"{classAggregation}\". Expected null, \"uniform_average\" or " +
                "\"variance_weighted_average\".", nameof(classAggregation));
        if (numRegressors < 0)
            throw new ArgumentException($"Invalid value for argument `numRegressors`: {numRegressors}. Expected a value >= 0.", nameof(numRegressors));
        ClassAggregation = classAggregation;
        NumRegressors = numRegressors;
    }

    /// <summary>How the columns' scores are combined, or null for one score per column.</summary>
    public string? ClassAggregation { get; }

    /// <summary>The number of independent variables for the adjusted R² (0: plain R²).</summary>
    public int NumRegressors { get; }

    /// <inheritdoc/>
    public override MetricDirection Direction => MetricDirection.Up;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The inputs are not (samples, outputs) of one shape, or the number of outputs
    /// changed since the first batch.</exception>
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight)
    {
        using var scope = NewDisposeScope();
        (yTrue, yPred) = MetricFunctions.Floats(yTrue, yPred.detach());
        if (yPred.dim() != 2 || !yTrue.shape.AsSpan().SequenceEqual(yPred.shape))
            throw new ArgumentException(
                $"R2Score expects 2D inputs with shape (batch_size, output_dim); received y_pred.shape={TargetChecks.Format(yPred.shape)} " +
                $"and y_true.shape={TargetChecks.Format(yTrue.shape)}.", nameof(yPred));
        if (_sum is not null && _sum.shape[0] != yPred.shape[1])
            throw new ArgumentException(
                $"Metric '{Name}' has seen {_sum.shape[0]} outputs, but this batch has {yPred.shape[1]}; reset it first.", nameof(yPred));
        var y = yTrue.to_type(ScalarType.Float64);
        var p = yPred.to_type(ScalarType.Float64);
        var w = sampleWeight is null ? ones_like(y) : sampleWeight.detach().to(y.device).to_type(ScalarType.Float64);
        if (w.dim() == 1) w = w.unsqueeze(1);
        w = w.broadcast_to(y.shape);
        if (_sum is null)
        {
            long columns = y.shape[1];
            Tensor Zeros(long[] shape) => zeros(shape, ScalarType.Float64, y.device).DetachFromDisposeScope();
            (_sum, _squaredSum, _residual, _count, _samples) = (Zeros([columns]), Zeros([columns]), Zeros([columns]), Zeros([columns]), Zeros([]));
        }
        var weighted = y * w;
        _sum.add_(weighted.sum([0]));
        _squaredSum!.add_((y * weighted).sum([0]));
        _residual!.add_(((y - p).square() * w).sum([0]));
        _count!.add_(w.sum([0]));
        _samples!.add_(w.ne(0).any(-1).sum());
    }

    /// <inheritdoc/>
    /// <returns>A float64 scalar (one per output with <see cref="ClassAggregation"/> null); 0 before any update.</returns>
    public override Tensor Result()
    {
        if (_sum is null) return tensor(0.0, ScalarType.Float64);
        var mean = _sum / _count!;
        var total = _squaredSum! - _sum * mean;
        var raw = 1.0 - _residual! / total;
        raw = where(raw.isinf(), zeros_like(raw), raw);
        var score = ClassAggregation switch
        {
            "uniform_average" => raw.mean(),
            "variance_weighted_average" => (total * raw).sum() / total.sum(),
            _ => raw,
        };
        if (NumRegressors == 0) return score;
        var n = _samples!;
        var adjusted = 1.0 - (1.0 - score) * (n - 1.0) / (n - NumRegressors - 1.0);
        return where(n.sub(1.0).gt(NumRegressors), adjusted, score);
    }

    /// <inheritdoc/>
    public override void ResetState()
    {
        using var scope = NewDisposeScope();
        foreach (var t in new[] { _sum, _squaredSum, _residual, _count, _samples }) t?.zero_();
    }
}
