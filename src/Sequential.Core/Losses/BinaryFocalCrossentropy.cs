using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sequential.Losses;

/// <summary>
/// Binary cross-entropy with a focal factor (Keras's <c>keras.losses.BinaryFocalCrossentropy</c>, string
/// <c>"binary_focal_crossentropy"</c>; Lin et al., 2018): each element's cross-entropy is multiplied by
/// <c>(1 - p_t)^gamma</c>, where <c>p_t</c> is the predicted probability of the true class, so well-classified
/// examples count less. With <c>applyClassBalancing</c> class 1 is also weighted by <c>alpha</c> and class 0 by
/// <c>1 - alpha</c>. The per-sample value is the mean along <see cref="Axis"/>.
/// </summary>
/// <remarks>As in Keras, probabilities are clipped to [1e-7, 1 - 1e-7] inside the cross-entropy; with
/// <c>fromLogits: true</c> the predictions pass through a sigmoid first.</remarks>
/// <example>
/// <code>
/// model.Compile(optimizer: "adam", loss: new BinaryFocalCrossentropy(gamma: 2.0, fromLogits: true));
/// </code>
/// </example>
public sealed class BinaryFocalCrossentropy : Loss
{
    private readonly bool _fromLogits;

    /// <summary>Creates the loss.</summary>
    /// <param name="applyClassBalancing">Whether to weight class 1 by <paramref name="alpha"/> and class 0 by 1 - alpha.</param>
    /// <param name="alpha">The weight of class 1 when balancing, in [0, 1].</param>
    /// <param name="gamma">The focusing exponent, at least 0; 0 gives the plain binary cross-entropy.</param>
    /// <param name="fromLogits">True when the model outputs logits (no sigmoid on the last layer).</param>
    /// <param name="labelSmoothing">In [0, 1]: targets become <c>y * (1 - labelSmoothing) + 0.5 * labelSmoothing</c>.</param>
    /// <param name="axis">The axis the per-sample mean is taken along; -1 (the default) is the last one.</param>
    /// <param name="reduction">How <see cref="Loss.Call(Tensor, Tensor, Tensor?)"/> reduces the per-sample values:
    /// <c>"sum_over_batch_size"</c> (default), <c>"sum"</c>, <c>"none"</c>, <c>"mean"</c> or <c>"mean_with_sample_weight"</c>.</param>
    /// <param name="name">The loss's name.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/>, <paramref name="gamma"/> or
    /// <paramref name="labelSmoothing"/> is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="reduction"/> is unknown.</exception>
    public BinaryFocalCrossentropy(bool applyClassBalancing = false, double alpha = 0.25, double gamma = 2.0, bool fromLogits = false,
        double labelSmoothing = 0, int axis = -1, string? reduction = "sum_over_batch_size", string name = "binary_focal_crossentropy")
        : base(name, reduction)
    {
        ApplyClassBalancing = applyClassBalancing;
        Alpha = TargetChecks.Fraction(nameof(alpha), alpha);
        Gamma = TargetChecks.Gamma(gamma);
        _fromLogits = fromLogits;
        LabelSmoothing = TargetChecks.LabelSmoothing(labelSmoothing);
        Axis = axis;
    }

    /// <summary>Whether class 1 is weighted by <see cref="Alpha"/> and class 0 by 1 - alpha.</summary>
    public bool ApplyClassBalancing { get; }

    /// <summary>The weight of class 1 when balancing.</summary>
    public double Alpha { get; }

    /// <summary>The focusing exponent.</summary>
    public double Gamma { get; }

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
        int axis = TargetChecks.Axis(Name, Axis, Math.Max(1, yPred.dim()));
        if (LabelSmoothing > 0) yTrue = yTrue * (1 - LabelSmoothing) + 0.5 * LabelSmoothing;
        if (_fromLogits) yPred = yPred.sigmoid();
        var bce = F.binary_cross_entropy(yPred.clamp(TargetChecks.Epsilon, 1 - TargetChecks.Epsilon), yTrue, reduction: nn.Reduction.None);
        var pT = yTrue * yPred + (1.0 - yTrue) * (1.0 - yPred);
        var focal = (1.0 - pT).pow(Gamma) * bce;
        if (ApplyClassBalancing) focal = (yTrue * Alpha + (1.0 - yTrue) * (1 - Alpha)) * focal;
        return focal.dim() <= 1 ? focal : focal.mean([axis]);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The target shape differs from the output shape.</exception>
    public override void Validate(Tensor yTrue, long[] outputShape) => TargetChecks.CheckOutputShape(Name, yTrue, outputShape);
}
