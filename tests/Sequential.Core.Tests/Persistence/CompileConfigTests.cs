using System.Text;
using System.Text.Json.Nodes;
using Sequential.Layers;
using Sequential.Losses;
using BinaryCrossentropy = Sequential.Losses.BinaryCrossentropy;
using CategoricalCrossentropy = Sequential.Losses.CategoricalCrossentropy;
using SparseCategoricalCrossentropy = Sequential.Losses.SparseCategoricalCrossentropy;
using Sequential.Metrics;
using Sequential.Optimizers;
using static TorchSharp.torch;
using Adam = Sequential.Optimizers.Adam;
using MeanAbsoluteError = Sequential.Losses.MeanAbsoluteError;
using MeanSquaredError = Sequential.Losses.MeanSquaredError;
using Parameter = TorchSharp.Modules.Parameter;
using SGD = Sequential.Optimizers.SGD;

namespace Sequential.Core.Tests.Persistence;

/// <summary>
/// The compile settings in a model file (ModelFile's "compile" section): the optimizer, the loss and metric objects are
/// saved as class name and configuration, so their arguments survive Save/Load and registered custom classes load.
/// </summary>
public class CompileConfigTests
{
    private string _dir = "";

    [SetUp]
    public void CreateFolder() => _dir = TestModels.TempDir();

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    /// A user's loss with an argument, registered in the test that loads it.
    public sealed class ScaledSquaredError(double scale = 1.0, string? reduction = "sum_over_batch_size")
        : Loss("scaled_squared_error", reduction)
    {
        public double Scale { get; } = scale;

        public override Tensor ComputeValues(Tensor yTrue, Tensor yPred) => (yPred - yTrue).square().mean([-1]) * Scale;
    }

    /// Never registered.
    public sealed class UnregisteredLoss() : Loss("unregistered")
    {
        public override Tensor ComputeValues(Tensor yTrue, Tensor yPred) => (yPred - yTrue).abs().mean([-1]);
    }

    /// A user's metric with an argument, registered in the test that loads it.
    public sealed class WithinTolerance(double tolerance = 0.1, string name = "within_tolerance") : MeanMetricWrapper(name)
    {
        public double Tolerance { get; } = tolerance;

        public override Tensor ComputeValues(Tensor yTrue, Tensor yPred) => (yTrue - yPred.reshape(yTrue.shape)).abs().le(Tolerance);
    }

    /// Never registered.
    public sealed class UnregisteredMetric(string name = "unregistered_metric") : MeanMetricWrapper(name)
    {
        public override Tensor ComputeValues(Tensor yTrue, Tensor yPred) => yPred;
    }

    /// A user's optimizer: plain gradient descent at half the learning rate.
    public sealed class HalfStep(double learningRate = 0.1) : Optimizer("half_step", learningRate)
    {
        protected override void Build(IReadOnlyList<Parameter> variables) { }

        protected override void UpdateStep(Tensor gradient, Tensor variable, int index, double learningRate) =>
            variable.add_(gradient, -learningRate / 2);
    }

    private static (Tensor x, Tensor y) Line()
    {
        var x = linspace(-1, 1, 16).reshape(16, 1);
        return (x, 3 * x - 1);
    }

    private static SequentialModel Regressor() => new(new Dense(1, inputShape: [1]));

    private JsonObject Compile(string path) =>
        JsonNode.Parse(Encoding.UTF8.GetString(ModelFileEdits.ReadEntry(path, "config.json")))!["compile"]!.AsObject();

    [Test]
    public void BinaryAccuracyThreshold_SurvivesSaveLoad()
    {
        RandomSeed.Set(1);
        var model = new SequentialModel(new Dense(1, activation: "sigmoid", inputShape: [2]));
        model.Compile(optimizer: "adam", loss: "binary_crossentropy", metrics: [new BinaryAccuracy(threshold: 0.7), "accuracy"]);
        model.Save(PathOf("m.seqmodel"));

        var loaded = SequentialModel.Load(PathOf("m.seqmodel"));

        var specs = loaded.CompiledMetrics.Specs;
        Assert.That(specs, Has.Count.EqualTo(2));
        Assert.That(specs[0], Is.TypeOf<BinaryAccuracy>());
        Assert.That(((BinaryAccuracy)specs[0]).Threshold, Is.EqualTo(0.7));
        Assert.That(((BinaryAccuracy)specs[0]).Name, Is.EqualTo("binary_accuracy"));
        Assert.That(specs[1], Is.EqualTo("accuracy"));   // a string stays a string, resolved from the shapes on Fit
        Assert.That(Compile(PathOf("m.seqmodel"))["metrics"]!.ToJsonString(),
            Is.EqualTo("[{\"class_name\":\"BinaryAccuracy\",\"config\":{\"threshold\":0.7,\"name\":\"binary_accuracy\"}},\"accuracy\"]"));
    }

