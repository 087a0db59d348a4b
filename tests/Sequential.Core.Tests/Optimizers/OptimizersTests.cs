using Sequential.Optimizers;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;
using OptimizerRegistry = Sequential.Optimizers.Optimizers;

namespace Sequential.Core.Tests.Optimizers;

/// Registry defaults, argument checks, and one hand-computed update per algorithm on a single scalar weight
/// w = 1 with loss w^2 (so the gradient is 2w). Float64 so the epsilon placement is visible.
public class OptimizersTests
{
    private static Parameter Scalar(double value) => new(tensor(value), requires_grad: true);

    /// Binds the optimizer to w and takes <paramref name="steps"/> steps of loss w^2; returns w.
    private static double Run(Optimizer optimizer, int steps, double start = 1.0)
    {
        var w = Scalar(start);
        optimizer.Bind([w]);
        for (int i = 0; i < steps; i++) Step(optimizer, w);
        return w.item<double>();
    }

    private static void Step(Optimizer optimizer, Parameter w)
    {
        optimizer.ZeroGrad();
        w.pow(2).backward();
        optimizer.Step();
    }

    [TestCase("Adam")]
    [TestCase("adam")]
    [TestCase("ADAM")]
    [TestCase(" adam ")]
    public void Get_Adam_KerasDefaults(string name)
    {
        var adam = (Adam)OptimizerRegistry.Get(name);
        Assert.That(adam.Name, Is.EqualTo("adam"));
        Assert.That(adam.LearningRate, Is.EqualTo(0.001));
        Assert.That(adam.Epsilon, Is.EqualTo(1e-7));
        Assert.That(adam.Beta1, Is.EqualTo(0.9));
        Assert.That(adam.Beta2, Is.EqualTo(0.999));
        Assert.That(adam.Amsgrad, Is.False);
    }

    [Test]
    public void Get_OtherKerasDefaults()
    {
        var sgd = (SGD)OptimizerRegistry.Get("SGD");
        Assert.That((sgd.LearningRate, sgd.Momentum, sgd.Nesterov), Is.EqualTo((0.01, 0.0, false)));
        var rms = (RMSprop)OptimizerRegistry.Get("RMSprop");
        Assert.That((rms.LearningRate, rms.Rho, rms.Epsilon, rms.Momentum), Is.EqualTo((0.001, 0.9, 1e-7, 0.0)));
        var adagrad = (Adagrad)OptimizerRegistry.Get("adagrad");
        Assert.That((adagrad.LearningRate, adagrad.InitialAccumulatorValue, adagrad.Epsilon), Is.EqualTo((0.001, 0.1, 1e-7)));
        var adamw = (AdamW)OptimizerRegistry.Get("AdamW");
        Assert.That((adamw.LearningRate, adamw.WeightDecay, adamw.Epsilon), Is.EqualTo((0.001, 0.004, 1e-7)));
    }

    [Test]
    public void Get_ReturnsANewInstanceEachTime() =>
        Assert.That(OptimizerRegistry.Get("adam"), Is.Not.SameAs(OptimizerRegistry.Get("adam")));

    [Test]
    public void ImplicitConversionFromName()
    {
        Optimizer optimizer = "rmsprop";
        Assert.That(optimizer, Is.TypeOf<RMSprop>());
    }

    [Test]
    public void Unknown_Throws_ListingAcceptedNames()
    {
        var ex = Assert.Throws<ArgumentException>(() => OptimizerRegistry.Get("adamax"));
        Assert.That(ex!.Message, Is.EqualTo("Unknown optimizer 'adamax'. Accepted: adagrad, adam, adamw, rmsprop, sgd. (Parameter 'name')"));
    }

