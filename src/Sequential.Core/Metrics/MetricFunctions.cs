using Sequential.Losses;
using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// Keras's per-sample functions behind the metrics that average them (<c>keras.losses.hinge</c>, <c>poisson</c>, ...):
/// each maps targets and predictions of shape [N, ..., C] to values of shape [N, ...].
/// </summary>
/// <remarks>
/// The losses of the same names compute the same values; they are kept here, private to the metrics, so that the
/// metrics do not depend on loss classes written at the same time. A later change can make one side call the other
/// (as <see cref="MeanSquaredError"/> already calls its loss).
/// </remarks>
internal static class MetricFunctions
{
    private const double Epsilon = TargetChecks.Epsilon;

    /// <summary>Float targets in the prediction's dtype, ranks matched as Keras's <c>squeeze_or_expand_to_same_rank</c>.</summary>
    internal static (Tensor yTrue, Tensor yPred) Floats(Tensor yTrue, Tensor yPred)
    {
        if (!yPred.is_floating_point()) yPred = yPred.to_type(ScalarType.Float32);
        (yTrue, yPred) = TargetChecks.MatchRank(yTrue, yPred);
        return (yTrue.dtype == yPred.dtype ? yTrue : yTrue.to_type(yPred.dtype), yPred);
    }

    /// <summary>Keras's <c>mean_absolute_percentage_error</c>: 100 · mean(|(y − ŷ) / max(|y|, ε)|).</summary>
    internal static Tensor MeanAbsolutePercentageError(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = Floats(yTrue, yPred);
        var diff = ((yTrue - yPred) / yTrue.abs().clamp_min(Epsilon)).abs();
        return TargetChecks.MeanOverLastAxis(diff) * 100.0;
    }

    /// <summary>Keras's <c>mean_squared_logarithmic_error</c>: mean((log(max(ŷ, ε) + 1) − log(max(y, ε) + 1))²).</summary>
    internal static Tensor MeanSquaredLogarithmicError(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = Floats(yTrue, yPred);
        var diff = yPred.clamp_min(Epsilon).log1p() - yTrue.clamp_min(Epsilon).log1p();
        return TargetChecks.MeanOverLastAxis(diff.square());
    }

    /// <summary>Keras's metric <c>cosine_similarity</c> (the loss is its negative): Σ ŷ/‖ŷ‖ · y/‖y‖ along <paramref name="axis"/>.</summary>
    internal static Tensor CosineSimilarity(Tensor yTrue, Tensor yPred, long axis)
    {
        (yTrue, yPred) = Floats(yTrue, yPred);
        return (L2Normalize(yTrue, axis) * L2Normalize(yPred, axis)).sum(axis);
    }

    /// <summary>Keras's <c>normalize(x, order=2)</c>: x · rsqrt(max(Σx², ε)).</summary>
    private static Tensor L2Normalize(Tensor x, long axis) => x * x.square().sum(axis, keepdim: true).clamp_min(1e-12).rsqrt();

    /// <summary>Keras's <c>log_cosh</c>: mean(x + softplus(−2x) − log 2) with x = ŷ − y (stable for large |x|).</summary>
    internal static Tensor LogCosh(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = Floats(yTrue, yPred);
        var x = yPred - yTrue;
        return TargetChecks.MeanOverLastAxis(x + nn.functional.softplus(x * -2.0) - Math.Log(2.0));
    }

    /// <summary>Keras's <c>convert_binary_labels_to_hinge</c>: labels all 0 or 1 become −1 and 1; others stay (decided on
    /// the device, without reading the labels to the host).</summary>
    private static Tensor HingeLabels(Tensor yTrue)
    {
        var binary = yTrue.eq(0).logical_or(yTrue.eq(1)).all();
        return where(binary, yTrue * 2.0 - 1.0, yTrue);
    }

    /// <summary>Keras's <c>hinge</c>: mean(max(1 − y·ŷ, 0)), binary labels mapped to ±1.</summary>
    internal static Tensor Hinge(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = Floats(yTrue, yPred);
        return TargetChecks.MeanOverLastAxis((1.0 - HingeLabels(yTrue) * yPred).clamp_min(0));
    }

    /// <summary>Keras's <c>squared_hinge</c>: mean(max(1 − y·ŷ, 0)²), binary labels mapped to ±1.</summary>
    internal static Tensor SquaredHinge(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = Floats(yTrue, yPred);
        return TargetChecks.MeanOverLastAxis((1.0 - HingeLabels(yTrue) * yPred).clamp_min(0).square());
    }

    /// <summary>Keras's <c>categorical_hinge</c>: max(max((1 − y)·ŷ) − Σ y·ŷ + 1, 0) over the last axis.</summary>
    internal static Tensor CategoricalHinge(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = Floats(yTrue, yPred);
        var positive = (yTrue * yPred).sum(-1);
        var negative = ((1.0 - yTrue) * yPred).amax(-1);
        return (negative - positive + 1.0).clamp_min(0);
    }

    /// <summary>Keras's <c>kl_divergence</c>: Σ y·log(y/ŷ), both clipped to [ε, 1].</summary>
    internal static Tensor KLDivergence(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = Floats(yTrue, yPred);
        yTrue = yTrue.clamp(Epsilon, 1.0);
        yPred = yPred.clamp(Epsilon, 1.0);
        var values = yTrue * (yTrue / yPred).log();
        return values.dim() <= 1 ? values : values.sum(-1);
    }

    /// <summary>Keras's <c>poisson</c>: mean(ŷ − y·log(ŷ + ε)).</summary>
    internal static Tensor Poisson(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = Floats(yTrue, yPred);
        return TargetChecks.MeanOverLastAxis(yPred - yTrue * (yPred + Epsilon).log());
    }

    /// <summary>Keras's <c>in_top_k</c>: whether each row's <paramref name="labels"/> entry is among its <paramref name="k"/>
    /// largest scores (ties with the k-th score count, as in TensorFlow). <paramref name="scores"/> [M, C], labels [M].</summary>
    internal static Tensor InTopK(Tensor labels, Tensor scores, long k)
    {
        if (k >= scores.shape[^1]) return ones(labels.shape, ScalarType.Bool, labels.device);
        var target = scores.gather(-1, labels.unsqueeze(-1));
        var kth = scores.topk((int)k, dim: -1).values[.., ^1..];
        return target.ge(kth).squeeze(-1);
    }

    /// <summary>Top-k accuracy against integer labels: labels [...] and scores [..., C] (any leading axes).</summary>
    internal static Tensor SparseTopK(Tensor labels, Tensor scores, long k)
    {
        if (labels.dim() == scores.dim() && labels.shape[^1] == 1) labels = labels.squeeze(-1);
        var shape = labels.shape;
        var matches = InTopK(labels.reshape(-1).to_type(ScalarType.Int64), scores.reshape(-1, scores.shape[^1]), k);
        return matches.reshape(shape);
    }
}
