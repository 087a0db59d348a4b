using Sequential.Layers;
using Sequential.Losses;
using Sequential.Optimizers;
using static Sequential.Core.Tests.Callbacks.CallbackTestModels;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Models;

/// Keras's train_on_batch / test_on_batch / predict_on_batch (src/Sequential.Core/Models/Model.OnBatch.cs) and
/// Evaluate's sampleWeight.
public class ModelOnBatchTests
{
    // One batch: x = [1, 3], y = [0, 1], prediction k * x with k = 1 -> errors [1, 2], squared [1, 4].
    // Unweighted: loss (1 + 4) / 2 = 2.5, mae 1.5; dL/dk = (2*1*1 + 2*2*3) / 2 = 7 -> k = 1 - 0.01 * 7 = 0.93.
    private static (Tensor x, Tensor y) OneBatch() => (tensor(new float[] { 1, 3 }).reshape(2, 1), tensor(new float[] { 0, 1 }));

    private static SequentialModel LinearWithMae(bool weightedMae = false)
    {
        var model = new SequentialModel(new Dense(1, useBias: false, kernelInitializer: "ones", inputShape: [1]));
        model.Compile(optimizer: new SGD(learningRate: 0.01), loss: "mse", metrics: ["mae"], device: "cpu",
            weightedMetrics: weightedMae ? ["mae"] : null);
        return model;
    }

    /// A small classifier whose two copies start from the same weights.
    private static (SequentialModel a, SequentialModel b) TwinClassifiers()
    {
        SequentialModel Make()
        {
            var m = new SequentialModel(new Dense(6, activation: "relu", inputShape: [3]), new Dense(3));
            m.Compile(optimizer: new Adam(learningRate: 0.05), loss: new SparseCategoricalCrossentropy(fromLogits: true),
                metrics: ["accuracy"], device: "cpu");
            return m;
        }
        var a = Make();
        var b = Make();
        b.SetWeights(a.GetWeights());
        return (a, b);
    }

    private static (Tensor x, Tensor y) Classes(int n, int seed)
    {
        var generator = new TorchSharp.torch.Generator((ulong)seed);
        var x = randn([n, 3], generator: generator);
        var y = x.argmax(1);
        return (x, y);
    }

    private static void AssertSameWeights(Model a, Model b)
    {
        var wa = a.GetWeights();
        var wb = b.GetWeights();
        Assert.That(wa, Has.Count.EqualTo(wb.Count));
        for (int i = 0; i < wa.Count; i++)
            Assert.That(wa[i].allclose(wb[i], rtol: 1e-6, atol: 1e-7), Is.True, $"weight {i} differs");
    }

    [Test]
    public void TrainOnBatchIsOneSgdStepWithThisBatchsLogs()
    {
        using var model = LinearWithMae();
        var (x, y) = OneBatch();
        var logs = model.TrainOnBatch(x, y);
        Assert.That(logs.Keys, Is.EqualTo(new[] { "loss", "mae" }));
        Assert.That(logs["loss"], Is.EqualTo(2.5).Within(1e-6));
        Assert.That(logs["mae"], Is.EqualTo(1.5).Within(1e-6));
        Assert.That(Kernel(model), Is.EqualTo(0.93).Within(1e-6));
        Assert.That(model.Optimizer!.Iterations, Is.EqualTo(1));
        // The metrics are reset before each call (Keras 3): the second call's logs are the second batch's alone.
        // k = 0.93 -> errors [0.93, 1.79], squared [0.8649, 3.2041]: loss 2.0345, mae 1.36.
        var second = model.TrainOnBatch(x, y);
        Assert.That(second["loss"], Is.EqualTo(2.0345).Within(1e-5));
        Assert.That(second["mae"], Is.EqualTo(1.36).Within(1e-5));
    }

