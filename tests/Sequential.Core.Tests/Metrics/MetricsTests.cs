using Sequential.Losses;
using BinaryCrossentropy = Sequential.Losses.BinaryCrossentropy;
using CategoricalCrossentropy = Sequential.Losses.CategoricalCrossentropy;
using SparseCategoricalCrossentropy = Sequential.Losses.SparseCategoricalCrossentropy;
using Sequential.Metrics;
using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Metrics;

public class MetricsTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    [TestCase(new long[] { 8 }, new long[] { 8, 1 }, typeof(BinaryAccuracy))]                 // output last dim 1
    [TestCase(new long[] { 8, 1 }, new long[] { 8, 1 }, typeof(BinaryAccuracy))]
    [TestCase(new long[] { 8 }, new long[] { 8, 10 }, typeof(SparseCategoricalAccuracy))]     // y rank one less
    [TestCase(new long[] { 8, 1 }, new long[] { 8, 10 }, typeof(SparseCategoricalAccuracy))]  // y ends in 1
    [TestCase(new long[] { 8, 10 }, new long[] { 8, 10 }, typeof(CategoricalAccuracy))]
    public void Accuracy_ResolvedFromShapes(long[] yTrue, long[] yPred, Type expected)
    {
        var m = MetricRegistry.Get("accuracy", null, yTrue, yPred);
        Assert.That(m, Is.TypeOf(expected));
        Assert.That(m.Name, Is.EqualTo("accuracy"));
    }

    [Test]
    public void NameIsTheStringAsGiven()
    {
        Assert.That(MetricRegistry.Get("acc", null, [4], [4, 3]).Name, Is.EqualTo("acc"));
        Assert.That(MetricRegistry.Get("Accuracy", null, [4], [4, 3]).Name, Is.EqualTo("Accuracy"));
        Assert.That(MetricRegistry.Get("MAE"), Is.TypeOf<Sequential.Metrics.MeanAbsoluteError>().And.Property("Name").EqualTo("MAE"));
        Assert.That(MetricRegistry.Get("mse"), Is.TypeOf<Sequential.Metrics.MeanSquaredError>());
        Assert.That(MetricRegistry.Get("Sparse_Categorical_Accuracy"), Is.TypeOf<SparseCategoricalAccuracy>());
        Assert.That(MetricRegistry.Get("categoricalaccuracy"), Is.TypeOf<CategoricalAccuracy>());
    }

    [Test]
    public void Accuracy_WithoutShapes_FollowsTheLoss()
    {
        Assert.That(MetricRegistry.Get("accuracy", new SparseCategoricalCrossentropy()), Is.TypeOf<SparseCategoricalAccuracy>());
        Assert.That(MetricRegistry.Get("accuracy", new CategoricalCrossentropy()), Is.TypeOf<CategoricalAccuracy>());
        var ex = Assert.Throws<ArgumentException>(() => MetricRegistry.Get("accuracy", new Sequential.Losses.MeanSquaredError()));
        Assert.That(ex!.Message, Does.Contain("binary_accuracy"));
    }

    [Test]
    public void BinaryAccuracy_WithLogitsLoss_ThresholdsAtZero()
    {
        // logit 0.3 (probability 0.574) with label 1 is right; Keras's 0.5 threshold on the logit would call it wrong
        var logitsLoss = new BinaryCrossentropy(fromLogits: true);
        var fromAccuracy = (BinaryAccuracy)MetricRegistry.Get("accuracy", logitsLoss, [2], [2, 1]);
        var byName = (BinaryAccuracy)MetricRegistry.Get("binary_accuracy", logitsLoss);
        var probabilities = (BinaryAccuracy)MetricRegistry.Get("accuracy", new BinaryCrossentropy(), [2], [2, 1]);
        Assert.That(fromAccuracy.Threshold, Is.EqualTo(0.0));
        Assert.That(byName.Threshold, Is.EqualTo(0.0));
        Assert.That(probabilities.Threshold, Is.EqualTo(0.5));
        using (NewDisposeScope()) fromAccuracy.UpdateState(F([1, 0], 2), F([0.3f, -2f], 2, 1));
        Assert.That(fromAccuracy.Value(), Is.EqualTo(1.0).Within(1e-6));
    }

    [Test]
    public void Unknown_ListsAcceptedNames()
    {
        var ex = Assert.Throws<ArgumentException>(() => MetricRegistry.Get("f1"));
        Assert.That(ex!.Message, Does.StartWith("Unknown metric 'f1'. Accepted: accuracy, acc, binary_accuracy")
            .And.Contain("sparse_categorical_accuracy").And.Contain("mae"));
    }

    [Test]
    public void FromConfig_CreatesBuiltInsByClassName_AndRefusesOthersWithTheFix()
    {
        var accuracy = (BinaryAccuracy)MetricRegistry.FromConfig("BinaryAccuracy",
            new Dictionary<string, object?> { ["threshold"] = 0.7, ["name"] = "acc" });
        Assert.That((accuracy.Threshold, accuracy.Name), Is.EqualTo((0.7, "acc")));
        Assert.That(accuracy.GetConfig(), Is.EqualTo(new Dictionary<string, object?> { ["threshold"] = 0.7, ["name"] = "acc" }));
        var ex = Assert.Throws<InvalidDataException>(() => MetricRegistry.FromConfig("MeanMetricWrapper", new Dictionary<string, object?>()));
        Assert.That(ex!.Message, Does.StartWith(
            "Unknown metric class 'MeanMetricWrapper'. If it is your own metric, call Sequential.Metrics.MetricRegistry.Register<MeanMetricWrapper>() before loading."));
        Assert.Throws<ArgumentException>(MetricRegistry.Register<MeanMetricWrapperBase>);
    }

    private abstract class MeanMetricWrapperBase() : MeanMetricWrapper("base");
}
