using Sequential.Losses;
using static TorchSharp.torch;

namespace Sequential.Layers.Tests;

/// Masking, Embedding(maskZero) and the layers that pass, combine or use masks (values from Keras's tests).
public class MaskingTests
{
    private static bool[] Bools(Tensor t) => t.to_type(ScalarType.Bool).contiguous().data<bool>().ToArray();

    private static float[] Floats(Tensor t) => t.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();

    private static Tensor Steps() => tensor(new float[,,] { { { 0, 0 }, { 1, 2 }, { 0, 0 } }, { { 2, 2 }, { 0, 0 }, { 2, 1 } } });

    [Test]
    public void Correctness_FromKeras_MasksAllZeroSteps()
    {
        // keras/src/layers/core/masking_test.py test_masking_correctness.
        var layer = new Masking(maskValue: 0.0);
        Assert.That(Bools(layer.ComputeMask(Steps(), null)!), Is.EqualTo(new[] { false, true, false, true, false, true }));
        var y = layer.Apply(Steps());
        Assert.That(Bools(Masks.Get(y)!), Is.EqualTo(new[] { false, true, false, true, false, true }));
        Assert.That(Floats(y), Is.EqualTo(Floats(Steps())));
    }

    [Test]
    public void AnotherMaskValue_ZeroesTheMaskedSteps()
    {
        var x = tensor(new float[,,] { { { -1, -1 }, { 1, -1 } } });
        var y = new Masking(maskValue: -1).Apply(x);
        Assert.That(Floats(y), Is.EqualTo(new[] { 0f, 0f, 1f, -1f }));
        Assert.That(Bools(Masks.Get(y)!), Is.EqualTo(new[] { false, true }));
    }

    [Test]
    public void SavedAndLoaded_KeepsTheMaskValue_AndMasksTheSameSteps()
    {
        var model = new SequentialModel(new Masking(maskValue: -1, inputShape: [3, 2]), new Dense(2));
        var x = tensor(new float[,,] { { { -1, -1 }, { 1, 2 }, { -1, -1 } } });
        var loaded = SavedModels.AssertRoundTrips(model, x);
        Assert.That(((Masking)loaded.Layers[0]).MaskValue, Is.EqualTo(-1.0));
        Assert.That(Bools(Masks.Get(loaded.Apply(x))!), Is.EqualTo(new[] { false, true, false }));
    }

    [Test]
    public void EmbeddingWithMaskZero_MarksIdZero_AndDenseAndDropoutPassItOn()
    {
        var model = new SequentialModel(new Embedding(5, 3, maskZero: true), new Dense(4), new Dropout(0.5), new Dense(2));
        var y = model.Apply(tensor(new long[,] { { 3, 1, 0, 0 }, { 4, 0, 2, 0 } }));
        Assert.That(Bools(Masks.Get(y)!), Is.EqualTo(new[] { true, true, false, false, true, false, true, false }));
    }

    [Test]
    public void EmbeddingWithoutMaskZero_MakesNoMask()
    {
        var y = new Embedding(5, 3).Apply(tensor(new long[,] { { 3, 0 } }));
        Assert.That(Masks.Get(y), Is.Null);
    }

    [Test]
    public void Flatten_DoesNotSupportMasking_AndDropsTheMask()
    {
        var model = new SequentialModel(new Embedding(5, 3, maskZero: true), new Flatten());
        Assert.That(Masks.Get(model.Apply(tensor(new long[,] { { 3, 0 } }))), Is.Null);
    }

    [Test]
    public void Softmax_FromKeras_MaskedPositionsGetZero()
    {
        // keras/src/layers/activations/softmax_test.py: masked positions get 0 (here along the last axis).
        var x = tensor(new float[,] { { 1, 2, 1 }, { 1, 2, 1 } });
        var mask = tensor(new float[,] { { 1, 0, 1 }, { 0, 1, 0 } });
        var y = new Softmax().Apply(x, mask: mask);
        Assert.That(Floats(y), Is.EqualTo(new[] { 0.5f, 0f, 0.5f, 0f, 1f, 0f }).Within(1e-6));
    }