    [Test]
    public void TrainOnBatchWeighsSamplesAndClassesAsFit()
    {
        // Weights [3, 1]: loss (1*3 + 4*1) / 2 = 3.5; gradient (3*2*1 + 1*2*2*3) / 2 = 9 -> k = 0.91; weighted_mae
        // (1*3 + 2*1) / 4 = 1.25; mae, unweighted as in Keras, (1 + 2) / 2 = 1.5.
        using var weighted = LinearWithMae(weightedMae: true);
        var (x, y) = OneBatch();
        var logs = weighted.TrainOnBatch(x, y, sampleWeight: tensor(new float[] { 3, 1 }));
        Assert.That(logs.Keys, Is.EqualTo(new[] { "loss", "mae", "weighted_mae" }));
        Assert.That(logs["loss"], Is.EqualTo(3.5).Within(1e-6));
        Assert.That(logs["mae"], Is.EqualTo(1.5).Within(1e-6));
        Assert.That(logs["weighted_mae"], Is.EqualTo(1.25).Within(1e-6));
        Assert.That(Kernel(weighted), Is.EqualTo(0.91).Within(1e-6));
        // Class 0 x2, class 1 x0.5: loss (1*2 + 4*0.5) / 2 = 2.0, gradient 5 -> k = 0.95; weighted_mae (1*2 + 2*0.5) / 2.5 = 1.2.
        using var byClass = LinearWithMae(weightedMae: true);
        var classLogs = byClass.TrainOnBatch(x, y, classWeight: new Dictionary<int, double> { [0] = 2.0, [1] = 0.5 });
        Assert.That(classLogs["loss"], Is.EqualTo(2.0).Within(1e-6));
        Assert.That(classLogs["mae"], Is.EqualTo(1.5).Within(1e-6));
        Assert.That(classLogs["weighted_mae"], Is.EqualTo(1.2).Within(1e-6));
        Assert.That(Kernel(byClass), Is.EqualTo(0.95).Within(1e-6));
    }

    [Test]
    public void TrainOnBatchRefusesSampleAndClassWeightsTogether()
    {
        using var model = LinearWithMae();
        var (x, y) = OneBatch();
        var error = Assert.Throws<ArgumentException>(() => model.TrainOnBatch(x, y, sampleWeight: tensor(new float[] { 3, 1 }),
            classWeight: new Dictionary<int, double> { [0] = 2.0 }));
        Assert.That(error!.Message, Does.StartWith("Arguments sampleWeight and classWeight cannot be specified at the same time"));
        Assert.That(Kernel(model), Is.EqualTo(1.0), "nothing was trained");
    }

    [Test]
    public void TrainOnBatchEqualsFitOnTheSameBatches()
    {
        var (a, b) = TwinClassifiers();
        using var _ = a;
        using var __ = b;
        var (x, y) = Classes(16, seed: 3);
        var history = a.Fit(x, y, batchSize: 16, epochs: 3, verbose: 0, shuffle: false);
        IReadOnlyDictionary<string, double> logs = new Dictionary<string, double>();
        for (int i = 0; i < 3; i++) logs = b.TrainOnBatch(x, y);
        AssertSameWeights(a, b);
        Assert.That(b.Optimizer!.Iterations, Is.EqualTo(a.Optimizer!.Iterations));
        Assert.That(logs["loss"], Is.EqualTo(history["loss"][^1]).Within(1e-6));
        Assert.That(logs["accuracy"], Is.EqualTo(history["accuracy"][^1]).Within(1e-9));
        Assert.That(b.training, Is.False, "the model is left in inference mode, as after Fit");
    }

    [Test]
    public void TestOnBatchEqualsEvaluateOnThatBatchAndTrainsNothing()
    {
        var (model, _) = TwinClassifiers();
        using var __ = model;
        var (x, y) = Classes(12, seed: 5);
        model.TrainOnBatch(x, y); // metrics now hold a training batch; TestOnBatch must reset them
        var before = model.GetWeights();
        var logs = model.TestOnBatch(x, y);
        var evaluated = model.Evaluate(x, y, batchSize: 12, verbose: 0);
        Assert.That(logs.Keys, Is.EqualTo(evaluated.Keys));
        Assert.That(logs["loss"], Is.EqualTo(evaluated["loss"]).Within(1e-9));
        Assert.That(logs["accuracy"], Is.EqualTo(evaluated["accuracy"]).Within(1e-9));
        var after = model.GetWeights();
        for (int i = 0; i < before.Count; i++) Assert.That(after[i].allclose(before[i], rtol: 0, atol: 0), Is.True, $"weight {i} changed");
        Assert.That(model.Optimizer!.Iterations, Is.EqualTo(1));
    }

