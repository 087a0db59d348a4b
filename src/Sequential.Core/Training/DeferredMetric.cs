using Sequential.Losses;
using Sequential.Metrics;
using static TorchSharp.torch;

namespace Sequential.Training;

/// <summary>
/// A metric given to Compile by name (<c>"accuracy"</c>, <c>"mae"</c>), which becomes a concrete metric on its first
/// update, once the shapes of targets and outputs are known (Keras picks binary, categorical or sparse accuracy from
/// them). Until then it is already in <see cref="Model.Metrics"/>, under its name, so that a custom step can update
/// every metric as Keras's guide does.
/// </summary>
internal sealed class DeferredMetric(string spec, Loss? loss) : Metric(spec)
{
    private readonly string _spec = spec;
    private Metric? _metric;

    /// <summary>The concrete metric, once resolved.</summary>
    public Metric? Resolved => _metric;

    /// <inheritdoc/>
    /// <remarks>The resolved metric's direction; before the first update, that of the metric the name gives without shapes
    /// (a name such as <c>"accuracy"</c>, which needs shapes to resolve, goes up whichever accuracy it becomes).</remarks>
    public override MetricDirection Direction => _metric?.Direction ?? DirectionBeforeResolution(_spec, loss);

    private static MetricDirection DirectionBeforeResolution(string spec, Loss? loss)
    {
        try
        {
            return MetricRegistry.Get(spec, loss, [1], [1]).Direction;
        }
        catch (ArgumentException)
        {
            return MetricDirection.Unknown;
        }
    }

    /// <inheritdoc/>
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight)
    {
        _metric ??= MetricRegistry.Get(_spec, loss, yTrue.shape, yPred.shape);
        _metric.UpdateState(yTrue, yPred, sampleWeight);
    }

    /// <inheritdoc/>
    public override Tensor Result() => _metric?.Result() ?? tensor(0f);

    /// <inheritdoc/>
    public override void ResetState() => _metric?.ResetState();
}
