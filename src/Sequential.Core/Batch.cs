using Sequential.Layers;
using static TorchSharp.torch;

namespace Sequential;

/// <summary>
/// One batch as the training loop hands it to <see cref="Model.TrainStep"/>, <see cref="Model.TestStep"/> and
/// <see cref="Model.PredictStep"/> (Keras's data tuple <c>(x, y, sample_weight)</c>), already on the model's device.
/// </summary>
/// <remarks>
/// A model with one input and one output reads <see cref="X"/> and <see cref="Y"/>. A model with several inputs or
/// outputs reads <see cref="Inputs"/> and <see cref="Targets"/>, which the loop puts in the order of the model's
/// <see cref="Model.Inputs"/> and <see cref="Model.Outputs"/> (data given as name-keyed dictionaries is ordered by name
/// before the step sees it).
/// </remarks>
/// <example>
/// <code>
/// public override IReadOnlyDictionary&lt;string, double&gt; TrainStep(Batch batch)
/// {
///     var (x, y, sampleWeight) = batch;
///     ...
/// }
/// </code>
/// </example>
public sealed record Batch
{
    /// <summary>A batch for a model with one input (and one output, when <paramref name="Y"/> is given).</summary>
    /// <param name="X">The inputs, <c>[N, ...]</c>.</param>
    /// <param name="Y">The targets, converted as the loss expects; null when the data has none (<c>Fit(x)</c>,
    /// <c>Predict</c>).</param>
    /// <param name="SampleWeight">One weight per sample, <c>[N]</c>, with <c>classWeight</c> already folded in; null when
    /// there are none.</param>
    public Batch(Tensor X, Tensor? Y = null, Tensor? SampleWeight = null)
        : this([X], Y is null ? null : [Y], SampleWeight)
    {
        ArgumentNullException.ThrowIfNull(X);
    }

    /// <summary>A batch for a model with several inputs or outputs, given in the order of the model's inputs and outputs.</summary>
    /// <param name="inputs">One tensor per model input, <c>[N, ...]</c> each.</param>
    /// <param name="targets">One tensor per model output; null when the data has no targets.</param>
    /// <param name="sampleWeight">One weight per sample, <c>[N]</c>, applied to every output's loss; or null.</param>
    /// <exception cref="ArgumentException">No inputs, or a null among them.</exception>
    public Batch(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor>? targets = null, Tensor? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0 || inputs.Any(t => t is null))
            throw new ArgumentException("A batch needs at least one input tensor, and none may be null.", nameof(inputs));
        if (targets is not null && (targets.Count == 0 || targets.Any(t => t is null)))
            throw new ArgumentException("A batch's targets, when given, need at least one tensor, and none may be null.", nameof(targets));
        Inputs = inputs;
        Targets = targets;
        SampleWeight = sampleWeight;
    }

    /// <summary>
    /// A batch whose inputs (and targets) are keyed by name, as Keras's <c>fit({"image": x1, "meta": x2}, {...})</c>: the
    /// loop orders them as the model's <see cref="Model.Inputs"/> and <see cref="Model.Outputs"/> before the step sees
    /// them, and a missing or extra name is an error that lists both sets of names.
    /// </summary>
    /// <param name="inputs">Input tensors by <see cref="Input"/> name.</param>
    /// <param name="targets">Target tensors by output name (the name of the layer that produces the output); or null.</param>
    /// <param name="sampleWeight">One weight per sample, or null.</param>
    public Batch(IReadOnlyDictionary<string, Tensor> inputs, IReadOnlyDictionary<string, Tensor>? targets = null, Tensor? sampleWeight = null)
        : this([.. Checked(inputs, nameof(inputs)).Values], targets is null ? null : [.. Checked(targets, nameof(targets)).Values], sampleWeight)
    {
        InputNames = [.. inputs.Keys];
        TargetNames = targets is null ? null : [.. targets.Keys];
    }

    private static IReadOnlyDictionary<string, Tensor> Checked(IReadOnlyDictionary<string, Tensor> named, string argument)
    {
        ArgumentNullException.ThrowIfNull(named, argument);
        return named;
    }

    /// <summary>The inputs, one tensor per model input, <c>[N, ...]</c> each.</summary>
    public IReadOnlyList<Tensor> Inputs { get; init; }

    /// <summary>The targets, one tensor per model output; null when the data has none.</summary>
    public IReadOnlyList<Tensor>? Targets { get; init; }

    /// <summary>One weight per sample, <c>[N]</c>, with <c>classWeight</c> already folded in; null when there are none.</summary>
    public Tensor? SampleWeight { get; init; }

    /// <summary>The names of <see cref="Inputs"/> when the data keyed them by name (before the loop orders them); else null.</summary>
    public IReadOnlyList<string>? InputNames { get; init; }

    /// <summary>The names of <see cref="Targets"/> when the data keyed them by name; else null.</summary>
    public IReadOnlyList<string>? TargetNames { get; init; }

    /// <summary>The inputs of a model with one input.</summary>
    /// <exception cref="InvalidOperationException">The batch holds several inputs; read <see cref="Inputs"/>.</exception>
    public Tensor X => Inputs.Count == 1 ? Inputs[0] : throw new InvalidOperationException(
        $"This batch holds {Inputs.Count} inputs{Named(InputNames)}; read batch.Inputs (in the order of model.Inputs) instead of batch.X.");

    /// <summary>The targets of a model with one output; null when the data has none.</summary>
    /// <exception cref="InvalidOperationException">The batch holds several targets; read <see cref="Targets"/>.</exception>
    public Tensor? Y => Targets is null ? null : Targets.Count == 1 ? Targets[0] : throw new InvalidOperationException(
        $"This batch holds {Targets.Count} targets{Named(TargetNames)}; read batch.Targets (in the order of model.Outputs) instead of batch.Y.");

    private static string Named(IReadOnlyList<string>? names) => names is null ? "" : $" ({string.Join(", ", names)})";

    /// <summary>The number of samples in the batch (the first dimension of the first input).</summary>
    public long Size => Inputs[0].dim() > 0 ? Inputs[0].shape[0] : 1;

    /// <summary>Deconstructs a one-input batch: <c>var (x, y, sampleWeight) = batch;</c>.</summary>
    /// <param name="X">The inputs (<see cref="X"/>).</param>
    /// <param name="Y">The targets (<see cref="Y"/>).</param>
    /// <param name="SampleWeight">The sample weights.</param>
    public void Deconstruct(out Tensor X, out Tensor? Y, out Tensor? SampleWeight)
    {
        X = this.X;
        Y = this.Y;
        SampleWeight = this.SampleWeight;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"Batch {{ Inputs = [{string.Join(", ", Inputs.Select(t => Shapes.Format(t.shape)))}]{Named(InputNames)}, " +
        $"Targets = {(Targets is null ? "null" : $"[{string.Join(", ", Targets.Select(t => Shapes.Format(t.shape)))}]")}, " +
        $"SampleWeight = {(SampleWeight is null ? "null" : Shapes.Format(SampleWeight.shape))} }}";
}
