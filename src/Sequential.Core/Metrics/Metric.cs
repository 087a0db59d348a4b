using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// Base class of stateful metrics (Keras's <c>keras.metrics.Metric</c>): <see cref="UpdateState(Tensor, Tensor)"/> per
/// batch, <see cref="Result"/> when a value is needed, <see cref="ResetState"/> per epoch.
/// </summary>
/// <remarks>
/// State stays on the model's device: updating never copies to the host. Only reading
/// <see cref="Result"/>'s value (<c>.item&lt;float&gt;()</c>) synchronises.
/// </remarks>
public abstract class Metric
{
    /// <summary>Creates a metric.</summary>
    /// <param name="name">The name used as the key in logs and History, e.g. <c>accuracy</c>.</param>
    protected Metric(string name) => Name = name;

    /// <summary>The key of this metric in logs and History.</summary>
    public string Name { get; set; }

    /// <summary>Accumulates one batch.</summary>
    /// <param name="yTrue">Targets of the batch.</param>
    /// <param name="yPred">Model outputs of the batch (detached from autograd).</param>
    public abstract void UpdateState(Tensor yTrue, Tensor yPred);

    /// <summary>
    /// Accumulates one batch with per-sample weights (Keras's <c>update_state(y_true, y_pred, sample_weight)</c>;
    /// Keras 3 passes <c>fit</c>'s <c>sample_weight</c> and <c>class_weight</c> to the compiled metrics).
    /// Without weights this is <see cref="UpdateState(Tensor, Tensor)"/>.
    /// </summary>
    /// <param name="yTrue">Targets of the batch.</param>
    /// <param name="yPred">Model outputs of the batch (detached from autograd).</param>
    /// <param name="sampleWeight">One weight per sample, shape [N], or null.</param>
    /// <exception cref="NotSupportedException">A metric that does not support weights was given some.</exception>
    public virtual void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight)
    {
        if (sampleWeight is not null)
            throw new NotSupportedException(
                $"The metric {GetType().Name} ('{Name}') does not support sample weights. Override " +
                "UpdateState(yTrue, yPred, sampleWeight), or train without classWeight/sampleWeight.");
        UpdateState(yTrue, yPred);
    }

    /// <summary>The metric over everything accumulated since the last reset, as a 0-dimensional tensor.</summary>
    /// <returns>A scalar tensor on the metric's device (0 when nothing was accumulated, as Keras's <c>divide_no_nan</c>).</returns>
    public abstract Tensor Result();

    /// <summary>Clears the accumulated state.</summary>
    public abstract void ResetState();

    /// <summary>Reads <see cref="Result"/> to the host (one device synchronisation).</summary>
    /// <returns>The current value.</returns>
    public double Value()
    {
        using var scope = NewDisposeScope();
        return Result().to_type(ScalarType.Float64).item<double>();
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
