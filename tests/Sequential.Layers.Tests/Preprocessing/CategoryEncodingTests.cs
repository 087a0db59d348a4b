using static TorchSharp.torch;

namespace Sequential.Layers.Tests.Preprocessing;

public class CategoryEncodingTests
{
    private static (long[] shape, float[] values) Run(CategoryEncoding layer, Tensor x)
    {
        layer.EnsureBuilt(x.shape[1..]);
        using var y = layer.forward(x);
        Assert.That(y.shape[1..], Is.EqualTo(layer.OutputShape), "ComputeOutputShape agrees with Call");
        return (y.shape, y.data<float>().ToArray());
    }

    [Test]
    public void KerasDocstring_OneHot()
    {
        // Keras: CategoryEncoding(num_tokens=4, output_mode="one_hot")([3, 2, 0, 1]) -> rows of the identity, permuted
        var (shape, values) = Run(new CategoryEncoding(4, outputMode: "one_hot"), tensor(new long[,] { { 3 }, { 2 }, { 0 }, { 1 } }));
        Assert.That(shape, Is.EqualTo(new long[] { 4, 4 }));
        Assert.That(values, Is.EqualTo(new float[] { 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0 }));
    }

    [Test]
    public void KerasDocstring_MultiHot()
    {
        // Keras: CategoryEncoding(num_tokens=4, output_mode="multi_hot")([[0, 1], [0, 0], [1, 2], [3, 1]])
        var (shape, values) = Run(new CategoryEncoding(4), tensor(new long[,] { { 0, 1 }, { 0, 0 }, { 1, 2 }, { 3, 1 } }));
        Assert.That(shape, Is.EqualTo(new long[] { 4, 4 }));
        Assert.That(values, Is.EqualTo(new float[] { 1, 1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1 }));
    }

    [Test]
    public void KerasDocstring_Count()
    {
        // Keras: output_mode="count" on [[0, 1], [0, 0], [1, 2], [3, 1]] -> [[1,1,0,0],[2,0,0,0],[0,1,1,0],[0,1,0,1]]
        var (_, values) = Run(new CategoryEncoding(4, outputMode: "count"), tensor(new float[,] { { 0, 1 }, { 0, 0 }, { 1, 2 }, { 3, 1 } }));
        Assert.That(values, Is.EqualTo(new float[] { 1, 1, 0, 0, 2, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1 }));
    }

    [Test]
    public void OneHot_SeveralIndicesPerSample_AddsAnAxis()
    {
        var (shape, _) = Run(new CategoryEncoding(3, outputMode: "one_hot"), tensor(new long[,] { { 0, 2 }, { 1, 1 } }));
        Assert.That(shape, Is.EqualTo(new long[] { 2, 2, 3 }));
    }

    [Test]
    public void BadInputs()
    {
        var layer = new CategoryEncoding(3);
        layer.EnsureBuilt([1]);
        var ex = Assert.Throws<ArgumentException>(() => layer.forward(tensor(new long[,] { { 3 } })));
        Assert.That(ex!.Message, Does.Contain("[0, 3)").And.Contain("received 3"));
        Assert.Throws<ArgumentException>(() => layer.forward(tensor(new long[,] { { -1 } })));
        Assert.Throws<ArgumentException>(() => layer.forward(tensor(new float[,] { { 0.5f } })));
        Assert.Throws<ArgumentException>(() => _ = new CategoryEncoding(3, outputMode: "binary"));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new CategoryEncoding(0));
    }
}
