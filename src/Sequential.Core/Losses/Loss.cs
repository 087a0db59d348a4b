using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Losses;

/// <summary>
/// Base class of losses (Keras's <c>keras.losses.Loss</c>): maps a batch of targets and predictions
/// to one scalar, the mean over the batch ("sum_over_batch_size" reduction).
/// </summary>
public abstract class Loss
{
    /// <summary>Creates a loss.</summary>
    /// <param name="name">The Keras name, e.g. <c>sparse_categorical_crossentropy</c>.</param>
    protected Loss(string name) => Name = name;

    /// <summary>The Keras name of the loss.</summary>
    public string Name { get; }

    /// <summary>Whether predictions are logits rather than probabilities (cross-entropies only).</summary>
    public virtual bool FromLogits => false;

    /// <summary>Computes the mean loss of a batch.</summary>
    /// <param name="yTrue">Targets, as given to <c>Fit</c>.</param>
    /// <param name="yPred">Model outputs.</param>
    /// <returns>A 0-dimensional tensor on the device of <paramref name="yPred"/>.</returns>
    public abstract Tensor Call(Tensor yTrue, Tensor yPred);

    /// <summary>
    /// Computes the loss of each sample, averaged over every axis but the batch axis: a tensor of shape [N] whose
    /// mean equals <see cref="Call(Tensor, Tensor)"/>. Needed only for weighted training (<c>classWeight</c>,
    /// <c>sampleWeight</c>); the unweighted path keeps using the fused <see cref="Call(Tensor, Tensor)"/>.
    /// </summary>
    /// <param name="yTrue">Targets, as given to <c>Fit</c>.</param>
    /// <param name="yPred">Model outputs.</param>
    /// <returns>A tensor of shape [N] on the device of <paramref name="yPred"/>.</returns>
    /// <exception cref="NotSupportedException">A custom loss that does not override this method.</exception>
    public virtual Tensor CallPerSample(Tensor yTrue, Tensor yPred) =>
        throw new NotSupportedException(
            $"The loss {GetType().Name} ('{Name}') does not implement CallPerSample, which classWeight and sampleWeight need. " +
            "Override CallPerSample to return one loss value per sample (shape [N]), or train without weights.");

    /// <summary>
    /// Computes the weighted loss of a batch as Keras does (<c>loss(y_true, y_pred, sample_weight)</c> with the
    /// "sum_over_batch_size" reduction): <c>sum(loss_i * w_i) / N</c>. Without weights this is
    /// <see cref="Call(Tensor, Tensor)"/>.
    /// </summary>
    /// <param name="yTrue">Targets.</param>
    /// <param name="yPred">Model outputs.</param>
    /// <param name="sampleWeight">One weight per sample, shape [N] (or [N, 1]), or null.</param>
    /// <returns>A 0-dimensional tensor.</returns>
    public Tensor Call(Tensor yTrue, Tensor yPred, Tensor? sampleWeight)
    {
        if (sampleWeight is null) return Call(yTrue, yPred);
        var perSample = CallPerSample(yTrue, yPred);
        var weights = sampleWeight.reshape(-1);
        if (weights.shape[0] != perSample.shape[0])
            throw new ArgumentException(
                $"{Name}: {weights.shape[0]} sample weights for a batch of {perSample.shape[0]} samples; pass one weight per sample.",
                nameof(sampleWeight));
        if (weights.dtype != perSample.dtype) weights = weights.to_type(perSample.dtype);
        return (perSample * weights).sum() / perSample.shape[0];
    }

    /// <summary>
    /// Checks, once before training, that targets fit the model's output; throws an
    /// <see cref="ArgumentException"/> that names both otherwise.
    /// </summary>
    /// <param name="yTrue">All targets (or the first batch of them).</param>
    /// <param name="outputShape">The model's output shape per sample (no batch dimension).</param>
    public virtual void Validate(Tensor yTrue, long[] outputShape) { }

    /// <summary>Converts targets to the dtype this loss needs (float for most, int64 for sparse labels).</summary>
    /// <param name="yTrue">Targets as given.</param>
    /// <returns>The targets, converted if necessary.</returns>
    public virtual Tensor PrepareTargets(Tensor yTrue) =>
        yTrue.dtype == ScalarType.Float32 ? yTrue : yTrue.to_type(ScalarType.Float32);

    /// <summary>Lets a Keras name stand for a loss: <c>Compile(loss: "binary_crossentropy", ...)</c>.</summary>
    /// <param name="name">A name accepted by <see cref="Losses.Get"/>.</param>
    public static implicit operator Loss(string name) => Losses.Get(name);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
