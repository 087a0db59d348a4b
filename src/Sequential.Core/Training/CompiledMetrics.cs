using Sequential.Losses;
using Sequential.Metrics;
using static TorchSharp.torch;

namespace Sequential.Training;

/// <summary>
/// What <c>Compile</c> was given, per model output: the loss and its weight, and the metrics; plus the loss tracker
/// (Keras 3's <c>CompileLoss</c> and <c>CompileMetrics</c> with the trainer's <c>_loss_tracker</c>). Metric names such as
/// <c>"accuracy"</c> are resolved on the first batch, when the shapes of targets and outputs are known (as Keras does).
/// </summary>
/// <remarks>
/// Logs follow Keras 3's order and names: <c>loss</c>; then the metrics, prefixed by their output's name when the model
/// has several outputs (<c>kind_accuracy</c>, <c>price_mae</c>); then, when there are several losses, each output's
/// unweighted loss (<c>kind_loss</c>, <c>price_loss</c>).
/// </remarks>
internal sealed class CompiledMetrics
{
    private readonly Loss?[] _losses;
    private readonly double[] _lossWeights;
    private readonly IReadOnlyList<object>[] _specs;
    private readonly IReadOnlyList<object>[] _weightedSpecs;
    private readonly string[] _outputNames;
    private readonly Mean _lossTracker = new("loss");
    private readonly Mean[] _outputLossTrackers;
    private readonly List<(string Key, int Output, Metric Metric, bool Weighted)> _resolved;
    private MetricLogs? _logs;
    private ConfusionStage?[]? _stages;   // per output, once the names are resolved: one copy for its confusion metrics
    private HashSet<Metric>? _staged;     // the metrics the stages feed

    /// <summary>One loss and the metrics (unweighted, then weighted), for a model with one output.</summary>
    public CompiledMetrics(Loss? loss, IReadOnlyList<object> specs, IReadOnlyList<object>? weightedSpecs = null)
        : this([loss], null, [specs], weightedSpecs is null ? null : [weightedSpecs], ["output"], prefix: false) { }

    /// <summary>
    /// A loss (or none), a loss weight, metrics and weighted metrics per output. The <paramref name="specs"/> are
    /// computed without the sample weights, the <paramref name="weightedSpecs"/> with them (Keras's <c>metrics</c> and
    /// <c>weighted_metrics</c>); null weighted specs means none.
    /// </summary>
    public CompiledMetrics(Loss?[] losses, double[]? lossWeights, IReadOnlyList<object>[] specs, IReadOnlyList<object>[]? weightedSpecs,
        string[] outputNames, bool prefix)
    {
        _losses = losses;
        _lossWeights = lossWeights ?? [.. losses.Select(_ => 1.0)];
        _specs = specs;
        _weightedSpecs = weightedSpecs ?? [.. specs.Select(_ => (IReadOnlyList<object>)[])];
        _outputNames = outputNames;
        int lossCount = losses.Count(l => l is not null);
        _outputLossTrackers = lossCount > 1 ? [.. outputNames.Select(n => new Mean($"{n}_loss"))] : [];
        // Names are known now (Keras names a metric given as a string by that string); which accuracy a name means is
        // decided on the first batch, by the DeferredMetric. Keras's CompileMetrics.result() names them: the unweighted
        // metrics first, a repeated name getting _1, _2, ...; then the weighted ones, which keep their name unless it is
        // taken, and are then called weighted_{name} (after the output's prefix), with _1, _2, ... if that is taken too.
        _resolved = [];
        var taken = new Dictionary<string, int>();
        for (int i = 0; i < specs.Length; i++)
            foreach (var spec in specs[i])
            {
                var metric = Create(spec, losses[i]);
                _resolved.Add((Unique(Prefixed(i, metric.Name), taken), i, metric, false));
            }
        for (int i = 0; i < _weightedSpecs.Length; i++)
            foreach (var spec in _weightedSpecs[i])
            {
                var metric = Create(spec, losses[i]);
                string key = Prefixed(i, metric.Name);
                if (taken.ContainsKey(key)) key = Unique(Prefixed(i, $"weighted_{metric.Name}"), taken);
                else taken[key] = 1;
                _resolved.Add((key, i, metric, true));
            }

        string Prefixed(int output, string name) => prefix ? $"{outputNames[output]}_{name}" : name;
    }

    private static Metric Create(object spec, Loss? loss) => spec as Metric ?? new DeferredMetric((string)spec, loss);

    /// <summary>Keras's unique_name_counters: a name already taken gets _1, _2, ...</summary>
    private static string Unique(string key, Dictionary<string, int> taken)
    {
        if (!taken.TryGetValue(key, out int count)) { taken[key] = 1; return key; }
        taken[key] = count + 1;
        return $"{key}_{count}";
    }

