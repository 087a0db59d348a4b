using Sequential.Callbacks;
using Sequential.Layers;
using Sequential.Training;
using static TorchSharp.torch;

namespace Sequential;

/// <summary>Data for models with several inputs or outputs: lists in the model's order, or dictionaries keyed by name.</summary>
public partial class Model
{
    /// <summary>
    /// The dtype a model's first input is cast to: the functional model's <see cref="Input.Dtype"/>, else float32 (the
    /// Keras default) unless overridden (<see cref="SequentialModel"/> asks its first layer).
    /// </summary>
    public override ScalarType? InputDtype => _graph is not null ? ((Input)_graph.Inputs[0]).Dtype : base.InputDtype;

    /// <summary>Casts input <paramref name="index"/> to the dtype that input takes (no copy when it has it already).</summary>
    internal Tensor CastInput(Tensor x, int index)
    {
        bool strings = StringInputs.Get(x) is not null;
        bool takesStrings = _graph is not null
            ? index < _graph.Inputs.Count && ((Input)_graph.Inputs[index]).HoldsStrings
            : this is SequentialModel { Layers: [{ TakesStrings: true }, ..] };
        if (strings != takesStrings)
            throw new ArgumentException(strings
                ? $"Model \"{Name}\" takes numbers as input {index}, but the data gives strings. Map them through a TextVectorization " +
                  "first, or give the model a string Input followed by a TextVectorization layer (new Input(shape: [1], dtype: \"string\"))."
                : $"Model \"{Name}\" takes strings as input {index} (its TextVectorization turns them into numbers), but the data gives a " +
                  $"{x.dtype} tensor of shape {Shapes.Format(x.shape)}. Give it batches of strings (a Dataset of StringTensor).");
        if (strings)
        {
            // Keras's rank adjustment: a batch of strings (N,) for an input of shape (1,) becomes (N, 1).
            var expected = _graph is not null ? ((Input)_graph.Inputs[index]).ShapeArray : ((SequentialModel)this).Layers[0].BuiltInputShape;
            if (x.dim() == 1 && expected is [1])
                return StringInputs.Carry(StringInputs.Get(x)!, [x.shape[0], 1], x.device);
            return x;
        }
        var dtype = _graph is not null && index < _graph.Inputs.Count ? ((Input)_graph.Inputs[index]).Dtype : InputDtype;
        return dtype is { } t && x.dtype != t ? x.to_type(t) : x;
    }

    /// <summary>Makes sure the model is built for these inputs (checking every input's shape for a graph) and placed.</summary>
    internal void EnsureBuiltFor(IReadOnlyList<Tensor> inputs)
    {
        if (_graph is not null && inputs.Count > 1)
        {
            var shapes = new long[inputs.Count][];
            for (int i = 0; i < shapes.Length; i++) shapes[i] = inputs[i].shape[1..];
            _graph.CheckInputShapes(shapes, Name);
        }
        EnsureBuiltFor(inputs[0].shape[1..]);
    }

    /// <summary>The number of inputs when the model declares it (a graph, or a stack: 1); null for a subclass, whose
    /// <see cref="CallMany"/> decides.</summary>
    private int? KnownInputCount => _graph is not null ? _graph.Inputs.Count : this is SequentialModel ? 1 : null;

    private int? KnownOutputCount => _graph is not null ? _graph.Outputs.Count : this is SequentialModel ? 1 : _metrics?.Outputs;

    internal void CheckInputCount(int count, string argument)
    {
        if (KnownInputCount is { } expected && count != expected)
            throw new ArgumentException(
                $"Model \"{Name}\" expects {expected} input(s){NamesOf(InputNames)}, but {argument} holds {count}; give one tensor per input" +
                (expected > 1 ? ", as a list in the order of model.Inputs or a dictionary keyed by the inputs' names." : "."), argument);
    }

    internal void CheckTargetCount(int count, string argument)
    {
        if (KnownOutputCount is { } expected && count != expected)
            throw new ArgumentException(
                $"Model \"{Name}\" has {expected} output(s){NamesOf(OutputNames)}, but {argument} holds {count} target(s); give one per output" +
                (expected > 1 ? ", as a list in the order of model.Outputs or a dictionary keyed by the outputs' names." : "."), argument);
    }

    private static string NamesOf(IReadOnlyList<string> names) => names.Count == 0 ? "" : $" ({string.Join(", ", names)})";

