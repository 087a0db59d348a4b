using static TorchSharp.torch;
using static Sequential.Layers.Tests.TestModels;

namespace Sequential.Layers.Tests.Regularization;

public class DropoutTests
{
    [Test]
    public void Predict_IsIdentity()
    {
        var model = new SequentialModel(new Dropout(0.5, inputShape: [100]));
        var x = randn(50, 100);
        Assert.That(model.Predict(x, verbose: 0).eq(x).all().item<bool>(), Is.True);
    }

    [Test]
    public void EvalMode_IsIdentity()
    {
        var model = new SequentialModel(new Dropout(0.5, inputShape: [100]));
        model.eval();
        var x = randn(50, 100);
        using (no_grad())
            Assert.That(model.forward(x).eq(x).all().item<bool>(), Is.True);
    }

    [TestCase(0.2)]
    [TestCase(0.5)]
    public void Training_DropsAboutRate_AndScalesSurvivors(double rate)
    {
        RandomSeed.Set(11);
        var model = new SequentialModel(new Dropout(rate, inputShape: [1000]));
        model.train();
        Tensor y;
        using (no_grad()) y = model.forward(ones(1000, 1000));
        long n = y.numel();
        double zeroFraction = y.eq(0).sum().item<long>() / (double)n;
        // 1e6 Bernoulli draws: the standard error of the fraction is under 5e-4.
        Assert.That(zeroFraction, Is.EqualTo(rate).Within(0.005));
        var survivors = y.masked_select(y.ne(0));
        Assert.That(survivors.min().item<float>(), Is.EqualTo((float)(1 / (1 - rate))).Within(1e-5));
        Assert.That(survivors.max().item<float>(), Is.EqualTo((float)(1 / (1 - rate))).Within(1e-5));
        // So the expected value of each unit is kept.
        Assert.That(y.mean().item<float>(), Is.EqualTo(1f).Within(0.01));
    }

    [Test]
    public void RateZero_InTraining_IsIdentity()
    {
        var model = new SequentialModel(new Dropout(0, inputShape: [10]));
        model.train();
        var x = randn(4, 10);
        using (no_grad())
            Assert.That(model.forward(x).eq(x).all().item<bool>(), Is.True);
    }

    [TestCase(1.0)]
    [TestCase(1.5)]
    [TestCase(-0.1)]
    [TestCase(double.NaN)]
    public void RateOutsideRange_Throws(double rate)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(rate));
        Assert.That(ex!.ParamName, Is.EqualTo("rate"));
        Assert.That(ex.ActualValue, Is.EqualTo(rate));
        Assert.That(ex.Message, Does.Contain("Dropout rate").And.Contain("[0, 1)").And.Contain(rate.ToString()));
    }

    [Test]
    public void ShapeUnchanged_NoParams()
    {
        var layer = new Dropout(0.3);
        Assert.That(layer.ComputeOutputShape([3, 4]), Is.EqualTo(new long[] { 3, 4 }));
        var model = new SequentialModel(new Dense(4, inputShape: [2]), layer);
        Assert.That(layer.CountParams(), Is.Zero);
        Assert.That(PredictShape(model, zeros(6, 2)), Is.EqualTo(new long[] { 6, 4 }));
    }
}
