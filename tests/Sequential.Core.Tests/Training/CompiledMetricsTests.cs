using Sequential.Losses;
using Sequential.Training;
using static TorchSharp.torch;
using MseMetric = Sequential.Metrics.MeanSquaredError;

namespace Sequential.Core.Tests.Training;

public class CompiledMetricsTests
{
    [Test]
    public void ALossWithReductionNone_StopsFitWithTheFix_BeforeBackward()
    {
        var model = new SequentialModel(new Sequential.Layers.Dense(1, inputShape: [1]));
        model.Compile(optimizer: "sgd", loss: new MeanSquaredError(reduction: "none"), device: "cpu");
        using var x = ones(4, 1);

        var e = Assert.Throws<InvalidOperationException>(() => model.Fit(x, x, batchSize: 4, verbose: 0));

        Assert.That(e!.Message, Is.EqualTo(
            "The loss 'mean_squared_error' gave a tensor of shape (4,) for a batch, not one number: with reduction \"none\" a loss " +
            "returns its per-sample values, which training cannot minimise. Compile with reduction \"sum_over_batch_size\" (the " +
            "default), \"sum\" or \"mean_with_sample_weight\", or override ComputeLoss to reduce the values."));
    }

    // Keras 3's compile_utils_test (test_single_output_case, test_dict_output_case): the same targets, two batches of
    // predictions and sample weights [1, 0, 1]; `metrics` ignore the weights, `weighted_metrics` use them, and a weighted
    // metric whose name is taken is logged as weighted_{name} (after the output's prefix).
    private static readonly float[,] YTrue1 = { { 0.1f, 0.2f }, { 0.3f, 0.4f }, { 0.5f, 0.6f } };
    private static readonly float[,] YPred1a = { { 0.4f, 0.1f }, { 0.2f, 0.6f }, { 0.6f, 0.1f } };
    private static readonly float[,] YPred1b = { { 0.3f, 0.2f }, { 0.1f, 0.4f }, { 0.2f, 0.3f } };
    private static readonly float[,] YTrue2 = { { 0.1f, 0.2f, 0.3f }, { 0.4f, 0.5f, 0.6f }, { 0.7f, 0.8f, 0.9f } };
    private static readonly float[,] YPred2a = { { 0.4f, 0.1f, 0.3f }, { 0.2f, 0.6f, 0.4f }, { 0.6f, 0.1f, 0.8f } };
    private static readonly float[,] YPred2b = { { 0.3f, 0.2f, 0.1f }, { 0.5f, 0.4f, 0.6f }, { 0.1f, 0.8f, 0.7f } };

    [Test]
    public void MetricsIgnoreTheSampleWeights_WeightedMetricsUseThem_AsKerasCompileMetrics()
    {
        var compiled = new CompiledMetrics(null, [new MseMetric()], [new MseMetric()]);
        using var w = tensor(new float[] { 1, 0, 1 });
        compiled.UpdateMetrics(tensor(YTrue1), tensor(YPred1a), w);
        compiled.UpdateMetrics(tensor(YTrue1), tensor(YPred1b), w);

        var values = compiled.Values();

        Assert.That(values.Keys, Is.EqualTo(new[] { "loss", "mean_squared_error", "weighted_mean_squared_error" }));
        Assert.That(values["mean_squared_error"], Is.EqualTo(0.055833336).Within(1e-6));
        Assert.That(values["weighted_mean_squared_error"], Is.EqualTo(0.0725).Within(1e-6));
        compiled.Reset();
        Assert.That(compiled.Values()["weighted_mean_squared_error"], Is.EqualTo(0.0));
    }

    [Test]
    public void PerOutputWeightedMetrics_AreNamedAsKeras_OutputWeightedName()
    {
        IReadOnlyList<object>[] Lists() => [[new MseMetric(), new MseMetric(name: "mse")], [new MseMetric(), new MseMetric(name: "mse")]];
        var compiled = new CompiledMetrics([null, null], null, Lists(), Lists(), ["output_1", "output_2"], prefix: true);
        using var w = tensor(new float[] { 1, 0, 1 });
        compiled.UpdateMetrics([tensor(YTrue1), tensor(YTrue2)], [tensor(YPred1a), tensor(YPred2a)], w, "m");
        compiled.UpdateMetrics([tensor(YTrue1), tensor(YTrue2)], [tensor(YPred1b), tensor(YPred2b)], w, "m");

        var values = compiled.Values();

        Assert.That(values.Keys, Is.EqualTo(new[]
        {
            "loss", "output_1_mean_squared_error", "output_1_mse", "output_2_mean_squared_error", "output_2_mse",
            "output_1_weighted_mean_squared_error", "output_1_weighted_mse", "output_2_weighted_mean_squared_error", "output_2_weighted_mse",
        }));
        Assert.That(values["output_1_mean_squared_error"], Is.EqualTo(0.055833336).Within(1e-6));
        Assert.That(values["output_2_mean_squared_error"], Is.EqualTo(0.066666667).Within(1e-6));
        Assert.That(values["output_1_mse"], Is.EqualTo(0.055833336).Within(1e-6));
        Assert.That(values["output_2_mse"], Is.EqualTo(0.066666667).Within(1e-6));
        Assert.That(values["output_1_weighted_mean_squared_error"], Is.EqualTo(0.0725).Within(1e-6));
        Assert.That(values["output_2_weighted_mean_squared_error"], Is.EqualTo(0.090833336).Within(1e-6));
        Assert.That(values["output_1_weighted_mse"], Is.EqualTo(0.0725).Within(1e-6));
        Assert.That(values["output_2_weighted_mse"], Is.EqualTo(0.090833336).Within(1e-6));
    }

