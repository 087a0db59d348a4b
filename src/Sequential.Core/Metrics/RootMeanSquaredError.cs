using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// The root of the mean squared error over every element since the last reset (Keras's
/// <c>keras.metrics.RootMeanSquaredError</c>, string <c>"root_mean_squared_error"</c>): the squared errors are averaged
/// as <see cref="Mean"/> averages values, then the square root is taken when the result is read.
/// </summary>
public sealed class RootMeanSquaredError : Mean
{
    /// <summary>Creates the metric.</summary>
    /// <param name="name">The key in logs and History.</param>
    public RootMeanSquaredError(string name = "root_mean_squared_error") : base(name) { }

    /// <inheritdoc/>
    public override MetricDirection Direction => MetricDirection.Down;

    /// <summary>Adds the batch's squared errors (ŷ − y)², weighted by <paramref name="sampleWeight"/>.</summary>
    /// <param name="yTrue">Targets of the batch.</param>
    /// <param name="yPred">Model outputs of the batch.</param>
    /// <param name="sampleWeight">Weights as <see cref="Mean.UpdateValues"/> takes them, or null.</param>
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight)
    {
        using var scope = NewDisposeScope();
        (yTrue, yPred) = MetricFunctions.Floats(yTrue, yPred.detach());
        UpdateValues((yPred - yTrue).square(), sampleWeight);
    }

    /// <summary>Not taken: the metric compares targets with outputs.</summary>
    /// <param name="values">Ignored.</param>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override void UpdateState(Tensor values) => throw new NotSupportedException(
        $"Metric '{Name}' (RootMeanSquaredError) is computed from targets and outputs: call UpdateState(yTrue, yPred).");

    /// <inheritdoc/>
    /// <returns>The square root of the mean squared error.</returns>
    public override Tensor Result() => base.Result().sqrt();
}
