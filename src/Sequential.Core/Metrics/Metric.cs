using Sequential.Persistence;
using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// Base class of stateful metrics (Keras's <c>keras.metrics.Metric</c>):
/// <see cref="UpdateState(Tensor, Tensor, Tensor?)"/> per batch, <see cref="Result"/> when a value is needed,
/// <see cref="ResetState"/> per epoch.
/// </summary>
/// <remarks>
/// State stays on the model's device: updating never copies to the host. Only reading
/// <see cref="Result"/>'s value (<see cref="Value"/>) synchronises. A metric defined by a per-sample function derives
/// from <see cref="MeanMetricWrapper"/> instead, which does the weighting and averaging.
/// </remarks>
public abstract class Metric
{
    /// <summary>Creates a metric.</summary>
    /// <param name="name">The name used as the key in logs and History, e.g. <c>accuracy</c>.</param>
    protected Metric(string name) => Name = name;

    /// <summary>The key of this metric in logs and History.</summary>
    public string Name { get; set; }

    /// <summary>
    /// Which way this metric improves (Keras 3's <c>_direction</c>): monitoring callbacks with <c>mode: "auto"</c> maximize
    /// a metric going <see cref="MetricDirection.Up"/> and minimize one going <see cref="MetricDirection.Down"/>, whatever
    /// its name. A custom metric overrides it to be monitored by name in <c>"auto"</c> mode.
    /// </summary>
    /// <example>
    /// <code>
    /// class Margin() : MeanMetricWrapper("margin")
    /// {
    ///     public override MetricDirection Direction => MetricDirection.Up;
    ///     public override Tensor ComputeValues(Tensor yTrue, Tensor yPred) => yPred * (2 * yTrue - 1);
    /// }
    /// // new EarlyStopping(monitor: "val_margin") now stops when the margin stops rising.
    /// </code>
    /// </example>
    public virtual MetricDirection Direction => MetricDirection.Unknown;

    /// <summary>The confusion histogram behind a built-in confusion metric (AUC, Precision, ...), which compiled metrics
    /// of one output share a copy of each batch through; null for other metrics.</summary>
    internal virtual ConfusionHistogram? Histogram => null;

    /// <summary>Accumulates one batch without weights: <see cref="UpdateState(Tensor, Tensor, Tensor?)"/> with null.</summary>
    /// <param name="yTrue">Targets of the batch.</param>
    /// <param name="yPred">Model outputs of the batch.</param>
    public void UpdateState(Tensor yTrue, Tensor yPred) => UpdateState(yTrue, yPred, null);

    /// <summary>
    /// Accumulates one batch (Keras's <c>update_state(y_true, y_pred, sample_weight)</c>; Keras 3 passes <c>fit</c>'s
    /// <c>sample_weight</c> and <c>class_weight</c> to the <c>weighted_metrics</c> given to <c>compile</c>, and so does
    /// <c>Fit</c> here to the <c>weightedMetrics</c>; the other compiled metrics get null).
    /// </summary>
    /// <param name="yTrue">Targets of the batch.</param>
    /// <param name="yPred">Model outputs of the batch (detach before keeping anything: autograd is not involved).</param>
    /// <param name="sampleWeight">Weights (one per sample, shape [N], for <c>Fit</c>'s weights), or null for none.</param>
    public abstract void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight);

    /// <summary>
    /// Accumulates values directly (Keras's <c>metric.update_state(values)</c>), as a custom training step updates the
    /// loss tracker: <c>Metrics.First(m =&gt; m.Name == "loss").UpdateState(loss)</c>. Metrics that compare targets with
    /// outputs do not take it.
    /// </summary>
    /// <param name="values">The values, e.g. a batch's loss.</param>
    /// <exception cref="NotSupportedException">The metric is computed from targets and outputs.</exception>
    public virtual void UpdateState(Tensor values) => throw new NotSupportedException(
        $"Metric '{Name}' ({GetType().Name}) is computed from targets and outputs: call UpdateState(yTrue, yPred).");

    /// <summary>The metric over everything accumulated since the last reset, as a 0-dimensional tensor.</summary>
    /// <returns>A scalar tensor on the metric's device (0 when nothing was accumulated, as Keras's <c>divide_no_nan</c>).</returns>
    public abstract Tensor Result();

    /// <summary>Clears the accumulated state.</summary>
    public abstract void ResetState();

    /// <summary>Reads <see cref="Result"/> to the host (one device synchronisation).</summary>
    /// <returns>The current value.</returns>
    /// <exception cref="InvalidOperationException">The result holds several values (e.g. a <see cref="Precision"/> with
    /// several thresholds); read <see cref="Result"/> instead.</exception>
    public double Value()
    {
        using var scope = NewDisposeScope();
        var result = Result();
        if (result.numel() != 1)
            throw new InvalidOperationException(
                $"Metric '{Name}' ({GetType().Name}) has {result.numel()} values (one per threshold), not one: read them with " +
                "Result(), or give it a single threshold to log it.");
        return result.to_type(ScalarType.Float64).item<double>();
    }

    /// <summary>
    /// The metric's configuration (Keras's <c>get_config</c>): snake_case constructor argument name -> value, enough for
    /// <see cref="MetricRegistry.FromConfig"/> to create an equal metric (without its state). Saved in model files.
    /// </summary>
    /// <remarks>
    /// By default it is read by reflection: for the public constructor with the most parameters, each parameter
    /// <c>p</c> maps to the public property named PascalCase(<c>p</c>), under the snake_case of <c>p</c> (or its
    /// <see cref="ConfigKeyAttribute"/>). Override it when a parameter has no such property.
    /// </remarks>
    /// <returns>The configuration.</returns>
    /// <exception cref="InvalidOperationException">The metric cannot be described by a configuration.</exception>
    public virtual IReadOnlyDictionary<string, object?> GetConfig() => ConfigReflection.GetConfig(this);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
