using Sequential.Data;
using Sequential.Layers;
using Sequential.Losses;
using SparseCategoricalCrossentropy = Sequential.Losses.SparseCategoricalCrossentropy;
using Sequential.Metrics;
using Sequential.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Models;

public class ModelTests
{
    private static readonly float[] Kernel = [1f, -2f, 0.5f, 3f]; // rows: output units, columns: inputs
    private static readonly float[] Bias = [0.25f, -0.5f];

    private static SequentialModel Blobs2Class(out Tensor x, out Tensor y, int n = 100, Optimizer? optimizer = null)
    {
        (x, y) = ModelTestData.Blobs(n);
        var model = new SequentialModel(new Dense(8, activation: "relu", inputShape: [2]), new Dense(2));
        model.Compile(optimizer: optimizer ?? "adam", loss: new SparseCategoricalCrossentropy(fromLogits: true), metrics: ["accuracy"], device: "cpu");
        return model;
    }

    // ---- Compile ----

    [Test]
    public void Compile_UnknownOptimizer_ListsAcceptedNames()
    {
        var model = new SequentialModel(new Dense(2, inputShape: [2]));
        var e = Assert.Throws<ArgumentException>(() => model.Compile(optimizer: "adamm", loss: "mse"));
        Assert.That(e!.Message, Does.Contain("adamm").And.Contain("adam").And.Contain("sgd").And.Contain("rmsprop"));
    }

    [Test]
    public void Compile_UnknownLoss_ListsAcceptedNames()
    {
        var model = new SequentialModel(new Dense(2, inputShape: [2]));
        var e = Assert.Throws<ArgumentException>(() => model.Compile(optimizer: "adam", loss: "cross_entropy"));
        Assert.That(e!.Message, Does.Contain("cross_entropy").And.Contain("sparse_categorical_crossentropy").And.Contain("mse"));
    }

    [Test]
    public void Compile_UnknownMetric_ListsAcceptedNamesAndLeavesModelUncompiled()
    {
        var model = new SequentialModel(new Dense(2, inputShape: [2]));
        var e = Assert.Throws<ArgumentException>(() => model.Compile(optimizer: "adam", loss: "mse", metrics: ["acuracy"]));
        Assert.That(e!.Message, Does.Contain("acuracy").And.Contain("accuracy").And.Contain("mae"));
        Assert.That(model.IsCompiled, Is.False);
    }

    [Test]
    public void Compile_MetricOfWrongType_Throws()
    {
        var model = new SequentialModel(new Dense(2, inputShape: [2]));
        var e = Assert.Throws<ArgumentException>(() => model.Compile(optimizer: "adam", loss: "mse", metrics: [42]));
        Assert.That(e!.Message, Does.Contain("metrics[0]").And.Contain("Int32"));
    }

    [Test]
    public void Compile_UnknownDevice_Throws()
    {
        var model = new SequentialModel(new Dense(2, inputShape: [2]));
        var e = Assert.Throws<ArgumentException>(() => model.Compile(optimizer: "adam", loss: "mse", device: "tpu"));
        Assert.That(e!.Message, Does.Contain("\"tpu\"").And.Contain("cpu"));
    }

    // ---- Fit ----

    [Test]
    public void Fit_LearnableProblem_LowersLossAndReachesFullAccuracy()
    {
        RandomSeed.Set(1);
        var model = Blobs2Class(out var x, out var y, optimizer: new Adam(learningRate: 0.02));
        var history = model.Fit(x, y, batchSize: 10, epochs: 5, verbose: 0);
        Assert.That(history["loss"][^1], Is.LessThan(history["loss"][0]));
        Assert.That(history["loss"][^1], Is.LessThan(0.1));
        // The blobs are 4 standard deviations from the separating line: a trained classifier gets all of them.
        Assert.That(history["accuracy"][^1], Is.EqualTo(1.0));
    }

    [Test]
    public void Fit_History_HasOneValuePerEpochAndKerasKeys()
    {
        RandomSeed.Set(2);
        var model = Blobs2Class(out var x, out var y);
        var history = model.Fit(x, y, batchSize: 16, epochs: 3, verbose: 0);
        Assert.That(history.Keys, Is.EquivalentTo(new[] { "loss", "accuracy" }));
        Assert.That(history.Epochs, Is.EqualTo(new[] { 0, 1, 2 }));
        Assert.That(history["loss"], Has.Count.EqualTo(3));
        Assert.That(history["accuracy"], Has.Count.EqualTo(3));
    }

