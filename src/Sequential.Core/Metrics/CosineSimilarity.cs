using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// The cosine of the angle between targets and predictions (Keras's <c>keras.metrics.CosineSimilarity</c>, string
/// <c>"cosine_similarity"</c>): per sample Σ y/‖y‖ · ŷ/‖ŷ‖ along <see cref="Axis"/>, from −1 to 1, higher is better
/// (the loss of the same name is its negative).
/// </summary>
public sealed class CosineSimilarity : MeanMetricWrapper
{
    /// <summary>Creates the metric.</summary>
    /// <param name="name">The key in logs and History.</param>
    /// <param name="axis">The axis along which the vectors lie.</param>
    public CosineSimilarity(string name = "cosine_similarity", int axis = -1) : base(name) => Axis = axis;

    /// <summary>The axis along which the vectors lie.</summary>
    public int Axis { get; }

    /// <inheritdoc/>
    public override MetricDirection Direction => MetricDirection.Up;

    /// <inheritdoc/>
    /// <returns>The cosine similarity of each sample.</returns>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred) => MetricFunctions.CosineSimilarity(yTrue, yPred, Axis);
}
