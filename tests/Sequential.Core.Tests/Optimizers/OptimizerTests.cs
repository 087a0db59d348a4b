using Sequential.Optimizers;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Optimizers;

/// The base class's Keras features: moving averages (use_ema), gradient accumulation, exclude_from_weight_decay,
/// apply_gradients and learning-rate schedules. Float64 scalars, values computed by hand.
public class OptimizerTests
{
    private static Parameter Scalar(double value) => new(tensor(value), requires_grad: true);

    /// One step of loss w² (gradient 2w).
    private static void Step(Optimizer optimizer, Parameter w) => optimizer.ApplyGradients([(2 * w.detach(), w)]);

    [Test]
    public void Ema_AverageStartsAtTheFirstStepsWeights_AndFinalizeCopiesItIn()
    {
        // SGD lr 0.1 on w²: w -> 0.8w, so w = 0.8, 0.64, 0.512. Keras's EMA: momentum 0 on the first step (average = w),
        // then average = 0.5·average + 0.5·w: 0.8, 0.72, 0.616.
        var w = Scalar(1.0);
        var sgd = new SGD(learningRate: 0.1, useEma: true, emaMomentum: 0.5);
        for (int i = 0; i < 3; i++) Step(sgd, w);
        Assert.That(w.item<double>(), Is.EqualTo(0.512).Within(1e-12), "the weights themselves follow SGD");
        sgd.FinalizeVariableValues([w]);
        Assert.That(w.item<double>(), Is.EqualTo(0.616).Within(1e-12));
    }

    [Test]
    public void Ema_OverwriteFrequency_CopiesTheAverageInEveryNUpdates()
    {
        // Frequency 2: after step 2 (iterations + 1 = 2) w becomes the average 0.72; step 3: w = 0.576, average
        // 0.5·0.72 + 0.5·0.576 = 0.648.
        var w = Scalar(1.0);
        var sgd = new SGD(learningRate: 0.1, useEma: true, emaMomentum: 0.5, emaOverwriteFrequency: 2);
        Step(sgd, w);
        Assert.That(w.item<double>(), Is.EqualTo(0.8).Within(1e-12));
        Step(sgd, w);
        Assert.That(w.item<double>(), Is.EqualTo(0.72).Within(1e-12));
        Step(sgd, w);
        Assert.That(w.item<double>(), Is.EqualTo(0.576).Within(1e-12));
        sgd.FinalizeVariableValues([w]);
        Assert.That(w.item<double>(), Is.EqualTo(0.648).Within(1e-12));
    }

    [Test]
    public void Finalize_WithoutEma_LeavesTheWeights()
    {
        var w = Scalar(1.0);
        var sgd = new SGD(learningRate: 0.1);
        Step(sgd, w);
        sgd.FinalizeVariableValues([w]);
        Assert.That(w.item<double>(), Is.EqualTo(0.8).Within(1e-12));
    }

    [Test]
    public void GradientAccumulation_KStepsEqualOneStepOnTheMeanGradient()
    {
        // Adam with k = 2 on gradients (g1, g2, g3, g4) must equal plain Adam on (mean(g1, g2), mean(g3, g4)), including
        // the bias correction of the second update (Keras's iterations count updates, not steps).
        double[] grads = [0.5, -0.1, 2.0, 0.4];
        var accumulated = Scalar(1.0);
        var adam = new Adam(learningRate: 0.1, gradientAccumulationSteps: 2);
        var plain = Scalar(1.0);
        var reference = new Adam(learningRate: 0.1);

        adam.ApplyGradients([(tensor(grads[0]), accumulated)]);
        Assert.That(accumulated.item<double>(), Is.EqualTo(1.0), "the first step only accumulates");
        Assert.That(adam.Iterations, Is.EqualTo(0));
        adam.ApplyGradients([(tensor(grads[1]), accumulated)]);
        reference.ApplyGradients([(tensor((grads[0] + grads[1]) / 2), plain)]);
        Assert.That(accumulated.item<double>(), Is.EqualTo(plain.item<double>()).Within(1e-15));
        Assert.That(adam.Iterations, Is.EqualTo(1));

        adam.ApplyGradients([(tensor(grads[2]), accumulated)]);
        adam.ApplyGradients([(tensor(grads[3]), accumulated)]);
        reference.ApplyGradients([(tensor((grads[2] + grads[3]) / 2), plain)]);
        Assert.That(accumulated.item<double>(), Is.EqualTo(plain.item<double>()).Within(1e-15));
        Assert.That(adam.Iterations, Is.EqualTo(2));
    }

