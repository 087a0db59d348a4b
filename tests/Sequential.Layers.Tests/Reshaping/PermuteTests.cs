using static TorchSharp.torch;
using static Sequential.Layers.Tests.LayerRun;

namespace Sequential.Layers.Tests;

public class PermuteTests
{
    [Test]
    public void Dims312_TransposesLikeNumpyAxes0312()
    {
        // Keras's permute_test.py: (10, 3, 5, 5) with dims (3, 1, 2) equals np.transpose(x, (0, 3, 1, 2)).
        var x = arange(10 * 3 * 5 * 4, dtype: ScalarType.Float32).view(10, 3, 5, 4);
        var y = Run(new Permute([3, 1, 2]), x);
        Assert.That(y.shape, Is.EqualTo(new long[] { 10, 4, 3, 5 }));
        var input = Values(x);
        var output = Values(y);
        for (int n = 0; n < 10; n++)
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 3; j++)
                    for (int k = 0; k < 5; k++)
                        Assert.That(output[((n * 4 + i) * 3 + j) * 5 + k], Is.EqualTo(input[((n * 3 + j) * 5 + k) * 4 + i]));
    }

    [Test]
    public void OutputShape_FollowsDims()
    {
        // Keras: Input(batch_shape=(None, 3, 5)) -> Permute((2, 1)) -> (None, 5, 3).
        Assert.That(new Permute([2, 1]).ComputeOutputShape([3, 5]), Is.EqualTo(new long[] { 5, 3 }));
        var model = new SequentialModel(new Permute([2, 1], inputShape: [10, 64]), new Dense(3));
        Assert.That(model.Layers[0].OutputShape, Is.EqualTo(new long[] { 64, 10 }));
        Assert.That(model.Layers[1].CountParams(), Is.EqualTo(10 * 3 + 3));
    }

    [TestCase(new[] { 0, 1, 2 })]
    [TestCase(new[] { 1, 4, 2 })]
    [TestCase(new[] { 1, 1 })]
    [TestCase(new int[0])]
    public void DimsNotAPermutationOf1ToN_Throw(int[] dims)
    {
        var ex = Assert.Throws<ArgumentException>(() => new Permute(dims));
        Assert.That(ex!.ParamName, Is.EqualTo("dims"));
        Assert.That(ex.Message, Does.Contain("Permute dims must be a permutation of 1..").And.Contain($"got [{string.Join(", ", dims)}]"));
    }

    [Test]
    public void InputOfAnotherRank_Throws_NamingTheLayer()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Permute([2, 1], name: "swap").EnsureBuilt([3, 2, 4]));
        Assert.That(ex!.Message, Does.Contain("\"swap\"").And.Contain("2 axes").And.Contain("(None, 3, 2, 4)"));
    }

    [Test]
    public void ConfigRoundTripsThroughSaveAndLoad()
    {
        var loaded = SavedModels.AssertRoundTrips(new SequentialModel(new Permute([3, 1, 2], inputShape: [2, 3, 4])), randn(2, 2, 3, 4));
        Assert.That(((Permute)loaded.Layers[0]).Dims, Is.EqualTo(new[] { 3, 1, 2 }));
    }
}
