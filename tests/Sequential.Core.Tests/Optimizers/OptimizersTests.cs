using Sequential.Optimizers;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;

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
        w.grad = null;
        w.pow(2).backward();
        optimizer.Apply([w.grad], [w]);
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
        var ex = Assert.Throws<ArgumentException>(() => OptimizerRegistry.Get("adamx"));
        Assert.That(ex!.Message, Is.EqualTo(
            "Unknown optimizer 'adamx'. Accepted: adadelta, adafactor, adagrad, adam, adamax, adamw, ftrl, lamb, lion, nadam, rmsprop, sgd. (Parameter 'name')"));
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
    public void Sgd_NesterovWithoutMomentum_IsPlainSgd_AsInKeras()
    {
        // Keras accepts SGD(nesterov=True) with momentum 0 and its update_step then takes the plain branch:
        // w1 = 1 - 0.1 * 2 = 0.8, w2 = 0.8 - 0.1 * 1.6 = 0.64.
        var sgd = new SGD(learningRate: 0.1, nesterov: true);
        Assert.That((sgd.Momentum, sgd.Nesterov), Is.EqualTo((0.0, true)));
        Assert.That(Run(sgd, 2), Is.EqualTo(0.64).Within(1e-15));
    }

    [Test]
    public void Sgd_Nesterov_TwoSteps()
    {
        // Keras: v1 = -0.2, w1 = 1 + 0.9*(-0.2) - 0.2 = 0.62; g2 = 1.24, v2 = -0.18 - 0.124 = -0.304,
        // w2 = 0.62 + 0.9*(-0.304) - 0.124 = 0.2224.
        Assert.That(Run(new SGD(learningRate: 0.1, momentum: 0.9, nesterov: true), 2), Is.EqualTo(0.2224).Within(1e-15));
    }

    [Test]
    public void Adam_FirstStep_KerasFormula()
    {
        // g = 2: m = 0.2, v = 0.004, alpha = lr * sqrt(1 - 0.999) / (1 - 0.9); w = 1 - alpha * m / (sqrt(v) + eps).
        const double lr = 0.001, eps = 1e-7;
        double alpha = lr * Math.Sqrt(1 - 0.999) / (1 - 0.9);
        Assert.That(Run(new Adam(), 1), Is.EqualTo(1 - alpha * 0.2 / (Math.Sqrt(0.004) + eps)).Within(1e-15));
    }

    [Test]
    public void Adam_LargeEpsilon_IsAddedToTheUncorrectedRoot()
    {
        // Keras: alpha = 0.1 * sqrt(0.001) / 0.1 = 0.0316228; w = 1 - alpha * 0.2 / (sqrt(0.004) + 1) = 0.9940516...
        // PyTorch's placement (eps added to the bias-corrected root) would give 1 - 0.1 * 2 / (2 + 1) = 0.9333.
        double expected = 1 - Math.Sqrt(0.001) * 0.2 / (Math.Sqrt(0.004) + 1.0);
        Assert.That(Run(new Adam(learningRate: 0.1, epsilon: 1.0), 1), Is.EqualTo(expected).Within(1e-15));
        Assert.That(expected, Is.EqualTo(0.9940516).Within(1e-7));
    }

    [Test]
    public void Adam_TwoSteps_UsesTheStepCountInTheBiasCorrection()
    {
        const double lr = 0.01, eps = 1e-7;
        double w = 1, m = 0, v = 0;
        for (int t = 1; t <= 2; t++)
        {
            double g = 2 * w;
            m += (g - m) * 0.1;
            v += (g * g - v) * 0.001;
            w -= lr * Math.Sqrt(1 - Math.Pow(0.999, t)) / (1 - Math.Pow(0.9, t)) * m / (Math.Sqrt(v) + eps);
        }
        Assert.That(Run(new Adam(learningRate: lr), 2), Is.EqualTo(w).Within(1e-15));
    }

    [Test]
    public void Adam_Amsgrad_KeepsTheLargestVelocity()
    {
        // Start at w = 10 with lr = 9.9: Adam's first step moves by about lr, to w = 0.1, so the second gradient (0.2) is
        // small enough that v falls below its maximum (g2^2 < v1); AMSGrad divides by the maximum.
        const double lr = 9.9, eps = 1e-7;
        double alpha1 = lr * Math.Sqrt(1 - 0.999) / (1 - 0.9);
        double w1 = 10 - alpha1 * 2.0 / (Math.Sqrt(0.4) + eps);               // m = 0.1 * 20, v = 0.001 * 400
        double g2 = 2 * w1, m2 = 0.9 * 2.0 + 0.1 * g2, v2 = 0.999 * 0.4 + 0.001 * g2 * g2;
        double alpha2 = lr * Math.Sqrt(1 - 0.999 * 0.999) / (1 - 0.81);
        double withMax = w1 - alpha2 * m2 / (Math.Sqrt(Math.Max(0.4, v2)) + eps);
        double withoutMax = w1 - alpha2 * m2 / (Math.Sqrt(v2) + eps);
        Assert.That(v2, Is.LessThan(0.4), "the case must exercise the maximum");
        Assert.That(Run(new Adam(learningRate: lr, amsgrad: true), 2, start: 10), Is.EqualTo(withMax).Within(1e-12));
        Assert.That(Run(new Adam(learningRate: lr), 2, start: 10), Is.EqualTo(withoutMax).Within(1e-12));
    }

    [Test]
    public void AdamW_FirstStep_DecaysThenAdamStep()
    {
        // Keras: w = w - w * wd * lr, then the Adam step computed from the gradient at the old w (2).
        const double lr = 0.01, wd = 0.004, eps = 1e-7;
        double alpha = lr * Math.Sqrt(1 - 0.999) / (1 - 0.9);
        Assert.That(Run(new AdamW(learningRate: lr), 1), Is.EqualTo(1 * (1 - lr * wd) - alpha * 0.2 / (Math.Sqrt(0.004) + eps)).Within(1e-15));
    }

    [Test]
    public void Sgd_WeightDecay_IsDecoupledAsInKeras()
    {
        // Keras, lr 0.1, wd 0.5, momentum 0.9: step 1: w = 0.95, m = -0.2, w = 0.75; step 2: g = 1.5, w = 0.7125,
        // m = -0.18 - 0.15 = -0.33, w = 0.3825. PyTorch's L2 form would end at 0.3375.
        Assert.That(Run(new SGD(learningRate: 0.1, momentum: 0.9, weightDecay: 0.5), 2), Is.EqualTo(0.3825).Within(1e-15));
    }

    [Test]
    public void Sgd_Momentum_KeepsTheLearningRateInTheVelocity()
    {
        // Keras: step 1 at lr 0.1: m = -0.2, w = 0.8. Step 2 at lr 0.2: g = 1.6, m = 0.9 * -0.2 - 0.2 * 1.6 = -0.5, w = 0.3.
        // (PyTorch's buffer form would give 0.8 - 0.2 * (0.9 * 2 + 1.6) = 0.12.)
        var sgd = new SGD(learningRate: 0.1, momentum: 0.9);
        var w = Scalar(1.0);
        sgd.Bind([w]);
        Step(sgd, w);
        sgd.LearningRate = 0.2;
        Step(sgd, w);
        Assert.That(w.item<double>(), Is.EqualTo(0.3).Within(1e-15));
    }

    [Test]
    public void RMSprop_FirstStep_EpsilonInsideTheRoot()
    {
        // v = 0.1 * 4 = 0.4; Keras: w = 1 - lr * 2 / sqrt(0.4 + eps).
        const double lr = 0.1, eps = 1e-7;
        Assert.That(Run(new RMSprop(learningRate: lr), 1), Is.EqualTo(1 - lr * 2 / Math.Sqrt(0.4 + eps)).Within(1e-15));
    }

    [Test]
    public void RMSprop_EpsilonPlacement_WithLargeEpsilon()
    {
        // Inside the root: 1 - 0.2 / sqrt(1.4) = 0.830969...; outside (PyTorch) would be 1 - 0.2 / (sqrt(0.4) + 1) = 0.877525...
        Assert.That(Run(new RMSprop(learningRate: 0.1, epsilon: 1.0), 1), Is.EqualTo(1 - 0.2 / Math.Sqrt(1.4)).Within(1e-15));
    }

    [Test]
    public void RMSprop_Centered_SubtractsTheSquaredMeanGradient()
    {
        // v = 0.4, a = 0.1 * 2 = 0.2: w = 1 - 0.1 * 2 / sqrt(0.4 - 0.04 + eps) = 0.66666...
        Assert.That(Run(new RMSprop(learningRate: 0.1, centered: true), 1), Is.EqualTo(1 - 0.2 / Math.Sqrt(0.36 + 1e-7)).Within(1e-15));
    }

    [Test]
    public void RMSprop_Momentum_AccumulatesIncrements()
    {
        // Step 1: inc = 0.1 * 2 / sqrt(0.4 + eps), m = inc, w1 = 1 - inc. Step 2: g = 2 * w1, v = 0.9 * 0.4 + 0.1 * g^2,
        // inc2 = 0.1 * g / sqrt(v + eps), m = 0.5 * inc + inc2, w2 = w1 - m.
        const double eps = 1e-7;
        double inc1 = 0.2 / Math.Sqrt(0.4 + eps), w1 = 1 - inc1, g2 = 2 * w1, v2 = 0.36 + 0.1 * g2 * g2;
        double w2 = w1 - (0.5 * inc1 + 0.1 * g2 / Math.Sqrt(v2 + eps));
        Assert.That(Run(new RMSprop(learningRate: 0.1, momentum: 0.5), 2), Is.EqualTo(w2).Within(1e-15));
    }

    [Test]
    public void Adagrad_FirstStep_StartsFromInitialAccumulator()
    {
        // accumulator = 0.1 + 4 = 4.1; Keras: w = 1 - lr * 2 / sqrt(4.1 + eps).
        const double lr = 0.1, eps = 1e-7;
        Assert.That(Run(new Adagrad(learningRate: lr), 1), Is.EqualTo(1 - lr * 2 / Math.Sqrt(4.1 + eps)).Within(1e-15));
    }

    [Test]
    public void VariableWithoutGradient_IsNotUpdated()
    {
        // Keras skips variables without a gradient. Step 1 trains a and b; step 2's loss uses only a, so b must not move
        // (with gradients zeroed instead of dropped, Adam's momentum would move it).
        var adam = new Adam(learningRate: 0.1);
        var (a, b) = (Scalar(1.0), Scalar(1.0));
        adam.Bind([a, b]);
        (a.pow(2) + b.pow(2)).backward();
        adam.Apply([a.grad, b.grad], [a, b]);
        double bAfterFirst = b.item<double>();
        (a.grad, b.grad) = (null, null);
        a.pow(2).backward();
        adam.Apply([a.grad, b.grad], [a, b]);
        Assert.That(b.item<double>(), Is.EqualTo(bAfterFirst));
        Assert.That(a.item<double>(), Is.Not.EqualTo(bAfterFirst));
    }

    /// One SGD step (lr 1) on variables starting at zero whose gradients are the given constants; returns the new values.
    private static double[][] SgdStepWithGradients(SGD sgd, params double[][] gradients)
    {
        var variables = gradients.Select(g => new Parameter(zeros(g.Length, ScalarType.Float64), requires_grad: true)).ToList();
        sgd.Bind(variables);
        variables.Select((v, i) => (v * tensor(gradients[i])).sum()).Aggregate((a, b) => a + b).backward();
        sgd.Apply(variables.Select(v => v.grad).ToList(), variables);
        return variables.Select(v => v.data<double>().ToArray()).ToArray();
    }

    [Test]
    public void Clipnorm_ScalesEachGradientToTheNorm()
    {
        // Keras's own test: clipnorm 1 turns the gradient [100, 100] into [sqrt(2)/2, sqrt(2)/2].
        var w = SgdStepWithGradients(new SGD(learningRate: 1, clipnorm: 1), [100, 100]);
        Assert.That(w[0], Is.EqualTo(new[] { -Math.Sqrt(0.5), -Math.Sqrt(0.5) }).Within(1e-12));
        // A gradient within the limit is unchanged.
        Assert.That(SgdStepWithGradients(new SGD(learningRate: 1, clipnorm: 1000), [100, 100])[0], Is.EqualTo(new[] { -100.0, -100.0 }));
    }

    [Test]
    public void Clipvalue_ClipsEachElement() =>
        Assert.That(SgdStepWithGradients(new SGD(learningRate: 1, clipvalue: 1), [100, 0.5, -7])[0], Is.EqualTo(new[] { -1.0, -0.5, 1.0 }));

    [Test]
    public void GlobalClipnorm_ScalesAllGradientsTogether()
    {
        // Gradients [3] and [0, 4] have a joint norm of 5: with a limit of 1 both are divided by 5,
        // where clipnorm 1 would clip each on its own ([1] and [0, 1]).
        var global = SgdStepWithGradients(new SGD(learningRate: 1, globalClipnorm: 1), [3], [0, 4]);
        Assert.That(global[0], Is.EqualTo(new[] { -0.6 }).Within(1e-12));
        Assert.That(global[1], Is.EqualTo(new[] { 0.0, -0.8 }).Within(1e-12));
        var each = SgdStepWithGradients(new SGD(learningRate: 1, clipnorm: 1), [3], [0, 4]);
        Assert.That(each[0], Is.EqualTo(new[] { -1.0 }).Within(1e-12));
        Assert.That(each[1], Is.EqualTo(new[] { 0.0, -1.0 }).Within(1e-12));
    }

    [Test]
    public void Clipping_OnlyOneLimitAndPositive()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Adam(clipnorm: 1, globalClipnorm: 2));
        Assert.That(ex!.Message, Is.EqualTo("Only one of clipnorm, clipvalue and globalClipnorm can be set on adam; got clipnorm: 1, clipvalue: null, globalClipnorm: 2."));
        var range = Assert.Throws<ArgumentOutOfRangeException>(() => new RMSprop(clipvalue: 0));
        Assert.That(range!.ParamName, Is.EqualTo("clipvalue"));
        Assert.That(range.Message, Does.StartWith("rmsprop clipvalue must be a positive finite number or null; got 0."));
    }

    [Test]
    public void Clipping_IsPartOfTheSavedConfiguration()
    {
        var config = global::Sequential.Persistence.ConfigReflection.GetConfig(new AdamW(learningRate: 0.01, clipnorm: 1.5));
        Assert.That(config["clipnorm"], Is.EqualTo(1.5));
        Assert.That(config["global_clipnorm"], Is.Null);
        var restored = (AdamW)global::Sequential.Persistence.ConfigReflection.Create(typeof(AdamW), config, "test");
        Assert.That((restored.Clipnorm, restored.Clipvalue, restored.LearningRate, restored.WeightDecay), Is.EqualTo((1.5, (double?)null, 0.01, 0.004)));
    }

    [Test]
    public void BadHyperparameters_NameTheArgument()
    {
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(beta1: 1.0))!.ParamName, Is.EqualTo("beta1"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(epsilon: 0))!.Message, Does.Contain("epsilon must be a positive finite number"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(weightDecay: -0.1))!.Message,
            Does.StartWith("The weight decay of adamw must be a finite number >= 0 (0 for none); got -0.1."));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new Adagrad(initialAccumulatorValue: -1))!.ParamName, Is.EqualTo("initialAccumulatorValue"));
    }

    [Test]
    public void State_RoundTrips_AndTheNextStepMatches()
    {
        // Two Adam steps, save, restore into a fresh optimizer, one more step: equal to three uninterrupted steps.
        var straight = new Adam(learningRate: 0.1);
        double expected = Run(straight, 3);
        var first = new Adam(learningRate: 0.1);
        var w = Scalar(1.0);
        first.Bind([w]);
        Step(first, w);
        Step(first, w);
        byte[] state = first.SaveState()!;
        var resumed = new Adam(learningRate: 0.1);
        resumed.RestoreState(state, [w], first.Iterations, first.LearningRate, "test");
        Assert.That(resumed.Iterations, Is.EqualTo(2));
        Step(resumed, w);
        Assert.That(w.item<double>(), Is.EqualTo(expected).Within(1e-15));
    }

    [Test]
    public void State_ThatDoesNotFit_IsRefusedAndTheCurrentStateKept()
    {
        var sgd = new SGD(learningRate: 0.1, momentum: 0.9);
        var w = Scalar(1.0);
        sgd.Bind([w]);
        Step(sgd, w);                                              // m = -0.2
        var adam = new Adam();
        adam.Bind([Scalar(1.0)]);
        var ex = Assert.Throws<InvalidDataException>(() => sgd.RestoreState(adam.SaveState()!, [w], 5, 0.1, "model.seqmodel"));
        Assert.That(ex!.Message, Is.EqualTo("'model.seqmodel': the saved optimizer state does not fit sgd on this model: it has velocity/0, which sgd does not use."));
        Assert.That(sgd.Iterations, Is.EqualTo(1));
        Step(sgd, w);                                              // the kept momentum: w = 0.8 + (0.9 * -0.2 - 0.16) = 0.46
        Assert.That(w.item<double>(), Is.EqualTo(0.46).Within(1e-15));
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

    [Test]
    public void FromConfig_CreatesBuiltInsByClassName_AndRegisterRefusesAbstractTypes()
    {
        var sgd = (SGD)OptimizerRegistry.FromConfig("SGD", new Dictionary<string, object?> { ["learningRate"] = 0.3, ["momentum"] = 0.9 });
        Assert.That((sgd.LearningRate, sgd.Momentum), Is.EqualTo((0.3, 0.9)));
        Assert.That(OptimizerRegistry.ClassNames, Is.SupersetOf(new[] { "Adagrad", "Adam", "AdamW", "RMSprop", "SGD", "Nadam", "Adamax", "Adadelta", "Ftrl", "Lion", "Lamb", "Adafactor" })
            .And.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
        var ex = Assert.Throws<InvalidDataException>(() => OptimizerRegistry.FromConfig("Sophia", new Dictionary<string, object?>()));
        Assert.That(ex!.Message, Does.StartWith(
            "Unknown optimizer class 'Sophia'. If it is your own optimizer, call Sequential.Optimizers.OptimizerRegistry.Register<Sophia>() before loading."));
        Assert.Throws<ArgumentException>(OptimizerRegistry.Register<Optimizer>);
    }
}