    /// <summary>
    /// Puts a batch's tensors in the model's order: named inputs and targets (from dictionaries) by
    /// <see cref="InputNames"/> and <see cref="OutputNames"/>; positional ones are counted. A batch already in order
    /// comes back as it is.
    /// </summary>
    /// <exception cref="ArgumentException">A missing or extra name (both lists named), or a wrong count.</exception>
    internal Batch Arrange(Batch batch, string data)
    {
        var inputs = batch.InputNames is { } inputNames
            ? ByName(batch.Inputs, inputNames, InputNames, "input", data)
            : batch.Inputs;
        if (batch.InputNames is null) CheckInputCount(inputs.Count, data);
        var targets = batch.Targets is { } t && batch.TargetNames is { } targetNames
            ? ByName(t, targetNames, OutputNames, "output", data)
            : batch.Targets;
        if (targets is not null && batch.TargetNames is null) CheckTargetCount(targets.Count, data);
        return ReferenceEquals(inputs, batch.Inputs) && ReferenceEquals(targets, batch.Targets) && batch.InputNames is null
            ? batch
            : new Batch(inputs, targets, batch.SampleWeight);
    }

    private IReadOnlyList<Tensor> ByName(IReadOnlyList<Tensor> tensors, IReadOnlyList<string> given, IReadOnlyList<string> expected,
        string what, string data)
    {
        if (expected.Count == 0)
            throw new ArgumentException(
                $"{data} keys its {what}s by name ({string.Join(", ", given)}), but model \"{Name}\" ({TypeName}) is not a functional graph, " +
                $"so its {what}s have no names; pass a list in order.", data);
        var missing = expected.Where(n => !given.Contains(n)).ToList();
        var extra = given.Where(n => !expected.Contains(n)).ToList();
        if (missing.Count > 0 || extra.Count > 0)
            throw new ArgumentException(
                $"The {what} names of {data} do not match model \"{Name}\": it expects [{string.Join(", ", expected)}] and got " +
                $"[{string.Join(", ", given)}]" +
                (missing.Count > 0 ? $"; missing: {string.Join(", ", missing)}" : "") +
                (extra.Count > 0 ? $"; not {what}s of the model: {string.Join(", ", extra)}" : "") + ".", data);
        var ordered = new Tensor[expected.Count];
        for (int i = 0; i < expected.Count; i++) ordered[i] = tensors[IndexOf(given, expected[i])];
        return ordered;

        static int IndexOf(IReadOnlyList<string> names, string name)
        {
            for (int i = 0; i < names.Count; i++)
                if (names[i] == name) return i;
            return -1; // not reached: the names were matched above
        }
    }

    private IReadOnlyList<Tensor> Ordered(IReadOnlyDictionary<string, Tensor> named, IReadOnlyList<string> expected, string what, string argument)
    {
        ArgumentNullException.ThrowIfNull(named, argument);
        return ByName([.. named.Values], [.. named.Keys], expected, what, argument);
    }

    /// <summary>
    /// Trains a model with several inputs or outputs on tensors keyed by name (Keras's <c>model.fit({"image": xi, "meta":
    /// xm}, {"kind": yk, "price": yp})</c>). Inputs are keyed by <see cref="InputNames"/>, targets by
    /// <see cref="OutputNames"/>; everything else is as in <see cref="Fit(Tensor, Tensor?, int, int, int?, IEnumerable{Callback}?, double, ValueTuple{Tensor, Tensor?}?, bool, int, int?, IReadOnlyDictionary{int, double}?, Tensor?, int)"/>.
    /// </summary>
    /// <param name="x">One input tensor per input name, <c>[N, ...]</c> each.</param>
    /// <param name="y">One target tensor per output name; null when the model's <see cref="TrainStep"/> needs none.</param>
    /// <param name="batchSize">Samples per gradient update.</param>
    /// <param name="epochs">Index of the last epoch to train.</param>
    /// <param name="verbose">0 silent, 1 progress bar, 2 one line per epoch.</param>
    /// <param name="callbacks">Callbacks to call during training.</param>
    /// <param name="validationSplit">Fraction of the data, taken from the end, to validate on.</param>
    /// <param name="validationData">Inputs and targets, keyed the same way, to validate on.</param>
    /// <param name="shuffle">Shuffle the training samples before each epoch.</param>
    /// <param name="initialEpoch">Epoch at which to start.</param>
    /// <param name="stepsPerEpoch">Batches per epoch; default all.</param>
    /// <param name="sampleWeight">One weight per sample, applied to every output's loss.</param>
    /// <param name="validationFreq">Validate every this many epochs.</param>
    /// <returns>The History: <c>loss</c>, <c>kind_loss</c>, <c>kind_accuracy</c>, <c>val_...</c>, as Keras 3 names them.</returns>
    /// <exception cref="ArgumentException">A missing or extra name (the message lists both), or tensors that do not fit.</exception>
    /// <example>
    /// <code>
    /// var history = shop.Fit(new Dictionary&lt;string, Tensor&gt; { ["image"] = xi, ["meta"] = xm },
    ///                        new Dictionary&lt;string, Tensor&gt; { ["kind"] = yk, ["price"] = yp }, epochs: 3, validationSplit: 0.2);
    /// Console.WriteLine(history["val_kind_accuracy"][^1]);
    /// </code>
    /// </example>
    public History Fit(IReadOnlyDictionary<string, Tensor> x, IReadOnlyDictionary<string, Tensor>? y = null, int batchSize = 32, int epochs = 1,
        int? verbose = null, IEnumerable<Callback>? callbacks = null, double validationSplit = 0.0,
        (IReadOnlyDictionary<string, Tensor> x, IReadOnlyDictionary<string, Tensor>? y)? validationData = null, bool shuffle = true,
        int initialEpoch = 0, int? stepsPerEpoch = null, Tensor? sampleWeight = null, int validationFreq = 1) =>
        Fit(Ordered(x, InputNames, "input", nameof(x)), y is null ? null : Ordered(y, OutputNames, "output", nameof(y)), batchSize, epochs, verbose,
            callbacks, validationSplit,
            validationData is { } v
                ? (Ordered(v.x, InputNames, "input", "validationData.x"), v.y is null ? null : Ordered(v.y, OutputNames, "output", "validationData.y"))
                : null,
            shuffle, initialEpoch, stepsPerEpoch, null, sampleWeight, validationFreq);