    [Test]
    public void WeightedMetrics_SurviveSaveLoad_AsKerasWeightedMetrics()
    {
        var model = new SequentialModel(new Dense(1, useBias: false, kernelInitializer: "ones", inputShape: [1]));
        model.Compile(optimizer: "sgd", loss: "mse", metrics: ["mae"], weightedMetrics: ["mae", new BinaryAccuracy(threshold: 0.7)]);
        model.Save(PathOf("m.seqmodel"));

        var loaded = SequentialModel.Load(PathOf("m.seqmodel"));

        Assert.That(Compile(PathOf("m.seqmodel"))["weighted_metrics"]!.ToJsonString(),
            Is.EqualTo("[\"mae\",{\"class_name\":\"BinaryAccuracy\",\"config\":{\"threshold\":0.7,\"name\":\"binary_accuracy\"}}]"));
        var weighted = loaded.CompiledMetrics.WeightedSpecsPerOutput.Single();
        Assert.That(weighted[0], Is.EqualTo("mae"));
        Assert.That(((BinaryAccuracy)weighted[1]).Threshold, Is.EqualTo(0.7));
        // x = [1, 3], y = [0, 1], k = 1, weights [3, 1]: mae 1.5, weighted_mae (3 + 2) / 4 = 1.25.
        var logs = loaded.Evaluate(tensor(new float[] { 1, 3 }).reshape(2, 1), tensor(new float[] { 0, 1 }), verbose: 0,
            sampleWeight: tensor(new float[] { 3, 1 }));
        Assert.That(logs.Keys, Is.EqualTo(new[] { "loss", "mae", "weighted_mae", "binary_accuracy" }));
        Assert.That((logs["mae"], logs["weighted_mae"]), Is.EqualTo((1.5, 1.25)));
    }

    [Test]
    public void PerOutputWeightedMetrics_SurviveSaveLoad()
    {
        var input = new Input(shape: [2], name: "in");
        var a = new Dense(1, name: "a").Apply(input);
        var b = new Dense(1, name: "b").Apply(input);
        var model = new Model([input], [a, b], name: "two");
        model.Compile(optimizer: "sgd", loss: new Dictionary<string, Loss> { ["a"] = "mse", ["b"] = "mae" },
            weightedMetrics: new Dictionary<string, IEnumerable<object>> { ["b"] = ["mse"] });
        model.Save(PathOf("m.seqmodel"));

        var loaded = Model.Load(PathOf("m.seqmodel"));

        Assert.That(Compile(PathOf("m.seqmodel"))["weighted_metrics"]!.ToJsonString(), Is.EqualTo("[[],[\"mse\"]]"));
        Assert.That(loaded.CompiledMetrics.WeightedSpecsPerOutput.Select(s => s.Count), Is.EqualTo(new[] { 0, 1 }));
        var logs = loaded.Evaluate([ones(2, 2)], [zeros(2, 1), zeros(2, 1)], verbose: 0);
        Assert.That(logs.Keys, Is.EqualTo(new[] { "loss", "b_mse", "a_loss", "b_loss" }));
    }

    private static IEnumerable<TestCaseData> LossesWithArguments()
    {
        yield return new TestCaseData(new Huber(delta: 2.5, reduction: "sum", name: "huber")).SetArgDisplayNames("huber");
        yield return new TestCaseData(new BinaryCrossentropy(fromLogits: true, labelSmoothing: 0.1, reduction: "mean_with_sample_weight"))
            .SetArgDisplayNames("bce");
        yield return new TestCaseData(new CategoricalCrossentropy(labelSmoothing: 0.2, name: "cce")).SetArgDisplayNames("cce");
        yield return new TestCaseData(new SparseCategoricalCrossentropy(fromLogits: true, reduction: "sum")).SetArgDisplayNames("scce");
        yield return new TestCaseData(new MeanSquaredError(reduction: "none")).SetArgDisplayNames("mse");
        yield return new TestCaseData(new MeanAbsoluteError(name: "l1")).SetArgDisplayNames("mae");
    }

