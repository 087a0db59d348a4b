using Sequential.Losses;
using static Sequential.Core.Tests.Losses.TestTensors;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Losses;

/// CallPerSample must agree with Call: its mean is the batch loss, for every loss and both output kinds.
public class PerSampleLossTests
{
    private static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData(new MeanSquaredError()).SetName("mse");
        yield return new TestCaseData(new MeanAbsoluteError()).SetName("mae");
        yield return new TestCaseData(new Huber(delta: 0.5)).SetName("huber");
        yield return new TestCaseData(new BinaryCrossentropy()).SetName("bce");
        yield return new TestCaseData(new BinaryCrossentropy(fromLogits: true, labelSmoothing: 0.1)).SetName("bce_logits_smoothed");
        yield return new TestCaseData(new CategoricalCrossentropy()).SetName("cce");
        yield return new TestCaseData(new CategoricalCrossentropy(fromLogits: true)).SetName("cce_logits");
        yield return new TestCaseData(new SparseCategoricalCrossentropy()).SetName("scce");
        yield return new TestCaseData(new SparseCategoricalCrossentropy(fromLogits: true)).SetName("scce_logits");
    }

    [TestCaseSource(nameof(Cases))]
    public void MeanOfPerSampleLossesIsTheBatchLoss(Loss loss)
    {
        using var scope = NewDisposeScope();
        var yPred = F([0.2f, 0.7f, 0.1f, 0.6f, 0.3f, 0.1f, 0.25f, 0.25f, 0.5f], 3, 3);
        Tensor yTrue = loss switch
        {
            SparseCategoricalCrossentropy => L([1, 0, 2], 3),
            CategoricalCrossentropy => F([0, 1, 0, 1, 0, 0, 0, 0, 1], 3, 3),
            BinaryCrossentropy => F([0, 1, 0, 1, 0, 0, 0, 0, 1], 3, 3),
            _ => F([0.5f, 1, 0, 1, 2, 0, 0, 0, 1], 3, 3),
        };
        var perSample = loss.CallPerSample(yTrue, yPred);
        Assert.That(perSample.shape, Is.EqualTo(new long[] { 3 }));
        Assert.That(Value(perSample.mean()), Is.EqualTo(Value(loss.Call(yTrue, yPred))).Within(1e-6));
        // Weighted: sum(l_i * w_i) / N.
        var w = F([2, 0, 1], 3);
        double expected = (Value(perSample[0]) * 2 + Value(perSample[2])) / 3;
        Assert.That(Value(loss.Call(yTrue, yPred, w)), Is.EqualTo(expected).Within(1e-6));
    }

    [Test]
    public void SparseLabelsWithATimeAxisAveragePerSample()
    {
        using var scope = NewDisposeScope();
        var loss = new SparseCategoricalCrossentropy(fromLogits: true);
        var yPred = F([0.2f, 0.7f, 0.1f, 0.6f, 0.3f, 0.1f, 0.25f, 0.25f], 2, 2, 2);
        var yTrue = L([1, 0, 0, 1], 2, 2);
        var perSample = loss.CallPerSample(yTrue, yPred);
        Assert.That(perSample.shape, Is.EqualTo(new long[] { 2 }));
        Assert.That(Value(perSample.mean()), Is.EqualTo(Value(loss.Call(yTrue, yPred))).Within(1e-6));
    }

    [Test]
    public void ACustomLossWithoutPerSampleSupportSaysWhatToOverride()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<NotSupportedException>(() => new OnlyMean().Call(F([1], 1), F([1], 1), F([1], 1)));
        Assert.That(error!.Message, Does.Contain("CallPerSample"));
    }

    private sealed class OnlyMean() : Loss("only_mean")
    {
        public override Tensor Call(Tensor yTrue, Tensor yPred) => (yTrue - yPred).mean();
    }
}
