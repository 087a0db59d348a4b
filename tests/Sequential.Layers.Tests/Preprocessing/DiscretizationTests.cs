using static TorchSharp.torch;

namespace Sequential.Layers.Tests.Preprocessing;

public class DiscretizationTests
{
    [Test]
    public void KerasDocstring_BinBoundaries()
    {
        // Keras: Discretization(bin_boundaries=[0., 1., 2.])([[-1.5, 1.0, 3.4, .5], [0.0, 3.0, 1.3, 0.0]])
        //        -> [[0, 2, 3, 1], [1, 3, 2, 1]]
        var layer = new Discretization([0.0, 1.0, 2.0]);
        layer.EnsureBuilt([4]);
        using var y = layer.forward(tensor(new float[,] { { -1.5f, 1.0f, 3.4f, 0.5f }, { 0.0f, 3.0f, 1.3f, 0.0f } }));
        Assert.That(y.dtype, Is.EqualTo(ScalarType.Int64));
        Assert.That(y.data<long>().ToArray(), Is.EqualTo(new long[] { 0, 2, 3, 1, 1, 3, 2, 1 }));
        Assert.That(layer.OutputShape, Is.EqualTo(new long[] { 4 }));
    }

    [Test]
    public void ComparesInFloat32_AsKeras()
    {
        // 0.7f is 0.69999998 and 0.7 is 0.69999999999999996: only a float32 comparison puts 0.7f at the boundary.
        var layer = new Discretization([0.7]);
        layer.EnsureBuilt([1]);
        using var y = layer.forward(tensor(new float[,] { { 0.7f } }));
        Assert.That(y.item<long>(), Is.EqualTo(1));
    }

    [Test]
    public void FeedsCategoryEncoding()
    {
        var discretize = new Discretization([0.0]);
        var encode = new CategoryEncoding(2, outputMode: "one_hot");
        discretize.EnsureBuilt([1]);
        encode.EnsureBuilt([1]);
        using var y = encode.forward(discretize.forward(tensor(new float[,] { { -1 }, { 5 } })));
        Assert.That(y.data<float>().ToArray(), Is.EqualTo(new float[] { 1, 0, 0, 1 }));
    }

    [Test]
    public void BadBoundaries()
    {
        Assert.Throws<ArgumentException>(() => _ = new Discretization([]));
        Assert.Throws<ArgumentException>(() => _ = new Discretization([1.0, 1.0]));
        Assert.Throws<ArgumentException>(() => _ = new Discretization([2.0, 1.0]));
        Assert.Throws<ArgumentException>(() => _ = new Discretization([double.NaN]));
    }
}
