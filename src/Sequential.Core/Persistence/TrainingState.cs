using System.Buffers.Binary;
using System.Text.Json.Nodes;
using TorchSharp;

namespace Sequential.Persistence;

/// <summary>
/// Where training stood when a file was written: the next epoch and batch to run (set by BackupAndRestore),
/// the optimizer's step count and learning rate, and TorchSharp's CPU random generator state.
/// </summary>
/// <param name="Epoch">The next epoch to run (0-based), or null when unknown (a plain <c>Save</c>).</param>
/// <param name="Step">Batches of <paramref name="Epoch"/> already trained.</param>
/// <param name="Iterations">Optimizer steps taken (Keras's <c>_iterations</c>: every applied step, also those that only
/// accumulate gradients).</param>
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

    /// <summary>
    /// The size of libtorch's CPU generator state (<c>CPUGeneratorImplState</c>): a 5048-byte legacy part (initial seed,
    /// <c>left</c>, <c>seeded</c>, <c>next</c>, 624 Mersenne Twister words, the normal-sample cache) and a float with its flag.
    /// libtorch aborts the process (an uncaught C++ exception) on any other size, so it is checked here first.
    /// </summary>
    public const int RngStateBytes = 5056;

    private const int MersenneStateWords = 624;

    /// <summary>
    /// What is wrong with a saved generator state, or null when libtorch accepts it: the size libtorch expects, and the
    /// Mersenne Twister position libtorch checks (<c>seeded</c> set, 1 ≤ <c>left</c> ≤ 624, <c>next</c> ≤ 624). libtorch
    /// reports a failure of either as a C++ exception that ends the process, so nothing unchecked may reach it.
    /// </summary>
    /// <param name="state">The bytes of <c>torch.random.get_rng_state()</c>.</param>
    /// <returns>The problem in words, or null.</returns>
    public static string? RngStateProblem(ReadOnlySpan<byte> state)
    {
        if (state.Length != RngStateBytes)
            return $"it has {state.Length} bytes, but libtorch's CPU generator state has {RngStateBytes}";
        int left = BinaryPrimitives.ReadInt32LittleEndian(state[8..]);
        int seeded = BinaryPrimitives.ReadInt32LittleEndian(state[12..]);
        uint next = (uint)BinaryPrimitives.ReadUInt64LittleEndian(state[16..]); // libtorch keeps the low 32 bits
        if (seeded == 0 || left < 1 || left > MersenneStateWords || next > MersenneStateWords)
            return $"its Mersenne Twister position is invalid (seeded {seeded}, left {left}, next {next}; " +
                   $"libtorch needs seeded, 1 <= left <= {MersenneStateWords}, next <= {MersenneStateWords})";
        return null;
    }

    /// <summary>Sets the random generator's state, after checking it (see <see cref="RngStateProblem"/>).</summary>
    /// <exception cref="ArgumentException">libtorch would refuse the state (and abort the process doing so).</exception>
    public static void SetRngState(byte[] state)
    {
        if (RngStateProblem(state) is { } problem)
            throw new ArgumentException($"The random generator state cannot be restored: {problem}.", nameof(state));
        using var tensor = torch.tensor(state, torch.ScalarType.Byte);
        torch.random.set_rng_state(tensor);
    }

    /// <summary>The state of a model now.</summary>
    public static TrainingState Capture(Model model, int? epoch = null, int step = 0, byte[]? epochStartRngState = null) =>
        new(epoch, step, model.Optimizer?.SavedSteps ?? 0, model.Optimizer?.LearningRate, CurrentRngState(), epochStartRngState);

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

    /// <summary>
    /// Reads the JSON form, refusing values that could not have been saved: a negative epoch, step or iteration count, a
    /// step within an unknown epoch, a learning rate that is not a finite non-negative number, and a generator state
    /// libtorch would refuse (<see cref="RngStateProblem"/>).
    /// </summary>
    /// <exception cref="InvalidDataException">The JSON is not a valid training state; the message names <paramref name="source"/>.</exception>
    public static TrainingState FromJson(JsonObject json, string source)
    {
        TrainingState state;
        try
        {
            string? start = json["epoch_start_rng_state"]?.GetValue<string>();
            state = new TrainingState(json["epoch"]?.GetValue<int>(), json["step"]!.GetValue<int>(), json["iterations"]!.GetValue<long>(),
                json["learning_rate"]?.GetValue<double>(), Convert.FromBase64String(json["rng_state"]!.GetValue<string>()),
                start is null ? null : Convert.FromBase64String(start));
        }
        catch (Exception e) when (e is InvalidOperationException or NullReferenceException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"'{source}' has an unreadable training_state.json ({e.Message}).", e);
        }
        string? problem =
            state.Epoch < 0 ? $"epoch {state.Epoch} is negative"
            : state.Step < 0 ? $"step {state.Step} is negative"
            : state.Step > 0 && state.Epoch is null ? $"step {state.Step} is given without an epoch"
            : state.Iterations < 0 ? $"iterations {state.Iterations} is negative"
            : state.LearningRate is { } rate && !(double.IsFinite(rate) && rate >= 0) ? $"learning_rate {rate} is not a finite non-negative number"
            : RngStateProblem(state.RngState) is { } rng ? $"rng_state is not a generator state: {rng}"
            : state.EpochStartRngState is { } epochStart && RngStateProblem(epochStart) is { } startProblem
                ? $"epoch_start_rng_state is not a generator state: {startProblem}"
            : null;
        if (problem is not null)
            throw new InvalidDataException($"'{source}' has an invalid training_state.json: {problem}. The file is corrupted.");
        return state;
    }
}
