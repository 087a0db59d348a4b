using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// A metric defined by a per-sample function, averaged over every sample seen since the last reset (Keras's
/// <c>keras.metrics.MeanMetricWrapper</c>): the accuracies, <see cref="MeanSquaredError"/> and
/// <see cref="MeanAbsoluteError"/> are built on it. Sample weights are applied as <see cref="Mean"/> applies them.
/// </summary>
/// <remarks>
/// Two ways to make one: pass the function (<c>new MeanMetricWrapper(fn, name)</c>, quick, but such a metric cannot be
/// saved with a model, since a file never holds code), or derive from it and override <see cref="ComputeValues"/>
/// (saved as its class name and configuration; register the class with <see cref="MetricRegistry.Register{T}"/> to load it).
/// </remarks>
/// <example>
/// <code>
/// // Keras: MeanMetricWrapper(fn=lambda y_true, y_pred: ops.abs(y_true - y_pred) &lt; 0.1, name="close")
/// var close = new MeanMetricWrapper((yTrue, yPred) => (yTrue - yPred).abs().lt(0.1), name: "close");
///
/// public sealed class WithinTenth(string name = "within_tenth") : MeanMetricWrapper(name)
/// {
///     public override Tensor ComputeValues(Tensor yTrue, Tensor yPred) => (yTrue - yPred).abs().lt(0.1);
/// }
/// model.Compile(optimizer: "adam", loss: "mse", metrics: [close, new WithinTenth()]);
/// </code>
/// </example>
public class MeanMetricWrapper : Mean
{
    private readonly Func<Tensor, Tensor, Tensor>? _fn;

    /// <summary>Wraps a per-sample function.</summary>
    /// <param name="fn">Computes values from targets and (detached) predictions: shape [N] or [N, ...] (each sample
    /// averages its values), any dtype (booleans count as 0 and 1).</param>
    /// <param name="name">The key in logs and History.</param>
    public MeanMetricWrapper(Func<Tensor, Tensor, Tensor> fn, string name = "mean_metric_wrapper") : base(name)
    {
        ArgumentNullException.ThrowIfNull(fn);
        _fn = fn;
    }

    /// <summary>For a derived metric that overrides <see cref="ComputeValues"/>.</summary>
    /// <param name="name">The key in logs and History.</param>
    protected MeanMetricWrapper(string name) : base(name) { }

    /// <summary>
    /// The metric's value for each sample of a batch (Keras's wrapped <c>fn</c>): the wrapped function, or a derived
    /// class's override.
    /// </summary>
    /// <param name="yTrue">Targets of the batch.</param>
    /// <param name="yPred">Model outputs of the batch, detached from autograd.</param>
    /// <returns>Per-sample values, shape [N] or [N, ...].</returns>
    /// <exception cref="InvalidOperationException">A derived class neither passed a function nor overrode this method.</exception>
    public virtual Tensor ComputeValues(Tensor yTrue, Tensor yPred) =>
        _fn is not null
            ? _fn(yTrue, yPred)
            : throw new InvalidOperationException(
                $"The metric {GetType().Name} ('{Name}') has no function: override ComputeValues, or create it with new MeanMetricWrapper(fn, name).");

    /// <summary>Adds the batch's <see cref="ComputeValues"/>, weighted by <paramref name="sampleWeight"/>, to the mean.</summary>
    /// <param name="yTrue">Targets of the batch.</param>
    /// <param name="yPred">Model outputs of the batch.</param>
    /// <param name="sampleWeight">Weights as <see cref="Mean.UpdateValues"/> takes them, or null.</param>
    /// <exception cref="ArgumentException">The targets and outputs do not fit this metric (libtorch refuses their shapes); the
    /// message names the metric and both shapes.</exception>
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight)
    {
        using var scope = NewDisposeScope();
        // Keras's MeanMetricWrapper: the mask of the predictions (Masks) leaves masked values out of the mean.
        if (Layers.Masks.Get(yPred) is { } mask)
            sampleWeight = Losses.LossReduction.ApplyMask(sampleWeight, mask, ScalarType.Float64, Losses.LossReduction.Sum);
        Tensor values;
        try
        {
            values = ComputeValues(yTrue, yPred.detach());
        }
        catch (System.Runtime.InteropServices.ExternalException e)
        {
            // libtorch's own message is a C++ size mismatch; say which metric and which shapes.
            throw new ArgumentException(
                $"Metric '{Name}' ({GetType().Name}) cannot compare targets of shape {Layers.Shapes.Format(yTrue.shape)} ({yTrue.dtype}) " +
                $"with outputs of shape {Layers.Shapes.Format(yPred.shape)}: {FirstLine(e.Message)} Check that the metric fits the " +
                "model's output (binary_accuracy for one sigmoid unit, sparse_categorical_accuracy for integer labels with one " +
                "output per class).", nameof(yTrue), e);
        }
        UpdateValues(values, sampleWeight);

        static string FirstLine(string message) => message.Split('\n')[0].Trim();
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">This is a <see cref="MeanMetricWrapper"/> around a function, which a
    /// configuration cannot describe.</exception>
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        GetType() == typeof(MeanMetricWrapper)
            ? throw new InvalidOperationException(
                $"The metric '{Name}' wraps a function, which cannot be saved (a model file holds no code). Derive a class from " +
                "MeanMetricWrapper that overrides ComputeValues and register it with MetricRegistry.Register<T>() before loading, " +
                "or compile with a built-in metric.")
            : base.GetConfig();
}
