using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sequential.Losses;

/// <summary>
/// Categorical cross-entropy with a focal factor (Keras's <c>keras.losses.CategoricalFocalCrossentropy</c>, string
/// <c>"categorical_focal_crossentropy"</c>): per class <c>-alpha * (1 - p)^gamma * yTrue * log(p)</c>, summed along
/// <see cref="Axis"/>, so confident correct predictions count less; for one-hot targets and imbalanced classes.
/// </summary>
/// <remarks>As in Keras, probabilities (after a softmax when <c>fromLogits</c>) are divided by their sum and clipped
/// to [1e-7, 1 - 1e-7] before the log.</remarks>
/// <example>
/// <code>
/// model.Compile(optimizer: "adam", loss: new CategoricalFocalCrossentropy(alpha: 0.25, gamma: 2.0));
/// </code>
/// </example>
public sealed class CategoricalFocalCrossentropy : Loss
{
    private readonly bool _fromLogits;

    /// <summary>Creates the loss.</summary>
    /// <param name="alpha">A weight applied to every class (Keras's default 0.25); must be positive.</param>
    /// <param name="gamma">The focusing exponent, at least 0; 0 gives <c>alpha</c> times the categorical cross-entropy.</param>
    /// <param name="fromLogits">True when the model outputs logits (no softmax on the last layer).</param>
    /// <param name="labelSmoothing">In [0, 1]: targets become <c>y * (1 - labelSmoothing) + labelSmoothing / classes</c>.</param>
    /// <param name="axis">The class axis; -1 (the default) is the last one.</param>
    /// <param name="reduction">How <see cref="Loss.Call(Tensor, Tensor, Tensor?)"/> reduces the per-sample values:
    /// <c>"sum_over_batch_size"</c> (default), <c>"sum"</c>, <c>"none"</c>, <c>"mean"</c> or <c>"mean_with_sample_weight"</c>.</param>
    /// <param name="name">The loss's name.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/>, <paramref name="gamma"/> or
    /// <paramref name="labelSmoothing"/> is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="reduction"/> is unknown.</exception>
    public CategoricalFocalCrossentropy(double alpha = 0.25, double gamma = 2.0, bool fromLogits = false, double labelSmoothing = 0,
        int axis = -1, string? reduction = "sum_over_batch_size", string name = "categorical_focal_crossentropy") : base(name, reduction)
    {
        Alpha = alpha > 0 && double.IsFinite(alpha)
            ? alpha
            : throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be a positive number (Keras's default is 0.25).");
        Gamma = TargetChecks.Gamma(gamma);
        _fromLogits = fromLogits;
        LabelSmoothing = TargetChecks.LabelSmoothing(labelSmoothing);
        Axis = axis;
    }

    /// <summary>The weight applied to every class.</summary>
    public double Alpha { get; }

    /// <summary>The focusing exponent.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public override bool FromLogits => _fromLogits;

    /// <summary>The label smoothing factor, in [0, 1].</summary>
    public double LabelSmoothing { get; }

    /// <summary>The class axis (-1: the last).</summary>
    public int Axis { get; }

    /// <inheritdoc/>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = TargetChecks.MatchRank(yTrue, yPred);
        TargetChecks.CheckBatchShapes(Name, yTrue, yPred);
        yTrue = TargetChecks.AsDtypeOf(yTrue, yPred);
        int axis = TargetChecks.Axis(Name, Axis, yPred.dim());
        if (LabelSmoothing > 0) yTrue = yTrue * (1 - LabelSmoothing) + LabelSmoothing / yPred.shape[axis];
        if (_fromLogits) yPred = F.softmax(yPred, axis);
        var output = (yPred / yPred.sum(axis, keepdim: true)).clamp(TargetChecks.Epsilon, 1 - TargetChecks.Epsilon);
        var cce = yTrue.neg() * output.log();
        return ((1.0 - output).pow(Gamma) * Alpha * cce).sum(axis);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The target shape differs from the output shape.</exception>
    public override void Validate(Tensor yTrue, long[] outputShape) => TargetChecks.CheckOutputShape(Name, yTrue, outputShape,
        TargetChecks.IsInteger(yTrue.dtype) && yTrue.dim() == outputShape.Length
            ? " y looks like integer class labels: one-hot encode it for this loss."
            : "");
}
