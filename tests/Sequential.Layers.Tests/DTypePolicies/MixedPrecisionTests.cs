using Sequential.Losses;
using static TorchSharp.torch;

namespace Sequential.Layers.Tests;

/// Mixed precision as Keras does it: float32 weights, 16-bit computation, float32 losses and predictions.
[NonParallelizable]
public class MixedPrecisionTests
{
    [TearDown]
    public void ResetPolicy() => MixedPrecision.SetGlobalPolicy("float32");

    [Test]
    public void Dense_KeepsFloat32Weights_AndComputesInBfloat16()
    {
        RandomSeed.Set(1);
        var layer = new Dense(4) { DtypePolicy = "mixed_bfloat16" };
        var x = randn(3, 5);
        var y = layer.Apply(x);
        Assert.That(layer.Kernel!.dtype, Is.EqualTo(ScalarType.Float32));
        Assert.That(y.dtype, Is.EqualTo(ScalarType.BFloat16));
        var expected = nn.functional.linear(x.to_type(ScalarType.BFloat16), layer.Kernel.to_type(ScalarType.BFloat16), layer.Bias!.to_type(ScalarType.BFloat16));
        Assert.That(y.eq(expected).all().item<bool>(), Is.True, "the bfloat16 product of the bfloat16 inputs and weights");
    }

    [Test]
    public void GradientsReachTheFloat32Weights()
    {
        var layer = new Dense(2) { DtypePolicy = "mixed_bfloat16" };
        layer.Apply(ones(4, 3)).to_type(ScalarType.Float32).sum().backward();
        Assert.That(layer.Kernel!.grad!.dtype, Is.EqualTo(ScalarType.Float32));
        Assert.That(layer.Kernel.grad.abs().sum().item<float>(), Is.GreaterThan(0));
    }

    [Test]
    public void ChangingTheVariableDtypeOfABuiltLayer_IsRefused()
    {
        var layer = new Dense(2);
        layer.Apply(ones(1, 3));
        layer.DtypePolicy = "mixed_bfloat16";   // same float32 weights: allowed
        var ex = Assert.Throws<InvalidOperationException>(() => layer.DtypePolicy = "bfloat16")!;
        Assert.That(ex.Message, Does.Contain("is built with Float32 weights; the policy 'bfloat16' keeps weights in BFloat16. Set DtypePolicy before the layer builds"));
    }

    [TestCase("layer")]
    [TestCase("batch")]
    public void Normalization_ComputesInFloat32_AndReturnsTheComputeDtype(string which)
    {
        RandomSeed.Set(2);
        Layer Make() => which == "layer" ? new LayerNormalization() : new BatchNormalization();
        var x = randn(8, 6) * 3 + 1;
        var exact = Make();
        var mixed = Make();
        mixed.DtypePolicy = "mixed_bfloat16";
        var expected = exact.Apply(x, training: true);
        var y = mixed.Apply(x, training: true);
        Assert.That(y.dtype, Is.EqualTo(ScalarType.BFloat16));
        Assert.That((y.to_type(ScalarType.Float32) - expected).abs().max().item<float>(), Is.LessThan(0.05f));
    }

    [Test]
    public void TrainingUnderMixedBfloat16_KeepsFloat32Weights_AndMatchesFloat32Training()
    {
        static (SequentialModel Model, History History) Train(string policy)
        {
            MixedPrecision.SetGlobalPolicy(policy);
            RandomSeed.Set(7);
            var model = new SequentialModel(new Dense(16, activation: "relu", inputShape: [8]), new Dense(3));
            model.Compile(optimizer: "adam", loss: new SparseCategoricalCrossentropy(fromLogits: true), metrics: ["accuracy"]);
            RandomSeed.Set(8);
            var x = randn(256, 8);
            var y = x[.., ..3].argmax(1);
            var history = model.Fit(x, y, epochs: 3, batchSize: 32, shuffle: false, verbose: 0);
            MixedPrecision.SetGlobalPolicy("float32");
            return (model, history);
        }
        var (exact, exactHistory) = Train("float32");
        var (mixed, mixedHistory) = Train("mixed_bfloat16");
        Assert.That(mixed.Layers.All(l => l.DtypePolicy.Name == "mixed_bfloat16"), Is.True);
        Assert.That(mixed.Weights.All(w => w.dtype == ScalarType.Float32), Is.True, "weights stay float32");
        var predictions = mixed.Predict(randn(4, 8), verbose: 0);
        Assert.That(predictions.dtype, Is.EqualTo(ScalarType.Float32), "predictions come back in float32");
        // bfloat16 keeps 8 bits of mantissa: the losses agree to about 2% after three epochs of the same batches.
        for (int epoch = 0; epoch < 3; epoch++)
            Assert.That(mixedHistory["loss"][epoch], Is.EqualTo(exactHistory["loss"][epoch]).Within(2).Percent);
        Assert.That(mixedHistory["loss"][2], Is.LessThan(mixedHistory["loss"][0]), "it trains");
    }

    [Test]
    public void AFloat32LastLayer_TakesBfloat16InputsAndReturnsFloat32()
    {
        var hidden = new Dense(4) { DtypePolicy = "mixed_bfloat16" };
        var output = new Dense(2, activation: "softmax") { DtypePolicy = "float32" };
        var model = new SequentialModel(hidden, output);
        var y = model.Apply(ones(3, 5));
        Assert.That(y.dtype, Is.EqualTo(ScalarType.Float32));
    }

    [Test]
    public void SavedAndLoaded_KeepsEachLayersPolicy_WhateverTheGlobalPolicyIsWhenLoading()
    {
        MixedPrecision.SetGlobalPolicy("mixed_bfloat16");
        var model = new SequentialModel(new Dense(4, inputShape: [3]), new Dense(2) { DtypePolicy = "float32" });
        MixedPrecision.SetGlobalPolicy("float32");
        var x = randn(2, 3);
        var loaded = SavedModels.SaveAndLoad(model);
        Assert.That(loaded.Layers[0].DtypePolicy.Name, Is.EqualTo("mixed_bfloat16"));
        Assert.That(loaded.Layers[1].DtypePolicy.Name, Is.EqualTo("float32"));
        Assert.That(loaded.Predict(x, verbose: 0).eq(model.Predict(x, verbose: 0)).all().item<bool>(), Is.True);
    }
}