    /// <summary>The number of outputs this compilation describes.</summary>
    public int Outputs => _losses.Length;

    /// <summary>The loss of each output (null where an output has none).</summary>
    public IReadOnlyList<Loss?> Losses => _losses;

    /// <summary>The weight of each output's loss in the total.</summary>
    public IReadOnlyList<double> LossWeights => _lossWeights;

    /// <summary>The metrics of each output as given to Compile (names or Metric objects).</summary>
    public IReadOnlyList<IReadOnlyList<object>> SpecsPerOutput => _specs;

    /// <summary>The metrics as given to Compile for a one-output model (names or Metric objects), saved with the model.</summary>
    public IReadOnlyList<object> Specs => _specs[0];

    /// <summary>The weighted metrics of each output as given to Compile (names or Metric objects; empty lists for none).</summary>
    public IReadOnlyList<IReadOnlyList<object>> WeightedSpecsPerOutput => _weightedSpecs;

    /// <summary>The loss tracker first, then the compiled metrics, then the per-output loss trackers (Keras 3's order).</summary>
    public IReadOnlyList<Metric> All => [_lossTracker, .. _resolved.Select(r => Concrete(r.Metric)), .. _outputLossTrackers];

    /// <summary>A metric named in Compile, as the concrete metric it became on the first update (itself before).</summary>
    private static Metric Concrete(Metric metric) => metric is DeferredMetric { Resolved: { } resolved } ? resolved : metric;

    /// <summary>The loss tracker (Keras's <c>_loss_tracker</c>): the <c>loss</c> entry of the logs.</summary>
    public Mean LossTracker => _lossTracker;

    /// <summary>The key a metric of <see cref="All"/> has in the logs (prefixed by its output), or null for another metric.</summary>
    public string? KeyOf(Metric metric)
    {
        if (ReferenceEquals(metric, _lossTracker)) return "loss";
        foreach (var (key, _, m, _) in _resolved)
            if (ReferenceEquals(m, metric) || ReferenceEquals(Concrete(m), metric)) return key;
        return _outputLossTrackers.Contains(metric) ? metric.Name : null;
    }

    private IReadOnlyList<(string Key, Metric Metric)> Entries =>
        [("loss", _lossTracker), .. _resolved.Select(r => (r.Key, r.Metric)), .. _outputLossTrackers.Select(m => (m.Name, (Metric)m))];

    /// <summary>
    /// The loss of a batch: each output's loss (with the sample weights) times its weight, summed; each output's
    /// unweighted loss goes to its tracker when there are several (Keras's CompileLoss). The total is not tracked here:
    /// the training and test steps track what <c>ComputeLoss</c> returns, so that an override's extra terms count.
    /// </summary>
    public Tensor ComputeLoss(IReadOnlyList<Tensor> yTrue, IReadOnlyList<Tensor> yPred, Tensor? sampleWeight, string model)
    {
        CheckCounts(yTrue, yPred, model);
        Tensor? total = null;
        int tracker = 0;
        for (int i = 0; i < _losses.Length; i++)
        {
            var loss = _losses[i];
            if (loss is null) continue;
            var value = loss.Call(yTrue[i], yPred[i], sampleWeight);
            if (_outputLossTrackers.Length > 0)
            {
                CheckScalar(value, loss);
                _outputLossTrackers[tracker].UpdateState(value.detach(), BatchSize(yPred[i]));
            }
            tracker++;
            if (_lossWeights[i] != 1.0) value = value * _lossWeights[i];
            total = total is null ? value : total + value;
        }
        if (total is null)
            throw new InvalidOperationException($"No loss to compute for model \"{model}\": Compile gave none of its outputs a loss.");
        CheckScalar(total, _losses.Length == 1 ? _losses[0] : null);
        return total;
    }

    private static long BatchSize(Tensor t) => t.shape.Length > 0 ? t.shape[0] : 1;

    private void CheckCounts(IReadOnlyList<Tensor> yTrue, IReadOnlyList<Tensor> yPred, string model)
    {
        if (yPred.Count != _losses.Length)
            throw new InvalidOperationException(
                $"Model \"{model}\" was compiled for {_losses.Length} output(s) ({string.Join(", ", _outputNames)}), but it returned {yPred.Count}.");
        if (yTrue.Count != yPred.Count)
            throw new ArgumentException(
                $"Model \"{model}\" has {yPred.Count} output(s) ({string.Join(", ", _outputNames)}), but the data has {yTrue.Count} target(s); " +
                "give one target per output, as a list in the outputs' order or a dictionary keyed by their names.");
    }

