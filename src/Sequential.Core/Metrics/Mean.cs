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
        _total!.add_(v.sum());
        _count += n;
    }

    /// <inheritdoc/>
    /// <returns>total / count as a float64 scalar on the metric's device (the CPU before the first update); 0 when
    /// nothing was accumulated, as in Keras.</returns>
    public override Tensor Result() =>
        _total is null ? tensor(0.0, ScalarType.Float64) : _total / Math.Max(_count, 1);

    /// <inheritdoc/>
    public override void ResetState()
    {
        // Zeroed in place: the tensors (and their device) are reused, and nothing synchronises. TorchSharp's
        // zero_() returns a new wrapper of the same tensor; the scope frees those wrappers, not the state.
        using var scope = NewDisposeScope();
        _total?.zero_();
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
