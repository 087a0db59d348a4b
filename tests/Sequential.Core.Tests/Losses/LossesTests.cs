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
    public void Get_IsCaseInsensitive(string name, Type expected)
    {
        var loss = LossRegistry.Get(name);
        Assert.That(loss, Is.TypeOf(expected));
        Assert.That(loss.FromLogits, Is.False);
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
        var ex = Assert.Throws<ArgumentException>(() => LossRegistry.Get("hinge"));
        Assert.That(ex!.Message, Does.StartWith("Unknown loss 'hinge'. Accepted: binary_crossentropy, bce, categorical_crossentropy")
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
        var ex = Assert.Throws<InvalidDataException>(() => LossRegistry.FromConfig("Hinge", new Dictionary<string, object?>()));
        Assert.That(ex!.Message, Is.EqualTo(
            "Unknown loss class 'Hinge'. If it is your own loss, call Sequential.Losses.LossRegistry.Register<Hinge>() before loading. " +
            $"Known loss classes: {string.Join(", ", LossRegistry.ClassNames)}."));
        Assert.That(LossRegistry.ClassNames, Is.SupersetOf(new[]
        {
            "BinaryCrossentropy", "CategoricalCrossentropy", "Huber", "MeanAbsoluteError", "MeanSquaredError", "SparseCategoricalCrossentropy",
        }).And.Ordered);
    }
}