    [Test]
    public void TestOnBatchAndEvaluateWeighTheSamples()
    {
        // k = 1 on x = [1, 3], y = [0, 1], weights [3, 1]: loss (1*3 + 4*1) / 2 = 3.5, weighted_mae (1*3 + 2*1) / 4 = 1.25;
        // mae is unweighted (Keras's `metrics`): (1 + 2) / 2 = 1.5.
        using var model = LinearWithMae(weightedMae: true);
        var (x, y) = OneBatch();
        var w = tensor(new float[] { 3, 1 });
        var evaluated = model.Evaluate(x, y, batchSize: 1, verbose: 0, sampleWeight: w);
        Assert.That(evaluated.Keys, Is.EqualTo(new[] { "loss", "mae", "weighted_mae" }));
        Assert.That(evaluated["loss"], Is.EqualTo(3.5).Within(1e-6));
        Assert.That(evaluated["mae"], Is.EqualTo(1.5).Within(1e-6));
        Assert.That(evaluated["weighted_mae"], Is.EqualTo(1.25).Within(1e-6));
        var tested = model.TestOnBatch(x, y, sampleWeight: w);
        Assert.That(tested["loss"], Is.EqualTo(3.5).Within(1e-6));
        Assert.That(tested["mae"], Is.EqualTo(1.5).Within(1e-6));
        Assert.That(tested["weighted_mae"], Is.EqualTo(1.25).Within(1e-6));
        Assert.That(Kernel(model), Is.EqualTo(1.0));
    }

    [Test]
    public void EvaluateSampleWeightOfTheWrongLengthNamesBothShapes()
    {
        using var model = LinearWithMae();
        var (x, y) = OneBatch();
        var error = Assert.Throws<ArgumentException>(() => model.Evaluate(x, y, verbose: 0, sampleWeight: tensor(new float[] { 1, 2, 3 })));
        Assert.That(error!.Message, Does.Contain("(2,)").And.Contain("(3,)"));
    }

    [Test]
    public void PredictOnBatchEqualsPredictInInferenceMode()
    {
        using var model = new SequentialModel(new Dense(4, inputShape: [3]), new Dropout(0.5), new Dense(2));
        var (x, _) = Classes(5, seed: 7);
        var predicted = model.PredictOnBatch(x);
        Assert.That(predicted.shape, Is.EqualTo(new long[] { 5, 2 }));
        Assert.That(predicted.allclose(model.Predict(x, verbose: 0)), Is.True);
        using (no_grad())
            Assert.That(predicted.allclose(model.Apply(x, training: false)), Is.True, "Dropout is off");
    }

    [Test]
    public void OnBatchMethodsRefuseAnEmptyBatch()
    {
        using var model = LinearWithMae();
        var empty = zeros(0, 1);
        var error = Assert.Throws<ArgumentException>(() => model.TrainOnBatch(empty, zeros(0)));
        Assert.That(error!.Message, Is.EqualTo("TrainOnBatch received an empty batch: x has shape (0, 1); pass at least one sample. (Parameter 'x')"));
        Assert.Throws<ArgumentException>(() => model.PredictOnBatch(empty));
    }

    [Test]
    public void OnBatchMethodsNeedCompile()
    {
        using var model = new SequentialModel(new Dense(1, inputShape: [1]));
        var (x, y) = OneBatch();
        var error = Assert.Throws<InvalidOperationException>(() => model.TrainOnBatch(x, y));
        Assert.That(error!.Message, Does.StartWith("You must call Compile() before TrainOnBatch()"));
        Assert.Throws<InvalidOperationException>(() => model.TestOnBatch(x, y));
    }
}
