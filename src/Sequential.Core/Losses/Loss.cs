using Sequential.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Losses;

/// <summary>
/// Base class of losses (Keras's <c>keras.losses.Loss</c>). A loss writes one method,
/// <see cref="ComputeValues"/> (Keras's <c>call</c>): the loss of each sample. <see cref="Call(Tensor, Tensor, Tensor?)"/>
/// (Keras's <c>__call__</c>) then applies the sample weights and the <see cref="Reduction"/>, the same way for every loss.
/// </summary>
/// <remarks>
/// <para>Reductions, as in Keras 3.16: <c>"sum_over_batch_size"</c> (the default: the sum of the weighted values
/// divided by how many values there are), <c>"mean"</c> (the same), <c>"sum"</c>, <c>"mean_with_sample_weight"</c>
/// (divided by the sum of the weights instead) and <c>"none"</c> (the weighted values themselves; null means the same).</para>
/// <para>Sample weights may be a single number (a 0-dimensional tensor), one weight per sample (<c>[N]</c> or
/// <c>[N, 1]</c>, what <c>Fit</c>'s <c>sampleWeight</c> and <c>classWeight</c> produce), or one weight per value
/// (the shape <see cref="ComputeValues"/> returns, e.g. <c>[N, T]</c> for a sequence output); a weight of a sample
/// applies to all of that sample's values.</para>
/// <para>A custom loss that takes constructor arguments is saved with the model when each argument has a public
/// property of the same name in PascalCase (or when it overrides <see cref="GetConfig"/>); register it with
/// <see cref="LossRegistry.Register{T}"/> before loading.</para>
/// </remarks>
/// <example>
/// <code>
/// public sealed class MeanFourthPower(string reduction = "sum_over_batch_size") : Loss("mean_fourth_power", reduction)
/// {
///     public override Tensor ComputeValues(Tensor yTrue, Tensor yPred) => (yPred - yTrue).pow(4).mean([-1]);
/// }
///
/// model.Compile(optimizer: "adam", loss: new MeanFourthPower());
/// LossRegistry.Register&lt;MeanFourthPower&gt;();   // so that SequentialModel.Load can recreate it
/// </code>
/// </example>
public abstract class Loss
{
    /// <summary>Creates a loss.</summary>
    /// <param name="name">The Keras name, e.g. <c>sparse_categorical_crossentropy</c>.</param>
    /// <param name="reduction"><c>"sum_over_batch_size"</c> (default), <c>"sum"</c>, <c>"none"</c> (or null),
    /// <c>"mean"</c> or <c>"mean_with_sample_weight"</c>, any case.</param>
    /// <exception cref="ArgumentException"><paramref name="reduction"/> is unknown; the message lists the accepted names.</exception>
    protected Loss(string name, string? reduction = "sum_over_batch_size")
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        Reduction = LossReduction.Standardize(reduction);
    }

    /// <summary>The Keras name of the loss.</summary>
    public string Name { get; }

    /// <summary>How <see cref="Call(Tensor, Tensor, Tensor?)"/> reduces the weighted values, in lower case
    /// (<c>"sum_over_batch_size"</c>, <c>"sum"</c>, <c>"none"</c>, <c>"mean"</c> or <c>"mean_with_sample_weight"</c>).</summary>
    public string Reduction { get; }

    /// <summary>Whether predictions are logits rather than probabilities (cross-entropies only).</summary>
    public virtual bool FromLogits => false;

    /// <summary>
    /// The loss of each sample (Keras's <c>Loss.call</c>), before weighting and reduction: a tensor whose first axis is
    /// the batch, usually <c>[N]</c> (the mean over the last axis, as Keras's losses compute it), or <c>[N, T]</c> for
    /// an output with a time axis. This is the one method a custom loss writes.
    /// </summary>
    /// <remarks>Public, like Keras's <c>call</c>, so metrics and custom training steps can reuse a loss's per-sample
    /// values; training calls <see cref="Call(Tensor, Tensor, Tensor?)"/>.</remarks>
    /// <param name="yTrue">Targets, as given to <c>Fit</c> (after <see cref="PrepareTargets"/>).</param>
    /// <param name="yPred">Model outputs.</param>
    /// <returns>The per-sample loss values, on the device of <paramref name="yPred"/>.</returns>
    public abstract Tensor ComputeValues(Tensor yTrue, Tensor yPred);

    /// <summary>Computes the loss of a batch: <see cref="ComputeValues"/> reduced by <see cref="Reduction"/>.</summary>
    /// <param name="yTrue">Targets, as given to <c>Fit</c>.</param>
    /// <param name="yPred">Model outputs.</param>
    /// <returns>A 0-dimensional tensor on the device of <paramref name="yPred"/> (the values themselves for
    /// <c>"none"</c>).</returns>
    public Tensor Call(Tensor yTrue, Tensor yPred) => Call(yTrue, yPred, null);

    /// <summary>
    /// Computes the weighted loss of a batch as Keras's <c>loss(y_true, y_pred, sample_weight)</c> does: the values of
    /// <see cref="ComputeValues"/> times the weights, reduced by <see cref="Reduction"/>. With the default
    /// <c>"sum_over_batch_size"</c> and one weight per sample this is <c>sum(loss_i * w_i) / N</c>.
    /// </summary>
    /// <param name="yTrue">Targets.</param>
    /// <param name="yPred">Model outputs.</param>
    /// <param name="sampleWeight">Null; a single number; one weight per sample, shape [N] or [N, 1]; or one weight per
    /// value (the shape of <see cref="ComputeValues"/>'s result). Cast to the values' dtype and device.</param>
    /// <returns>A 0-dimensional tensor (the weighted values for <c>"none"</c>).</returns>
    /// <exception cref="ArgumentException">The weights' shape fits neither the samples nor the values; the message
    /// names both shapes.</exception>
    /// <remarks>When <paramref name="yPred"/> carries a mask (<see cref="Layers.Masks"/>, e.g. after
    /// <c>Embedding(maskZero: true)</c>), or <see cref="ComputeMask"/> returns one, masked values are left out as Keras's
    /// <c>apply_mask</c> does (the two masks combined with AND, as Keras combines the input and output masks): with the
    /// mean reductions the loss is the weighted sum over the kept values divided by their count.</remarks>
    public Tensor Call(Tensor yTrue, Tensor yPred, Tensor? sampleWeight)
    {
        var inputMask = Layers.Masks.Get(yPred);
        // Keras computes losses in float32 (the loss's dtype): 16-bit outputs of a mixed-precision model are cast up.
        if (DTypePolicy.IsHalf(yPred.dtype)) yPred = yPred.to_type(ScalarType.Float32);
        var values = ComputeValues(yTrue, yPred);
        var outputMask = ComputeMask(yTrue, yPred);
        var mask = inputMask is null ? outputMask : outputMask is null ? inputMask : inputMask.logical_and(outputMask);
        if (mask is not null) sampleWeight = LossReduction.ApplyMask(sampleWeight, mask, values.dtype, Reduction);
        return LossReduction.Apply(Name, Reduction, values, sampleWeight);
    }

    /// <summary>
    /// Which of <see cref="ComputeValues"/>'s values count (Keras's mask on the losses, e.g. what
    /// <c>SparseCategoricalCrossentropy(ignore_class=...)</c> sets): null (the default) when all do, else a boolean tensor of
    /// the values' shape. <see cref="Call(Tensor, Tensor, Tensor?)"/> gives masked values a weight of 0 and, for
    /// <c>"sum_over_batch_size"</c> and <c>"mean"</c>, averages over the values that count, as Keras's <c>apply_mask</c> does.
    /// </summary>
    /// <param name="yTrue">Targets, as given to <see cref="ComputeValues"/>.</param>
    /// <param name="yPred">Model outputs.</param>
    /// <returns>Null, or a boolean tensor shaped like the values.</returns>
    public virtual Tensor? ComputeMask(Tensor yTrue, Tensor yPred) => null;

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

    /// <summary>
    /// The loss's configuration (Keras's <c>get_config</c>): snake_case constructor argument name -> value, enough for
    /// <see cref="LossRegistry.FromConfig"/> to create an equal loss. Saved in model files.
    /// </summary>
    /// <remarks>
    /// By default it is read by reflection: for the public constructor with the most parameters, each parameter
    /// <c>p</c> maps to the public property named PascalCase(<c>p</c>), under the snake_case of <c>p</c> (or its
    /// <see cref="ConfigKeyAttribute"/>). Override it when a parameter has no such property.
    /// </remarks>
    /// <returns>The configuration.</returns>
    public virtual IReadOnlyDictionary<string, object?> GetConfig() => ConfigReflection.GetConfig(this);

    /// <summary>Lets a Keras name stand for a loss: <c>Compile(loss: "binary_crossentropy", ...)</c>.</summary>
    /// <param name="name">A name accepted by <see cref="LossRegistry.Get"/>.</param>
    public static implicit operator Loss(string name) => LossRegistry.Get(name);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