    [Test]
    public void Fit_ValidationSplit_AddsValKeys()
    {
        RandomSeed.Set(3);
        var model = Blobs2Class(out var x, out var y);
        var history = model.Fit(x, y, batchSize: 16, epochs: 2, validationSplit: 0.2, verbose: 0);
        Assert.That(history.Keys, Is.EquivalentTo(new[] { "loss", "accuracy", "val_loss", "val_accuracy" }));
        foreach (var key in history.Keys) Assert.That(history[key], Has.Count.EqualTo(2), key);
    }

    [Test]
    public void Fit_ValidationData_AddsValKeys()
    {
        RandomSeed.Set(4);
        var model = Blobs2Class(out var x, out var y);
        var (xv, yv) = ModelTestData.Blobs(20, seed: 9);
        var history = model.Fit(x, y, batchSize: 16, epochs: 2, validationData: (xv, yv), verbose: 0);
        Assert.That(history.Keys, Is.EquivalentTo(new[] { "loss", "accuracy", "val_loss", "val_accuracy" }));
        Assert.That(history["val_loss"], Has.Count.EqualTo(2));
    }

    [Test]
    public void Fit_ValidationSplit_ValidatesOnTheLastSamples()
    {
        // Keras takes the validation split from the END of the data, before shuffling. With a fixed model
        // and a learning rate too small to move float32 weights, val_loss must equal the cross-entropy of the
        // last 20 samples computed by hand, not that of the first 20 or of a random 20.
        int n = 100;
        var xs = new float[n * 2];
        var ys = new long[n];
        for (int i = 0; i < n; i++)
        {
            xs[2 * i] = (i % 7) * 0.3f - 1f;
            xs[2 * i + 1] = i < 80 ? 1f : -2f;   // the last 20 samples are unlike the rest
            ys[i] = i < 80 ? 0 : 1;
        }
        var (model, _) = ModelTestData.FixedLinear(Kernel, Bias);
        model.Compile(optimizer: new SGD(learningRate: 1e-12), loss: new SparseCategoricalCrossentropy(fromLogits: true),
            metrics: ["accuracy"], device: "cpu");
        var steps = new RecordingCallback();
        var history = model.Fit(tensor(xs, [n, 2]), tensor(ys), batchSize: 10, epochs: 1, validationSplit: 0.2,
            verbose: 0, callbacks: [steps]);

        double expectedLast = ModelTestData.HandCrossEntropy(Kernel, Bias, xs[160..], ys[80..]);
        double first = ModelTestData.HandCrossEntropy(Kernel, Bias, xs[..40], ys[..20]);
        Assume.That(Math.Abs(expectedLast - first), Is.GreaterThan(0.1), "the test data must tell the two slices apart");
        Assert.That(history["val_loss"][0], Is.EqualTo(expectedLast).Within(1e-5));
        Assert.That(steps.ParamsSeen[0]["steps"], Is.EqualTo(8), "100 samples, 20% held out, batch 10 -> 8 training steps");
        Assert.That(steps.Count("batch_end 7"), Is.EqualTo(1));
        Assert.That(steps.CountPrefix("batch_end"), Is.EqualTo(8));
        Assert.That(steps.CountPrefix("test_batch_end"), Is.EqualTo(2), "20 validation samples, batch 10");
    }

