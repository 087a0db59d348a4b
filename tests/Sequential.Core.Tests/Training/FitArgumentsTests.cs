using Sequential.Callbacks;
using Sequential.Layers;
using Sequential.Optimizers;
using static Sequential.Core.Tests.Callbacks.CallbackTestModels;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Training;

public class FitArgumentsTests
{
    // One batch: x = [1, 3], y = [0, 1], prediction k * x with k = 1 -> errors [1, 2], squared [1, 4].
    // Unweighted: loss (1 + 4) / 2 = 2.5; dL/dk = (2*1*1 + 2*2*3) / 2 = 7 -> k = 1 - 0.01 * 7 = 0.93.
    private static (Tensor x, Tensor y) OneBatch() => (tensor(new float[] { 1, 3 }).reshape(2, 1), tensor(new float[] { 0, 1 }));

    // Keras 3: `metrics` are computed without the sample and class weights, `weightedMetrics` with them; the same metric
    // in both is logged as "mae" and "weighted_mae". Every case's unweighted mae is the baseline's (1 + 2) / 2 = 1.5.
    private static (double loss, double mae, double kernel) TrainOnce(IReadOnlyDictionary<int, double>? classWeight = null, Tensor? sampleWeight = null)
    {
        using var model = new SequentialModel(new Dense(1, useBias: false, kernelInitializer: "ones", inputShape: [1]));
        model.Compile(optimizer: new SGD(learningRate: 0.01), loss: "mse", metrics: ["mae"], device: "cpu", weightedMetrics: ["mae"]);
        var (x, y) = OneBatch();
        var history = model.Fit(x, y, batchSize: 2, epochs: 1, verbose: 0, shuffle: false, classWeight: classWeight, sampleWeight: sampleWeight);
        Assert.That(history.Keys, Is.EqualTo(new[] { "loss", "mae", "weighted_mae" }));
        Assert.That(history["mae"][0], Is.EqualTo(1.5).Within(1e-6), "the unweighted metric ignores the weights");
        return (history["loss"][0], history["weighted_mae"][0], Kernel(model));
    }

    [Test]
    public void UnweightedBaseline()
    {
        var (loss, mae, kernel) = TrainOnce();
        Assert.That(loss, Is.EqualTo(2.5).Within(1e-6));
        Assert.That(mae, Is.EqualTo(1.5).Within(1e-6));
        Assert.That(kernel, Is.EqualTo(0.93).Within(1e-6));
    }

    [Test]
    public void ClassWeightScalesTheLossPerClass()
    {
        // Class 0 (first sample) x2, class 1 x0.5: loss (1*2 + 4*0.5) / 2 = 2.0 (Keras: sum(l_i w_i) / N);
        // gradient (2*2*1 + 0.5*2*2*3) / 2 = 5 -> k = 0.95; weighted_mae (1*2 + 2*0.5) / (2 + 0.5) = 1.2.
        var (loss, mae, kernel) = TrainOnce(classWeight: new Dictionary<int, double> { [0] = 2.0, [1] = 0.5 });
        Assert.That(loss, Is.EqualTo(2.0).Within(1e-6));
        Assert.That(kernel, Is.EqualTo(0.95).Within(1e-6));
        Assert.That(mae, Is.EqualTo(1.2).Within(1e-6));
    }

    [Test]
    public void SampleWeightScalesTheLossPerSample()
    {
        // Weights [3, 1]: loss (1*3 + 4*1) / 2 = 3.5; gradient (3*2*1 + 1*2*2*3) / 2 = 9 -> k = 0.91;
        // weighted_mae (1*3 + 2*1) / 4 = 1.25.
        var (loss, mae, kernel) = TrainOnce(sampleWeight: tensor(new float[] { 3, 1 }));
        Assert.That(loss, Is.EqualTo(3.5).Within(1e-6));
        Assert.That(kernel, Is.EqualTo(0.91).Within(1e-6));
        Assert.That(mae, Is.EqualTo(1.25).Within(1e-6));
    }

    [Test]
    public void ClassAndSampleWeightsMultiply()
    {
        // Weights [3 * 2, 1 * 0.5]: loss (1*6 + 4*0.5) / 2 = 4.
        var (loss, _, _) = TrainOnce(new Dictionary<int, double> { [0] = 2.0, [1] = 0.5 }, tensor(new float[] { 3, 1 }));
        Assert.That(loss, Is.EqualTo(4.0).Within(1e-6));
    }

    [Test]
    public void SampleWeightNeedsOneWeightPerSample()
    {
        using var model = Linear();
        var (x, y) = OneBatch();
        var error = Assert.Throws<ArgumentException>(() => model.Fit(x, y, verbose: 0, sampleWeight: tensor(new float[] { 1, 2, 3 })));
        Assert.That(error!.Message, Does.Contain("(2,)").And.Contain("(3,)"));
    }

    [Test]
    public void ValidationFreqValidatesEveryNthEpoch()
    {
        using var model = Linear();
        var (x, y) = Line(8);
        var withValidation = new List<int>();
        var probe = new LambdaCallback(onEpochEnd: (e, logs) => { if (logs.ContainsKey("val_loss")) withValidation.Add(e); });
        var history = model.Fit(x, y, epochs: 4, batchSize: 4, verbose: 0, validationSplit: 0.5, validationFreq: 2, callbacks: [probe]);
        Assert.That(withValidation, Is.EqualTo(new[] { 1, 3 }));
        Assert.That(history["val_loss"], Has.Count.EqualTo(2));
        Assert.That(history["loss"], Has.Count.EqualTo(4));
    }

    [Test]
    public void ValidationFreqMustBePositive()
    {
        using var model = Linear();
        var (x, y) = Line(4);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit(x, y, verbose: 0, validationSplit: 0.5, validationFreq: 0));
    }

    [Test]
    public void ClassWeightWorksWithIteratorsAndOneHotTargets()
    {
        // Two classes, one-hot targets, softmax output of a zero-initialised Dense: p = [0.5, 0.5] for every sample,
        // so each sample's cross-entropy is ln 2; weights {0: 3} (class 1 weighs 1) over one sample of each class:
        // loss = ln 2 * (3 + 1) / 2 = 2 ln 2.
        using var model = new SequentialModel(new Dense(2, activation: "softmax", kernelInitializer: "zeros", inputShape: [1]));
        model.Compile(optimizer: new SGD(learningRate: 1e-9), loss: "categorical_crossentropy", device: "cpu");
        var batch = (tensor(new float[] { 1, 2 }).reshape(2, 1), tensor(new float[] { 1, 0, 0, 1 }).reshape(2, 2));
        var history = model.Fit(new[] { batch }, epochs: 1, verbose: 0, classWeight: new Dictionary<int, double> { [0] = 3 });
        Assert.That(history["loss"][0], Is.EqualTo(2 * Math.Log(2)).Within(1e-5));
    }
}