    /// <summary>Adds a batch's loss to the loss tracker, weighted by the batch size (Keras's <c>_loss_tracker</c>).</summary>
    /// <exception cref="InvalidOperationException">The loss is not one number (a loss with reduction "none"): checked
    /// here, before backward, which libtorch refuses for a tensor with an unhelpful message, and before the tracker
    /// would sum it into a wrong mean.</exception>
    public void UpdateLoss(Tensor loss, long batchSize)
    {
        CheckScalar(loss, _losses.Length == 1 ? _losses[0] : null);
        _lossTracker.UpdateState(loss, batchSize);
    }

    private static void CheckScalar(Tensor loss, Loss? from)
    {
        if (loss.dim() != 0)
            throw new InvalidOperationException(
                $"The loss '{from?.Name ?? "(from ComputeLoss)"}' gave a tensor of shape {Layers.Shapes.Format(loss.shape)} for a batch, " +
                "not one number: with reduction \"none\" a loss returns its per-sample values, which training cannot minimise. " +
                "Compile with reduction \"sum_over_batch_size\" (the default), \"sum\" or \"mean_with_sample_weight\", " +
                "or override ComputeLoss to reduce the values.");
    }

    /// <summary>Updates the compiled metrics of a one-output model (not the loss), resolving their names on the first call;
    /// the sample weights go to the weighted metrics only.</summary>
    public void UpdateMetrics(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null) => UpdateMetrics([yTrue], [yPred], sampleWeight, "");

    /// <summary>Updates every output's compiled metrics (not the loss); names become concrete metrics on the first call.
    /// As in Keras, <paramref name="sampleWeight"/> (which holds the class weights too) weighs only the weighted metrics.</summary>
    public void UpdateMetrics(IReadOnlyList<Tensor> yTrue, IReadOnlyList<Tensor> yPred, Tensor? sampleWeight, string model)
    {
        CheckCounts(yTrue, yPred, model);
        Span<bool> shared = stackalloc bool[_stages is null ? 0 : yPred.Count];
        for (int i = 0; i < shared.Length; i++) shared[i] = _stages![i]?.TryUpdate(yTrue[i], yPred[i]) ?? false;
        foreach (var (_, output, metric, weighted) in _resolved)
            if (!(shared.Length > 0 && shared[output] && _staged!.Contains(metric)))
                metric.UpdateState(yTrue[output], yPred[output], weighted ? sampleWeight : null);
        if (_stages is null) _stages = Stages();
        for (int i = 0; i < _stages.Length; i++)
            if (_stages[i] is { } stage && !(shared.Length > 0 && shared[i]) && yTrue[i].shape.SequenceEqual(yPred[i].shape))
                stage.Adopt(yPred[i].shape, yPred[i].device);
    }

    /// <summary>
    /// A <see cref="ConfusionStage"/> for each output with two or more unweighted built-in confusion metrics (AUC,
    /// Precision, Recall, ...), made after the first update has resolved the names: those metrics then share one copy
    /// of each batch instead of making one each. A metric object given twice (or to two outputs), and subclasses from
    /// outside this library (which may override UpdateState), keep their own updates.
    /// </summary>
    private ConfusionStage?[] Stages()
    {
        var counted = _resolved.GroupBy(r => Concrete(r.Metric)).ToDictionary(g => g.Key, g => g.Count());
        _staged = [];
        var stages = new ConfusionStage?[_losses.Length];
        for (int i = 0; i < stages.Length; i++)
        {
            var members = _resolved
                .Where(r => r.Output == i && !r.Weighted && counted[Concrete(r.Metric)] == 1
                            && Concrete(r.Metric) is { Histogram: not null } m && m.GetType().Assembly == typeof(Metric).Assembly)
                .Select(r => r.Metric).ToList();
            if (members.Count < 2) continue;
            stages[i] = new ConfusionStage([.. members.Select(m => Concrete(m).Histogram!)]);
            _staged.UnionWith(members);
        }
        return stages;
    }

    /// <summary>Running logs that read each value from the device only when accessed.</summary>
    public MetricLogs Logs => _logs ??= new MetricLogs(Entries);

    /// <summary>Clears every metric (start of an epoch or an evaluation).</summary>
    public void Reset()
    {
        _lossTracker.ResetState();
        foreach (var (_, _, metric, _) in _resolved) metric.ResetState();
        foreach (var tracker in _outputLossTrackers) tracker.ResetState();
    }

    /// <summary>Reads every metric to the host, in the logs' order.</summary>
    public Dictionary<string, double> Values() => Entries.ToDictionary(e => e.Key, e => e.Metric.Value());
}
