using Sequential.Layers;
using Sequential.Losses;
using Sequential.Metrics;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Losses;

/// A mask on the predictions leaves masked values out of losses and metrics (keras/src/losses/loss_test.py).
public class LossMaskTests
{
    /// Keras's ExampleLoss: the squared error of each value, no mean over the last axis.
    private sealed class SquaredError(string reduction = "sum_over_batch_size") : Loss("squared_error", reduction)
    {
        public override Tensor ComputeValues(Tensor yTrue, Tensor yPred) => (yTrue - yPred).square();
    }

    private static Tensor Masked(Tensor yPred, params bool[] mask)
    {
        Masks.Set(yPred, tensor(mask).view(yPred.shape));
        return yPred;
    }

    private static readonly Tensor YTrue = tensor(new[] { 1.0f, 0.0f, 1.0f, 0.0f });

    private static Tensor YPred() => tensor(new[] { 0.1f, 0.2f, 0.3f, 0.4f });

    [Test]
    public void Mask_FromKeras_AveragesOverTheKeptValues()
    {
        var loss = new SquaredError().Call(YTrue, Masked(YPred(), true, false, true, true));
        double expected = (0.9 * 0.9 + 0.7 * 0.7 + 0.4 * 0.4) / 3;
        Assert.That(loss.dtype, Is.EqualTo(ScalarType.Float32));
        Assert.That(loss.item<float>(), Is.EqualTo(expected).Within(1e-6));
    }

    [Test]
    public void Mask_FromKeras_EverythingMaskedGivesZeroNotNaN()
    {
        var loss = new SquaredError().Call(YTrue, Masked(YPred(), false, false, false, false));
        Assert.That(loss.item<float>(), Is.EqualTo(0f));
    }

    [Test]
    public void MaskAndSampleWeight_FromKeras()
    {
        var loss = new SquaredError().Call(YTrue, Masked(YPred(), true, false, true, true), tensor(new[] { 0.4f, 0.3f, 0.2f, 0.1f }));
        double expected = (0.4 * 0.81 + 0.2 * 0.49 + 0.1 * 0.16) / 3;
        Assert.That(loss.item<float>(), Is.EqualTo(expected).Within(1e-6));
    }

    [Test]
    public void MaskAndSampleWeight_FromKeras_DuplicatedRowsGiveTheSameLoss()
    {
        var rank1 = new SquaredError().Call(YTrue, Masked(YPred(), true, false, true, true), tensor(new[] { 0.4f, 0.3f, 0.2f, 0.1f }));
        var yTrue2 = YTrue.unsqueeze(0).tile([2, 1]);
        var yPred2 = Masked(YPred().unsqueeze(0).tile([2, 1]), true, false, true, true, true, false, true, true);
        var rank2 = new SquaredError().Call(yTrue2, yPred2, tensor(new[] { 0.4f, 0.3f, 0.2f, 0.1f }).unsqueeze(0).tile([2, 1]));
        Assert.That(rank2.item<float>(), Is.EqualTo(rank1.item<float>()).Within(1e-6));
    }

    [Test]
    public void SumReduction_CountsKeptValuesWithWeightOne()
    {
        var loss = new SquaredError("sum").Call(YTrue, Masked(YPred(), true, false, true, true));
        Assert.That(loss.item<float>(), Is.EqualTo(0.81 + 0.49 + 0.16).Within(1e-6));
    }

    [Test]
    public void OneWeightPerSample_WeightsEachOfItsTimesteps()
    {
        // Two sequences of two steps; the second step of the first is masked; weights 2 and 1 per sequence.
        var yPred = Masked(tensor(new[,] { { 1f, 2f }, { 3f, 4f } }), true, false, true, true);
        var loss = new SquaredError().Call(zeros(2, 2), yPred, tensor(new[] { 2f, 1f }));
        Assert.That(loss.item<float>(), Is.EqualTo((2 * 1 + 9 + 16) / 3.0).Within(1e-5));
    }

    [Test]
    public void AMeanMetric_LeavesMaskedValuesOut()
    {
        // Keras's MeanMetricWrapper: apply_mask with reduction "sum", then a weighted mean of the values.
        var metric = new MeanMetricWrapper((t, p) => (t - p).square(), "se");
        metric.UpdateState(YTrue, Masked(YPred(), true, false, true, true));
        Assert.That(metric.Result().item<double>(), Is.EqualTo((0.81 + 0.49 + 0.16) / 3).Within(1e-6));
    }

    [Test]
    public void AMeanMetricOverSequences_IsTheMeanOverKeptTimesteps()
    {
        // Sequence 1 keeps 1 of 2 steps (value 1), sequence 2 keeps both (values 0 and 1): accuracy-like mean 2/3.
        var metric = new MeanMetricWrapper((t, p) => t.eq(p), "acc");
        var yPred = Masked(tensor(new[,] { { 1f, 5f }, { 0f, 3f } }), true, false, true, true);
        metric.UpdateState(tensor(new[,] { { 1f, 1f }, { 9f, 3f } }), yPred);
        Assert.That(metric.Result().item<double>(), Is.EqualTo(2 / 3.0).Within(1e-9));
    }
}