    [Test]
    public void AWeightedMetricKeepsItsName_UnlessTaken_ThenWeightedNameWithACounter()
    {
        // Keras's result(): "mae" is free, so the weighted one keeps it; the second weighted "mse" finds "mse" and
        // "weighted_mse" taken and becomes "weighted_mse_1".
        var compiled = new CompiledMetrics(null, ["mse"], ["mae", "mse", "mse"]);
        Assert.That(compiled.Values().Keys, Is.EqualTo(new[] { "loss", "mse", "mae", "weighted_mse", "weighted_mse_1" }));
    }

    private static (Tensor Truth, Tensor Logits) Labelled(int rows, int seed)
    {
        var generator = new Generator((ulong)seed);
        var truth = randint(0, 2, [rows, 3], generator: generator).to_type(ScalarType.Float32);
        return (truth, randn([rows, 3], generator: generator) + truth);
    }

    private static Sequential.Metrics.Metric[] ConfusionMetrics() =>
        [new Sequential.Metrics.AUC(fromLogits: true), new Sequential.Metrics.Precision(), new Sequential.Metrics.Recall(),
         new Sequential.Metrics.Precision(classId: 1, name: "p1"), new Sequential.Metrics.Recall(topK: 2, name: "r2"),
         new Sequential.Metrics.TruePositives(thresholds: [0.7])];

    [Test]
    public void ConfusionMetricsOfAnOutput_ShareOneCopyOfEachBatch_AndGiveTheNumbersOfEachAlone()
    {
        var shared = ConfusionMetrics();
        var alone = ConfusionMetrics();
        var compiled = new CompiledMetrics(null, ["accuracy", .. shared]);
        void Step(int rows, int seed)
        {
            var (truth, logits) = Labelled(rows, seed);
            compiled.UpdateMetrics(truth, logits);
            foreach (var metric in alone) metric.UpdateState(truth, logits);
        }
        void AssertSame(string when)
        {
            var values = compiled.Values();
            foreach (var metric in alone)
                Assert.That(values[metric.Name], Is.EqualTo(metric.Value()).Within(1e-9), $"{metric.Name} {when}");
        }

        for (int i = 0; i < 4; i++) Step(8, i);
        AssertSame("after four batches");
        Step(5, 10);                              // a short last batch: the same row shape, so shared too
        AssertSame("after a short batch");
        compiled.Reset();
        foreach (var metric in alone) metric.ResetState();
        for (int i = 0; i < 3; i++) Step(8, 20 + i);
        var statistics = TorchSharp.DisposeScopeManager.Statistics.TensorStatistics;
        var (truth, logits) = Labelled(8, 30);
        long made = statistics.CreatedInScopeCount + statistics.CreatedOutsideScopeCount;
        compiled.UpdateMetrics(truth, logits);
        long created = statistics.CreatedInScopeCount + statistics.CreatedOutsideScopeCount - made;
        foreach (var metric in alone) metric.UpdateState(truth, logits);
        AssertSame("after a reset");
        // CategoricalAccuracy's update makes its own tensors; the six confusion metrics add, between them, one detach and
        // (on the first pass through the buffer, whose views are kept for the next passes) two views of the shared buffer:
        // 3, where each made those 3 for itself (18) before they shared a copy.
        var accuracyOnly = new CompiledMetrics(null, ["accuracy"]);
        accuracyOnly.UpdateMetrics(truth, logits);
        long accuracyStart = statistics.CreatedInScopeCount + statistics.CreatedOutsideScopeCount;
        accuracyOnly.UpdateMetrics(truth, logits);
        long accuracy = statistics.CreatedInScopeCount + statistics.CreatedOutsideScopeCount - accuracyStart;
        Assert.That(created - accuracy, Is.EqualTo(3), "tensors an update of the six confusion metrics creates");
    }
}
