using static TorchSharp.torch;

namespace Sequential;

/// <summary>
/// One batch as the training loop hands it to <see cref="Model.TrainStep"/>, <see cref="Model.TestStep"/> and
/// <see cref="Model.PredictStep"/> (Keras's data tuple <c>(x, y, sample_weight)</c>), already on the model's device.
/// </summary>
/// <param name="X">The inputs, <c>[N, ...]</c>.</param>
/// <param name="Y">The targets, converted as the loss expects; null when the data has none (<c>Fit(x)</c>,
/// <c>Predict</c>).</param>
/// <param name="SampleWeight">One weight per sample, <c>[N]</c>, with <c>classWeight</c> already folded in; null when
/// there are none.</param>
/// <example>
/// <code>
/// public override IReadOnlyDictionary&lt;string, double&gt; TrainStep(Batch batch)
/// {
///     var (x, y, sampleWeight) = batch;
///     ...
/// }
/// </code>
/// </example>
public sealed record Batch(Tensor X, Tensor? Y = null, Tensor? SampleWeight = null);
