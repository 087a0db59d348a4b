using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// How often the one-hot target's class is among the <see cref="K"/> highest-scoring outputs (Keras's
/// <c>keras.metrics.TopKCategoricalAccuracy</c>, string <c>"top_k_categorical_accuracy"</c>). For integer labels use
/// <see cref="SparseTopKCategoricalAccuracy"/>.
/// </summary>
public sealed class TopKCategoricalAccuracy : MeanMetricWrapper
{
    /// <summary>Creates the metric.</summary>
    /// <param name="k">How many of the highest scores count as a hit.</param>
    /// <param name="name">The key in logs and History.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is below 1.</exception>
    public TopKCategoricalAccuracy(int k = 5, string name = "top_k_categorical_accuracy") : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        K = k;
    }

    /// <summary>How many of the highest scores count as a hit.</summary>
    public int K { get; }

    /// <inheritdoc/>
    public override MetricDirection Direction => MetricDirection.Up;

    /// <inheritdoc/>
    /// <returns>1 where the target's arg-max is among the k largest outputs, else 0: shape [N] (or [N, T]).</returns>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred) => MetricFunctions.SparseTopK(yTrue.argmax(-1), yPred, K);
}
