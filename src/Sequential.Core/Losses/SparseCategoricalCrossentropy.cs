using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Sequential.Losses;

/// <summary>
/// Cross-entropy for integer class labels (Keras's <c>keras.losses.SparseCategoricalCrossentropy</c>, string
/// <c>"sparse_categorical_crossentropy"</c>): y holds one class index per sample, shape [N] or [N, 1], and the model
/// outputs one unit per class.
/// </summary>
/// <remarks>
/// With <c>fromLogits: true</c> the per-sample values come from one <c>torch.nn.functional.cross_entropy</c>
/// (fused log-softmax and NLL; the fastest and most stable choice). With probabilities, predictions are divided by
/// their sum and clipped to [1e-7, 1 - 1e-7] before the log, as in Keras.
/// </remarks>
/// <example>
/// <code>
/// model.Compile(optimizer: "adam", loss: new SparseCategoricalCrossentropy(fromLogits: true), metrics: ["accuracy"]);
/// </code>
/// </example>
public sealed class SparseCategoricalCrossentropy : Loss
{
    private readonly bool _fromLogits;

    /// <summary>Creates the loss.</summary>
    /// <param name="fromLogits">True when the model outputs logits (no softmax on the last layer).</param>
    /// <param name="ignoreClass">A label that does not count (e.g. -1 or 255 for the "void" pixels of a segmentation map):
    /// its values are 0 and, with <c>"sum_over_batch_size"</c>, the mean runs over the other labels only. Null: every
    /// label counts.</param>
    /// <param name="reduction">How <see cref="Loss.Call(Tensor, Tensor, Tensor?)"/> reduces the per-sample values:
    /// <c>"sum_over_batch_size"</c> (default), <c>"sum"</c>, <c>"none"</c>, <c>"mean"</c> or <c>"mean_with_sample_weight"</c>.</param>
    /// <param name="axis">The class axis of the predictions; -1 (the default) is the last one, 1 suits channels-first
    /// segmentation maps.</param>
    /// <param name="name">The loss's name.</param>
    /// <exception cref="ArgumentException"><paramref name="reduction"/> is unknown.</exception>
    public SparseCategoricalCrossentropy(bool fromLogits = false, int? ignoreClass = null, string? reduction = "sum_over_batch_size",
        int axis = -1, string name = "sparse_categorical_crossentropy") : base(name, reduction)
    {
        _fromLogits = fromLogits;
        IgnoreClass = ignoreClass;
        Axis = axis;
    }

    /// <inheritdoc/>
    public override bool FromLogits => _fromLogits;

    /// <summary>The label that does not count, or null.</summary>
    public int? IgnoreClass { get; }

    /// <summary>The class axis of the predictions (-1: the last).</summary>
    public int Axis { get; }