    [Test]
    public void Softmax_AMaskThatDoesNotBroadcast_IsRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Softmax().Apply(ones(2, 3, 4), mask: ones(2, 3, dtype: ScalarType.Bool)))!;
        Assert.That(ex.Message, Does.Contain("received inputs of shape (2, 3, 4) and a mask of shape (2, 3)"));
    }

    [Test]
    public void Concatenate_FromKeras_ConcatenatesMasksAlongTheAxis()
    {
        // keras/src/layers/merging/merging_test.py test_concatenate_with_mask.
        var x1 = new Masking().Apply(tensor(new float[,,] { { { 0, 0 }, { 1, 2 }, { 0, 0 }, { 3, 4 } } }));
        var x2 = tensor(new float[,,] { { { 0, 0 }, { 0, 0 }, { 1, 2 }, { 3, 4 } } });
        var byTime = new Concatenate(axis: 1).Apply([x1, x2]);
        Assert.That(Floats(byTime), Is.EqualTo(new float[] { 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 1, 2, 3, 4 }));
        Assert.That(Bools(Masks.Get(byTime)!), Is.EqualTo(new[] { false, true, false, true, true, true, true, true }));
        var byFeature = new Concatenate(axis: 2).Apply([x1, x2]);
        Assert.That(Bools(Masks.Get(byFeature)!), Is.EqualTo(new[] { true, true, true, true }));
    }

    [Test]
    public void Maximum_FromKeras_NoMaskUnlessEveryInputHasOne_ThenTheOr()
    {
        // keras/src/layers/merging/merging_test.py test_maximum_with_mask.
        var x1 = new Masking().Apply(tensor(new float[,,] { { { 0, 0 }, { -1, -2 }, { 0, 0 }, { -3, -4 } } }));
        var raw = tensor(new float[,,] { { { 0, 0 }, { 0, 0 }, { -1, -2 }, { -3, -4 } } });
        var output = new Maximum().Apply([x1, raw]);
        Assert.That(Floats(output), Is.EqualTo(new float[] { 0, 0, 0, 0, -1, -2, -3, -4 }));
        Assert.That(Masks.Get(output), Is.Null);
        var x2 = new Masking().Apply(raw);
        output = new Maximum().Apply([x1, x2]);
        Assert.That(Floats(output), Is.EqualTo(new float[] { 0, 0, -1, -2, -1, -2, -3, -4 }));
        Assert.That(Bools(Masks.Get(output)!), Is.EqualTo(new[] { false, true, true, true }));
    }

    [Test]
    public void Multiply_FromKeras_MaskedValuesCountAsOne()
    {
        // keras/src/layers/merging/merging_test.py test_multiply_with_mask.
        var x1 = new Masking().Apply(tensor(new float[,,] { { { 0, 0 }, { 1, 2 }, { 0, 0 }, { 3, 4 } } }));
        var raw = tensor(new float[,,] { { { 0, 0 }, { 0, 0 }, { 1, 2 }, { 3, 4 } } });
        var output = new Multiply().Apply([x1, raw]);
        Assert.That(Floats(output), Is.EqualTo(new float[] { 0, 0, 0, 0, 1, 2, 9, 16 }));
        Assert.That(Masks.Get(output), Is.Null);
        output = new Multiply().Apply([x1, new Masking().Apply(raw)]);
        Assert.That(Floats(output), Is.EqualTo(new float[] { 0, 0, 1, 2, 1, 2, 9, 16 }));
        Assert.That(Bools(Masks.Get(output)!), Is.EqualTo(new[] { false, true, true, true }));
    }

    [Test]
    public void GlobalAveragePooling1D_AveragesOnlyTheKeptSteps_AndDropsTheMask()
    {
        var x = tensor(new float[,,] { { { 1, 10 }, { 3, 30 }, { 100, 100 } }, { { 2, 4 }, { 9, 9 }, { 9, 9 } } });
        var mask = tensor(new[,] { { true, true, false }, { true, false, false } });
        var y = new GlobalAveragePooling1D().Apply(x, mask: mask);
        Assert.That(Floats(y), Is.EqualTo(new[] { 2f, 20f, 2f, 4f }));
        Assert.That(Masks.Get(y), Is.Null);
    }

    [Test]
    public void GlobalAveragePooling1D_AMaskOfAnotherLength_IsRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => new GlobalAveragePooling1D().Apply(ones(2, 3, 4), mask: ones(2, 5, dtype: ScalarType.Bool)))!;
        Assert.That(ex.Message, Does.Contain("a mask of shape (2, 5) does not fit inputs of shape (2, 3, 4); it should be [batch, steps] = (2, 3)"));
    }

    [Test]
    public void TrainingOnPaddedSequences_LeavesPaddedStepsOutOfLossAndAccuracy()
    {
        // Per-step classification after Embedding(maskZero): Evaluate's loss and accuracy are those of the kept
        // steps only, computed here by hand from the model's own predictions.
        RandomSeed.Set(3);
        var model = new SequentialModel(new Embedding(6, 4, maskZero: true), new Dense(3));
        model.Compile(optimizer: "adam", loss: new SparseCategoricalCrossentropy(fromLogits: true), metrics: ["accuracy"]);
        var x = tensor(new long[,] { { 1, 2, 0, 0 }, { 3, 4, 5, 0 } });
        var y = tensor(new long[,] { { 0, 2, 1, 1 }, { 1, 1, 0, 2 } });
        var logs = model.Evaluate(x, y, verbose: 0);
        var logits = model.Predict(x, verbose: 0);
        var keep = x.ne(0);
        var perStep = nn.functional.cross_entropy(logits.view(-1, 3), y.view(-1), reduction: nn.Reduction.None).view(2, 4);
        double expectedLoss = perStep.masked_select(keep).mean().item<float>();
        double expectedAccuracy = logits.argmax(-1).eq(y).masked_select(keep).to_type(ScalarType.Float32).mean().item<float>();
        double unmaskedLoss = perStep.mean().item<float>();
        Assert.That(Math.Abs(expectedLoss - unmaskedLoss), Is.GreaterThan(1e-4), "the padded steps change the unmasked loss");
        Assert.That(logs["loss"], Is.EqualTo(expectedLoss).Within(1e-5));
        Assert.That(logs["accuracy"], Is.EqualTo(expectedAccuracy).Within(1e-6));
    }
}
