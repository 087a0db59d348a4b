using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Sequential.Losses;

/// <summary>
/// Cross-entropy for binary (0 or 1) and multi-label targets (Keras's <c>keras.losses.BinaryCrossentropy</c>,
/// string <c>"binary_crossentropy"</c>). The per-sample loss is the mean over the last axis; the batch loss is the
/// mean over samples (<see cref="Loss.Reduction"/>).
/// </summary>
/// <remarks>
/// With probabilities, predictions are clipped to [1e-7, 1 - 1e-7] first, as Keras does, so a prediction of exactly
/// 0 or 1 costs at most -log(1e-7) = 16.118 instead of infinity. With <c>fromLogits: true</c> the loss is computed by
/// <c>binary_cross_entropy_with_logits</c>, which is numerically stable and needs no clipping.
/// Labels of shape [N] meet an output of shape [N, 1] as in Keras (no broadcasting to [N, N]).
/// </remarks>
/// <example>
/// <code>
/// model.Compile(optimizer: "adam", loss: new BinaryCrossentropy(fromLogits: true), metrics: ["accuracy"]);
/// </code>
/// </example>
public sealed class BinaryCrossentropy : Loss
{
    private readonly bool _fromLogits;

    /// <summary>Creates the loss.</summary>
    /// <param name="fromLogits">True when the model outputs logits (no sigmoid on the last layer).</param>
    /// <param name="labelSmoothing">In [0, 1]: targets become <c>y * (1 - labelSmoothing) + 0.5 * labelSmoothing</c>.</param>
    /// <param name="axis">The axis the per-sample mean is taken along; -1 (the default) is the last one.</param>
    /// <param name="reduction">How <see cref="Loss.Call(Tensor, Tensor, Tensor?)"/> reduces the per-sample values:
    /// <c>"sum_over_batch_size"</c> (default), <c>"sum"</c>, <c>"none"</c>, <c>"mean"</c> or <c>"mean_with_sample_weight"</c>.</param>
    /// <param name="name">The loss's name.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelSmoothing"/> is outside [0, 1].</exception>
    /// <exception cref="ArgumentException"><paramref name="reduction"/> is unknown.</exception>
    public BinaryCrossentropy(bool fromLogits = false, double labelSmoothing = 0, int axis = -1,
        string? reduction = "sum_over_batch_size", string name = "binary_crossentropy") : base(name, reduction)
    {
        Axis = axis;
        _fromLogits = fromLogits;
        LabelSmoothing = TargetChecks.LabelSmoothing(labelSmoothing);
    }

    /// <inheritdoc/>
    public override bool FromLogits => _fromLogits;

    /// <summary>The label smoothing factor, in [0, 1].</summary>
    public double LabelSmoothing { get; }

    /// <summary>The axis the per-sample mean is taken along (-1: the last).</summary>
    public int Axis { get; }

    /// <inheritdoc/>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = TargetChecks.ElementwisePair(Name, yTrue, yPred);
        if (LabelSmoothing > 0) yTrue = yTrue * (1 - LabelSmoothing) + 0.5 * LabelSmoothing;
        var elementwise = _fromLogits
            ? binary_cross_entropy_with_logits(yPred, yTrue, reduction: nn.Reduction.None)
            : binary_cross_entropy(yPred.clamp(TargetChecks.Epsilon, 1 - TargetChecks.Epsilon), yTrue, reduction: nn.Reduction.None);
        return Axis == -1 || elementwise.dim() <= 1
            ? TargetChecks.MeanOverLastAxis(elementwise)
            : elementwise.mean([TargetChecks.Axis(Name, Axis, elementwise.dim())]);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The shapes differ, or a target lies outside [0, 1].</exception>
    public override void Validate(Tensor yTrue, long[] outputShape)
    {
        TargetChecks.CheckOutputShape(Name, yTrue, outputShape,
            outputShape.Length > 0 && outputShape[^1] > 1 && yTrue.dim() == 1
                ? " For one integer class label per sample use sparse_categorical_crossentropy."
                : "");
        if (yTrue.numel() == 0) return;
        var (min, max) = TargetChecks.Range(yTrue);
        if (min < 0 || max > 1 || double.IsNaN(min) || double.IsNaN(max))
            throw new ArgumentException(
                $"binary_crossentropy needs targets in [0, 1], but y contains {TargetChecks.Format(max > 1 ? max : min)} " +
                $"(min {TargetChecks.Format(min)}, max {TargetChecks.Format(max)}). For more than two classes use " +
                "sparse_categorical_crossentropy (integer labels) or categorical_crossentropy (one-hot), " +
                "with one output unit per class.", nameof(yTrue));
    }
}
