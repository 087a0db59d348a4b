using static TorchSharp.torch;

namespace Sequential.Losses;

/// <summary>
/// The Dice loss, <c>1 - 2 * sum(yTrue * yPred) / (sum(yTrue) + sum(yPred) + 1e-7)</c> (Keras's
/// <c>keras.losses.Dice</c>, string <c>"dice"</c>), for segmentation masks. As in Keras, the sums run over every axis
/// by default, batch included, giving one value for the batch; pass <c>axis: [1, 2, 3]</c> for one value per image.
/// </summary>
/// <example>
/// <code>
/// model.Compile(optimizer: "adam", loss: new Dice(axis: [1, 2, 3]));   // one Dice value per image, averaged
/// </code>
/// </example>
public sealed class Dice : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="reduction">How <see cref="Loss.Call(Tensor, Tensor, Tensor?)"/> reduces the values:
    /// <c>"sum_over_batch_size"</c> (default), <c>"sum"</c>, <c>"none"</c>, <c>"mean"</c> or <c>"mean_with_sample_weight"</c>.</param>
    /// <param name="name">The loss's name.</param>
    /// <param name="axis">The axes the sums run over; null (the default) for all of them.</param>
    /// <exception cref="ArgumentException"><paramref name="reduction"/> is unknown.</exception>
    public Dice(string? reduction = "sum_over_batch_size", string name = "dice", int[]? axis = null) : base(name, reduction) =>
        Axis = axis is null ? null : [.. axis];

    /// <summary>The axes the sums run over; null for all.</summary>
    public int[]? Axis { get; }

    /// <inheritdoc/>
    /// <returns>A 0-dimensional value when <see cref="Axis"/> is null, else the sums' remaining axes (e.g. [N]).</returns>
    /// <exception cref="ArgumentException">The shapes differ, or an axis is not one of the predictions'.</exception>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = TargetChecks.ElementwisePair(Name, yTrue, yPred);
        long[]? axes = TargetChecks.Axes(Name, Axis, yPred.dim());
        var intersection = TargetChecks.Sum(yTrue * yPred, axes);
        return 1.0 - 2.0 * intersection / (TargetChecks.Sum(yTrue, axes) + TargetChecks.Sum(yPred, axes) + TargetChecks.Epsilon);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The target shape differs from the output shape.</exception>
    public override void Validate(Tensor yTrue, long[] outputShape) => TargetChecks.CheckOutputShape(Name, yTrue, outputShape);
}
