using Sequential.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Data.Tests;

/// <summary>Fit, Evaluate and Predict take a Dataset as they take any iterator.</summary>
public sealed class DatasetFitTests
{
    private static (Tensor x, Tensor y) Blobs(int n)
    {
        var generator = new Generator(7);
        var x = torch.randn(n, 4, generator: generator);
        var y = (x[.., 0] + x[.., 1] > 0).to_type(ScalarType.Int64) + (x[.., 2] > 1).to_type(ScalarType.Int64);
        return (x, y);
    }

    private static SequentialModel Model()
    {
        RandomSeed.Set(11);
        var model = new SequentialModel(new Dense(8, activation: "relu", inputShape: [4]), new Dense(3, activation: "softmax"));
        model.Compile(optimizer: "sgd", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"], device: "cpu");
        return model;
    }

    [Test]
    public void FitOnAnUnshuffledDataset_GivesTheSameHistoryAsFitOnTheTensors()
    {
        var (x, y) = Blobs(80);
        var onTensors = Model().Fit(x, y, batchSize: 32, epochs: 2, shuffle: false, verbose: 0);
        var onDataset = Model().Fit(Dataset.FromTensorSlices(x, y).Batch(32), epochs: 2, verbose: 0);
        Assert.That(onDataset["loss"], Is.EqualTo(onTensors["loss"]));
        Assert.That(onDataset["accuracy"], Is.EqualTo(onTensors["accuracy"]));
        // Through a buffer-1 shuffle, a parallel map and a prefetch thread the batches are still the same.
        var piped = Model().Fit(Dataset.FromTensorSlices(x, y).Shuffle(1, seed: 3).Map((a, b) => (a * 1f, b), numParallelCalls: 2)
            .Batch(32).Prefetch(2), epochs: 2, verbose: 0);
        Assert.That(piped["loss"], Is.EqualTo(onTensors["loss"]));
        Assert.That(WorkerThread.Live, Is.Zero);
    }

    [Test]
    public void ShuffledFit_Trains_AndValidatesOnADataset()
    {
        var (x, y) = Blobs(128);
        var model = Model();
        var history = model.Fit(Dataset.FromTensorSlices(x, y).Shuffle(128, seed: 1).Batch(16).Prefetch(Dataset.Autotune), epochs: 4,
            validationData: Dataset.FromTensorSlices(x[..64], y[..64]).Batch(32), verbose: 0);
        Assert.That(history["loss"][3], Is.LessThan(history["loss"][0]));
        Assert.That(history["val_loss"], Has.Count.EqualTo(4));
        var onDataset = model.Evaluate(Dataset.FromTensorSlices(x, y).Batch(50), verbose: 0);
        var onTensors = model.Evaluate(x, y, batchSize: 50, verbose: 0);
        Assert.That(onDataset["loss"], Is.EqualTo(onTensors["loss"]).Within(1e-6));
        Assert.That(onDataset["accuracy"], Is.EqualTo(onTensors["accuracy"]));
    }

    [Test]
    public void ARepeatedDataset_WithStepsPerEpoch()
    {
        var (x, y) = Blobs(100);
        int calls = 0;
        var ds = Dataset.FromTensorSlices(x, y).Map((a, b) => { Interlocked.Increment(ref calls); return (a, b); })
            .Shuffle(100, seed: 2).Batch(20).Repeat().Prefetch(2);
        var history = Model().Fit(ds, epochs: 3, stepsPerEpoch: 7, validationData: Dataset.FromTensorSlices(x, y).Batch(25).Repeat(),
            validationSteps: 2, verbose: 0);
        Assert.That(history["loss"], Has.Count.EqualTo(3));
        Assert.That(history["val_loss"], Has.Count.EqualTo(3));
        Assert.That(WorkerThread.Live, Is.Zero, "Fit closed the endless pass it left open");
        // 21 batches of 20 trained (the pass continues across epochs), plus what the prefetch had made ahead when Fit ended.
        Assert.That(calls, Is.InRange(21 * 20, 21 * 20 + 20 * (2 + 1) + 100));
    }

    [Test]
    public void PredictOnADatasetOfInputsAlone()
    {
        var (x, _) = Blobs(70);
        var model = Model();
        var expected = model.Predict(x, batchSize: 16, verbose: 0);
        var predicted = model.Predict(Dataset.FromTensorSlices(x).Batch(16), verbose: 0);
        Assert.That(predicted.shape, Is.EqualTo(new long[] { 70, 3 }));
        Assert.That(predicted.allclose(expected), Is.True);
        var firstTwo = model.Predict(Dataset.FromTensorSlices(x).Batch(16).Prefetch(2), steps: 2, verbose: 0);
        Assert.That(firstTwo.shape, Is.EqualTo(new long[] { 32, 3 }));
        Assert.That(WorkerThread.Live, Is.Zero);
    }

    [Test]
    public void AMapThatThrowsDuringFit_SurfacesWithTheElement_AndStopsTheWorkers()
    {
        var (x, y) = Blobs(100);
        x[37, 3] = torch.tensor(100f);
        var ds = Dataset.FromTensorSlices(x, y)
            .Map((a, b) => a[3].item<float>() > 50 ? throw new InvalidDataException("corrupt sample") : (a, b), numParallelCalls: 2)
            .Batch(10).Prefetch(2);
        const int bad = 37;
        var e = Assert.Throws<InvalidOperationException>(() => Model().Fit(ds, epochs: 1, verbose: 0))!;
        Assert.That(e.Message, Is.EqualTo($"The function given to Map failed on element {bad} of the pass (InvalidDataException: corrupt sample)."));
        Assert.That(WorkerThread.Live, Is.Zero);
    }

    [Test]
    public void TheDesignLinesRunAsWritten()
    {
        // DESIGN.md, "Data pipelines": an augmentation layer in a parallel Map, then Prefetch; and the cached pipeline.
        var images = torch.rand(24, 6, 6, 3, generator: new Generator(3));
        var labels = torch.arange(24, ScalarType.Int64) % 2;
        var augment = new RandomFlip("horizontal", seed: 5);
        Dataset train = Dataset.FromTensorSlices(images, labels).Batch(8);
        train = train.Map((x, y) => (augment.Apply(x, training: true), y), numParallelCalls: Dataset.Autotune)
                     .Prefetch(Dataset.Autotune);
        using (torch.NewDisposeScope())
        {
            int index = 0, flipped = 0;
            foreach (var (x, y) in train)
                for (int i = 0; i < x.shape[0]; i++, index++)
                {
                    var original = images[index];
                    bool mirrored = x[i].allclose(original.flip(1), 0, 0);
                    Assert.That(mirrored || x[i].allclose(original, 0, 0), $"sample {index} is itself or its mirror image");
                    if (mirrored) flipped++;
                }
            Assert.That(index, Is.EqualTo(24));
            Assert.That(flipped, Is.InRange(1, 23), "the layer flipped some samples (each with probability 1/2)");
        }
        RandomSeed.Set(1);
        var model = new SequentialModel(new Flatten(inputShape: [6, 6, 3]), new Dense(2));
        model.Compile(optimizer: "adam", loss: new Sequential.Losses.SparseCategoricalCrossentropy(fromLogits: true), device: "cpu");
        model.Fit(train, epochs: 2, verbose: 0);

        var (xs, ys) = (images.reshape(24, -1), labels);
        var ds = Dataset.FromTensorSlices(xs, ys).Shuffle(1024, seed: 1).Batch(32).Cache().Prefetch(2);
        var dense = new SequentialModel(new Dense(2, inputShape: [108]));
        dense.Compile(optimizer: "adam", loss: new Sequential.Losses.SparseCategoricalCrossentropy(fromLogits: true), device: "cpu");
        Assert.That(dense.Fit(ds, epochs: 2, verbose: 0)["loss"], Has.Count.EqualTo(2));
        Assert.That(WorkerThread.Live, Is.Zero);
    }

    private static Model TwoInputs()
    {
        RandomSeed.Set(12);
        var a = new Input(shape: [2], name: "a");
        var b = new Input(shape: [3], name: "b");
        var h = new Dense(4, activation: "relu", name: "h").Apply(new Concatenate().Apply(a, b));
        var model = new Model([a, b], [new Dense(3, name: "kind").Apply(h), new Dense(1, name: "size").Apply(h)]);
        model.Compile(optimizer: "sgd",
            loss: new Dictionary<string, Losses.Loss> { ["kind"] = new Losses.SparseCategoricalCrossentropy(fromLogits: true), ["size"] = "mse" },
            metrics: new Dictionary<string, IEnumerable<object>> { ["kind"] = ["accuracy"] }, device: "cpu");
        return model;
    }

    [Test]
    public void ADatasetOfDictionaries_TrainsAModelWithSeveralInputsAndOutputs_AsItsTensorsDo()
    {
        var generator = new Generator(5);
        var x = new Dictionary<string, Tensor> { ["b"] = torch.randn(40, 3, generator: generator), ["a"] = torch.randn(40, 2, generator: generator) };
        var y = new Dictionary<string, Tensor> { ["size"] = torch.randn(40, 1, generator: generator), ["kind"] = torch.randint(0, 3, [40], generator: generator) };
        var onTensors = TwoInputs().Fit(x, y, batchSize: 8, epochs: 2, shuffle: false, verbose: 0);
        var onDataset = TwoInputs().Fit(Dataset.FromTensorSlices(x, y).Batch(8), epochs: 2, verbose: 0);
        Assert.That(onDataset.Keys, Is.EqualTo(new[] { "loss", "kind_accuracy", "kind_loss", "size_loss" }));
        Assert.That(onDataset["loss"], Is.EqualTo(onTensors["loss"]));
        Assert.That(onDataset["kind_accuracy"], Is.EqualTo(onTensors["kind_accuracy"]));
    }

    [Test]
    public void ARepeatedDataset_WithoutAStepCount_IsRefusedInsteadOfRunningForever()
    {
        var (x, y) = Blobs(16);
        var forever = Dataset.FromTensorSlices(x, y).Batch(8).Repeat();
        var e = Assert.Throws<ArgumentException>(() => Model().Fit(forever, epochs: 1, verbose: 0));
        Assert.That(e!.Message, Does.Contain("repeats forever").And.Contain("stepsPerEpoch"));
        Assert.Throws<ArgumentException>(() => Model().Evaluate(forever, verbose: 0));
        Assert.That(Model().Fit(forever, epochs: 1, stepsPerEpoch: 3, verbose: 0)["loss"], Has.Count.EqualTo(1));
    }

    [Test]
    public void FixedValues_AreCheckedOnTheFirstPassOnly_MappedValuesOnEveryPass()
    {
        var (x, y) = Blobs(16);
        Assert.That(((IBatchSource)Dataset.FromTensorSlices(x, y).Shuffle(16, seed: 1).Batch(8).Prefetch(2)).FixedValues, Is.True);
        Assert.That(((IBatchSource)Dataset.FromTensorSlices(x, y).Map((a, b) => (a * 2f, b)).Batch(8)).FixedValues, Is.False);

        // A Map that makes a NaN only on the third pass: caught there, because mapped values are checked on every pass.
        int calls = 0;
        var late = Dataset.FromTensorSlices(x, y).Map((a, b) => (Interlocked.Increment(ref calls) > 32 ? a * float.NaN : a, b)).Batch(8);
        var e = Assert.Throws<ArgumentException>(() => Model().Fit(late, epochs: 3, verbose: 0));
        Assert.That(e!.Message, Does.Contain("NaN"));
    }
}
