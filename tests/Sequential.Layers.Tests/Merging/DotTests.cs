using static TorchSharp.torch;

namespace Sequential.Layers.Tests.Merging;

/// <summary>Keras's <c>Dot</c>: its docstring example, merging_test.py's dot cases and test_dot_higher_dim.</summary>
public class DotTests
{
    private static float[] Values(Tensor t) => t.detach().cpu().contiguous().to_type(ScalarType.Float32).data<float>().ToArray();

    [Test]
    public void DocstringExample_Axes1And2()
    {
        // Keras: x = np.arange(10).reshape(1, 5, 2); y = np.arange(10, 20).reshape(1, 2, 5); Dot(axes=(1, 2))([x, y])
        var x = arange(10, dtype: ScalarType.Float32).reshape(1, 5, 2);
        var y = arange(10, 20, dtype: ScalarType.Float32).reshape(1, 2, 5);
        var z = new Dot(axes: [1, 2]).Apply([x, y]);
        Assert.That(z.shape, Is.EqualTo(new long[] { 1, 2, 2 }));
        Assert.That(Values(z), Is.EqualTo(new float[] { 260, 360, 320, 445 }));
    }

    [Test]
    public void Dot2d_GivesOneValuePerSample_AsNpTensordot()
    {
        var a = randn(2, 4, generator: new Generator(1));
        var b = randn(2, 4, generator: new Generator(2));
        var z = new Dot(axes: -1).Apply([a, b]);
        Assert.That(z.shape, Is.EqualTo(new long[] { 2, 1 }));
        Assert.That(Values(z), Is.EqualTo(Values((a * b).sum(1))).Within(1e-5));
    }

    [Test]
    public void Dot3d_LastAxes_GivesTheSampleMatrices()
    {
        var a = randn(2, 4, 5, generator: new Generator(3));
        var b = randn(2, 4, 5, generator: new Generator(4));
        var z = new Dot(axes: -1).Apply([a, b]);
        Assert.That(z.shape, Is.EqualTo(new long[] { 2, 4, 4 }));
        Assert.That(Values(z), Is.EqualTo(Values(einsum("bik,bjk->bij", a, b))).Within(1e-5));
    }

    [Test]
    public void HigherDimensions_KerasShape()
    {
        // Keras: a (1, 3, 2), b (1, 1, 2, 3), Dot(axes=(-2, -1)) -> (1, 2, 1, 2)
        var a = new Input(shape: [3, 2]);
        var b = new Input(shape: [1, 2, 3]);
        var c = new Dot(axes: [-2, -1]).Apply(a, b);
        Assert.That(c.Shape, Is.EqualTo(new long[] { 2, 1, 2 }));
        var ea = rand(1, 3, 2, generator: new Generator(5));
        var eb = rand(1, 1, 2, 3, generator: new Generator(6));
        var eager = new Dot(axes: [-2, -1]).Apply([ea, eb]);
        Assert.That(eager.shape, Is.EqualTo(new long[] { 1, 2, 1, 2 }));
        Assert.That(Values(eager), Is.EqualTo(Values(einsum("bki,bjlk->bijl", ea, eb))).Within(1e-5));
    }

    [Test]
    public void Normalize_GivesTheCosineSimilarity()
    {
        var a = tensor(new float[] { 1, 0, 3, 4 }).reshape(2, 2);
        var b = tensor(new float[] { 1, 1, 4, 3 }).reshape(2, 2);
        var z = new Dot(axes: 1, normalize: true).Apply([a, b]);
        // cos([1,0],[1,1]) = 1/sqrt(2); cos([3,4],[4,3]) = 24/25.
        Assert.That(Values(z), Is.EqualTo(new[] { 0.70710678f, 0.96f }).Within(1e-6));
    }

    [Test]
    public void BadInput_KerasMessages()
    {
        var e = Assert.Throws<ArgumentException>(() => new Dot(axes: [1, 2, 3]));
        Assert.That(e!.Message, Does.StartWith("Invalid format for argument `axes`: it should contain two elements. Received: axes=[1, 2, 3]"));
        Assert.Throws<ArgumentException>(() => new Dot(axes: 0));
        var shapes = Assert.Throws<ArgumentException>(() => new Dot(axes: 1).Apply(new Input(shape: [4]), new Input(shape: [5])));
        Assert.That(shapes!.Message, Does.StartWith("Incompatible input shapes: axis values 4 (at axis 1) != 5 (at axis 1). Full input shapes: (None, 4), (None, 5)"));
        var one = Assert.Throws<ArgumentException>(() => new Dot(axes: 1).Apply(new Input(shape: [4])));
        Assert.That(one!.Message, Does.Contain("should be called on a list of 2 inputs"));
    }

    [Test]
    public void InAGraph_CosineOfTwoEmbeddings_HasNoWeights()
    {
        var a = new Input(shape: [3], name: "a");
        var b = new Input(shape: [3], name: "b");
        var shared = new Dense(4, name: "project");
        var cosine = new Dot(axes: 1, normalize: true).Apply(shared.Apply(a), shared.Apply(b));
        var model = new Model([a, b], cosine);
        Assert.That(model.CountParams(), Is.EqualTo(16));
        var x = randn(3, 3, generator: new Generator(7));
        var same = model.Predict([x, x], verbose: 0);
        Assert.That(Values(same[0]), Is.All.EqualTo(1f).Within(1e-5), "a vector's cosine with itself is 1");
    }
}