    [TestCase(-0.1)]
    [TestCase(0.0)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void NonPositiveLearningRate_Throws(double learningRate)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(learningRate: learningRate));
        Assert.That(ex!.ParamName, Is.EqualTo("learningRate"));
        Assert.That(ex.Message, Does.Contain("adam").And.Contain("positive finite"));
        var set = Assert.Throws<ArgumentOutOfRangeException>(() => new SGD().LearningRate = learningRate);
        Assert.That(set!.Message, Does.Contain("positive finite"));
    }

    [Test]
    public void OtherBadArguments_Throw()
    {
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new SGD(momentum: 1.0))!.Message, Does.Contain("momentum"));
        Assert.That(Assert.Throws<ArgumentException>(() => new SGD(nesterov: true))!.Message, Does.Contain("needs momentum > 0"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new RMSprop(rho: 1.0))!.Message, Does.Contain("rho"));
    }

    [Test]
    public void Sgd_OneStep() =>
        Assert.That(Run(new SGD(learningRate: 0.1), 1), Is.EqualTo(0.8).Within(1e-15));   // 1 - 0.1 * 2

    [Test]
    public void Sgd_Momentum_TwoSteps()
    {
        // Keras: v1 = -0.1*2 = -0.2, w1 = 0.8; g2 = 1.6, v2 = 0.9*(-0.2) - 0.1*1.6 = -0.34, w2 = 0.46.
        // (PyTorch's buffer form, b2 = 0.9*2 + 1.6 = 3.4, w2 = 0.8 - 0.1*3.4, agrees while the learning rate is constant.)
        Assert.That(Run(new SGD(learningRate: 0.1, momentum: 0.9), 2), Is.EqualTo(0.46).Within(1e-15));
    }

    [Test]
    public void Sgd_Nesterov_TwoSteps()
    {
        // Keras: v1 = -0.2, w1 = 1 + 0.9*(-0.2) - 0.2 = 0.62; g2 = 1.24, v2 = -0.18 - 0.124 = -0.304,
        // w2 = 0.62 + 0.9*(-0.304) - 0.124 = 0.2224.
        Assert.That(Run(new SGD(learningRate: 0.1, momentum: 0.9, nesterov: true), 2), Is.EqualTo(0.2224).Within(1e-15));
    }

    [Test]
    public void Adam_FirstStep_MovesByLearningRate()
    {
        // m1 = 0.2, v1 = 0.004; bias-corrected m = 2, v = 4. We match PyTorch's form, eps added to sqrt(v_hat):
        // w = 1 - lr * 2 / (2 + eps). Keras adds eps to sqrt(v) before the bias correction of the step size,
        // w = 1 - lr * sqrt(1 - 0.999) / (1 - 0.9) * 0.2 / (sqrt(0.004) + eps), which differs by about 1.5e-9 here.
        const double lr = 0.001, eps = 1e-7;
        double w = Run(new Adam(), 1);
        Assert.That(w, Is.EqualTo(1 - lr * 2 / (2 + eps)).Within(1e-14));
        double keras = 1 - lr * Math.Sqrt(1 - 0.999) / (1 - 0.9) * 0.2 / (Math.Sqrt(0.004) + eps);
        Assert.That(Math.Abs(w - keras), Is.LessThan(1e-8), "within Keras's eps placement");
    }

    [Test]
    public void Adam_EpsilonIsUsed()
    {
        // A large epsilon makes its placement visible: 1 - 0.1 * 2 / (2 + 1) = 0.9333...
        Assert.That(Run(new Adam(learningRate: 0.1, epsilon: 1.0), 1), Is.EqualTo(1 - 0.1 * 2 / 3.0).Within(1e-14));
    }

    [Test]
    public void AdamW_FirstStep_DecaysThenAdamStep()
    {
        // Both Keras and PyTorch first shrink w by lr * weightDecay, then apply the Adam step computed from the old gradient.
        const double lr = 0.01, wd = 0.004, eps = 1e-7;
        Assert.That(Run(new AdamW(learningRate: lr), 1), Is.EqualTo(1 * (1 - lr * wd) - lr * 2 / (2 + eps)).Within(1e-14));
    }

    [Test]
    public void RMSprop_FirstStep()
    {
        // v = 0.9*0 + 0.1*4 = 0.4. We match PyTorch: w = 1 - lr*2 / (sqrt(0.4) + eps).
        // Keras puts eps inside the root, w = 1 - lr*2 / sqrt(0.4 + eps): about 1.05e-8 apart at lr = 0.1.
        const double lr = 0.1, eps = 1e-7;
        double w = Run(new RMSprop(learningRate: lr), 1);
        Assert.That(w, Is.EqualTo(1 - lr * 2 / (Math.Sqrt(0.4) + eps)).Within(1e-14));
        Assert.That(Math.Abs(w - (1 - lr * 2 / Math.Sqrt(0.4 + eps))), Is.GreaterThan(5e-9).And.LessThan(2e-8));
    }

    [Test]
    public void RMSprop_EpsilonPlacement_WithLargeEpsilon()
    {
        // Outside the root: 1 - 0.1*2/(sqrt(0.4) + 1) = 0.877525...; inside would be 1 - 0.2/sqrt(1.4) = 0.830969...
        Assert.That(Run(new RMSprop(learningRate: 0.1, epsilon: 1.0), 1), Is.EqualTo(1 - 0.2 / (Math.Sqrt(0.4) + 1)).Within(1e-14));
    }

    [Test]
    public void Adagrad_FirstStep_StartsFromInitialAccumulator()
    {
        // accumulator = 0.1 + 4 = 4.1; w = 1 - lr*2/(sqrt(4.1) + eps) (PyTorch's eps placement; Keras: sqrt(4.1 + eps)).
        const double lr = 0.1, eps = 1e-7;
        Assert.That(Run(new Adagrad(learningRate: lr), 1), Is.EqualTo(1 - lr * 2 / (Math.Sqrt(4.1) + eps)).Within(1e-14));
    }

    [Test]
    public void SettingLearningRateAfterBind_ChangesTheNextStep()
    {
        var sgd = new SGD(learningRate: 0.1);
        var w = Scalar(1.0);
        sgd.Bind([w]);
        Step(sgd, w);
        Assert.That(w.item<double>(), Is.EqualTo(0.8).Within(1e-15));
        sgd.LearningRate = 0.25;
        Step(sgd, w);   // g = 1.6: 0.8 - 0.25 * 1.6 = 0.4 (0.64 at the old rate)
        Assert.That(w.item<double>(), Is.EqualTo(0.4).Within(1e-15));
        Assert.That(sgd.Iterations, Is.EqualTo(2));
        Assert.That(sgd.Bound!.ParamGroups.Single().LearningRate, Is.EqualTo(0.25));
    }

    [Test]
    public void ZeroGrad_ClearsTheGradient()
    {
        // Without clearing, the second step would use 2 + 1.6 = 3.6 and land on 0.44.
        Assert.That(Run(new SGD(learningRate: 0.1), 2), Is.EqualTo(0.64).Within(1e-15));
    }

    [Test]
    public void Rebind_ResetsIterationsAndState()
    {
        var adam = new Adam(learningRate: 0.1);
        Run(adam, 3);
        Assert.That(adam.Iterations, Is.EqualTo(3));
        // A fresh bind starts again from step 1: the first Adam step always moves by about lr.
        double w = Run(adam, 1, start: 5.0);
        Assert.That(adam.Iterations, Is.EqualTo(1));
        Assert.That(w, Is.EqualTo(5 - 0.1).Within(1e-6));
    }
}
