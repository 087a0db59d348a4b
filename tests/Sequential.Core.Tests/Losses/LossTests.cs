using Sequential.Losses;
using TorchSharp;
using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Losses;

/// <summary>
/// The Loss contract (Keras's keras/src/losses/loss.py): a loss writes ComputeValues, the base applies sample weights
/// and the reduction. Expected values are Keras's own (losses/loss_test.py, losses/losses_test.py) with their tolerances.
/// </summary>
public class LossTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    /// Keras's ExampleLoss: one method, per-element squared error, no mean.
    private sealed class SquaredError(string? reduction = "sum_over_batch_size") : Loss("squared_error", reduction)
    {
        public override Tensor ComputeValues(Tensor yTrue, Tensor yPred) => (yTrue - yPred).square();
    }

    private static Tensor KerasYTrue() => F([1, 0, 1, 0], 4);

    private static Tensor KerasYPred() => F([0.1f, 0.2f, 0.3f, 0.4f], 4);

    [Test]
    public void Reductions_KerasLossTest()
    {
        // loss_test.py test_reduction: (y - p)^2 = [0.81, 0.04, 0.49, 0.16], sum 1.5, over the batch size 0.375
        using var scope = NewDisposeScope();
        var none = new SquaredError(reduction: "none").Call(KerasYTrue(), KerasYPred());
        Assert.That(none.dtype, Is.EqualTo(ScalarType.Float32));
        Assert.That(none.data<float>().ToArray(), Is.EqualTo(new[] { 0.81f, 0.04f, 0.49f, 0.16f }).Within(1e-6));
        Assert.That(new SquaredError(reduction: null).Call(KerasYTrue(), KerasYPred()).shape, Is.EqualTo(new long[] { 4 }));
        Assert.That(Value(new SquaredError(reduction: "sum").Call(KerasYTrue(), KerasYPred())), Is.EqualTo(1.5).Within(1e-6));
        Assert.That(Value(new SquaredError().Call(KerasYTrue(), KerasYPred())), Is.EqualTo(0.375).Within(1e-6));
        Assert.That(Value(new SquaredError(reduction: "mean").Call(KerasYTrue(), KerasYPred())), Is.EqualTo(0.375).Within(1e-6));
        Assert.That(Value(new SquaredError(reduction: "mean_with_sample_weight").Call(KerasYTrue(), KerasYPred())),
            Is.EqualTo(0.375).Within(1e-6));
    }

    [Test]
    public void SampleWeight_KerasLossTest()
    {
        // loss_test.py test_sample_weight: sum(w * (y - p)^2) / 4 = (0.324 + 0.012 + 0.098 + 0.016) / 4 = 0.1125; all-zero weights give 0
        using var scope = NewDisposeScope();
        var loss = new SquaredError();
        Assert.That(Value(loss.Call(KerasYTrue(), KerasYPred(), F([0.4f, 0.3f, 0.2f, 0.1f], 4))), Is.EqualTo(0.1125).Within(1e-6));
        Assert.That(Value(loss.Call(KerasYTrue(), KerasYPred(), F([0, 0, 0, 0], 4))), Is.EqualTo(0.0));
    }

    [Test]
    public void MixedDtypes_KerasLossTest()
    {
        // loss_test.py test_mixed_dtypes: float64 weights on float32 values give a float32 loss
        using var scope = NewDisposeScope();
        var w = tensor(new[] { 0.4, 0.3, 0.2, 0.1 });
        var loss = new SquaredError().Call(KerasYTrue(), KerasYPred(), w);
        Assert.That(loss.dtype, Is.EqualTo(ScalarType.Float32));
        Assert.That(Value(loss), Is.EqualTo(0.1125).Within(1e-6));
    }

    [Test]
    public void WeightsOfShapeNBy1_MeetValuesOfShapeN()
    {
        // loss_test.py test_rank_adjustment (sample_weight case, without a mask): [4, 1] weights count as [4]
        using var scope = NewDisposeScope();
        var w = F([0.4f, 0.3f, 0.2f, 0.1f], 4, 1);
        var none = new SquaredError(reduction: "none").Call(KerasYTrue(), KerasYPred(), w);
        Assert.That(none.shape, Is.EqualTo(new long[] { 4 }));
        Assert.That(Value(new SquaredError().Call(KerasYTrue(), KerasYPred(), w)), Is.EqualTo(0.1125).Within(1e-6));
    }

    // losses_test.py MeanSquaredErrorTest / MeanAbsoluteErrorTest: y [[1,9,2],[-5,-2,6]], p [[4,8,12],[8,1,3]].
    // Squared errors per sample 110/3 and 187/3; absolute errors 14/3 and 19/3.
    private static Tensor Y23() => F([1, 9, 2, -5, -2, 6], 2, 3);

    private static Tensor P23() => F([4, 8, 12, 8, 1, 3], 2, 3);

    [Test]
    public void MeanSquaredError_KerasReductionsAndWeights()
    {
        using var scope = NewDisposeScope();
        Assert.That(Value(new MeanSquaredError().Call(Y23(), P23())), Is.EqualTo(49.5).Within(1e-4));
        Assert.That(Value(new MeanSquaredError().Call(Y23(), P23(), tensor(2.3f))), Is.EqualTo(113.85).Within(1e-4));
        Assert.That(Value(new MeanSquaredError().Call(Y23(), P23(), F([1.2f, 3.4f], 2, 1))), Is.EqualTo(767.8 / 6).Within(1e-4));
        Assert.That(Value(new MeanSquaredError().Call(Y23(), P23(), tensor(0f))), Is.EqualTo(0.0));
        var none = new MeanSquaredError(reduction: "none").Call(Y23(), P23(), tensor(2.3f));
        Assert.That(none.data<float>().ToArray(), Is.EqualTo(new[] { 84.3333f, 143.3666f }).Within(1e-3));
        Assert.That(Value(new MeanSquaredError(reduction: "sum").Call(Y23(), P23(), tensor(2.3f))), Is.EqualTo(227.69998).Within(1e-3));
        Assert.That(Value(new MeanSquaredError(reduction: "mean_with_sample_weight").Call(Y23(), P23(), F([1.2f, 3.4f], 2, 1))),
            Is.EqualTo((110.0 / 3 * 1.2 + 187.0 / 3 * 3.4) / (1.2 + 3.4)).Within(1e-4));
    }

    [Test]
    public void MeanSquaredError_TimestepWeights_Keras()
    {
        // losses_test.py test_timestep_weighted: y and p [2, 3, 1] give values [2, 3]; weights [2, 3] -> 97.833336
        using var scope = NewDisposeScope();
        var y = F([1, 9, 2, -5, -2, 6], 2, 3, 1);
        var p = F([4, 8, 12, 8, 1, 3], 2, 3, 1);
        var w = F([3, 6, 5, 0, 4, 2], 2, 3);
        Assert.That(new MeanSquaredError(reduction: "none").Call(y, p).shape, Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(Value(new MeanSquaredError().Call(y, p, w)), Is.EqualTo(97.833336).Within(1e-4));
        Assert.That(Value(new MeanAbsoluteError().Call(y, p, w)), Is.EqualTo(13.833333).Within(1e-4));
    }

    [Test]
    public void OneWeightPerSample_WeightsEveryTimestepOfThatSample()
    {
        // values [2, 3]: [[9, 1, 100], [169, 9, 9]]; weights [2, 0] -> (2 * 110 + 0) / 6
        using var scope = NewDisposeScope();
        var y = F([1, 9, 2, -5, -2, 6], 2, 3, 1);
        var p = F([4, 8, 12, 8, 1, 3], 2, 3, 1);
        Assert.That(Value(new MeanSquaredError().Call(y, p, F([2, 0], 2))), Is.EqualTo(220.0 / 6).Within(1e-4));
    }

    [Test]
    public void MeanAbsoluteError_KerasReductionsAndWeights()
    {
        using var scope = NewDisposeScope();
        Assert.That(Value(new MeanAbsoluteError().Call(Y23(), P23())), Is.EqualTo(5.5).Within(1e-4));
        Assert.That(Value(new MeanAbsoluteError().Call(Y23(), P23(), tensor(2.3f))), Is.EqualTo(12.65).Within(1e-4));
        Assert.That(Value(new MeanAbsoluteError().Call(Y23(), P23(), F([1.2f, 3.4f], 2, 1))), Is.EqualTo(81.4 / 6).Within(1e-4));
        var none = new MeanAbsoluteError(reduction: "none").Call(Y23(), P23(), tensor(2.3f));
        Assert.That(none.data<float>().ToArray(), Is.EqualTo(new[] { 10.7333f, 14.5666f }).Within(1e-3));
        Assert.That(Value(new MeanAbsoluteError(reduction: "sum").Call(Y23(), P23(), tensor(2.3f))), Is.EqualTo(25.29999).Within(1e-3));
        Assert.That(Value(new MeanAbsoluteError(reduction: "mean_with_sample_weight").Call(Y23(), P23(), F([1.2f, 3.4f], 2, 1))),
            Is.EqualTo((14.0 / 3 * 1.2 + 19.0 / 3 * 3.4) / (1.2 + 3.4)).Within(1e-4));
    }

    [Test]
    public void Huber_KerasWeights()
    {
        // losses_test.py HuberLossTest: y [[1,0,1],[1,0,0]], p [[0.9,0.2,0.2],[0.8,0.4,0.6]], |x| <= 1 everywhere:
        // 0.5 x^2 = [[0.005, 0.02, 0.32], [0.02, 0.08, 0.18]], sum 0.625 over 6 values
        using var scope = NewDisposeScope();
        var y = F([1, 0, 1, 1, 0, 0], 2, 3);
        var p = F([0.9f, 0.2f, 0.2f, 0.8f, 0.4f, 0.6f], 2, 3);
        Assert.That(Value(new Huber().Call(y, p)), Is.EqualTo(0.625 / 6).Within(1e-3));
        Assert.That(Value(new Huber().Call(y, p, tensor(2.3f))), Is.EqualTo(2.3 * 0.625 / 6).Within(1e-3));
        Assert.That(Value(new Huber().Call(y, p, F([1.2f, 3.4f], 2, 1))), Is.EqualTo((1.2 * 0.345 + 3.4 * 0.28) / 6).Within(1e-3));
        // test_timestep_weighted: [2, 3, 1] inputs, [2, 3, 1] weights [3, 6, 5, 0, 4, 2]
        var weighted = 3 * 0.005 + 6 * 0.02 + 5 * 0.32 + 0 * 0.02 + 4 * 0.08 + 2 * 0.18;
        Assert.That(Value(new Huber().Call(y.reshape(2, 3, 1), p.reshape(2, 3, 1), F([3, 6, 5, 0, 4, 2], 2, 3, 1))),
            Is.EqualTo(weighted / 6).Within(1e-3));
    }

    [Test]
    public void BinaryCrossentropy_KerasWeights()
    {
        using var scope = NewDisposeScope();
        // losses_test.py test_scalar_weighted / test_sample_weighted (probabilities; float32 clipping as Keras's)
        var y = F([1, 0, 1, 0], 2, 2);
        var p = F([1, 1, 1, 0], 2, 2);
        Assert.That(Value(new BinaryCrossentropy().Call(y, p, tensor(2.3f))), Is.EqualTo(9.1668).Within(1e-3));
        Assert.That(Value(new BinaryCrossentropy().Call(y, p, F([1.2f, 3.4f], 2, 1))), Is.EqualTo(4.7827).Within(1e-3));
        // with logits: per-sample [0, 6.666]; weights [4, 3] -> 10.0; scalar 2.3 -> 7.666
        var yl = F([1, 0, 1, 0, 1, 1], 2, 3);
        var logits = F([10, -10, 10, 10, 10, -10], 2, 3);
        Assert.That(Value(new BinaryCrossentropy(fromLogits: true).Call(yl, logits, F([4, 3], 2))), Is.EqualTo(10.0).Within(1e-3));
        Assert.That(Value(new BinaryCrossentropy(fromLogits: true).Call(yl, logits, tensor(2.3f))), Is.EqualTo(7.666).Within(1e-3));
        var none = new BinaryCrossentropy(fromLogits: true, reduction: "none").Call(yl, logits);
        Assert.That(none.data<float>().ToArray(), Is.EqualTo(new[] { 0f, 6.666f }).Within(1e-3));
    }

    [Test]
    public void CategoricalCrossentropies_KerasWeights()
    {
        // losses_test.py CategoricalCrossentropyTest and SparseCategoricalCrossentropyTest share these values
        using var scope = NewDisposeScope();
        var oneHot = F([1, 0, 0, 0, 1, 0, 0, 0, 1], 3, 3);
        var labels = L([0, 1, 2], 3, 1);
        var p = F([0.9f, 0.05f, 0.05f, 0.5f, 0.89f, 0.6f, 0.05f, 0.01f, 0.94f], 3, 3);
        var logits = F([8, 1, 1, 0, 9, 1, 2, 3, 5], 3, 3);
        var w = F([1.2f, 3.4f, 5.6f], 3, 1);
        foreach (var (loss, logitsLoss, y) in new (Loss, Loss, Tensor)[]
                 {
                     (new CategoricalCrossentropy(), new CategoricalCrossentropy(fromLogits: true), oneHot),
                     (new SparseCategoricalCrossentropy(), new SparseCategoricalCrossentropy(fromLogits: true), labels),
                 })
        {
            Assert.That(Value(loss.Call(y, p)), Is.EqualTo(0.3239).Within(1e-3), loss.Name);
            Assert.That(Value(loss.Call(y, p, tensor(2.3f))), Is.EqualTo(0.7449).Within(1e-3), loss.Name);
            Assert.That(Value(loss.Call(y, p, w)), Is.EqualTo(1.0696).Within(1e-3), loss.Name);
            Assert.That(Value(logitsLoss.Call(y, logits)), Is.EqualTo(0.0573).Within(1e-3), loss.Name);
            Assert.That(Value(logitsLoss.Call(y, logits, tensor(2.3f))), Is.EqualTo(0.1317).Within(1e-3), loss.Name);
            Assert.That(Value(logitsLoss.Call(y, logits, w)), Is.EqualTo(0.31829).Within(1e-3), loss.Name);
            Assert.That(logitsLoss.ComputeValues(y, logits).data<float>().ToArray(),
                Is.EqualTo(new[] { 0.001822f, 0.000459f, 0.169846f }).Within(1e-5), loss.Name);
        }
    }

    [Test]
    public void SparseLabelsWithATimeAxis_GiveOneValuePerTimestep()
    {
        using var scope = NewDisposeScope();
        var loss = new SparseCategoricalCrossentropy(fromLogits: true);
        var yPred = F([0.2f, 0.7f, 0.1f, 0.6f, 0.3f, 0.1f, 0.25f, 0.25f], 2, 2, 2);
        var yTrue = L([1, 0, 0, 1], 2, 2);
        var values = loss.ComputeValues(yTrue, yPred);
        Assert.That(values.shape, Is.EqualTo(new long[] { 2, 2 }));
        Assert.That(Value(loss.Call(yTrue, yPred)), Is.EqualTo(Value(values.mean())).Within(1e-6));
        // one weight per sample: (2 * (v00 + v01) + 0) / 4
        Assert.That(Value(loss.Call(yTrue, yPred, F([2, 0], 2))), Is.EqualTo(Value(values[0].sum()) * 2 / 4).Within(1e-6));
    }

    [Test]
    public void EveryBuiltInLoss_TakesAReduction()
    {
        using var scope = NewDisposeScope();
        var p = F([0.2f, 0.7f, 0.1f, 0.6f, 0.3f, 0.1f], 2, 3);
        var oneHot = F([0, 1, 0, 1, 0, 0], 2, 3);
        foreach (var (loss, y) in new (Loss, Tensor)[]
                 {
                     (new MeanSquaredError(reduction: "sum"), oneHot), (new MeanAbsoluteError(reduction: "sum"), oneHot),
                     (new Huber(reduction: "sum"), oneHot), (new BinaryCrossentropy(reduction: "sum"), oneHot),
                     (new CategoricalCrossentropy(reduction: "sum"), oneHot), (new SparseCategoricalCrossentropy(reduction: "sum"), L([1, 0], 2)),
                 })
        {
            Assert.That(loss.Reduction, Is.EqualTo("sum"));
            Assert.That(Value(loss.Call(y, p)), Is.EqualTo(Value(loss.ComputeValues(y, p).sum())).Within(1e-6), loss.Name);
            Assert.That(loss.ComputeValues(y, p).shape, Is.EqualTo(new long[] { 2 }), loss.Name);
        }
    }

    [Test]
    public void MeanWithSampleWeight_AllZeroWeights_IsZeroWithAFiniteGradient()
    {
        using var scope = NewDisposeScope();
        var p = F([0.1f, 0.2f, 0.3f, 0.4f], 4).requires_grad_();
        var loss = new SquaredError(reduction: "mean_with_sample_weight").Call(KerasYTrue(), p, F([0, 0, 0, 0], 4));
        loss.backward();
        Assert.That(Value(loss), Is.EqualTo(0.0));
        Assert.That(p.grad!.isfinite().all().item<bool>(), Is.True);
    }

    [TestCase("Sum", "sum")]
    [TestCase("SUM_OVER_BATCH_SIZE", "sum_over_batch_size")]
    [TestCase("none", "none")]
    [TestCase(null, "none")]
    public void Reduction_IsAnyCase_NullIsNone(string? given, string expected) =>
        Assert.That(new MeanSquaredError(reduction: given).Reduction, Is.EqualTo(expected));

    [Test]
    public void UnknownReduction_ListsTheAcceptedNames()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Huber(reduction: "average"));
        Assert.That(ex!.ParamName, Is.EqualTo("reduction"));
        Assert.That(ex.Message, Does.StartWith(
            "Unknown reduction 'average'. Accepted: sum_over_batch_size, sum, none, mean, mean_with_sample_weight (any case)"));
        Assert.Throws<ArgumentException>(() => new SquaredError(reduction: "abc"));   // custom losses too (Keras: "Invalid value")
    }

    [Test]
    public void WeightsThatFitNeitherSamplesNorValues_NameBothShapes()
    {
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => new MeanSquaredError().Call(Y23(), P23(), F([1, 2, 3], 3)));
        Assert.That(ex!.Message, Is.EqualTo(
            "mean_squared_error: sample weights of shape (3,) do not fit the loss values of shape (2,). Pass one weight per " +
            "sample (shape (2,)), one per value (shape (2,)), or a single number. (Parameter 'sampleWeight')"));
    }

    /// A loss as a user writes it outside the library: one method.
    private sealed class MeanFourthPower() : Loss("mean_fourth_power")
    {
        public override Tensor ComputeValues(Tensor yTrue, Tensor yPred) => (yPred - yTrue).pow(4).mean([-1]);
    }

    [Test]
    public void ACustomLossWrittenAsOneMethod_TrainsWithFit_WithAndWithoutSampleWeights()
    {
        using var scope = NewDisposeScope();
        var x = linspace(-1, 1, 8).reshape(8, 1);
        var y = 2 * x + 1;
        var w = F([0, 0, 0, 0, 1, 1, 1, 1], 8);
        foreach (bool weighted in new[] { false, true })
        {
            RandomSeed.Set(3);
            var model = new SequentialModel(new Sequential.Layers.Dense(1, inputShape: [1]));
            model.Compile(optimizer: new Sequential.Optimizers.SGD(learningRate: 0.05), loss: new MeanFourthPower(), device: "cpu");
            var error4 = (model.Predict(x, verbose: 0) - y).pow(4).reshape(8);
            // one batch per epoch: the first epoch's loss is the loss of the initial weights
            double expected = weighted ? Value((error4 * w).sum() / 8) : Value(error4.mean());
            var history = model.Fit(x, y, batchSize: 8, epochs: 20, shuffle: false, verbose: 0, sampleWeight: weighted ? w : null);
            Assert.That(history["loss"][0], Is.EqualTo(expected).Within(1e-5 * Math.Max(1, expected)), $"weighted: {weighted}");
            Assert.That(history["loss"][^1], Is.LessThan(history["loss"][0] / 2), $"weighted: {weighted}");
        }
    }
}
