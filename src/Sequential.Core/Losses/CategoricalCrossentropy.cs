using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Sequential.Losses;

/// <summary>
/// Cross-entropy for one-hot (or probability) targets (Keras's <c>keras.losses.CategoricalCrossentropy</c>, string
/// <c>"categorical_crossentropy"</c>). For integer class labels use <see cref="SparseCategoricalCrossentropy"/>.
/// </summary>
/// <remarks>
/// As in Keras, probability predictions are first divided by their sum over the last axis, then clipped to
/// [1e-7, 1 - 1e-7]. With <c>fromLogits: true</c> the log-probabilities come from <c>log_softmax</c>.
/// </remarks>
/// <example>
/// <code>
/// model.Compile(optimizer: "rmsprop", loss: new CategoricalCrossentropy(labelSmoothing: 0.1));
/// </code>
/// </example>
public sealed class CategoricalCrossentropy : Loss
{
    private readonly bool _fromLogits;

    /// <summary>Creates the loss.</summary>
    /// <param name="fromLogits">True when the model outputs logits (no softmax on the last layer).</param>
    /// <param name="labelSmoothing">In [0, 1]: targets become <c>y * (1 - labelSmoothing) + labelSmoothing / classes</c>.</param>
    /// <param name="axis">The class axis; -1 (the default) is the last one.</param>
    /// <param name="reduction">How <see cref="Loss.Call(Tensor, Tensor, Tensor?)"/> reduces the per-sample values:
    /// <c>"sum_over_batch_size"</c> (default), <c>"sum"</c>, <c>"none"</c>, <c>"mean"</c> or <c>"mean_with_sample_weight"</c>.</param>
    /// <param name="name">The loss's name.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelSmoothing"/> is outside [0, 1].</exception>
    /// <exception cref="ArgumentException"><paramref name="reduction"/> is unknown.</exception>
    public CategoricalCrossentropy(bool fromLogits = false, double labelSmoothing = 0, int axis = -1,
        string? reduction = "sum_over_batch_size", string name = "categorical_crossentropy") : base(name, reduction)
    {
        Axis = axis;
        _fromLogits = fromLogits;
        LabelSmoothing = TargetChecks.LabelSmoothing(labelSmoothing);
    }

    /// <inheritdoc/>
    public override bool FromLogits => _fromLogits;

    /// <summary>The label smoothing factor, in [0, 1].</summary>
    public double LabelSmoothing { get; }

    /// <summary>The class axis (-1: the last).</summary>
    public int Axis { get; }

    /// <inheritdoc/>
    /// <returns><c>-sum(yTrue * log p)</c> over the class axis: shape [N] (or [N, T] for a time axis).</returns>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = TargetChecks.MatchRank(yTrue, yPred);
        TargetChecks.CheckBatchShapes(Name, yTrue, yPred);
        yTrue = TargetChecks.AsDtypeOf(yTrue, yPred);
        int axis = TargetChecks.Axis(Name, Axis, yPred.dim());
        if (LabelSmoothing > 0) yTrue = yTrue * (1 - LabelSmoothing) + LabelSmoothing / yTrue.shape[axis];
        Tensor logProb = _fromLogits
            ? log_softmax(yPred, axis)
            : (yPred / yPred.sum(axis, keepdim: true)).clamp(TargetChecks.Epsilon, 1 - TargetChecks.Epsilon).log();
        return (yTrue * logProb).sum(axis).neg();
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The model has a single output unit, or the target shape differs from the
    /// output shape (integer labels of shape [N] get a pointer to sparse_categorical_crossentropy).</exception>
    public override void Validate(Tensor yTrue, long[] outputShape)
    {
        if (Axis == -1 && outputShape.Length > 0 && outputShape[^1] == 1)
            throw new ArgumentException(
                "categorical_crossentropy needs one output unit per class, but the model's output has 1 unit " +
                "(the loss would always be 0). For two classes use binary_crossentropy with one sigmoid unit, " +
                "or give the last Dense layer one unit per class.", nameof(outputShape));
        bool looksSparse = TargetChecks.IsInteger(yTrue.dtype) || yTrue.dim() == outputShape.Length;
        TargetChecks.CheckOutputShape(Name, yTrue, outputShape, looksSparse
            ? " y looks like integer class labels: use loss \"sparse_categorical_crossentropy\" " +
              "(new SparseCategoricalCrossentropy()), or one-hot encode y."
            : "");
    }
}
