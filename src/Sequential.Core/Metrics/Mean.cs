using Sequential.Losses;
using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// A weighted running mean (Keras's <c>keras.metrics.Mean</c>): the training loop tracks the loss with it, and
/// <see cref="MeanMetricWrapper"/> (the base of accuracy, MAE, MSE, ...) averages per-sample values with it.
/// </summary>
/// <remarks>
/// <para>The running total is a 0-dimensional float64 tensor, created on the device of the first batch and kept out
/// of every <c>DisposeScope</c>, so it survives the scope the training loop opens per batch, while everything an
/// update computes is disposed at once. The count of unweighted samples lives on the host (a batch's size is known
/// without reading the device); the sum of weights lives on the device. Updating never copies to the host. As in Keras
/// (<c>divide_no_nan</c>), the result with nothing (or a total weight of 0) accumulated is 0.</para>
/// <para>Weights follow Keras's <c>reduce_to_samplewise_values</c>: values are first averaged down to the weights'
/// rank (one weight per sample averages each sample's values), multiplied by the weights (which may broadcast, e.g.
/// <c>[1, C]</c> against <c>[N, C]</c>), and the count grows by the weights' per-sample mean summed over the batch.</para>
/// </remarks>
/// <example>
/// <code>
/// var lossTracker = new Mean("loss");
/// lossTracker.UpdateState(batchLoss, count: batchSize);   // batchLoss: the mean loss of the batch
/// var m = new Mean();
/// m.UpdateValues(tensor(new[] { 1f, 3, 5, 7 }), sampleWeight: tensor(new[] { 1f, 1, 0, 0 }));   // 2
/// double value = m.Value();
/// </code>
/// </example>
public class Mean : Metric
{
    private Tensor? _total;       // float64 on the device of the first batch
    private double _count;        // unweighted samples, on the host
    private Tensor? _weightTotal; // float64 on the device; created by the first weighted update

    /// <summary>Creates the metric.</summary>
    /// <param name="name">The key in logs and History.</param>
    public Mean(string name = "mean") : base(name) { }

    /// <summary>
    /// As <c>compile</c> calls it: adds the samples of <paramref name="yPred"/> (the values; <paramref name="yTrue"/>
    /// is ignored), as <see cref="UpdateValues"/> does. <see cref="MeanMetricWrapper"/> overrides this to compute the
    /// values from targets and predictions.
    /// </summary>
    /// <param name="yTrue">Ignored.</param>
    /// <param name="yPred">The values, shape [N, ...] (a 0-dimensional tensor counts as one sample).</param>
    /// <param name="sampleWeight">Weights, or null.</param>
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight) => UpdateValues(yPred, sampleWeight);

    /// <summary>Keras's <c>Mean.update_state(values)</c>: <see cref="UpdateValues"/> without weights (how a custom step
    /// updates the loss tracker).</summary>
    /// <param name="values">The values.</param>
    public override void UpdateState(Tensor values) => UpdateValues(values);

    /// <summary>
    /// Keras's <c>Mean.update_state(values, sample_weight)</c>: a tensor of shape [N, ...] contributes N samples, each
    /// the mean over its non-batch axes, weighted as the remarks describe. Named apart from
    /// <see cref="Metric.UpdateState(Tensor, Tensor)"/>, which takes targets and predictions.
    /// </summary>
    /// <param name="values">Per-sample values (detached here).</param>
    /// <param name="sampleWeight">Null for weight 1; a single number; one weight per sample ([N] or [N, 1]); or weights
    /// that broadcast against <paramref name="values"/>.</param>
    /// <exception cref="ArgumentException">The weights do not broadcast against the values; the message names both shapes.</exception>
    public void UpdateValues(Tensor values, Tensor? sampleWeight = null)
    {
        using var scope = NewDisposeScope();
        var v = OnStateDevice(values.detach()).to_type(ScalarType.Float64);
        if (sampleWeight is null)
        {
            long n = v.dim() == 0 ? 1 : v.shape[0];
            if (v.dim() > 1) v = v.mean(Axes(1, v.dim()));
            _total!.add_(v.sum());
            _count += n;
            return;
        }
        var w = OnStateDevice(sampleWeight.detach()).to_type(ScalarType.Float64);
        (v, w) = TargetChecks.MatchRank(v, w);
        long weightRank = w.dim();
        if (v.dim() > weightRank) v = v.mean(Axes(weightRank, v.dim()));
        if (!Broadcasts(w.shape, v.shape))
            throw new ArgumentException(
                $"Metric '{Name}': sample weights of shape {TargetChecks.Format(sampleWeight.shape)} do not fit values of shape " +
                $"{TargetChecks.Format(values.shape)}; pass one weight per sample.", nameof(sampleWeight));
        w = w.broadcast_to(v.shape);
        v = v * w;
        if (weightRank > 1) w = w.mean(Axes(1, weightRank));
        if (v.dim() > 1) v = v.mean(Axes(1, v.dim()));
        _total!.add_(v.sum());
        _weightTotal ??= zeros([], ScalarType.Float64, _total.device).DetachFromDisposeScope();
        _weightTotal.add_(w.sum());
    }

    /// <summary>Adds a value that is already the mean of <paramref name="count"/> samples (e.g. a batch loss).</summary>
    /// <param name="value">A 0-dimensional tensor (detached here; autograd is not involved).</param>
    /// <param name="count">How many samples <paramref name="value"/> averages; its weight.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public void UpdateState(Tensor value, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        using var scope = NewDisposeScope();
        var v = OnStateDevice(value.detach());
        _total!.add_(v.dim() == 0 ? v : v.sum(), alpha: count); // one fused multiply-add on the device
        _count += count;
    }

    /// <inheritdoc/>
    /// <returns>total / count as a float64 scalar on the metric's device (the CPU before the first update); 0 when
    /// nothing was accumulated, as in Keras.</returns>
    public override Tensor Result()
    {
        if (_total is null) return tensor(0.0, ScalarType.Float64);
        if (_weightTotal is null) return _total / Math.Max(_count, 1);
        var denominator = _weightTotal + _count;   // unweighted samples count with weight 1
        return where(denominator.eq(0), zeros_like(_total), _total / denominator);
    }

    /// <inheritdoc/>
    public override void ResetState()
    {
        // Zeroed in place: the tensors (and their device) are reused, and nothing synchronises. TorchSharp's
        // zero_() returns a new wrapper of the same tensor; the scope frees those wrappers, not the state.
        using var scope = NewDisposeScope();
        _total?.zero_();
        _weightTotal?.zero_();
        _count = 0;
    }

    private static long[] Axes(long from, long to)
    {
        var axes = new long[to - from];
        for (int i = 0; i < axes.Length; i++) axes[i] = from + i;
        return axes;
    }

    /// <summary>Whether <paramref name="weights"/> broadcast to <paramref name="values"/> (same rank; each size equal or 1).</summary>
    private static bool Broadcasts(long[] weights, long[] values)
    {
        if (weights.Length > values.Length) return false;
        for (int i = 1; i <= weights.Length; i++)
            if (weights[^i] != values[^i] && weights[^i] != 1) return false;
        return true;
    }

    /// <summary>Creates the state on <paramref name="t"/>'s device at the first update; moves later batches to it.</summary>
    private Tensor OnStateDevice(Tensor t)
    {
        if (_total is null)
        {
            _total = zeros([], ScalarType.Float64, t.device).DetachFromDisposeScope();
            return t;
        }
        return t.device_type == _total.device_type && t.device_index == _total.device_index ? t : t.to(_total.device);
    }
}
