using Microsoft.Data.Analysis;
using static TorchSharp.torch;

namespace Sequential.Layers.Tests.Preprocessing;

public class NormalizationTests
{
    // a = [1, 2, 3]: mean 2, population variance (1 + 0 + 1) / 3 = 2/3
    // b = [10, 10, 40]: mean 20, population variance (100 + 100 + 400) / 3 = 200
    // c = [5, 5, 5]: mean 5, variance 0 -> divided by epsilon, output 0
    private static DataFrame ThreeRows() => new(
        new DoubleDataFrameColumn("a", [1.0, 2.0, 3.0]),
        new Int32DataFrameColumn("b", [10, 10, 40]),
        new SingleDataFrameColumn("c", [5f, 5f, 5f]),
        new Int32DataFrameColumn("target", [0, 1, 0]));

    private static float[] Run(Layer layer, float[,] x)
    {
        using var input = tensor(x);
        using var output = layer.forward(input);
        return output.data<float>().ToArray();
    }

    [Test]
    public void AdaptOnDataFrame_MatchesHandComputedMeanAndPopulationVariance()
    {
        var norm = new Normalization();
        norm.Adapt(ThreeRows(), ["a", "b", "c"]);
        Assert.That(norm.Mean, Is.EqualTo(new[] { 2.0, 20.0, 5.0 }).Within(1e-5));
        Assert.That(norm.Variance, Is.EqualTo(new[] { 2.0 / 3, 200.0, 0.0 }).Within(1e-4));
        var y = Run(norm, new float[,] { { 3, 40, 5 } });
        Assert.That(y, Is.EqualTo(new[] { 1 / MathF.Sqrt(2f / 3), 20 / MathF.Sqrt(200), 0f }).Within(1e-5));
    }

    [Test]
    public void AdaptOnTensor_EqualsAdaptOnTheSameFrame()
    {
        var fromFrame = new Normalization();
        fromFrame.Adapt(ThreeRows(), ["a", "b"]);
        var fromTensor = new Normalization();
        fromTensor.Adapt(tensor(new float[,] { { 1, 10 }, { 2, 10 }, { 3, 40 } }));
        Assert.That(fromTensor.Mean, Is.EqualTo(fromFrame.Mean));
        Assert.That(fromTensor.Variance, Is.EqualTo(fromFrame.Variance));
    }

    [Test]
    public void KerasDocstring_AxisMinusOne()
    {
        // Keras: adapt [[0,7,4],[2,9,6],[0,7,4],[2,9,6]], layer([[0,7,4]]) -> [-1, -1, -1]
        var norm = new Normalization(axis: -1);
        norm.Adapt(tensor(new float[,] { { 0, 7, 4 }, { 2, 9, 6 }, { 0, 7, 4 }, { 2, 9, 6 } }));
        Assert.That(Run(norm, new float[,] { { 0, 7, 4 } }), Is.EqualTo(new[] { -1f, -1f, -1f }).Within(1e-6));
    }

    [Test]
    public void KerasDocstring_Invert()
    {
        // Keras: Normalization(axis=-1, invert=True) adapted as above, layer([[1,2,3]]) -> [2, 10, 8]
        var norm = new Normalization(axis: -1, invert: true);
        norm.Adapt(tensor(new float[,] { { 0, 7, 4 }, { 2, 9, 6 }, { 0, 7, 4 }, { 2, 9, 6 } }));
        Assert.That(Run(norm, new float[,] { { 1, 2, 3 } }), Is.EqualTo(new[] { 2f, 10f, 8f }).Within(1e-5));
    }

    [Test]
    public void KerasDocstring_FixedMeanAndVariance_HaveNoParameters()
    {
        // Keras: Normalization(mean=3., variance=2.)([[1.],[2.],[3.]]) -> [[-1.4142135], [-0.70710677], [0.]]
        var norm = new Normalization(mean: [3.0], variance: [2.0]);
        norm.EnsureBuilt([1]);
        Assert.That(Run(norm, new float[,] { { 1 }, { 2 }, { 3 } }), Is.EqualTo(new[] { -1.4142135f, -0.70710677f, 0f }).Within(1e-6));
        Assert.That(norm.CountParams(), Is.EqualTo(0));
    }

