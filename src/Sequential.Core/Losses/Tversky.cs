using static TorchSharp.torch;

namespace Sequential.Losses;

/// <summary>
/// The Tversky loss, <c>1 - TP / (TP + alpha * FP + beta * FN + 1e-7)</c> with <c>TP = sum(yTrue * yPred)</c>,
/// <c>FP = sum((1 - yTrue) * yPred)</c> and <c>FN = sum(yTrue * (1 - yPred))</c> (Keras's
/// <c>keras.losses.Tversky</c>, string <c>"tversky"</c>; Salehi et al., 2017). Alpha and beta weigh false positives
/// against false negatives; 0.5 and 0.5 give the Dice loss. The sums run over every axis by default, as in Keras.
/// </summary>
/// <example>
/// <code>
/// model.Compile(optimizer: "adam", loss: new Tversky(alpha: 0.3, beta: 0.7, axis: [1, 2, 3]));
/// </code>
/// </example>
public sealed class Tversky : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="alpha">The weight of false positives (default 0.5).</param>
    /// <param name="beta">The weight of false negatives (default 0.5).</param>
    /// <param name="reduction">How <see cref="Loss.Call(Tensor, Tensor, Tensor?)"/> reduces the values:
    /// <c>"sum_over_batch_size"</c> (default), <c>"sum"</c>, <c>"none"</c>, <c>"mean"</c> or <c>"mean_with_sample_weight"</c>.</param>
    /// <param name="name">The loss's name.</param>
    /// <param name="axis">The axes the sums run over; null (the default) for all of them.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> or <paramref name="beta"/> is negative or not finite.</exception>
    /// <exception cref="ArgumentException"><paramref name="reduction"/> is unknown.</exception>
    public Tversky(double alpha = 0.5, double beta = 0.5, string? reduction = "sum_over_batch_size", string name = "tversky",
        int[]? axis = null) : base(name, reduction)
    {
        Alpha = alpha >= 0 && double.IsFinite(alpha)
            ? alpha
            : throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be a finite number >= 0.");
        Beta = beta >= 0 && double.IsFinite(beta)
            ? beta
            : throw new ArgumentOutOfRangeException(nameof(beta), beta, "beta must be a finite number >= 0.");
        Axis = axis is null ? null : [.. axis];
    }

    /// <summary>The weight of false positives.</summary>
    public double Alpha { get; }

    /// <summary>The weight of false negatives.</summary>
    public double Beta { get; }

    /// <summary>The axes the sums run over; null for all.</summary>
    public int[]? Axis { get; }

    /// <inheritdoc/>
    /// <returns>A 0-dimensional value when <see cref="Axis"/> is null, else the sums' remaining axes (e.g. [N]).</returns>
    /// <exception cref="ArgumentException">The shapes differ, or an axis is not one of the predictions'.</exception>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = TargetChecks.ElementwisePair(Name, yTrue, yPred);
        long[]? axes = TargetChecks.Axes(Name, Axis, yPred.dim());
        var intersection = TargetChecks.Sum(yPred * yTrue, axes);
        var fp = TargetChecks.Sum((1.0 - yTrue) * yPred, axes);
        var fn = TargetChecks.Sum(yTrue * (1.0 - yPred), axes);
        return 1.0 - intersection / (intersection + fp * Alpha + fn * Beta + TargetChecks.Epsilon);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The target shape differs from the output shape.</exception>
    public override void Validate(Tensor yTrue, long[] outputShape) => TargetChecks.CheckOutputShape(Name, yTrue, outputShape);
}