    [Test]
    public void Fit_ValidationSplitOutOfRange_Throws([Values(-0.1, 1.0, double.NaN)] double split)
    {
        var model = Blobs2Class(out var x, out var y);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit(x, y, validationSplit: split, verbose: 0));
        Assert.That(e!.ParamName, Is.EqualTo("validationSplit"));
        Assert.That(e.Message, Does.Contain("[0, 1)"));
    }

    [Test]
    public void Fit_ValidationSplitLeavingNoTrainingSample_Throws()
    {
        // As Keras 3's train_validation_split: floor(4 * (1 - 0.9)) = 0 training samples is an error, not an empty epoch.
        var model = Blobs2Class(out var x, out var y, n: 4);
        var e = Assert.Throws<ArgumentException>(() => model.Fit(x, y, validationSplit: 0.9, verbose: 0));
        Assert.That(e!.Message, Does.Contain("4 samples").And.Contain("leaves 0 for training"));
    }

    [Test]
    public void Fit_SameSeed_GivesIdenticalHistory()
    {
        History Run()
        {
            RandomSeed.Set(123);
            var (x, y) = ModelTestData.Blobs(64);
            // Dropout and shuffling both draw from the seeded generator.
            var model = new SequentialModel(new Dense(16, activation: "relu", inputShape: [2]), new Dropout(0.3), new Dense(2));
            model.Compile(optimizer: "adam", loss: new SparseCategoricalCrossentropy(fromLogits: true), metrics: ["accuracy"], device: "cpu");
            return model.Fit(x, y, batchSize: 8, epochs: 3, validationSplit: 0.25, verbose: 0);
        }

        var a = Run();
        var b = Run();
        foreach (var key in a.Keys) Assert.That(b[key], Is.EqualTo(a[key]), key);
    }

    [Test]
    public void Fit_StepsPerEpochBelowOnePass_RunsThatManySteps()
    {
        RandomSeed.Set(5);
        var model = Blobs2Class(out var x, out var y);
        var recorder = new RecordingCallback();
        var history = model.Fit(x, y, batchSize: 10, epochs: 2, stepsPerEpoch: 3, verbose: 0, callbacks: [recorder]);
        Assert.That(recorder.ParamsSeen[0]["steps"], Is.EqualTo(3));
        Assert.That(recorder.CountPrefix("batch_end"), Is.EqualTo(6));
        Assert.That(history.Epochs, Is.EqualTo(new[] { 0, 1 }));
    }

    [Test]
    public void Fit_StepsPerEpochBeyondOnePass_ContinuesIntoNextPass()
    {
        RandomSeed.Set(6);
        var model = Blobs2Class(out var x, out var y, n: 30);
        var recorder = new RecordingCallback();
        model.Fit(x, y, batchSize: 10, epochs: 1, stepsPerEpoch: 7, verbose: 0, callbacks: [recorder]);
        Assert.That(recorder.CountPrefix("batch_end"), Is.EqualTo(7));
    }

    [Test]
    public void Fit_ListOfBatches_Trains()
    {
        RandomSeed.Set(7);
        var (x, y) = ModelTestData.Blobs(80);
        var batches = Enumerable.Range(0, 8).Select(i => (x.narrow(0, i * 10, 10), y.narrow(0, i * 10, 10))).ToList();
        var model = new SequentialModel(new Dense(8, activation: "relu"), new Dense(2));
        model.Compile(optimizer: "adam", loss: new SparseCategoricalCrossentropy(fromLogits: true), metrics: ["accuracy"], device: "cpu");
        var recorder = new RecordingCallback();
        var history = model.Fit(batches, epochs: 4, verbose: 0, callbacks: [recorder]);
        Assert.That(model.BuiltInputShape, Is.EqualTo(new long[] { 2 }), "built from the first batch");
        Assert.That(recorder.ParamsSeen[0]["steps"], Is.EqualTo(8));
        Assert.That(recorder.CountPrefix("batch_end"), Is.EqualTo(32));
        Assert.That(history["loss"], Has.Count.EqualTo(4));
        Assert.That(history["loss"][^1], Is.LessThan(history["loss"][0]));
    }

    [Test]
    public void Fit_EpochsZero_TrainsNothing()
    {
        var model = Blobs2Class(out var x, out var y);
        var history = model.Fit(x, y, epochs: 0, verbose: 0);
        Assert.That(history.Epochs, Is.Empty);
        Assert.That(history.Keys, Is.Empty);
    }

    // ---- Metrics resolution ----

    [Test]
    public void Accuracy_IntLabelsAndTenOutputs_IsSparseCategorical()
    {
        var model = new SequentialModel(new Dense(10, inputShape: [4]));
        model.Compile(optimizer: "adam", loss: new SparseCategoricalCrossentropy(fromLogits: true), metrics: ["accuracy"], device: "cpu");
        model.Fit(randn(12, 4), randint(0, 10, [12], dtype: ScalarType.Int64), batchSize: 4, verbose: 0);
        Assert.That(model.Metrics.Select(m => m.Name), Is.EqualTo(new[] { "loss", "accuracy" }));
        Assert.That(model.Metrics[1], Is.InstanceOf<SparseCategoricalAccuracy>());
    }

    [Test]
    public void Accuracy_SigmoidOutputAndBinaryCrossentropy_IsBinary()
    {
        RandomSeed.Set(8);
        var (x, y) = ModelTestData.Blobs(40);
        var model = new SequentialModel(new Dense(1, activation: "sigmoid", inputShape: [2]));
        model.Compile(optimizer: new Adam(learningRate: 0.05), loss: "binary_crossentropy", metrics: ["accuracy"], device: "cpu");
        var history = model.Fit(x, y.to_type(ScalarType.Float32).reshape(-1, 1), batchSize: 8, epochs: 10, verbose: 0);
        Assert.That(model.Metrics[1], Is.InstanceOf<BinaryAccuracy>());
        Assert.That(history["accuracy"][^1], Is.EqualTo(1.0));
    }

    [Test]
    public void Metrics_Acc_IsLoggedAsAcc()
    {
        var model = Blobs2Class(out var x, out var y);
        model.Compile(optimizer: "adam", loss: new SparseCategoricalCrossentropy(fromLogits: true), metrics: ["acc"], device: "cpu");
        var history = model.Fit(x, y, epochs: 1, validationSplit: 0.2, verbose: 0);
        Assert.That(history.Keys, Is.EquivalentTo(new[] { "loss", "acc", "val_loss", "val_acc" }));
    }

    // ---- Evaluate and Predict with fixed weights ----

    [Test]
    public void Evaluate_FixedWeights_MatchesHandComputation()
    {
        float[] xs = [1f, 2f, -1f, 0.5f];
        long[] ys = [1, 0];
        var (model, _) = ModelTestData.FixedLinear(Kernel, Bias);
        model.Compile(optimizer: "sgd", loss: new SparseCategoricalCrossentropy(fromLogits: true), metrics: ["accuracy"], device: "cpu");

        var result = model.Evaluate(tensor(xs, [2, 2]), tensor(ys), verbose: 0);

        // sample 0: logits (1 - 4 + 0.25, 0.5 + 6 - 0.5) = (-2.75, 6); sample 1: (-1 - 1 + 0.25, -0.5 + 1.5 - 0.5) = (-1.75, 0.5)
        double expected = ModelTestData.HandCrossEntropy(Kernel, Bias, xs, ys);
        Assert.That(expected, Is.EqualTo((Math.Log(1 + Math.Exp(-8.75)) + Math.Log(1 + Math.Exp(2.25))) / 2).Within(1e-12));
        Assert.That(result.Keys, Is.EquivalentTo(new[] { "loss", "accuracy" }));
        Assert.That(result["loss"], Is.EqualTo(expected).Within(1e-5));
        // sample 0 predicts class 1 (right), sample 1 predicts class 1 (wrong)
        Assert.That(result["accuracy"], Is.EqualTo(0.5));
    }

    [Test]
    public void Evaluate_UnevenBatches_WeightsBySampleCount()
    {
        // 3 samples in batches of 2 and 1: the mean must be over samples, not over batch means.
        float[] xs = [1f, 2f, -1f, 0.5f, 3f, -3f];
        long[] ys = [1, 0, 0];
        var (model, _) = ModelTestData.FixedLinear(Kernel, Bias);
        model.Compile(optimizer: "sgd", loss: new SparseCategoricalCrossentropy(fromLogits: true), metrics: ["accuracy"], device: "cpu");
        var result = model.Evaluate(tensor(xs, [3, 2]), tensor(ys), batchSize: 2, verbose: 0);
        Assert.That(result["loss"], Is.EqualTo(ModelTestData.HandCrossEntropy(Kernel, Bias, xs, ys)).Within(1e-5));
        // logits of sample 2: (3 + 6 + 0.25, 1.5 - 9 - 0.5) -> class 0, right: 2 of 3
        Assert.That(result["accuracy"], Is.EqualTo(2.0 / 3).Within(1e-6));
    }

    [Test]
    public void Predict_FixedWeights_ReturnsAllRowsOnCpu([Values(1, 3, 7, 32)] int batchSize)
    {
        int n = 7;
        var xs = Enumerable.Range(0, n * 2).Select(i => (float)(i * 0.25 - 1.5)).ToArray();
        var (model, _) = ModelTestData.FixedLinear(Kernel, Bias);
        using var output = model.Predict(tensor(xs, [n, 2]), batchSize: batchSize, verbose: 0);
        Assert.That(output.shape, Is.EqualTo(new long[] { n, 2 }));
        Assert.That(output.device_type, Is.EqualTo(DeviceType.CPU));
        Assert.That(output.requires_grad, Is.False);
        var values = output.data<float>().ToArray();
        for (int i = 0; i < n; i++)
        {
            var expected = ModelTestData.Logits(Kernel, Bias, xs[2 * i], xs[2 * i + 1]);
            Assert.That(values[2 * i], Is.EqualTo(expected[0]).Within(1e-5), $"row {i}");
            Assert.That(values[2 * i + 1], Is.EqualTo(expected[1]).Within(1e-5), $"row {i}");
        }
    }

    [Test]
    public void Predict_WithoutCompile_Works_AndDropoutIsOff()
    {
        // Dropout(0.9) would zero most outputs if Predict ran in training mode.
        var dense = new Dense(2, inputShape: [2]);
        var model = new SequentialModel(dense, new Dropout(0.9));
        using (no_grad())
        {
            dense.Kernel!.copy_(tensor(Kernel, [2, 2]));
            dense.Bias!.copy_(tensor(Bias, [2]));
        }
        using var output = model.Predict(ones(50, 2), verbose: 0);
        var expected = ModelTestData.Logits(Kernel, Bias, 1, 1);
        Assert.That(output[.., 0].data<float>().ToArray(), Is.All.EqualTo(expected[0]).Within(1e-5));
        Assert.That(output[.., 1].data<float>().ToArray(), Is.All.EqualTo(expected[1]).Within(1e-5));
    }

    [Test]
    public void Predict_IntegerInput_IsConvertedToFloat()
    {
        var (model, _) = ModelTestData.FixedLinear(Kernel, Bias);
        using var output = model.Predict(tensor(new byte[] { 1, 2 }, [1, 2]), verbose: 0);
        var expected = ModelTestData.Logits(Kernel, Bias, 1, 2);
        Assert.That(output.data<float>().ToArray(), Is.EqualTo(expected.Select(v => (float)v).ToArray()).Within(1e-5));
    }

    // ---- Bad input ----

    [Test]
    public void Fit_BeforeCompile_Throws()
    {
        var model = new SequentialModel(new Dense(2, inputShape: [2]));
        var e = Assert.Throws<InvalidOperationException>(() => model.Fit(zeros(4, 2), zeros(4, ScalarType.Int64), verbose: 0));
        Assert.That(e!.Message, Does.Contain("Compile()").And.Contain("Fit()"));
    }

    [Test]
    public void Evaluate_BeforeCompile_Throws()
    {
        var model = new SequentialModel(new Dense(2, inputShape: [2]));
        var e = Assert.Throws<InvalidOperationException>(() => model.Evaluate(zeros(4, 2), zeros(4, ScalarType.Int64), verbose: 0));
        Assert.That(e!.Message, Does.Contain("Compile()").And.Contain("Evaluate()"));
    }

    [Test]
    public void Fit_DifferentSampleCounts_NamesBothCounts()
    {
        var model = Blobs2Class(out _, out _);
        var e = Assert.Throws<ArgumentException>(() => model.Fit(zeros(12, 2), zeros(7, ScalarType.Int64), verbose: 0));
        Assert.That(e!.Message, Does.Contain("x has 12").And.Contain("y has 7"));
    }

    [Test]
    public void Fit_LabelOutOfRange_NamesLabelAndClasses()
    {
        var model = new SequentialModel(new Dense(10, inputShape: [2]));
        model.Compile(optimizer: "adam", loss: new SparseCategoricalCrossentropy(fromLogits: true), metrics: ["accuracy"], device: "cpu");
        var e = Assert.Throws<ArgumentException>(() => model.Fit(zeros(3, 2), tensor(new long[] { 1, 12, 3 }), verbose: 0));
        Assert.That(e!.Message, Does.Contain("[0, 10)").And.Contain("12"));
    }

    [Test]
    public void Fit_WrongInputShape_NamesLayerAndBothShapes()
    {
        var model = ModelTestData.TutorialMlp();
        model.Compile(optimizer: "adam", loss: new SparseCategoricalCrossentropy(fromLogits: true), device: "cpu");
        var e = Assert.Throws<ArgumentException>(() => model.Fit(zeros(4, 27, 28), zeros(4, ScalarType.Int64), verbose: 0));
        Assert.That(e!.Message, Does.Contain("\"flatten\"").And.Contain("(None, 28, 28)").And.Contain("(None, 27, 28)"));
    }

    [Test]
    public void Predict_WrongFeatureCount_NamesLayerAndBothShapes()
    {
        var model = new SequentialModel(new Dense(4), new Dense(2));
        model.Build([3]);
        var e = Assert.Throws<ArgumentException>(() => model.Predict(zeros(4, 5), verbose: 0));
        Assert.That(e!.Message, Does.Contain("\"dense\"").And.Contain("(None, 3)").And.Contain("(None, 5)"));
    }

    [Test]
    public void Fit_WrongRank_NamesShape()
    {
        var model = Blobs2Class(out _, out _);
        var e = Assert.Throws<ArgumentException>(() => model.Fit(zeros(4), zeros(4, ScalarType.Int64), verbose: 0));
        Assert.That(e!.Message, Does.Contain("got shape (4,)").And.Contain("reshape(-1, 1)"));
    }

    [Test]
    public void Fit_NaNInX_NamesNaNAndSample()
    {
        var model = Blobs2Class(out var x, out var y, n: 10);
        var bad = x.clone();
        bad[3, 1] = tensor(float.NaN);
        bad[6, 0] = tensor(float.NaN);
        var e = Assert.Throws<ArgumentException>(() => model.Fit(bad, y, verbose: 0));
        Assert.That(e!.Message, Does.Contain("2 NaN").And.Contain("sample 3"));
    }

    [Test]
    public void Fit_NoSamples_Throws()
    {
        var model = Blobs2Class(out _, out _);
        var e = Assert.Throws<ArgumentException>(() => model.Fit(zeros(0, 2), zeros(0, ScalarType.Int64), verbose: 0));
        Assert.That(e!.Message, Does.Contain("0 samples"));
    }

    [Test]
    public void Predict_NoSamples_Throws()
    {
        var (model, _) = ModelTestData.FixedLinear(Kernel, Bias);
        var e = Assert.Throws<ArgumentException>(() => model.Predict(zeros(0, 2), verbose: 0));
        Assert.That(e!.Message, Does.Contain("0 samples"));
    }

    [Test]
    public void Fit_BatchSizeZero_Throws()
    {
        var model = Blobs2Class(out var x, out var y);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit(x, y, batchSize: 0, verbose: 0));
        Assert.That(e!.ParamName, Is.EqualTo("batchSize"));
        Assert.That(e.Message, Does.Contain("got 0"));
    }

    [Test]
    public void Fit_VerboseThree_Throws()
    {
        var model = Blobs2Class(out var x, out var y);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit(x, y, verbose: 3));
        Assert.That(e!.ParamName, Is.EqualTo("verbose"));
        Assert.That(e.Message, Does.Contain("0 (silent)"));
    }

    [Test]
    public void Fit_NegativeEpochs_Throws()
    {
        var model = Blobs2Class(out var x, out var y);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit(x, y, epochs: -1, verbose: 0));
        Assert.That(e!.ParamName, Is.EqualTo("epochs"));
    }

    [Test]
    public void Fit_NullCallback_Throws()
    {
        var model = Blobs2Class(out var x, out var y);
        var e = Assert.Throws<ArgumentException>(() => model.Fit(x, y, verbose: 0, callbacks: [null!]));
        Assert.That(e!.Message, Does.Contain("callbacks[0] is null"));
    }

    // ---- Memory ----

    [Test]
    public void Fit_NativeTensorCount_IsFlatAcrossEpochsAndCalls()
    {
        RandomSeed.Set(10);
        var model = Blobs2Class(out var x, out var y, n: 64);
        var (xv, yv) = ModelTestData.Blobs(16, seed: 3);
        // Warm-up: builds metric state and Adam's moment buffers.
        model.Fit(x, y, batchSize: 8, epochs: 1, validationData: (xv, yv), verbose: 0);
        GC.Collect();
        GC.WaitForPendingFinalizers();

        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        model.Fit(x, y, batchSize: 8, epochs: 1, validationData: (xv, yv), verbose: 0);
        long afterOne = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        model.Fit(x, y, batchSize: 8, epochs: 3, validationData: (xv, yv), verbose: 0);
        long afterThree = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        model.Evaluate(xv, yv, batchSize: 4, verbose: 0);
        long afterEvaluate = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        model.Predict(x, batchSize: 8, verbose: 0).Dispose();
        long afterPredict = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        Assert.Multiple(() =>
        {
            // 8 batches per epoch: a per-batch leak would add 16 or more tensors to the 3-epoch call.
            Assert.That(afterThree - afterOne, Is.EqualTo(afterOne - before), "3 epochs leak more than 1 epoch");
            Assert.That(afterOne - before, Is.EqualTo(0), "a Fit call leaves tensors alive");
            Assert.That(afterEvaluate - afterThree, Is.EqualTo(0), "Evaluate leaves tensors alive");
            Assert.That(afterPredict - afterEvaluate, Is.EqualTo(0), "Predict leaves tensors alive besides its result");
        });
    }

    [Test]
    public void Fit_IntegerInputsAndSplit_FreeTheirConversions()
    {
        // uint8 images are converted to float32 (as Keras does); the copy and the split views belong to the
        // call and must be freed when it returns, not left for the garbage collector.
        RandomSeed.Set(11);
        using var x = torch.randint(0, 255, [40, 4, 4], dtype: torch.ScalarType.Byte);
        using var y = torch.randint(0, 3, [40], dtype: torch.ScalarType.Int32);
        var model = new SequentialModel(new Flatten(inputShape: [4, 4]), new Dense(3));
        model.Compile(optimizer: "adam", loss: new SparseCategoricalCrossentropy(fromLogits: true), metrics: ["accuracy"], device: "cpu");
        model.Fit(x, y, batchSize: 8, epochs: 1, validationSplit: 0.25, verbose: 0); // warm-up: optimizer and metric state
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        model.Fit(x, y, batchSize: 8, epochs: 2, validationSplit: 0.25, verbose: 0);
        model.Evaluate(x, y, verbose: 0);
        model.Predict(x, verbose: 0).Dispose();
        Assert.That(DisposeScopeManager.Statistics.ThreadTotalLiveCount - before, Is.EqualTo(0));
    }

    // ---- MNIST integration ----

    [Test]
    public void Mnist_TutorialMlp_ReachesNinetyPercent()
    {
        var ((xTrain, yTrain), (xTest, yTest)) = Mnist.LoadData(out string source);
        Assume.That(source, Is.EqualTo(Mnist.ShippedSubsetSource),
            "this test is sized for the shipped 8,000-image subset; a full MNIST folder was found instead");
        RandomSeed.Set(42);
        var model = ModelTestData.TutorialMlp();
        model.Compile(optimizer: "adam", loss: new SparseCategoricalCrossentropy(fromLogits: true), metrics: ["accuracy"], device: "cpu");
        var history = model.Fit(xTrain / 255f, yTrain, epochs: 3, batchSize: 32, verbose: 0);
        var result = model.Evaluate(xTest / 255f, yTest, verbose: 0);

        // The example reaches ~0.93 after 5 epochs on the same 8,000 images; Keras's tutorial gets ~0.97 on all
        // 60,000. After 3 epochs an MLP with this recipe is past 0.90 on any seed; a broken loop (no
        // optimizer step, labels misaligned with images after shuffling, dropout active at test time) stays far
        // below it (chance is 0.10).
        Assert.That(result["accuracy"], Is.GreaterThanOrEqualTo(0.90));
        Assert.That(history["loss"][^1], Is.LessThan(history["loss"][0]));
        Assert.That(result["loss"], Is.LessThan(0.4));
    }

    [Test]
    public void CompileByOutputName_KeepsTheDistribution_AsTheListOverloadDoes()
    {
        // The dictionary overload passed lists on to the list overload but dropped distribution (Distribution was null).
        var input = new Input(shape: [2], name: "in");
        var model = new Model([input], [new Dense(1, name: "a").Apply(input), new Dense(1, name: "b").Apply(input)], name: "two");
        var distribution = new DataParallel();

        model.Compile(optimizer: "sgd", loss: new Dictionary<string, Loss> { ["a"] = "mse", ["b"] = "mae" }, distribution: distribution);

        Assert.That(model.Distribution, Is.SameAs(distribution));
    }
}
