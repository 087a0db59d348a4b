using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// How often an integer label is among the <see cref="K"/> highest-scoring outputs (Keras's
/// <c>keras.metrics.SparseTopKCategoricalAccuracy</c>, string <c>"sparse_top_k_categorical_accuracy"</c>). Labels may have
/// shape [N] or [N, 1].
/// </summary>
public sealed class SparseTopKCategoricalAccuracy : MeanMetricWrapper
{
    /// <summary>Creates the metric.</summary>
    /// <param name="k">How many of the highest scores count as a hit.</param>
    /// <param name="name">The key in logs and History.</param>
    /// <param name="fromSortedIds">When true, predictions are already class ids sorted by score (e.g. the output of a
    /// retrieval layer), and a hit is a label among the first <paramref name="k"/> of them.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is below 1.</exception>
    public SparseTopKCategoricalAccuracy(int k = 5, string name = "sparse_top_k_categorical_accuracy", bool fromSortedIds = false)
        : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        K = k;
        FromSortedIds = fromSortedIds;
    }

    /// <summary>How many of the highest scores count as a hit.</summary>
    public int K { get; }

    /// <summary>Whether predictions are class ids sorted by score rather than scores.</summary>
    public bool FromSortedIds { get; }

    /// <inheritdoc/>
    public override MetricDirection Direction => MetricDirection.Up;

    /// <inheritdoc/>
    /// <returns>1 where the label is a hit, else 0, per sample.</returns>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred)
    {
        if (!FromSortedIds) return MetricFunctions.SparseTopK(yTrue, yPred, K);
        if (yTrue.dim() == yPred.dim() && yTrue.shape[^1] == 1) yTrue = yTrue.squeeze(-1);
        var ids = yPred.narrow(-1, 0, Math.Min(K, yPred.shape[^1]));
        return ids.eq(yTrue.to_type(ids.dtype).unsqueeze(-1)).any(-1);
    }
}
