using Sequential.Losses;
using Sequential.Metrics;
using static TorchSharp.torch;

namespace Sequential.Training;

/// <summary>
/// The loss tracker and the compiled metrics of a model. Metric names such as <c>"accuracy"</c> are
/// resolved on the first batch, when the shapes of targets and outputs are known (as Keras does).
/// </summary>
internal sealed class CompiledMetrics
{
    private readonly Loss? _loss;
    private readonly IReadOnlyList<object> _specs;
    private readonly Mean _lossTracker = new("loss");
    private List<Metric>? _resolved;
    private MetricLogs? _logs;

    public CompiledMetrics(Loss? loss, IReadOnlyList<object> specs)
    {
        _loss = loss;
        _specs = specs;
    }

    /// <summary>The metrics as given to Compile (names or Metric objects), saved with the model.</summary>
    public IReadOnlyList<object> Specs => _specs;

    /// <summary>The loss tracker first, then the resolved metrics (empty list before the first batch).</summary>
    public IReadOnlyList<Metric> All => [_lossTracker, .. _resolved ?? []];

    /// <summary>Adds a batch's loss to the loss tracker, weighted by the batch size (Keras's <c>_loss_tracker</c>).</summary>
    /// <exception cref="InvalidOperationException">The loss is not one number (a loss with reduction "none"): checked
    /// here, before backward, which libtorch refuses for a tensor with an unhelpful message, and before the tracker
    /// would sum it into a wrong mean.</exception>
    public void UpdateLoss(Tensor loss, long batchSize)
    {
        if (loss.dim() != 0)
            throw new InvalidOperationException(
                $"The loss '{_loss?.Name ?? "(from ComputeLoss)"}' gave a tensor of shape {Layers.Shapes.Format(loss.shape)} for a batch, " +
                "not one number: with reduction \"none\" a loss returns its per-sample values, which training cannot minimise. " +
                "Compile with reduction \"sum_over_batch_size\" (the default), \"sum\" or \"mean_with_sample_weight\", " +
                "or override ComputeLoss to reduce the values.");
        _lossTracker.UpdateState(loss, batchSize);
    }

    /// <summary>Updates the compiled metrics (not the loss), resolving their names on the first call.</summary>
    public void UpdateMetrics(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        if (_resolved is null)
        {
            _resolved = _specs.Select(spec => spec as Metric
                ?? Sequential.Metrics.MetricRegistry.Get((string)spec, _loss, yTrue.shape, yPred.shape)).ToList();
            _logs = null;
        }
        foreach (var metric in _resolved) metric.UpdateState(yTrue, yPred, sampleWeight);
    }

    /// <summary>Running logs that read each value from the device only when accessed.</summary>
    public MetricLogs Logs => _logs ??= new MetricLogs(All);

    /// <summary>Clears every metric (start of an epoch or an evaluation).</summary>
    public void Reset()
    {
        _lossTracker.ResetState();
        foreach (var metric in _resolved ?? []) metric.ResetState();
    }

    /// <summary>Reads every metric to the host (one synchronisation), loss first.</summary>
    public Dictionary<string, double> Values() => All.ToDictionary(m => m.Name, m => m.Value());
}
