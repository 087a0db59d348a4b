using Sequential.Metrics;
using static Sequential.Core.Tests.Losses.TestTensors;
using static Sequential.Core.Tests.Metrics.PrecisionTests;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Metrics;

/// SensitivityAtSpecificity, SpecificityAtSensitivity, PrecisionAtRecall, RecallAtPrecision: Keras's values.
public class SensitivitySpecificityBaseTests
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();

    private static Tensor P(params float[] values) => F(values, values.Length);

    private static readonly float[] Low = [0.0f, 0.1f, 0.2f, 0.3f, 0.4f, 0.01f, 0.02f, 0.25f, 0.26f, 0.26f];
    private static readonly float[] Labels = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
    private static readonly float[] RecallPred = [0.0f, 0.1f, 0.2f, 0.5f, 0.6f, 0.2f, 0.5f, 0.6f, 0.8f, 0.9f];
    private static readonly float[] Twelve = [0.05f, 0.1f, 0.2f, 0.3f, 0.3f, 0.35f, 0.4f, 0.45f, 0.5f, 0.6f, 0.9f, 0.95f];
    private static readonly float[] TwelveLabels = [0, 1, 0, 0, 0, 1, 1, 0, 1, 1, 0, 1];

    /// Three identical columns of predictions, one-hot labels where the given class is 2: class 2's curve is the original.
    private static (Tensor, Tensor) ClassTwo(float[] pred, float[] labels) =>
        (nn.functional.one_hot(tensor(labels.Select(l => (long)(l * 2)).ToArray()), 3).to_type(ScalarType.Float32),
         stack([P(pred), P(pred), P(pred)], 1));

    [Test]
    public void AllCorrect_IsOne()
    {
        var inputs = randint(0, 2, [100, 1]).to_type(ScalarType.Float32);
        inputs[0, 0] = tensor(0f);
        inputs[1, 0] = tensor(1f);
        Assert.That(Run(new SensitivityAtSpecificity(0.7), inputs, inputs), Is.EqualTo(1.0).Within(1e-7));
        Assert.That(Run(new SpecificityAtSensitivity(0.7), inputs, inputs), Is.EqualTo(1.0).Within(1e-7));
        Assert.That(Run(new PrecisionAtRecall(0.7), inputs, inputs), Is.EqualTo(1.0).Within(1e-7));
        Assert.That(Run(new RecallAtPrecision(0.7), inputs, inputs), Is.EqualTo(1.0).Within(1e-7));
    }

    [Test]
    public void SensitivityAtSpecificity_Keras()
    {
        Assert.That(Run(new SensitivityAtSpecificity(0.8), P(Labels), P(0.0f, 0.1f, 0.2f, 0.3f, 0.4f, 0.1f, 0.45f, 0.5f, 0.8f, 0.9f)), Is.EqualTo(0.8).Within(1e-6));
        Assert.That(Run(new SensitivityAtSpecificity(0.4), P(Labels), P(Low)), Is.EqualTo(0.6).Within(1e-6));
        Assert.That(Run(new SensitivityAtSpecificity(0.4), P(Labels), P(Low), P(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)), Is.EqualTo(0.675).Within(1e-6));
    }

    [Test]
    public void SpecificityAtSensitivity_Keras()
    {
        Assert.That(Run(new SpecificityAtSensitivity(1.0), P(Labels), P(Low)), Is.EqualTo(0.2).Within(1e-6));
        Assert.That(Run(new SpecificityAtSensitivity(0.4), P(Labels), P(Low)), Is.EqualTo(0.6).Within(1e-6));
        var (y, p) = ClassTwo(Low, Labels);
        Assert.That(Run(new SpecificityAtSensitivity(0.4, classId: 2), y, p), Is.EqualTo(0.6).Within(1e-6));
        Assert.That(Run(new SpecificityAtSensitivity(0.4), tensor(Labels.Select(l => l == 1).ToArray()), P(Low), P(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)),
            Is.EqualTo(0.4).Within(1e-6));
    }

    [Test]
    public void PrecisionAtRecall_Keras()
    {
        Assert.That(Run(new PrecisionAtRecall(0.8), P(Labels), P(RecallPred)), Is.EqualTo(2.0 / 3).Within(1e-6));
        Assert.That(Run(new PrecisionAtRecall(0.6), P(Labels), P(RecallPred)), Is.EqualTo(0.75).Within(1e-6));
        var (y, p) = ClassTwo(RecallPred, Labels);
        Assert.That(Run(new PrecisionAtRecall(0.6, classId: 2), y, p), Is.EqualTo(0.75).Within(1e-6));
        Assert.That(Run(new PrecisionAtRecall(7.0 / 8), P(Labels), P(RecallPred), P(2, 1, 2, 1, 2, 1, 2, 2, 1, 2)), Is.EqualTo(0.7).Within(1e-6));
    }

    [Test]
    public void RecallAtPrecision_Keras()
    {
        Assert.That(Run(new RecallAtPrecision(0.75), P(TwelveLabels), P(Twelve)), Is.EqualTo(0.5).Within(1e-6));
        Assert.That(Run(new RecallAtPrecision(2.0 / 3), P(TwelveLabels), P(Twelve)), Is.EqualTo(5.0 / 6).Within(1e-6));
        var (y, p) = ClassTwo(Twelve, TwelveLabels);
        Assert.That(Run(new RecallAtPrecision(2.0 / 3, classId: 2), y, p), Is.EqualTo(5.0 / 6).Within(1e-6));
        Assert.That(Run(new RecallAtPrecision(0.75), P(0, 1, 0, 0, 0, 1, 1), P(0.1f, 0.2f, 0.3f, 0.5f, 0.6f, 0.9f, 0.9f), P(1, 2, 1, 2, 1, 2, 1)),
            Is.EqualTo(0.6).Within(1e-6));
        Assert.That(Run(new RecallAtPrecision(2.0 / 3), P(1, 1, 0, 0), P(0.1f, 0.2f, 0.3f, 0.9f)), Is.EqualTo(0.0));
    }

    [Test]
    public void InvalidArguments_Throw()
    {
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new SensitivityAtSpecificity(-1))!.Message,
            Does.Contain("`specificity` must be in the range [0, 1]"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new RecallAtPrecision(0.4, numThresholds: -1))!.Message,
            Does.Contain("Argument `numThresholds` must be an integer > 0"));
    }

    [Test]
    public void Config_RoundTrips()
    {
        var m = new SensitivityAtSpecificity(0.4, numThresholds: 100, classId: 12, name: "sensitivity_at_specificity_1");
        var again = (SensitivityAtSpecificity)MetricRegistry.FromConfig(nameof(SensitivityAtSpecificity), m.GetConfig());
        Assert.That((again.Name, again.Specificity, again.NumThresholds, again.ClassId),
            Is.EqualTo(("sensitivity_at_specificity_1", 0.4, 100, (int?)12)));
    }
}
