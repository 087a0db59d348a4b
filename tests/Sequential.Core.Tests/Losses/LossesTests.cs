using Sequential.Losses;

namespace Sequential.Core.Tests.Losses;

public class LossesTests
{
    [TestCase("binary_crossentropy", typeof(BinaryCrossentropy))]
    [TestCase("BCE", typeof(BinaryCrossentropy))]
    [TestCase("BinaryCrossentropy", typeof(BinaryCrossentropy))]
    [TestCase("Categorical_Crossentropy", typeof(CategoricalCrossentropy))]
    [TestCase("SPARSE_CATEGORICAL_CROSSENTROPY", typeof(SparseCategoricalCrossentropy))]
    [TestCase("mse", typeof(MeanSquaredError))]
    [TestCase("Mean_Squared_Error", typeof(MeanSquaredError))]
    [TestCase("MAE", typeof(MeanAbsoluteError))]
    [TestCase("mean_absolute_error", typeof(MeanAbsoluteError))]
    [TestCase("huber", typeof(Huber))]
    [TestCase("huber_loss", typeof(Huber))]
    [TestCase("mape", typeof(MeanAbsolutePercentageError))]
    [TestCase("MAPE", typeof(MeanAbsolutePercentageError))]
    [TestCase("mean_absolute_percentage_error", typeof(MeanAbsolutePercentageError))]
    [TestCase("msle", typeof(MeanSquaredLogarithmicError))]
    [TestCase("mean_squared_logarithmic_error", typeof(MeanSquaredLogarithmicError))]
    [TestCase("cosine_similarity", typeof(CosineSimilarity))]
    [TestCase("log_cosh", typeof(LogCosh))]
    [TestCase("logcosh", typeof(LogCosh))]
    [TestCase("hinge", typeof(Hinge))]
    [TestCase("squared_hinge", typeof(SquaredHinge))]
    [TestCase("categorical_hinge", typeof(CategoricalHinge))]
    [TestCase("kl_divergence", typeof(KLDivergence))]
    [TestCase("KLD", typeof(KLDivergence))]
    [TestCase("KLDivergence", typeof(KLDivergence))]
    [TestCase("poisson", typeof(Poisson))]
    [TestCase("binary_focal_crossentropy", typeof(BinaryFocalCrossentropy))]
    [TestCase("categorical_focal_crossentropy", typeof(CategoricalFocalCrossentropy))]
    [TestCase("dice", typeof(Dice))]
    [TestCase("tversky", typeof(Tversky))]
    [TestCase("ctc", typeof(CTC))]
    public void Get_IsCaseInsensitive(string name, Type expected)
    {
        var loss = LossRegistry.Get(name);
        Assert.That(loss, Is.TypeOf(expected));
        Assert.That(loss.FromLogits, Is.EqualTo(expected == typeof(CTC)));   // CTC takes logits, as in Keras
    }

    [Test]
    public void Get_KerasNames()
    {
        Assert.That(LossRegistry.Get("sparse_categorical_crossentropy").Name, Is.EqualTo("sparse_categorical_crossentropy"));
        Assert.That(LossRegistry.Get("huber").Name, Is.EqualTo("huber_loss"));   // Keras's Huber class name
    }

    [Test]
    public void Get_Unknown_ListsAcceptedNames()
    {
        var ex = Assert.Throws<ArgumentException>(() => LossRegistry.Get("circle"));
        Assert.That(ex!.Message, Does.StartWith("Unknown loss 'circle'. Accepted: binary_crossentropy, bce, categorical_crossentropy")
            .And.Contain("sparse_categorical_crossentropy").And.Contain("mse").And.Contain("huber_loss"));
    }

    private abstract class AbstractLoss() : Loss("abstract");

    private sealed class NoPublicConstructor : Loss
    {
        private NoPublicConstructor() : base("hidden") { }

        public override TorchSharp.torch.Tensor ComputeValues(TorchSharp.torch.Tensor yTrue, TorchSharp.torch.Tensor yPred) => yPred;
    }

    [Test]
    public void Register_RefusesWhatLoadCouldNotCreate()
    {
        var ex = Assert.Throws<ArgumentException>(LossRegistry.Register<AbstractLoss>);
        Assert.That(ex!.Message, Does.StartWith("AbstractLoss is abstract; register a concrete loss type."));
        ex = Assert.Throws<ArgumentException>(LossRegistry.Register<NoPublicConstructor>);
        Assert.That(ex!.Message, Does.StartWith("NoPublicConstructor has no public constructor; Load creates a loss by calling"));
        Assert.That(LossRegistry.ClassNames, Does.Not.Contain("AbstractLoss").And.Not.Contain("NoPublicConstructor"));
    }

    [Test]
    public void FromConfig_CreatesBuiltInsByClassName_AndRefusesOthersWithTheFix()
    {
        var huber = (Huber)LossRegistry.FromConfig("Huber", new Dictionary<string, object?> { ["delta"] = 0.5, ["reduction"] = "sum" });
        Assert.That((huber.Delta, huber.Reduction), Is.EqualTo((0.5, "sum")));
        var ex = Assert.Throws<InvalidDataException>(() => LossRegistry.FromConfig("Circle", new Dictionary<string, object?>()));
        Assert.That(ex!.Message, Is.EqualTo(
            "Unknown loss class 'Circle'. If it is your own loss, call Sequential.Losses.LossRegistry.Register<Circle>() before loading. " +
            $"Known loss classes: {string.Join(", ", LossRegistry.ClassNames)}."));
        Assert.That(LossRegistry.ClassNames, Is.SupersetOf(new[]
        {
            "BinaryCrossentropy", "CategoricalCrossentropy", "Huber", "MeanAbsoluteError", "MeanSquaredError", "SparseCategoricalCrossentropy",
        }).And.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
    }

    [Test]
    public void NewLosses_RoundTripTheirConfiguration()
    {
        Loss[] losses =
        [
            new BinaryFocalCrossentropy(applyClassBalancing: true, alpha: 0.4, gamma: 3, fromLogits: true, labelSmoothing: 0.1, axis: 1, name: "bfce"),
            new CategoricalFocalCrossentropy(alpha: 0.5, gamma: 1, axis: 1, reduction: "sum"),
            new CosineSimilarity(axis: 0, reduction: "sum", name: "cosine_loss"),
            new Dice(axis: [1, 2, 3]), new Tversky(alpha: 0.2, beta: 0.8, axis: [1]), new CTC(name: "myctc"),
            new SparseCategoricalCrossentropy(fromLogits: true, ignoreClass: -1, axis: 1),
            new MeanAbsolutePercentageError(name: "mymape"), new MeanSquaredLogarithmicError(), new LogCosh(), new Hinge(), new SquaredHinge(),
            new CategoricalHinge(), new KLDivergence(reduction: "sum", name: "kld"), new Poisson(),
        ];
        foreach (var loss in losses)
        {
            var config = loss.GetConfig();
            var copy = LossRegistry.FromConfig(loss.GetType().Name, config);
            Assert.That(copy.GetConfig(), Is.EqualTo(config), loss.GetType().Name);
        }
        Assert.That(new CosineSimilarity(axis: 2, reduction: "sum", name: "cosine_loss").GetConfig(),
            Is.EquivalentTo(new Dictionary<string, object?> { ["axis"] = 2, ["reduction"] = "sum", ["name"] = "cosine_loss" }));
    }
}
