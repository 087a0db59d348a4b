using Sequential.Persistence;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sequential.Optimizers;

// Saving and restoring the optimizer's state (its slot tensors), used by model files and BackupAndRestore.
// The state is a safetensors file with one tensor per slot and variable, named "{slot}/{variable index}".
public abstract partial class Optimizer
{
    /// <summary>The metadata key under which <c>SaveState</c> lists the names of the variables it was bound to.</summary>
    internal const string VariablesKey = "variables";

    /// <summary>
    /// The state as safetensors bytes, or null when the optimizer is not bound. With <paramref name="named"/> (a model's
    /// named parameters), the names of the bound variables are recorded too, in order, so that loading binds to the same
    /// ones whatever is trainable by then (a layer frozen after Compile keeps its slots).
    /// </summary>
    internal virtual byte[]? SaveState(IEnumerable<(string name, Parameter parameter)>? named = null, bool withProgress = false) =>
        SaveState(named, withProgress, null);

    /// <summary>The state as <c>SaveState</c> writes it, with more metadata entries
    /// (a wrapping optimizer's own state: LossScaleOptimizer's scale).</summary>
    internal byte[]? SaveState(IEnumerable<(string name, Parameter parameter)>? named, bool withProgress, IReadOnlyDictionary<string, string>? extra)
    {
        if (!IsBound) return null;
        var metadata = new Dictionary<string, string> { ["optimizer"] = Name };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) metadata[key] = value;
        if (withProgress)
        {
            // An optimizer other than the model's own keeps its step count and learning rate here (the model's are in the
            // training state).
            metadata[IterationsKey] = Steps.ToString(System.Globalization.CultureInfo.InvariantCulture);
            metadata[LearningRateKey] = LearningRate.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        }
        if (named is not null)
        {
            var names = new Dictionary<Parameter, string>(ReferenceEqualityComparer.Instance);
            foreach (var (name, parameter) in named) names.TryAdd(parameter, name);
            if (_variables!.All(names.ContainsKey))
                metadata[VariablesKey] = System.Text.Json.JsonSerializer.Serialize(_variables!.Select(v => names[v]));
        }
        return SafeTensors.Write(NamedSlotTensors(), metadata);
    }

    /// <summary>
    /// Binds to <paramref name="parameters"/> (keeping the names they were bound with before) and loads the saved state into the new slots. Every slot tensor must be
    /// present with the variable's shape and dtype; otherwise the previous state is kept and the error names the source.
    /// </summary>
    internal virtual void RestoreState(byte[] state, IEnumerable<Parameter> parameters, long iterations, double learningRate, string source)
    {
        var (saved, _) = SafeTensors.Read(state, $"{source} (optimizer state)");
        try
        {
            var byName = saved.ToDictionary(s => s.entry.Name, s => s.tensor);
            // Bind must not dispose the current state before the new one is known to fit: take it out first.
            var previous = (Variables: _variables, Slots: _slots.ToList(), Steps);
            _variables = null;
            _slots.Clear();
            try
            {
                Bind(parameters.Select(p => (_names.GetValueOrDefault(p), p)));
                var expected = NamedSlotTensors().ToList();
                string? problem = null;
                foreach (var (name, tensor) in expected)
                {
                    if (!byName.TryGetValue(name, out var value)) problem = $"it lacks {name}";
                    else if (!value.shape.SequenceEqual(tensor.shape) || value.dtype != tensor.dtype)
                        problem = $"{name} has shape {Layers.Shapes.Format(value.shape)} {value.dtype}, the model needs {Layers.Shapes.Format(tensor.shape)} {tensor.dtype}";
                    if (problem is not null) break;
                }
                problem ??= byName.Keys.Except(expected.Select(e => e.name)).Select(n => $"it has {n}, which {Name} does not use").FirstOrDefault();
                if (problem is not null)
                    throw new InvalidDataException($"'{source}': the saved optimizer state does not fit {Name} on this model: {problem}.");
                using (no_grad())
                    foreach (var (name, tensor) in expected) tensor.copy_(byName[name]);
            }
            catch
            {
                // Put the previous state back: bind again (so a subclass's slot fields point at live tensors) and copy it in.
                if (previous.Variables is null) DisposeState();
                else
                {
                    Bind(previous.Variables.Select(p => (_names.GetValueOrDefault(p), p)));
                    using (no_grad())
                        foreach (var ((_, tensors), (_, old)) in _slots.Zip(previous.Slots))
                            foreach (var (tensor, value) in tensors.Zip(old)) tensor.copy_(value);
                    Steps = previous.Steps;
                }
                throw;
            }
            finally
            {
                foreach (var (_, tensors) in previous.Slots)
                    foreach (var t in tensors) t.Dispose();
            }
        }
        finally
        {
            foreach (var (_, tensor) in saved) tensor.Dispose();
        }
        Steps = iterations;
        // A schedule continues from the restored step count; its value is not settable.
        if (_schedule is null) LearningRate = learningRate;
    }

    private const string IterationsKey = "iterations";
    private const string LearningRateKey = "learning_rate";

    /// <summary>The step count and learning rate saved with a state by <c>SaveState(withProgress: true)</c>.</summary>
    /// <exception cref="InvalidDataException">They are present but not numbers (a negative count, a non-finite rate).</exception>
    internal static (long Iterations, double? LearningRate) SavedProgress(byte[] state, string source)
    {
        var metadata = SafeTensors.ReadHeader(state, source).Metadata;
        long iterations = 0;
        if (metadata.TryGetValue(IterationsKey, out var text) &&
            (!long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out iterations)))
            throw new InvalidDataException($"'{source}': the saved step count '{text}' is not a non-negative integer. The file is corrupted.");
        double? learningRate = null;
        if (metadata.TryGetValue(LearningRateKey, out var rate))
        {
            if (!double.TryParse(rate, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double value) ||
                !double.IsFinite(value) || value < 0)
                throw new InvalidDataException($"'{source}': the saved learning rate '{rate}' is not a non-negative number. The file is corrupted.");
            learningRate = value;
        }
        return (iterations, learningRate);
    }

    /// <summary>Every state tensor with its saved name, <c>{slot}/{variable index}</c>.</summary>
    private IEnumerable<(string name, Tensor tensor)> NamedSlotTensors() =>
        _slots.SelectMany(s => s.Tensors.Select((t, i) => ($"{s.Name}/{i}", t)));
}
