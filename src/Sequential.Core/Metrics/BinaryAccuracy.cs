using Sequential.Losses;
using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// How often predictions match binary labels (Keras's <c>keras.metrics.BinaryAccuracy</c>): a prediction counts as
/// 1 when it is greater than <see cref="Threshold"/>, and it is correct when that equals the label.
/// </summary>
/// <remarks>
/// For a model that outputs logits, the threshold that matches probability 0.5 is 0;
/// <see cref="MetricRegistry.Get"/> picks it automatically when the loss is <c>BinaryCrossentropy(fromLogits: true)</c>.
/// </remarks>
public sealed class BinaryAccuracy : MeanMetricWrapper
{
    /// <summary>Creates the metric.</summary>
    /// <param name="threshold">Predictions above it count as class 1 (use 0 for logits).</param>
    /// <param name="name">The key in logs and History.</param>
    public BinaryAccuracy(double threshold = 0.5, string name = "binary_accuracy") : base(name) => Threshold = threshold;

    /// <summary>Predictions above it count as class 1.</summary>
    public double Threshold { get; }

    /// <inheritdoc/>
    public override MetricDirection Direction => MetricDirection.Up;

    /// <inheritdoc/>
    /// <returns>1 where the thresholded prediction equals the label, else 0, per output unit.</returns>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = TargetChecks.MatchRank(yTrue, yPred);
        return yPred.gt(Threshold).to_type(yTrue.dtype).eq(yTrue);
    }
}
