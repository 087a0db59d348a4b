using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sequential.Losses;

/// <summary>
/// The Connectionist Temporal Classification loss (Keras's <c>keras.losses.CTC</c>, string <c>"ctc"</c>), for sequence
/// outputs whose alignment with the labels is unknown (speech and handwriting recognition). Targets are integer labels
/// of shape <c>[N, maxLabelLength]</c>, padded with 0; class 0 is the blank and never a label. Predictions are logits
/// of shape <c>[N, T, classes]</c> (no softmax). Each sample's label length is its count of non-zero labels, and every
/// sample uses all <c>T</c> time steps, as in Keras.
/// </summary>
/// <remarks>One call to libtorch's <c>ctc_loss</c> on the log-softmax of the logits, transposed to its
/// <c>[T, N, classes]</c> layout; a labelling that cannot fit in <c>T</c> steps gives an infinite loss, as in
/// Keras and PyTorch.</remarks>
/// <example>
/// <code>
/// // y: [N, 16] character ids 1..classes-1, 0-padded; the model ends with Dense(classes) on a [N, T, features] sequence
/// model.Compile(optimizer: "adam", loss: "ctc");
/// </code>
/// </example>
public sealed class CTC : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="reduction">How <see cref="Loss.Call(Tensor, Tensor, Tensor?)"/> reduces the per-sample values:
    /// <c>"sum_over_batch_size"</c> (default), <c>"sum"</c>, <c>"none"</c>, <c>"mean"</c> or <c>"mean_with_sample_weight"</c>.</param>
    /// <param name="name">The loss's name.</param>
    /// <exception cref="ArgumentException"><paramref name="reduction"/> is unknown.</exception>
    public CTC(string? reduction = "sum_over_batch_size", string name = "ctc") : base(name, reduction) { }

    /// <inheritdoc/>
    public override bool FromLogits => true;

    /// <inheritdoc/>
    /// <returns>The negative log-likelihood of each sample's labelling: shape [N].</returns>
    /// <exception cref="ArgumentException">The labels are not [N, maxLabelLength] or the logits not [N, T, classes]
    /// with the same N.</exception>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred)
    {
        CheckShapes(yTrue.shape, yPred.shape);
        var labels = yTrue.dtype == ScalarType.Int64 ? yTrue : yTrue.to_type(ScalarType.Int64);
        var labelLengths = labels.ne(0).sum(-1);
        long n = yPred.shape[0], t = yPred.shape[1];
        var inputLengths = full([n], t, ScalarType.Int64, device: yPred.device);
        // libtorch's CTC runs in float32 or float64 only, as Keras's torch backend casts it.
        var logits = yPred.dtype is ScalarType.Float32 or ScalarType.Float64 ? yPred : yPred.to_type(ScalarType.Float32);
        var logProbs = F.log_softmax(logits.transpose(0, 1), -1);
        return F.ctc_loss(logProbs, labels.to(yPred.device), inputLengths, labelLengths.to(yPred.device), blank: 0,
            reduction: nn.Reduction.None);
    }

    /// <summary>Converts labels to int64 (float labels must be integral).</summary>
    /// <param name="yTrue">Labels of shape [N, maxLabelLength].</param>
    /// <returns>int64 labels.</returns>
    public override Tensor PrepareTargets(Tensor yTrue) => yTrue.dtype == ScalarType.Int64 ? yTrue : yTrue.to_type(ScalarType.Int64);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The labels or the output have the wrong rank, a label lies outside
    /// [0, classes), a float label is not integral, or a labelling is longer than the output's time steps.</exception>
    public override void Validate(Tensor yTrue, long[] outputShape)
    {
        if (outputShape.Length != 2)
            throw new ArgumentException(
                $"ctc needs a model output of shape [N, T, classes] (logits per time step), but the output per sample has shape " +
                $"{TargetChecks.Format(outputShape)}.", nameof(outputShape));
        CheckShapes(yTrue.shape, [yTrue.dim() == 0 ? 0 : yTrue.shape[0], .. outputShape]);
        if (yTrue.numel() == 0) return;
        if (TargetChecks.IsFloating(yTrue.dtype))
        {
            using var scope = NewDisposeScope();
            if (yTrue.ne(yTrue.round()).any().item<bool>())
                throw new ArgumentException("ctc needs integer labels (class ids, 0 for padding), but y contains non-integral values.", nameof(yTrue));
        }
        var (min, max) = TargetChecks.Range(yTrue);
        long classes = outputShape[1];
        if (min < 0 || max >= classes)
            throw new ArgumentException(
                $"ctc labels must be in [0, {classes}) for an output with {classes} classes (0 is the blank and pads), but y contains " +
                $"{TargetChecks.Format(max >= classes ? max : min)}.", nameof(yTrue));
        using (var scope = NewDisposeScope())
        {
            long longest = yTrue.ne(0).sum(-1).max().item<long>();
            if (longest > outputShape[0])
                throw new ArgumentException(
                    $"ctc: a labelling has {longest} labels but the output has only {outputShape[0]} time steps; CTC needs at least " +
                    "one time step per label. Lengthen the output sequence or shorten the labels.", nameof(yTrue));
        }
    }

    private static void CheckShapes(long[] labels, long[] logits)
    {
        if (labels.Length != 2)
            throw new ArgumentException(
                $"ctc needs targets of shape [N, maxLabelLength] (integer labels, 0-padded), but y has shape {TargetChecks.Format(labels)}.");
        if (logits.Length != 3)
            throw new ArgumentException(
                $"ctc needs logits of shape [N, T, classes], but the predictions have shape {TargetChecks.Format(logits)}.");
        if (labels[0] != logits[0])
            throw new ArgumentException(
                $"ctc: {labels[0]} labellings (y of shape {TargetChecks.Format(labels)}) for {logits[0]} predictions " +
                $"(shape {TargetChecks.Format(logits)}); give one labelling per sample.");
    }
}
