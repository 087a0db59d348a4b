using System.Text.Json.Nodes;
using TorchSharp;

namespace Sequential.Persistence;

/// <summary>
/// Where training stood when a file was written: the next epoch and batch to run (set by BackupAndRestore),
/// the optimizer's step count and learning rate, and TorchSharp's CPU random generator state.
/// </summary>
/// <param name="Epoch">The next epoch to run (0-based), or null when unknown (a plain <c>Save</c>).</param>
/// <param name="Step">Batches of <paramref name="Epoch"/> already trained.</param>
/// <param name="Iterations">Optimizer steps taken.</param>
/// <param name="LearningRate">The optimizer's current learning rate, or null when not compiled.</param>
/// <param name="RngState">The generator state at the moment of saving.</param>
/// <param name="EpochStartRngState">The generator state at the start of <paramref name="Epoch"/> (mid-epoch backups: it
/// redraws the same shuffle order).</param>
internal sealed record TrainingState(int? Epoch, int Step, long Iterations, double? LearningRate, byte[] RngState, byte[]? EpochStartRngState)
{
    /// <summary>Reads the random generator's state.</summary>
    public static byte[] CurrentRngState()
    {
        using var state = torch.random.get_rng_state();
        return state.bytes.ToArray();
    }

    /// <summary>Sets the random generator's state.</summary>
    public static void SetRngState(byte[] state)
    {
        using var tensor = torch.tensor(state, torch.ScalarType.Byte);
        torch.random.set_rng_state(tensor);
    }

    /// <summary>The state of a model now.</summary>
    public static TrainingState Capture(Model model, int? epoch = null, int step = 0, byte[]? epochStartRngState = null) =>
        new(epoch, step, model.Optimizer?.Iterations ?? 0, model.Optimizer?.LearningRate, CurrentRngState(), epochStartRngState);

    /// <summary>The JSON form stored in <c>training_state.json</c>.</summary>
    public JsonObject ToJson() => new()
    {
        ["epoch"] = Epoch,
        ["step"] = Step,
        ["iterations"] = Iterations,
        ["learning_rate"] = LearningRate,
        ["rng_state"] = Convert.ToBase64String(RngState),
        ["epoch_start_rng_state"] = EpochStartRngState is null ? null : Convert.ToBase64String(EpochStartRngState),
    };

    /// <summary>Reads the JSON form.</summary>
    public static TrainingState FromJson(JsonObject json, string source)
    {
        try
        {
            string? start = json["epoch_start_rng_state"]?.GetValue<string>();
            return new TrainingState(json["epoch"]?.GetValue<int>(), json["step"]!.GetValue<int>(), json["iterations"]!.GetValue<long>(),
                json["learning_rate"]?.GetValue<double>(), Convert.FromBase64String(json["rng_state"]!.GetValue<string>()),
                start is null ? null : Convert.FromBase64String(start));
        }
        catch (Exception e) when (e is InvalidOperationException or NullReferenceException or FormatException)
        {
            throw new InvalidDataException($"'{source}' has an unreadable training_state.json ({e.Message}).", e);
        }
    }
}
