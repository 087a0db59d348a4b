using static TorchSharp.torch;

namespace Sequential.Layers.Tests;

/// <summary>Keras's layer_normalization_test.py.</summary>
public class LayerNormalizationTests
{
    private static float[] Values(Tensor t) => t.detach().cpu().contiguous().data<float>().ToArray();

    [Test]
    public void Output_KerasValues()
    {
        // Keras: LayerNormalization(beta_initializer="ones", gamma_initializer="ones")(np.arange(5)[None, :])
        var layer = new LayerNormalization(betaInitializer: "ones", gammaInitializer: "ones");
        var output = layer.Apply(arange(5, dtype: ScalarType.Float32).unsqueeze(0));
        Assert.That(Values(output), Is.EqualTo(new[] { -0.41386f, 0.29307f, 1.0f, 1.70693f, 2.41386f }).Within(1e-5));
    }

    [Test]
    public void OutputWithRmsScaling_KerasValues()
    {
        var layer = new LayerNormalization(rmsScaling: true, gammaInitializer: "ones");
        var output = layer.Apply(arange(5, dtype: ScalarType.Float32).unsqueeze(0));
        Assert.That(Values(output), Is.EqualTo(new[] { 0.0f, 0.70693f, 1.41386f, 2.12079f, 2.82772f }).Within(1e-5));
        Assert.That(layer.Weights, Has.Count.EqualTo(1), "rms_scaling: gamma only");
    }

    [Test]
    public void Basics_WeightCountsAndShapes_AsKeras()
    {
        var plain = new LayerNormalization();
        plain.Apply(ones(3, 4, 2));
        Assert.That(plain.Weights.Select(w => w.shape), Is.EqualTo(new[] { new long[] { 2 }, new long[] { 2 } }));
        var none = new LayerNormalization(scale: false, center: false);
        none.Apply(ones(3, 3));
        Assert.That(none.Weights, Is.Empty);
        // axis=(-3, -2, -1) on (2, 8, 8, 3): gamma and beta of shape (8, 8, 3).
        var three = new LayerNormalization(axis: [-3, -2, -1]);
        var y = three.Apply(randn(2, 8, 8, 3));
        Assert.That(y.shape, Is.EqualTo(new long[] { 2, 8, 8, 3 }));
        Assert.That(three.Weights[0].shape, Is.EqualTo(new long[] { 8, 8, 3 }));
        Assert.That(three.CountParams(), Is.EqualTo(2 * 192));
    }

    [Test]
    public void Correctness_NormalizedOutputHasMeanZeroAndStdOne()
    {
        var layer = new LayerNormalization();
        var x = randn(new long[] { 1000, 2, 2, 2 }, generator: new Generator(3)) * 10 + 5;
        var y = layer.Apply(x);
        Assert.That(y.mean().item<float>(), Is.EqualTo(0f).Within(0.1));
        Assert.That(y.std().item<float>(), Is.EqualTo(1f).Within(0.1));
    }

    [Test]
    public void UnsortedAxes_EqualSortedAxes_AndAMiddleAxisWorks()
    {
        var x = randn(new long[] { 2, 3, 4 }, generator: new Generator(4));
        var sorted = new LayerNormalization(axis: [-2, -1]).Apply(x);
        var unsorted = new LayerNormalization(axis: [-1, -2]).Apply(x);
        Assert.That(Values(unsorted), Is.EqualTo(Values(sorted)).Within(1e-6));
        // By hand over axis 1 (the middle one, not trailing): mean and population variance over the 3 values.
        var middle = new LayerNormalization(axis: [1]).Apply(x);
        var mean = x.mean([1], keepdim: true);
        var expected = (x - mean) / (x.var([1], unbiased: false, keepdim: true) + 1e-3).sqrt();
        Assert.That(Values(middle), Is.EqualTo(Values(expected)).Within(1e-5));
    }

    [Test]
    public void BadAxes_KerasMessages()
    {
        foreach (int axis in new[] { 2, 99, -3, -99 })
        {
            var e = Assert.Throws<ArgumentException>(() => new LayerNormalization(axis: [axis]).Apply(zeros(2, 4)));
            Assert.That(e!.Message, Does.Contain("is out of bounds"));
        }
        var duplicate = Assert.Throws<ArgumentException>(() => new LayerNormalization(axis: [-1, 1]).Apply(zeros(2, 4)));
        Assert.That(duplicate!.Message, Does.StartWith("Duplicate axes are not allowed. Received: axis=[-1, 1]"));
        Assert.Throws<ArgumentException>(() => new LayerNormalization(axis: [0]));
    }

    [Test]
    public void SavesAndLoads_WithItsAxesAndWeights()
    {
        var model = new SequentialModel(new Dense(6, inputShape: [4]), new LayerNormalization(axis: [-1], epsilon: 1e-6), new Dense(2));
        model.Compile(optimizer: "adam", loss: "mse", device: "cpu");
        var x = randn(8, 4, generator: new Generator(5));
        model.Fit(x, randn(8, 2, generator: new Generator(6)), epochs: 2, verbose: 0);
        string path = Path.Combine(Path.GetTempPath(), $"seq-layernorm-{Guid.NewGuid():N}.seqmodel");
        try
        {
            model.Save(path);
            var loaded = Model.Load(path);
            Assert.That(((LayerNormalization)loaded.Layers[1]).Epsilon, Is.EqualTo(1e-6));
            Assert.That(Values(loaded.Predict(x, verbose: 0)), Is.EqualTo(Values(model.Predict(x, verbose: 0))));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
