using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// A weighted running mean (Keras's <c>keras.metrics.Mean</c>); the training loop uses it to track the loss, and the
/// other metrics here derive from it (as Keras's <c>MeanMetricWrapper</c> does).
/// </summary>
/// <remarks>
/// The running total and count are 0-dimensional float64 tensors, created on the device of the first batch and kept
/// out of every <c>DisposeScope</c>, so they survive the scope the training loop opens per batch, while everything
/// an update computes is disposed at once. Updating never copies to the host. As in Keras (<c>divide_no_nan</c>),
/// the result of a metric with no updates is 0.
/// </remarks>
/// <example>
/// <code>
/// var lossTracker = new Mean("loss");
/// lossTracker.UpdateState(batchLoss, count: batchSize);   // batchLoss: the mean loss of the batch
/// double epochLoss = lossTracker.Value();                 // the sample-weighted mean so far
/// </code>
/// </example>
public class Mean : Metric
{
    private Tensor? _total;  // float64 on the device of the first batch
    private double _count;   // on the host: how many samples a batch holds is known without reading the device
    private Tensor? _weightTotal; // float64 on the device; only created once weighted updates happen
    private Tensor? _pendingWeight; // the weights of the weighted update in progress

    /// <summary>Creates the metric.</summary>
    /// <param name="name">The key in logs and History.</param>
    public Mean(string name = "mean") : base(name) { }

    /// <summary>
    /// Keras's <c>Mean.update_state(values)</c>: adds each sample of <paramref name="yPred"/> (averaged over its
    /// non-batch axes) with weight 1; <paramref name="yTrue"/> is ignored. Derived metrics override this.
    /// </summary>
    /// <param name="yTrue">Ignored.</param>
    /// <param name="yPred">The values, shape [N, ...] (a 0-dimensional tensor counts as one sample).</param>
    public override void UpdateState(Tensor yTrue, Tensor yPred) => AddSamples(yPred);

    /// <summary>
    /// Weighted update (Keras's <c>sample_weight</c>): each per-sample value that the metric's
    /// <see cref="UpdateState(Tensor, Tensor)"/> adds is multiplied by its weight, and the count grows by the sum of
    /// the weights, so the result is <c>sum(v_i * w_i) / sum(w_i)</c>. Derived metrics get this without changes.
    /// The sum of the weights stays on the device: a weighted update does not synchronise either.
    /// </summary>
    /// <param name="yTrue">Targets of the batch.</param>
    /// <param name="yPred">Model outputs of the batch.</param>
    /// <param name="sampleWeight">One weight per sample, shape [N], or null for weight 1.</param>
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight)
    {
        if (sampleWeight is null) { UpdateState(yTrue, yPred); return; }
        _pendingWeight = sampleWeight;
        try { UpdateState(yTrue, yPred); }
        finally { _pendingWeight = null; }
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

    /// <summary>
    /// Adds per-sample values: a tensor of shape [N, ...] contributes N samples, each the mean over its non-batch
    /// axes (Keras's <c>reduce_to_samplewise_values</c>).
    /// </summary>
    /// <param name="values">Per-sample values computed from a batch.</param>
    protected void AddSamples(Tensor values)
    {
        using var scope = NewDisposeScope();
        var v = OnStateDevice(values.detach());
        long dims = v.dim();
        long n = dims == 0 ? 1 : v.shape[0];
        if (dims > 1) v = v.reshape(n, -1).to_type(ScalarType.Float64).mean([1]);
        if (_pendingWeight is not null)
        {
            AddWeighted(v, n);
            return;
        }
        _total!.add_(v.sum());
        _count += n;
    }

    private void AddWeighted(Tensor perSample, long n)
    {
        var w = OnStateDevice(_pendingWeight!.detach()).reshape(-1).to_type(ScalarType.Float64);
        if (perSample.dim() == 0) (perSample, w) = (perSample.reshape(1), w.mean().reshape(1)); // one value for the batch
        else if (w.shape[0] != n)
            throw new ArgumentException($"Metric '{Name}': {w.shape[0]} sample weights for {n} samples; pass one weight per sample.");
        _total!.add_((perSample.to_type(ScalarType.Float64) * w).sum());
        _weightTotal ??= zeros([], ScalarType.Float64, _total.device).DetachFromDisposeScope();
        _weightTotal.add_(w.sum());
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
