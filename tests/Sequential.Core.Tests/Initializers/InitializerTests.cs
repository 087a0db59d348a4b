using Sequential.Initializers;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Initializers;

/// The base class: Call(shape) with Keras's compute_fans, configurations, and the string conversion layers rely on.
public class InitializerTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    [Test]
    public void ComputeFans_AsKeras()
    {
        Assert.That(Initializer.ComputeFans([]), Is.EqualTo((1L, 1L)));
        Assert.That(Initializer.ComputeFans([7]), Is.EqualTo((7L, 7L)));
        Assert.That(Initializer.ComputeFans([25, 20]), Is.EqualTo((25L, 20L)));
        Assert.That(Initializer.ComputeFans([3, 3, 16, 32]), Is.EqualTo((9L * 16, 9L * 32)));   // a Conv2D kernel, Keras layout
        var ex = Assert.Throws<ArgumentException>(() => Initializer.ComputeFans([long.MaxValue, 4, 4]));
        Assert.That(ex!.Message, Does.StartWith("The fans of shape (9223372036854775807, 4, 4) do not fit in 64 bits."));
    }

    [Test]
    public void ImplicitConversionFromAKerasName()
    {
        Initializer fromName = "he_normal";
        Assert.That(fromName, Is.TypeOf<HeNormal>());
        Assert.That(((HeNormal)fromName).Seed, Is.Null);
        Assert.Throws<ArgumentException>(() => { Initializer unknown = "xavier"; });
    }

    [Test]
    public void Call_ReturnsATensorOfTheShape()
    {
        using var scope = NewDisposeScope();
        var values = new Constant(6.0).Call([3, 3]);
        Assert.That(values.shape, Is.EqualTo(new long[] { 3, 3 }));
        Assert.That(values.data<float>().ToArray(), Is.All.EqualTo(6f));
        Assert.That(new Zeros().Call([3, 3], ScalarType.Float64).data<double>().ToArray(), Is.All.EqualTo(0.0));
        Assert.That(new Ones().Call([3, 3]).data<float>().ToArray(), Is.All.EqualTo(1f));
    }

    [Test]
    public void GetConfig_RoundTripsThroughTheRegistry_ForEveryBuiltIn()
    {
        Initializer[] all =
        [
            new Constant(6), new Zeros(), new Ones(), new Identity(gain: 2), new RandomNormal(1, 2, seed: 3), new RandomUniform(-1, 1, 4),
            new TruncatedNormal(0.5, 0.1, 5), new VarianceScaling(2, "fan_out", "uniform", 6), new GlorotUniform(7), new GlorotNormal(8),
            new HeUniform(9), new HeNormal(10), new LecunUniform(11), new LecunNormal(12), new Orthogonal(2, 13),
        ];
        foreach (var initializer in all)
        {
            var copy = InitializerRegistry.FromConfig(initializer.GetType().Name, initializer.GetConfig());
            Assert.That(copy, Is.TypeOf(initializer.GetType()));
            Assert.That(copy.GetConfig(), Is.EqualTo(initializer.GetConfig()), initializer.GetType().Name);
        }
        Assert.That(new VarianceScaling(2, "fan_out", "uniform", 6).GetConfig(), Is.EquivalentTo(new Dictionary<string, object?>
        {
            ["scale"] = 2.0, ["mode"] = "fan_out", ["distribution"] = "uniform", ["seed"] = 6,
        }));
        Assert.That(new HeNormal(seed: 1).GetConfig(), Is.EquivalentTo(new Dictionary<string, object?> { ["seed"] = 1 }));
    }
}