    [TestCaseSource(nameof(LossesWithArguments))]
    public void LossArguments_SurviveSaveLoad(Loss loss)
    {
        var model = new SequentialModel(new Dense(3, inputShape: [2]));
        model.Compile(optimizer: new SGD(learningRate: 0.02, momentum: 0.5), loss: loss);
        model.Save(PathOf("m.seqmodel"));

        var loaded = SequentialModel.Load(PathOf("m.seqmodel"));

        Assert.That(loaded.Loss, Is.TypeOf(loss.GetType()));
        Assert.That(loaded.Loss!.GetConfig(), Is.EqualTo(loss.GetConfig()));
        Assert.That(loaded.Loss.Name, Is.EqualTo(loss.Name));
        Assert.That(loaded.Loss.Reduction, Is.EqualTo(loss.Reduction));
        Assert.That(loaded.Optimizer, Is.TypeOf<SGD>());
        Assert.That(((SGD)loaded.Optimizer!).Momentum, Is.EqualTo(0.5));
        Assert.That(Compile(PathOf("m.seqmodel"))["loss"]!["class_name"]!.GetValue<string>(), Is.EqualTo(loss.GetType().Name));
    }

    [Test]
    public void ARegisteredCustomLossMetricAndOptimizer_LoadAndKeepTraining()
    {
        LossRegistry.Register<ScaledSquaredError>();
        MetricRegistry.Register<WithinTolerance>();
        OptimizerRegistry.Register<HalfStep>();
        var (x, y) = Line();
        RandomSeed.Set(2);
        var model = Regressor();
        model.Compile(optimizer: new HalfStep(learningRate: 0.2), loss: new ScaledSquaredError(scale: 3),
            metrics: [new WithinTolerance(tolerance: 0.25, name: "close")]);
        model.Fit(x, y, batchSize: 16, epochs: 3, verbose: 0);
        model.Save(PathOf("m.seqmodel"));

        var loaded = SequentialModel.Load(PathOf("m.seqmodel"));

        Assert.That(((ScaledSquaredError)loaded.Loss!).Scale, Is.EqualTo(3));
        var metric = (WithinTolerance)loaded.CompiledMetrics.Specs.Single();
        Assert.That((metric.Tolerance, metric.Name), Is.EqualTo((0.25, "close")));
        Assert.That(loaded.Optimizer, Is.TypeOf<HalfStep>());
        Assert.That(loaded.Optimizer!.LearningRate, Is.EqualTo(0.2));
        var expected = model.Evaluate(x, y, verbose: 0);
        var actual = loaded.Evaluate(x, y, verbose: 0);
        Assert.That(actual.Keys, Is.EqualTo(new[] { "loss", "close" }));
        Assert.That(actual["loss"], Is.EqualTo(expected["loss"]).Within(1e-6));
        Assert.That(actual["close"], Is.EqualTo(expected["close"]).Within(1e-6));
        var history = loaded.Fit(x, y, batchSize: 16, epochs: 20, verbose: 0);
        Assert.That(history["loss"][^1], Is.LessThan(expected["loss"]));
    }

    [Test]
    public void AnUnregisteredCustomLoss_Saves_ButLoadSaysHowToRegisterIt()
    {
        var model = Regressor();
        model.Compile(optimizer: "sgd", loss: new UnregisteredLoss());
        model.Save(PathOf("m.seqmodel"));

        var e = Assert.Throws<InvalidDataException>(() => SequentialModel.Load(PathOf("m.seqmodel")));

        Assert.That(e!.Message, Does.Contain("m.seqmodel").And.Contain(
            "Unknown loss class 'UnregisteredLoss'. If it is your own loss, call Sequential.Losses.LossRegistry.Register<UnregisteredLoss>() " +
            "before loading. Known loss classes: BinaryCrossentropy, BinaryFocalCrossentropy, CTC, CategoricalCrossentropy"));
    }

