using TorchSharp;
using TorchSharp.Modules;

namespace Sequential.Optimizers;

// Saving and restoring the optimizer's state (moments, step counts), used by model files and BackupAndRestore.
public abstract partial class Optimizer
{
    /// <summary>The bound optimizer's state in TorchSharp's format, or null when not bound.</summary>
    internal byte[]? SaveState()
    {
        if (_bound is not OptimizerHelper helper) return null;
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
            helper.save_state_dict(writer);
        return buffer.ToArray();
    }

    /// <summary>
    /// Replaces the state with a saved one. The state is loaded into a new TorchSharp optimizer over the same
    /// parameters, which replaces the current one only once loading succeeded: a bad state changes nothing.
    /// </summary>
    /// <param name="state">Bytes from <see cref="SaveState"/>.</param>
    /// <param name="parameters">The model's trainable parameters (those it was bound to).</param>
    /// <param name="iterations">Steps taken when the state was saved.</param>
    /// <param name="learningRate">Learning rate when the state was saved.</param>
    /// <param name="source">The file, for error messages.</param>
    internal void RestoreState(byte[] state, IEnumerable<Parameter> parameters, long iterations, double learningRate, string source)
    {
        var fresh = Create(parameters.ToList(), learningRate);
        try
        {
            using var reader = new BinaryReader(new MemoryStream(state));
            ((OptimizerHelper)fresh).load_state_dict(reader);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException or InvalidCastException or InvalidOperationException)
        {
            fresh.Dispose();
            throw new InvalidDataException($"'{source}': the saved optimizer state does not fit {Name} on this model ({e.Message}).", e);
        }
        _bound?.Dispose();
        _bound = fresh;
        Iterations = iterations;
        LearningRate = learningRate;
    }
}