    /// <inheritdoc/>
    /// <returns>The negative log-probability of each label: the labels' shape, [N] (or [N, T] for a time axis; 0 where
    /// the label is <see cref="IgnoreClass"/>).</returns>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = Standardize(yTrue, yPred);
        Tensor? valid = null;
        if (IgnoreClass is int ignored)
        {
            valid = yTrue.ne(ignored);
            yTrue = where(valid, yTrue, zeros_like(yTrue));
        }
        long[] labelShape = yTrue.shape;
        if (yPred.dim() > 2)
        {
            // torch wants classes on axis 1, Keras has them last: flatten the leading axes, and restore them after.
            yPred = yPred.reshape(-1, yPred.shape[^1]);
            yTrue = yTrue.reshape(-1);
        }
        Tensor loss = _fromLogits
            ? cross_entropy(yPred, yTrue, reduction: nn.Reduction.None)
            : nll_loss((yPred / yPred.sum(-1, keepdim: true)).clamp(TargetChecks.Epsilon, 1 - TargetChecks.Epsilon).log(), yTrue,
                reduction: nn.Reduction.None);
        if (labelShape.Length != 1) loss = loss.reshape(labelShape);
        return valid is null ? loss : where(valid, loss, zeros_like(loss));
    }

    /// <summary>Where the label is not <see cref="IgnoreClass"/> (null when every label counts).</summary>
    /// <param name="yTrue">Class labels.</param>
    /// <param name="yPred">Model outputs.</param>
    /// <returns>Null, or a boolean tensor of the labels' shape.</returns>
    public override Tensor? ComputeMask(Tensor yTrue, Tensor yPred) =>
        IgnoreClass is int ignored ? Standardize(yTrue, yPred).yTrue.ne(ignored) : null;

    /// <summary>Labels as int64 without a trailing axis of 1, predictions with the class axis last; checks they fit.</summary>
    private (Tensor yTrue, Tensor yPred) Standardize(Tensor yTrue, Tensor yPred)
    {
        int axis = TargetChecks.Axis(Name, Axis, yPred.dim());
        if (yTrue.dim() == yPred.dim() && yTrue.shape[axis] == 1) yTrue = yTrue.squeeze(axis);
        if (axis != yPred.dim() - 1) yPred = yPred.movedim([axis], [-1]);
        if (yTrue.dtype != ScalarType.Int64) yTrue = yTrue.to_type(ScalarType.Int64);
        if (yTrue.dim() != yPred.dim() - 1 || !yTrue.shape.AsSpan().SequenceEqual(yPred.shape.AsSpan(0, (int)yPred.dim() - 1)))
            throw new ArgumentException(
                $"sparse_categorical_crossentropy: labels of shape {TargetChecks.Format(yTrue.shape)} do not match the " +
                $"model's output of shape {TargetChecks.Format(yPred.shape)}; expected one class index per sample.");
        return (yTrue, yPred);
    }

    /// <summary>
    /// Converts labels to int64 class indices: int32, uint8 and other integer labels are cast; float labels are cast
    /// when every value is integral; labels of shape [N, 1] become [N].
    /// </summary>
    /// <param name="yTrue">Class labels.</param>
    /// <returns>int64 labels.</returns>
    /// <exception cref="ArgumentException">A float label is not integral (probabilities or one-hot rows belong to
    /// categorical_crossentropy).</exception>
    public override Tensor PrepareTargets(Tensor yTrue)
    {
        if (yTrue.dim() == 2 && yTrue.shape[1] == 1) yTrue = yTrue.squeeze(-1);
        if (yTrue.dtype == ScalarType.Int64) return yTrue;
        if (TargetChecks.IsFloating(yTrue.dtype)) CheckIntegral(yTrue);
        else if (!TargetChecks.IsInteger(yTrue.dtype))
            throw new ArgumentException(
                $"sparse_categorical_crossentropy needs integer class labels, but y has dtype {yTrue.dtype}.", nameof(yTrue));
        return yTrue.to_type(ScalarType.Int64);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The labels are not one per sample, not integral, or outside
    /// [0, classes).</exception>
    public override void Validate(Tensor yTrue, long[] outputShape)
    {
        if (outputShape.Length == 0)
            throw new ArgumentException("sparse_categorical_crossentropy needs a model output with a class axis.", nameof(outputShape));
        int classAxis = TargetChecks.Axis(Name, Axis, outputShape.Length + 1) - 1;   // within a sample
        if (classAxis < 0)
            throw new ArgumentException(
                $"sparse_categorical_crossentropy: axis {Axis} is the batch axis; the class axis is one of the output's own axes " +
                "(-1, the default, for the last).", nameof(outputShape));
        long classes = outputShape[classAxis];
        long[] t = yTrue.shape;
        long[] expected = [.. outputShape[..classAxis], .. outputShape[(classAxis + 1)..]];
        long[] perSample = t.Length == 0 ? [] : t[1..];
        bool shapeOk = t.Length > 0 && (perSample.AsSpan().SequenceEqual(expected) ||
                                        (perSample.Length == outputShape.Length && perSample[classAxis] == 1 &&
                                         perSample.Where((_, i) => i != classAxis).SequenceEqual(expected)));
        if (!shapeOk)
            throw new ArgumentException(
                $"sparse_categorical_crossentropy needs one integer class label per sample (y of shape [N] or [N, 1]), " +
                $"but y has shape {TargetChecks.Format(t)} for a model whose output per sample has shape " +
                $"{TargetChecks.Format(outputShape)}. For one-hot targets use categorical_crossentropy.", nameof(yTrue));
        if (yTrue.numel() == 0) return;
        if (TargetChecks.IsFloating(yTrue.dtype)) CheckIntegral(yTrue);
        using var scope = NewDisposeScope();
        var counted = IgnoreClass is int ignored ? yTrue.masked_select(yTrue.ne(ignored)) : yTrue;
        if (counted.numel() == 0) return;
        var (min, max) = TargetChecks.Range(counted);
        if (min < 0 || max >= classes)
            throw new ArgumentException(
                $"Labels must be in [0, {classes}) for a model whose output has {classes} units, but y contains " +
                $"{TargetChecks.Format(max >= classes ? max : min)} (min {TargetChecks.Format(min)}, max {TargetChecks.Format(max)}). " +
                (IgnoreClass is null
                    ? "Check the last Dense layer's units or the labels."
                    : $"Check the last Dense layer's units or the labels (ignoreClass is {IgnoreClass})."), nameof(yTrue));
    }

    private static void CheckIntegral(Tensor yTrue)
    {
        using var scope = NewDisposeScope();
        var bad = yTrue.masked_select(yTrue.ne(yTrue.round()));   // NaN != NaN, so NaN is caught too
        if (bad.numel() > 0)
            throw new ArgumentException(
                $"sparse_categorical_crossentropy needs integer class labels, but y ({yTrue.dtype}) contains " +
                $"{TargetChecks.Format(bad[0].to_type(ScalarType.Float64).item<double>())}. Pass class indices 0..classes-1, " +
                "or use categorical_crossentropy for one-hot or probability targets.", nameof(yTrue));
    }
}