    [Test]
    public void AxisNone_UsesOneMeanOverEverything()
    {
        // Keras: Normalization(axis=None) adapted on [1..5]: mean 3, variance 2; layer([1, 2, 3]) -> [-1.4142135, -0.70710677, 0]
        var norm = new Normalization(axis: null);
        norm.Adapt(tensor(new float[,] { { 1 }, { 2 }, { 3 }, { 4 }, { 5 } }));
        Assert.That(norm.Mean, Is.EqualTo(new[] { 3.0 }));
        Assert.That(norm.Variance, Is.EqualTo(new[] { 2.0 }));
        Assert.That(norm.CountParams(), Is.EqualTo(3));
    }

    [Test]
    public void Summary_CountsMeanVarianceAndCount_AsKeras()
    {
        // Keras: Normalization on 3 features shows 7 params (mean 3 + variance 3 + count 1), all non-trainable.
        var norm = new Normalization();
        norm.Adapt(ThreeRows(), ["a", "b", "c"]);
        var model = new SequentialModel(norm, new Dense(2));
        model.Build([3]);
        Assert.That(norm.CountParams(), Is.EqualTo(7));
        Assert.That(norm.CountTrainableParams(), Is.EqualTo(0));
        var summary = model.Summary();
        Assert.That(summary, Does.Contain("normalization (Normalization)").And.Contain("Non-trainable params: 7"));
        Assert.That(model.state_dict().Keys, Does.Contain("normalization.mean").And.Contain("normalization.variance").And.Contain("normalization.count"));
    }

    [Test]
    public void NotAdapted_Throws()
    {
        var norm = new Normalization();
        norm.EnsureBuilt([2]);
        var ex = Assert.Throws<InvalidOperationException>(() => Run(norm, new float[,] { { 1, 2 } }));
        Assert.That(ex!.Message, Does.Contain("Adapt"));
    }

    [Test]
    public void LoadedStateWithCount_CountsAsAdapted()
    {
        var trained = new Normalization();
        trained.Adapt(tensor(new float[,] { { 0 }, { 2 } }));
        var fresh = new Normalization();
        fresh.EnsureBuilt([1]);
        fresh.load_state_dict(trained.state_dict());
        Assert.That(Run(fresh, new float[,] { { 2 } }), Is.EqualTo(new[] { 1f }).Within(1e-6));
    }

    [Test]
    public void BadInputs()
    {
        Assert.Throws<ArgumentException>(() => _ = new Normalization(mean: [1.0]));
        Assert.Throws<ArgumentException>(() => _ = new Normalization(mean: [1.0, 2.0], variance: [1.0]));
        Assert.Throws<ArgumentException>(() => _ = new Normalization(mean: [1.0], variance: [-1.0]));
        Assert.Throws<ArgumentException>(() => new Normalization().Adapt(tensor(new float[] { 1, 2 })));
        Assert.Throws<ArgumentException>(() => new Normalization().Adapt(tensor(new float[,] { { 1 }, { float.NaN } })));
        var withString = ThreeRows();
        withString.Columns.Add(new StringDataFrameColumn("s", ["x", "y", "z"]));
        var ex = Assert.Throws<ArgumentException>(() => new Normalization().Adapt(withString));
        Assert.That(ex!.Message, Does.Contain("\"s\""));
        var adapted = new Normalization();
        adapted.Adapt(tensor(new float[,] { { 1, 2 } }));
        Assert.Throws<ArgumentException>(() => adapted.Adapt(tensor(new float[,] { { 1, 2, 3 } })));
        Assert.Throws<InvalidOperationException>(() => new Normalization(mean: [0.0], variance: [1.0]).Adapt(tensor(new float[,] { { 1 } })));
    }
}