    /// <summary>
    /// Trains a model with several inputs or outputs on lists of tensors in the order of <see cref="Inputs"/> and
    /// <see cref="Outputs"/> (Keras's <c>model.fit([xi, xm], [yk, yp])</c>).
    /// </summary>
    /// <param name="x">One input tensor per input, in order.</param>
    /// <param name="y">One target tensor per output, in order; null when the step needs none.</param>
    /// <param name="batchSize">Samples per gradient update.</param>
    /// <param name="epochs">Index of the last epoch to train.</param>
    /// <param name="verbose">0 silent, 1 progress bar, 2 one line per epoch.</param>
    /// <param name="callbacks">Callbacks to call during training.</param>
    /// <param name="validationSplit">Fraction of the data, taken from the end, to validate on.</param>
    /// <param name="validationData">Inputs and targets, as lists, to validate on.</param>
    /// <param name="shuffle">Shuffle the training samples before each epoch.</param>
    /// <param name="initialEpoch">Epoch at which to start.</param>
    /// <param name="stepsPerEpoch">Batches per epoch; default all.</param>
    /// <param name="classWeight">A weight per class index (models with one output only, as Keras).</param>
    /// <param name="sampleWeight">One weight per sample, applied to every output's loss.</param>
    /// <param name="validationFreq">Validate every this many epochs.</param>
    /// <returns>The History of the run.</returns>
    /// <exception cref="ArgumentException">A count that differs from the model's inputs or outputs, or tensors that do not fit.</exception>
    public History Fit(IReadOnlyList<Tensor> x, IReadOnlyList<Tensor>? y = null, int batchSize = 32, int epochs = 1, int? verbose = null,
        IEnumerable<Callback>? callbacks = null, double validationSplit = 0.0, (IReadOnlyList<Tensor> x, IReadOnlyList<Tensor>? y)? validationData = null,
        bool shuffle = true, int initialEpoch = 0, int? stepsPerEpoch = null, IReadOnlyDictionary<int, double>? classWeight = null,
        Tensor? sampleWeight = null, int validationFreq = 1)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!IsCompiled) throw NotCompiled("Fit");
        Trainer.CheckEpochs(epochs, initialEpoch);
        if (!(validationSplit >= 0 && validationSplit < 1))
            throw new ArgumentOutOfRangeException(nameof(validationSplit), validationSplit,
                $"validationSplit must be in [0, 1) (a fraction such as 0.1); got {validationSplit}.");
        if (classWeight is not null && (y?.Count ?? 1) > 1)
            throw new ArgumentException(
                $"classWeight is only supported for models with one output; model \"{Name}\" has {y!.Count}. Use sampleWeight instead.",
                nameof(classWeight));
        var (train, validation) = TensorDataAdapter.Create(this, x, y, batchSize, shuffle, validationSplit, validationData, sampleWeight);
        using var _ = train;
        using var __ = validation;
        return new Trainer(this).Fit(train, validation, epochs, initialEpoch, stepsPerEpoch, null,
            Trainer.ResolveVerbose(verbose), callbacks, classWeight, validationFreq);
    }

    /// <summary>Computes the loss and metrics on tensors keyed by input and output name (Keras's <c>model.evaluate(dict, dict)</c>).</summary>
    /// <param name="x">One input tensor per input name.</param>
    /// <param name="y">One target tensor per output name; null when the step needs none.</param>
    /// <param name="batchSize">Samples per batch.</param>
    /// <param name="verbose">0 silent, 1 progress bar, 2 one line.</param>
    /// <param name="callbacks">Callbacks to call.</param>
    /// <param name="sampleWeight">One weight per sample, applied to every output's loss (and the metrics, as in <c>Fit</c>).</param>
    /// <returns>The logs: <c>loss</c>, <c>kind_accuracy</c>, ...</returns>
    public IReadOnlyDictionary<string, double> Evaluate(IReadOnlyDictionary<string, Tensor> x, IReadOnlyDictionary<string, Tensor>? y = null,
        int batchSize = 32, int? verbose = null, IEnumerable<Callback>? callbacks = null, Tensor? sampleWeight = null) =>
        Evaluate(Ordered(x, InputNames, "input", nameof(x)), y is null ? null : Ordered(y, OutputNames, "output", nameof(y)), batchSize, verbose,
            callbacks, sampleWeight);

    /// <summary>Computes the loss and metrics on lists of tensors in the model's input and output order.</summary>
    /// <param name="x">One input tensor per input.</param>
    /// <param name="y">One target tensor per output; null when the step needs none.</param>
    /// <param name="batchSize">Samples per batch.</param>
    /// <param name="verbose">0 silent, 1 progress bar, 2 one line.</param>
    /// <param name="callbacks">Callbacks to call.</param>
    /// <param name="sampleWeight">One weight per sample, applied to every output's loss (and the metrics, as in <c>Fit</c>).</param>
    /// <returns>The logs.</returns>
    public IReadOnlyDictionary<string, double> Evaluate(IReadOnlyList<Tensor> x, IReadOnlyList<Tensor>? y = null, int batchSize = 32,
        int? verbose = null, IEnumerable<Callback>? callbacks = null, Tensor? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!IsCompiled) throw NotCompiled("Evaluate");
        var (data, _) = TensorDataAdapter.Create(this, x, y, batchSize, shuffle: false, 0, null, sampleWeight);
        using var __ = data;
        return new Trainer(this).Evaluate(data, null, Trainer.ResolveVerbose(verbose), callbacks);
    }

    /// <summary>
    /// The model's outputs for inputs keyed by name (Keras's <c>model.predict(dict)</c>), one tensor per output, keyed by
    /// <see cref="OutputNames"/>.
    /// </summary>
    /// <param name="x">One input tensor per input name.</param>
    /// <param name="batchSize">Samples per batch.</param>
    /// <param name="verbose">0 silent, 1 progress bar.</param>
    /// <param name="callbacks">Callbacks to call.</param>
    /// <returns>Each output, <c>[N, ...]</c> on the CPU, by output name.</returns>
    /// <example><code>IReadOnlyDictionary&lt;string, Tensor&gt; predicted = shop.Predict(new Dictionary&lt;string, Tensor&gt; { ["image"] = xi, ["meta"] = xm });</code></example>
    public IReadOnlyDictionary<string, Tensor> Predict(IReadOnlyDictionary<string, Tensor> x, int batchSize = 32, int? verbose = null,
        IEnumerable<Callback>? callbacks = null)
    {
        var outputs = Predict(Ordered(x, InputNames, "input", nameof(x)), batchSize, verbose, callbacks);
        var names = OutputNames;
        return Enumerable.Range(0, outputs.Count).ToDictionary(i => names[i], i => outputs[i]);
    }

    /// <summary>The model's outputs for a list of inputs in the order of <see cref="Inputs"/>: one tensor per output.</summary>
    /// <param name="x">One input tensor per input.</param>
    /// <param name="batchSize">Samples per batch.</param>
    /// <param name="verbose">0 silent, 1 progress bar.</param>
    /// <param name="callbacks">Callbacks to call.</param>
    /// <returns>Each output, <c>[N, ...]</c> on the CPU, in the order of <see cref="Outputs"/>.</returns>
    public IReadOnlyList<Tensor> Predict(IReadOnlyList<Tensor> x, int batchSize = 32, int? verbose = null, IEnumerable<Callback>? callbacks = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var data = TensorDataAdapter.ForPrediction(this, x, batchSize);
        return new Trainer(this).Predict(data, Trainer.ResolveVerbose(verbose), callbacks);
    }

    /// <summary>The one output of a Predict, or a clear error for a model with several.</summary>
    private Tensor Single(Tensor[] outputs)
    {
        if (outputs.Length == 1) return outputs[0];
        var names = OutputNames;
        foreach (var output in outputs) output.Dispose();
        throw new InvalidOperationException(
            $"Model \"{Name}\" has {outputs.Length} outputs{NamesOf(names)}; Predict with a list or a dictionary of inputs returns one tensor per output.");
    }
}