    [Test]
    public void GradientAccumulation_ClipsTheMeanNotEachStep()
    {
        // clipvalue 1: steps of 3 and -1 average to 1 (unclipped); clipping each would give (1 - 1)/2 = 0.
        var w = Scalar(0.0);
        var sgd = new SGD(learningRate: 1.0, clipvalue: 1.0, gradientAccumulationSteps: 2);
        sgd.ApplyGradients([(tensor(3.0), w)]);
        sgd.ApplyGradients([(tensor(-1.0), w)]);
        Assert.That(w.item<double>(), Is.EqualTo(-1.0).Within(1e-15));
    }

    [Test]
    public void BadOptions_NameTheArgument()
    {
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Adam(gradientAccumulationSteps: 1))!.Message,
            Does.StartWith("adam gradientAccumulationSteps must be an integer >= 2, or null for none; got 1."));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => _ = new SGD(useEma: true, emaMomentum: 1.5))!.Message,
            Does.StartWith("sgd emaMomentum must be in [0, 1], e.g. 0.99; got 1.5."));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Lamb(useEma: true, emaOverwriteFrequency: 0))!.Message,
            Does.StartWith("lamb emaOverwriteFrequency must be an integer >= 1, or null to overwrite only at the end of Fit; got 0."));
        Assert.DoesNotThrow(() => _ = new SGD(emaMomentum: 1.5), "Keras checks the EMA arguments only with use_ema");
    }

    [Test]
    public void ExcludeFromWeightDecay_AfterBinding_Throws()
    {
        var w = Scalar(1.0);
        var sgd = new SGD(weightDecay: 0.1);
        Step(sgd, w);
        var ex = Assert.Throws<InvalidOperationException>(() => sgd.ExcludeFromWeightDecay(varNames: ["bias"]));
        Assert.That(ex!.Message, Does.StartWith("ExcludeFromWeightDecay can only be called before the sgd optimizer is bound"));
    }

    [Test]
    public void ExcludeFromWeightDecay_NamePatternsAreRegularExpressions()
    {
        var (a, b, c) = (Scalar(1.0), Scalar(1.0), Scalar(1.0));
        var sgd = new SGD(learningRate: 1.0, weightDecay: 0.5);
        sgd.ExcludeFromWeightDecay(varNames: ["^dense_[0-9]+\\.bias$"]);
        sgd.Bind([("dense_1.bias", a), ("dense_1.kernel", b), ("my_dense_1.bias", c)]);
        var zero = tensor(0.0);
        sgd.ApplyGradients([(zero, a), (zero, b), (zero, c)]);
        Assert.That((a.item<double>(), b.item<double>(), c.item<double>()), Is.EqualTo((1.0, 0.5, 0.5)));
    }

    [Test]
    public void ApplyGradients_NullGradientLeavesItsVariable_AndUnknownVariablesAreRefused()
    {
        var (a, b) = (Scalar(1.0), Scalar(1.0));
        var sgd = new SGD(learningRate: 0.5);
        sgd.ApplyGradients([(tensor(1.0), a), (null, b)]);
        Assert.That((a.item<double>(), b.item<double>()), Is.EqualTo((0.5, 1.0)));
        var ex = Assert.Throws<ArgumentException>(() => sgd.ApplyGradients([(tensor(1.0), Scalar(1.0))]));
        Assert.That(ex!.Message, Does.StartWith("Variable 0 of shape () is not one this sgd optimizer was built for (it was built for 2 variables)."));
    }

    [Test]
    public void Schedule_IsEvaluatedAtEachStep_AndTheRateCannotBeSet()
    {
        // Piecewise: 1.0 while step <= 1, then 0.25. SGD on gradient 1: w = 1 - 1 - 1 - 0.25.
        var w = Scalar(1.0);
        var sgd = new SGD(learningRate: new PiecewiseConstantDecay([1], [1.0, 0.25]));
        Assert.That(sgd.LearningRate, Is.EqualTo(1.0));
        for (int i = 0; i < 3; i++) sgd.ApplyGradients([(tensor(1.0), w)]);
        Assert.That(w.item<double>(), Is.EqualTo(-1.25));
        Assert.That(sgd.LearningRate, Is.EqualTo(0.25));
        Assert.That(sgd.Schedule, Is.TypeOf<PiecewiseConstantDecay>());
        var ex = Assert.Throws<InvalidOperationException>(() => sgd.LearningRate = 0.1);
        Assert.That(ex!.Message, Is.EqualTo(
            "This sgd optimizer was created with a learning-rate schedule (PiecewiseConstantDecay), so its learning rate cannot be set. " +
            "Create it with a number as learningRate to set it (e.g. from a callback)."));
    }

    [Test]
    public void Schedule_WithAccumulation_SeesEveryStep()
    {
        // Keras: schedules look at the real step count. Steps 0, 1 accumulate; the update at step 1 uses schedule(1).
        var w = Scalar(0.0);
        var sgd = new SGD(learningRate: new PiecewiseConstantDecay([0], [1.0, 0.5]), gradientAccumulationSteps: 2);
        sgd.ApplyGradients([(tensor(1.0), w)]);
        sgd.ApplyGradients([(tensor(1.0), w)]);
        Assert.That(w.item<double>(), Is.EqualTo(-0.5));
    }

    [Test]
    public void NumberAndScheduleBothCompileAsLearningRate()
    {
        Assert.That(new Adam(learningRate: 1e-3).Schedule, Is.Null);
        Assert.That(new Adam(learningRate: 1e-3).LearningRate, Is.EqualTo(1e-3));
        Assert.That(new Adam(1e-2).LearningRate, Is.EqualTo(1e-2));
        var schedule = new ExponentialDecay(0.1, 10, 0.5);
        Assert.That(new Adam(learningRate: schedule).Schedule, Is.SameAs(schedule));
        Assert.That(new Nadam(learningRate: schedule).LearningRate, Is.EqualTo(0.1));
    }

    [Test]
    public void Config_SavesTheScheduleAndAllKerasArguments_AndRecreatesThem()
    {
        var adam = new Adam(learningRate: new CosineDecay(0.0, 100, alpha: 0.1, warmupTarget: 1e-3, warmupSteps: 10), useEma: true,
            emaMomentum: 0.9, emaOverwriteFrequency: 5, gradientAccumulationSteps: 4);
        var config = adam.GetConfig();
        var json = Sequential.Persistence.ModelFile.ConfigObject(config).ToJsonString();
        Assert.That(json, Does.Contain("\"learning_rate\":{\"class_name\":\"CosineDecay\",\"config\":{\"initial_learning_rate\":0,\"decay_steps\":100," +
            "\"alpha\":0.1,\"warmup_target\":0.001,\"warmup_steps\":10,\"name\":\"CosineDecay\"}}"));
        Assert.That(json, Does.Contain("\"use_ema\":true,\"ema_momentum\":0.9,\"ema_overwrite_frequency\":5,\"gradient_accumulation_steps\":4"));

        var parsed = System.Text.Json.JsonDocument.Parse(json).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
        var back = (Adam)OptimizerRegistry.FromConfig("Adam", parsed);
        Assert.That(back.Schedule, Is.TypeOf<CosineDecay>());
        Assert.That(((CosineDecay)back.Schedule!).WarmupTarget, Is.EqualTo(1e-3));
        Assert.That((back.UseEma, back.EmaMomentum, back.EmaOverwriteFrequency, back.GradientAccumulationSteps), Is.EqualTo((true, 0.9, (int?)5, (int?)4)));
        Assert.That(Sequential.Persistence.ModelFile.ConfigObject(back.GetConfig()).ToJsonString(), Is.EqualTo(json));
    }

    [Test]
    public void Config_UnknownScheduleClass_IsRefusedWithTheRegistrysMessage()
    {
        var config = new Dictionary<string, object?>
        {
            ["learning_rate"] = System.Text.Json.JsonDocument.Parse("{\"class_name\": \"MySchedule\", \"config\": {}}").RootElement,
        };
        var ex = Assert.Throws<InvalidDataException>(() => OptimizerRegistry.FromConfig("SGD", config));
        Assert.That(ex!.Message, Does.StartWith(
            "Unknown learning-rate schedule class 'MySchedule'. If it is your own learning-rate schedule, call " +
            "Sequential.Optimizers.ScheduleRegistry.Register<MySchedule>() before loading."));
    }
}
