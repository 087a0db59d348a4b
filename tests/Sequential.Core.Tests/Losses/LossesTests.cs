using Sequential.Losses;
using LossRegistry = Sequential.Losses.Losses;

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
}
