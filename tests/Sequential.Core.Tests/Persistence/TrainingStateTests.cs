using System.Buffers.Binary;
using System.Text.Json.Nodes;
using Sequential.Persistence;

namespace Sequential.Core.Tests.Persistence;

/// <summary>
/// The checks that keep a bad generator state away from libtorch, which reports one by aborting the process. These only
/// inspect bytes; nothing here hands a bad state to libtorch (BackupAndRestoreTests does, in a child process).
/// </summary>
public class TrainingStateTests
{
    /// <summary>A valid state with one field changed: <paramref name="field"/> is left, seeded or next.</summary>
    internal static byte[] StateWith(string field, long value)
    {
        byte[] state = TrainingState.CurrentRngState();
        switch (field)
        {
            case "left": BinaryPrimitives.WriteInt32LittleEndian(state.AsSpan(8), (int)value); break;
            case "seeded": BinaryPrimitives.WriteInt32LittleEndian(state.AsSpan(12), (int)value); break;
            case "next": BinaryPrimitives.WriteUInt64LittleEndian(state.AsSpan(16), (ulong)value); break;
            default: throw new ArgumentException(field);
        }
        return state;
    }

    [Test]
    public void TheGeneratorStateOfThisLibtorchHasTheCheckedLayout()
    {
        // Guards the layout RngStateProblem reads: a libtorch with another state would fail here, not in a user's Fit.
        RandomSeed.Set(3);
        using (TorchSharp.torch.rand(700)) { } // moves the Mersenne Twister position
        byte[] state = TrainingState.CurrentRngState();

        Assert.That(state, Has.Length.EqualTo(TrainingState.RngStateBytes));
        Assert.That(TrainingState.RngStateProblem(state), Is.Null);
        Assert.That(BinaryPrimitives.ReadInt32LittleEndian(state.AsSpan(12)), Is.EqualTo(1), "seeded");
        Assert.That(BinaryPrimitives.ReadInt32LittleEndian(state.AsSpan(8)), Is.InRange(1, 624), "left");
        Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(state.AsSpan(16)), Is.InRange(0UL, 624UL), "next");
    }

    [TestCase(0)]
    [TestCase(100)]
    [TestCase(5048)] // the legacy size, which this libtorch refuses
    [TestCase(5057)]
    public void AStateOfAnotherSizeIsAProblem(int length)
    {
        Assert.That(TrainingState.RngStateProblem(new byte[length]),
            Is.EqualTo($"it has {length} bytes, but libtorch's CPU generator state has 5056"));
    }

    [TestCase("left", 0)]
    [TestCase("left", 625)]
    [TestCase("left", -1)]
    [TestCase("seeded", 0)]
    [TestCase("next", 625)]
    public void AnInvalidMersenneTwisterPositionIsAProblem(string field, long value)
    {
        Assert.That(TrainingState.RngStateProblem(StateWith(field, value)), Does.StartWith("its Mersenne Twister position is invalid"));
    }

    private static JsonObject Json(Action<JsonObject>? change = null)
    {
        var json = new TrainingState(2, 3, 40, 0.01, TrainingState.CurrentRngState(), TrainingState.CurrentRngState()).ToJson();
        change?.Invoke(json);
        return json;
    }

    [Test]
    public void AValidStateRoundTrips()
    {
        var state = TrainingState.FromJson(Json(), "b.seqmodel");
        Assert.That((state.Epoch, state.Step, state.Iterations, state.LearningRate), Is.EqualTo((2, 3, 40L, 0.01)));
        Assert.That(state.RngState, Is.EqualTo(TrainingState.CurrentRngState()));
    }

    [TestCase("epoch", "-1", "epoch -1 is negative")]
    [TestCase("step", "-4", "step -4 is negative")]
    [TestCase("epoch", "null", "step 3 is given without an epoch")]
    [TestCase("iterations", "-1", "iterations -1 is negative")]
    [TestCase("learning_rate", "-0.5", "learning_rate -0.5 is not a finite non-negative number")]
    [TestCase("rng_state", "\"AAAA\"", "rng_state is not a generator state: it has 3 bytes")]
    [TestCase("epoch_start_rng_state", "\"AAAA\"", "epoch_start_rng_state is not a generator state: it has 3 bytes")]
    public void AnImpossibleValueIsRefusedNamingTheFile(string key, string value, string message)
    {
        var json = Json(j => j[key] = JsonNode.Parse(value));

        var e = Assert.Throws<InvalidDataException>(() => TrainingState.FromJson(json, "b.seqmodel"));

        Assert.That(e!.Message, Does.Contain("'b.seqmodel' has an invalid training_state.json").And.Contain(message));
    }

    [Test]
    public void AnInvalidGeneratorPositionIsRefused()
    {
        var json = Json(j => j["rng_state"] = Convert.ToBase64String(StateWith("left", 0)));
        var e = Assert.Throws<InvalidDataException>(() => TrainingState.FromJson(json, "b.seqmodel"));
        Assert.That(e!.Message, Does.Contain("rng_state is not a generator state: its Mersenne Twister position is invalid"));
    }

    [TestCase("step", "\"three\"")]
    [TestCase("epoch", "1e30")]
    [TestCase("rng_state", "\"not base64!\"")]
    public void AnUnreadableValueIsRefusedNamingTheFile(string key, string value)
    {
        var json = Json(j => j[key] = JsonNode.Parse(value));
        var e = Assert.Throws<InvalidDataException>(() => TrainingState.FromJson(json, "b.seqmodel"));
        Assert.That(e!.Message, Does.Contain("'b.seqmodel' has an unreadable training_state.json"));
    }
}
