using Sequential.Callbacks;
using Sequential.Layers;
using Sequential.Optimizers;
using static Sequential.Core.Tests.Callbacks.CallbackTestModels;

namespace Sequential.Core.Tests.Callbacks;

/// Keras 3's keras/src/callbacks/monitor_callback_test.py, and the three monitoring callbacks agreeing on it.
public class MonitorCallbackTests
{
    /// A user's subclass: the protected surface is enough to write one.
    private sealed class Probe(string monitor = "val_loss", string mode = "auto", double? baseline = null, double minDelta = 0)
        : MonitorCallback(monitor, mode, baseline, minDelta)
    {
        public bool Improves(double current, double? reference) => IsImprovement(current, reference);

        public void Resolve() => ResolveMode();

        public double? Read(IReadOnlyDictionary<string, double> logs) => GetMonitorValue(logs);
    }

    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("monitor-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    /// The three monitoring callbacks, built from the same monitor, mode and minDelta (ModelCheckpoint has no
    /// minDelta in Keras either: its own is always 0).
    private MonitorCallback Create(string kind, string monitor, string mode, double minDelta = 0) => kind switch
    {
        nameof(EarlyStopping) => new EarlyStopping(monitor: monitor, mode: mode, minDelta: minDelta),
        nameof(ReduceLROnPlateau) => new ReduceLROnPlateau(monitor: monitor, mode: mode, minDelta: minDelta),
        nameof(ModelCheckpoint) => new ModelCheckpoint(Path.Combine(_folder, "m{epoch}.seqmodel"), monitor: monitor, mode: mode,
            saveBestOnly: true),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// Feeds the values as epoch ends (with the model attached); returns what printed on standard error.
    private static string Drive(MonitorCallback callback, Model model, string key, params double[] values)
    {
        callback.SetModel(model);
        var previous = Console.Error;
        var error = new StringWriter();
        Console.SetError(error);
        try
        {
            callback.OnTrainBegin(Logs());
            for (int epoch = 0; epoch < values.Length; epoch++) callback.OnEpochEnd(epoch, Logs((key, values[epoch])));
        }
        finally
        {
            Console.SetError(previous);
        }
        return error.ToString();
    }

    private static readonly string[] Kinds = [nameof(EarlyStopping), nameof(ReduceLROnPlateau), nameof(ModelCheckpoint)];

    [Test]
    public void MinDeltaKeepsItsSizeAndLosesItsSign()
    {
        // Keras test_min_delta: MonitorCallback(mode="max", min_delta=0.5).
        var max = new Probe(mode: "max", minDelta: -0.5);
        Assert.That(max.MinDelta, Is.EqualTo(0.5));
        Assert.That(max.Improves(0.75, 0), Is.True);
        Assert.That(max.Improves(0.5, null), Is.True);
        Assert.That(max.Improves(0.5, 0), Is.False);
        Assert.That(max.Improves(0.2, 0.5), Is.False);
        // min mode: Keras negates min_delta, so current + 0.5 must be below the reference.
        var min = new Probe(mode: "min", minDelta: 0.5);
        Assert.That(min.Improves(0.25, 1), Is.True);
        Assert.That(min.Improves(0.6, 1), Is.False);
        Assert.That(min.Improves(0.5, 1), Is.False);
    }

    [TestCase(nameof(EarlyStopping))]
    [TestCase(nameof(ReduceLROnPlateau))]
    public void NegativeMinDeltaMeansTheSameMarginInEveryCallback(string kind)
    {
        // loss 1.0 then 0.6 with minDelta -0.5 (= 0.5): 0.6 + 0.5 is not below 1.0, so epoch 1 is no improvement.
        // ReduceLROnPlateau used best - minDelta = 1.5 and counted it as one.
        using var model = Linear(learningRate: 1.0);
        var callback = Create(kind, "loss", "min", minDelta: -0.5);
        Drive(callback, model, "loss", 1.0, 0.6);
        Assert.That(callback.MinDelta, Is.EqualTo(0.5));
        Assert.That(callback.Best, Is.EqualTo(1.0));
    }

    [Test]
    public void ReduceLROnPlateauReducesWhenTheGainIsBelowANegativeMinDelta()
    {
        using var model = Linear(learningRate: 1.0);
        Drive(new ReduceLROnPlateau(monitor: "loss", patience: 1, factor: 0.5, minDelta: -0.5), model, "loss", 1.0, 0.6);
        Assert.That(model.Optimizer!.LearningRate, Is.EqualTo(0.5));
    }

    [TestCase("MAX", "max", true)]
    [TestCase("Min", "min", false)]
    [TestCase("AUTO", "auto", false)] // val_loss
    public void EveryCallbackReadsModeTheSameWay(string given, string mode, bool maximizes)
    {
        using var model = Linear();
        foreach (string kind in Kinds)
        {
            var callback = Create(kind, "val_loss", given);
            Assert.That(callback.Mode, Is.EqualTo(mode), kind);
            Drive(callback, model, "val_loss", 1.0, 2.0);
            Assert.That(callback.Maximizes, Is.EqualTo(maximizes), kind);
            Assert.That(callback.Best, Is.EqualTo(maximizes ? 2.0 : 1.0), kind);
        }
    }

    [Test]
    public void EveryCallbackRejectsAnUnknownModeWithTheSameMessage()
    {
        foreach (string kind in Kinds)
        {
            var error = Assert.Throws<ArgumentException>(() => Create(kind, "val_loss", "maximum"))!;
            Assert.That(error.ParamName, Is.EqualTo("mode"));
            Assert.That(error.Message, Does.StartWith($"{kind} mode 'maximum' is unknown; use \"auto\", \"min\" or \"max\" (any case)."));
        }
    }

    [TestCase("val_precision", true)]  // Keras 2's "acc in name" rule minimized these
    [TestCase("val_auc", true)]
    [TestCase("val_ACC", true)]        // ModelCheckpoint matched "acc" with case, the other two without
    [TestCase("kind_accuracy", true)]  // an output's prefix
    [TestCase("price_mae", false)]
    [TestCase("val_kind_loss", false)]
    public void AutoModeAgreesInEveryCallback(string monitor, bool maximizes)
    {
        using var model = Linear();
        foreach (string kind in Kinds)
        {
            var callback = Create(kind, monitor, "auto");
            Drive(callback, model, monitor, 0.5, 0.6, 0.7);
            Assert.That(callback.Maximizes, Is.EqualTo(maximizes), kind);
            Assert.That(callback.Best, Is.EqualTo(maximizes ? 0.7 : 0.5), kind);
        }
    }

    [Test]
    public void AutoModeFollowsTheCompiledMetricsAsKerasDoes()
    {
        // Keras test_monitor_op_logic: compile(loss="mae", metrics=["mse", "acc", "accuracy", ...]), fit, then
        // _set_monitor_op. Sequential has no hinge or F1Score; renamed metrics show that the class decides.
        var model = new SequentialModel(new Dense(1, inputShape: [1]));
        model.Compile(optimizer: new SGD(learningRate: 0.01), loss: "mae",
            metrics: ["mse", "acc", "accuracy", new Sequential.Metrics.BinaryAccuracy(name: "hits"),
                new Sequential.Metrics.MeanSquaredError(name: "spread")], device: "cpu");
        var (x, y) = Line(4);
        model.Fit(x, y, epochs: 1, batchSize: 2, verbose: 0, validationSplit: 0.5);

        (string Mode, string Monitor, bool Max)[] cases =
        [
            ("max", "val_mse", true), ("min", "val_loss", false), ("auto", "val_mse", false), ("auto", "loss", false),
            ("auto", "acc", true), ("auto", "val_accuracy", true), ("auto", "val_hits", true), ("auto", "spread", false),
        ];
        foreach (var (mode, monitor, max) in cases)
        {
            var probe = new Probe(monitor, mode);
            probe.SetModel(model);
            probe.Resolve();
            Assert.That(probe.Maximizes, Is.EqualTo(max), $"{mode} {monitor}");
        }
        // Without the model, "hits" is just a name.
        Assert.Throws<InvalidOperationException>(() => new Probe("val_hits").Resolve());
    }

    /// A user's metric that says which way it improves (Keras 3's _direction), under names no rule knows or that a
    /// name rule would read the other way.
    private sealed class Declared(string name, Sequential.Metrics.MetricDirection direction) : Sequential.Metrics.MeanMetricWrapper(name)
    {
        public override Sequential.Metrics.MetricDirection Direction => direction;

        public override TorchSharp.torch.Tensor ComputeValues(TorchSharp.torch.Tensor yTrue, TorchSharp.torch.Tensor yPred) => (yTrue - yPred).abs();
    }

    [Test]
    public void AutoModeReadsTheMetricsDeclaredDirection()
    {
        // "margin" is no Keras name (Keras raises for it unless the metric declares a direction); "auc" is a name Keras
        // maximizes, but this metric declares it goes down; "val_auc" of a compiled AUC is maximized.
        var model = new SequentialModel(new Dense(1, inputShape: [1]));
        model.Compile(optimizer: new SGD(learningRate: 0.01), loss: "mae",
            metrics: [new Declared("margin", Sequential.Metrics.MetricDirection.Up), new Declared("auc", Sequential.Metrics.MetricDirection.Down),
                new Sequential.Metrics.AUC(name: "roc"), "precision"], device: "cpu");
        var (x, y) = Line(8);
        model.Fit(x, y, epochs: 1, batchSize: 4, verbose: 0, validationSplit: 0.5);
        foreach (var (monitor, max) in new[] { ("val_margin", true), ("margin", true), ("val_auc", false), ("val_roc", true), ("val_precision", true) })
            foreach (string kind in Kinds)
            {
                var callback = Create(kind, monitor, "auto");
                callback.SetModel(model);
                Drive(callback, model, monitor, 0.5, 0.6, 0.7);
                Assert.That(callback.Maximizes, Is.EqualTo(max), $"{kind} {monitor}");
            }
    }

    [Test]
    public void EarlyStoppingOnValAuc_KeepsTheHighestEpoch()
    {
        // End to end: compile with the string "auc", monitor val_auc in auto mode: the best value is the highest one.
        var model = new SequentialModel(new Dense(1, activation: "sigmoid", inputShape: [1]));
        model.Compile(optimizer: new SGD(learningRate: 0.5), loss: "binary_crossentropy", metrics: ["auc"], device: "cpu");
        var x = TorchSharp.torch.linspace(-1, 1, 16).reshape(2, 8).t().reshape(16, 1);   // negatives and positives alternate
        var y = x.gt(0).to_type(TorchSharp.torch.ScalarType.Float32);
        var stop = new EarlyStopping(monitor: "val_auc", patience: 10);
        var history = model.Fit(x, y, epochs: 3, batchSize: 4, verbose: 0, validationSplit: 0.25, callbacks: [stop]);
        Assert.That(stop.Maximizes, Is.True);
        Assert.That(stop.Best, Is.EqualTo(history["val_auc"].Max()));
    }

    [Test]
    public void AutoModeRefusesANameItCannotResolveInEveryCallback()
    {
        // Keras raises ValueError at the first epoch end for monitor="unknown", whether or not the logs have it.
        using var model = Linear();
        var (x, y) = Line(4);
        foreach (string kind in Kinds)
        {
            var error = Assert.Throws<InvalidOperationException>(() =>
                model.Fit(x, y, epochs: 2, batchSize: 4, verbose: 0, callbacks: [Create(kind, "unknown", "auto")]))!;
            Assert.That(error.Message, Is.EqualTo(
                $"{kind} received monitor: \"unknown\", but cannot tell whether `unknown` should be maximized or minimized: " +
                "it is not a loss, and neither a compiled metric nor a Keras metric of that name says. " +
                "Pass mode: \"max\" to keep the highest value, or mode: \"min\" to keep the lowest."));
        }
    }

    [Test]
    public void EveryCallbackWarnsOnceAboutAMissingMonitor()
    {
        using var model = Linear(learningRate: 1.0);
        string[] purposes = ["Early stopping", "Learning rate reduction", "Saving only the best model"];
        string[] available = ["loss", "loss,learning_rate", "loss"]; // ReduceLROnPlateau logs the rate first, as Keras
        for (int i = 0; i < Kinds.Length; i++)
        {
            var callback = Create(Kinds[i], "val_loss", "auto");
            string printed = Drive(callback, model, "loss", 3, 2, 1);
            string warning = $"Warning: {purposes[i]} is conditioned on metric `val_loss` which is not available. " +
                             $"Available metrics are: {available[i]}";
            Assert.That(printed, Is.EqualTo(warning + Environment.NewLine), Kinds[i]);
            Assert.That(callback.Best, Is.Null, Kinds[i]);
        }
    }

    [Test]
    public void ProbeReadsTheMonitorOrWarnsWithTheKeys()
    {
        var probe = new Probe("val_accuracy");
        Assert.That(probe.Read(Logs(("val_accuracy", 0.5))), Is.EqualTo(0.5));
        var previous = Console.Error;
        var error = new StringWriter();
        Console.SetError(error);
        try
        {
            Assert.That(probe.Read(Logs(("loss", 1), ("accuracy", 0.5))), Is.Null);
        }
        finally
        {
            Console.SetError(previous);
        }
        Assert.That(error.ToString(), Is.EqualTo(
            "Warning: Probe is conditioned on metric `val_accuracy` which is not available. Available metrics are: loss,accuracy"
            + Environment.NewLine));
    }

    [Test]
    public void NaNMinDeltaIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new EarlyStopping(minDelta: double.NaN))!;
        Assert.That(error.ParamName, Is.EqualTo("minDelta"));
        Assert.That(error.Message, Does.StartWith("EarlyStopping minDelta is NaN; pass a number such as 0 or 1e-4."));
    }
}