    [Test]
    public void AnUnregisteredCustomMetric_Saves_ButLoadSaysHowToRegisterIt()
    {
        var model = Regressor();
        model.Compile(optimizer: "sgd", loss: "mse", metrics: [new UnregisteredMetric()]);
        model.Save(PathOf("m.seqmodel"));

        var e = Assert.Throws<InvalidDataException>(() => SequentialModel.Load(PathOf("m.seqmodel")));

        Assert.That(e!.Message, Does.Contain("m.seqmodel").And.Contain(
            "Unknown metric class 'UnregisteredMetric'. If it is your own metric, call Sequential.Metrics.MetricRegistry.Register<UnregisteredMetric>() before loading."));
    }

    [Test]
    public void AMetricWrappingAFunction_FailsSaveWithTheFix_AndWritesNoFile()
    {
        var model = Regressor();
        model.Compile(optimizer: "sgd", loss: "mse", metrics: [new MeanMetricWrapper((t, p) => (t - p).abs(), name: "l1")]);

        var e = Assert.Throws<InvalidOperationException>(() => model.Save(PathOf("m.seqmodel")));

        Assert.That(e!.Message, Does.StartWith("Metric \"l1\": The metric 'l1' wraps a function, which cannot be saved"));
        Assert.That(Directory.GetFileSystemEntries(_dir), Is.Empty);
    }

    [Test]
    public void AFileFromBeforeClassNames_StillLoads()
    {
        // What earlier versions wrote: Keras names and the arguments of the day, metrics as names.
        var model = Regressor();
        model.Compile(optimizer: new Adam(learningRate: 0.005), loss: new Huber(delta: 2));
        model.Save(PathOf("m.seqmodel"));
        ModelFileEdits.RewriteJson(PathOf("m.seqmodel"), "config.json", c =>
        {
            var compile = c["compile"]!.AsObject();
            var optimizerConfig = compile["optimizer"]!["config"]!.DeepClone();
            compile["optimizer"] = new JsonObject { ["name"] = "adam", ["config"] = optimizerConfig };
            compile["loss"] = new JsonObject { ["name"] = "huber_loss", ["config"] = new JsonObject { ["delta"] = 2.0 } };
            compile["metrics"] = new JsonArray("mae");
        });

        var loaded = SequentialModel.Load(PathOf("m.seqmodel"));

        Assert.That(((Huber)loaded.Loss!).Delta, Is.EqualTo(2.0));
        Assert.That(loaded.Loss.Reduction, Is.EqualTo("sum_over_batch_size"));
        Assert.That(loaded.Optimizer!.LearningRate, Is.EqualTo(0.005));
        Assert.That(loaded.CompiledMetrics.Specs, Is.EqualTo(new object[] { "mae" }));
    }

    [TestCase("loss", "{\"class_name\": 5}", "the class_name of the saved loss is 5, not a string")]
    [TestCase("loss", "{\"config\": {}}", "the saved loss has neither a class_name nor a name")]
    [TestCase("loss", "{\"class_name\": \"Huber\", \"config\": {\"delta\": -1}}", "delta must be positive")]
    [TestCase("loss", "{\"class_name\": \"Huber\", \"config\": {\"reduction\": \"average\"}}", "Unknown reduction 'average'")]
    [TestCase("loss", "{\"class_name\": \"System.Diagnostics.Process\"}", "Unknown loss class 'System.Diagnostics.Process'")]
    [TestCase("metric", "{\"class_name\": \"BinaryAccuracy\", \"config\": {\"threshold\": \"high\"}}", "'threshold' that is not a Double")]
    [TestCase("metric", "{\"name\": \"binary_accuracy\"}", "the class_name of the saved metric is missing, not a string")]
    [TestCase("optimizer", "{\"class_name\": \"Huber\"}", "Unknown optimizer class 'Huber'")]
    public void AMalformedCompileEntry_IsAnInvalidDataExceptionNamingTheFile(string what, string json, string message)
    {
        var model = Regressor();
        model.Compile(optimizer: "sgd", loss: "mse", metrics: ["mae"]);
        model.Save(PathOf("m.seqmodel"));
        ModelFileEdits.RewriteJson(PathOf("m.seqmodel"), "config.json", c =>
        {
            var compile = c["compile"]!.AsObject();
            if (what == "metric") compile["metrics"] = new JsonArray(JsonNode.Parse(json));
            else compile[what] = JsonNode.Parse(json);
        });

        var e = Assert.Throws<InvalidDataException>(() => SequentialModel.Load(PathOf("m.seqmodel")));

        Assert.That(e!.Message, Does.Contain("m.seqmodel").And.Contain(message));
    }
}
