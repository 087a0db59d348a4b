using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Data.Tests;

public sealed class ArrayIteratorTests
{
    [Test]
    public void BatchesCoverTheDataInOrderWithoutShuffle()
    {
        var x = torch.arange(10 * 2 * 2, ScalarType.Float32).reshape(10, 2, 2, 1);
        var y = torch.arange(10, ScalarType.Int64);
        var it = new ImageDataGenerator(rescale: 2).Flow(x, y, batchSize: 4, shuffle: false);
        Assert.That(it.Count, Is.EqualTo(3));
        Assert.That(it.Samples, Is.EqualTo(10));
        Assert.That(it.ImageShape, Is.EqualTo(new[] { 2, 2, 1 }));
        var batches = it.ToList();
        Assert.That(batches.Select(b => b.x.shape[0]), Is.EqualTo(new long[] { 4, 4, 2 }));
        Assert.That(batches[2].y.data<long>().ToArray(), Is.EqualTo(new long[] { 8, 9 }));
        Assert.That(batches[1].x[0].flatten().data<float>().ToArray(), Is.EqualTo(new float[] { 32, 34, 36, 38 }));
    }

    [Test]
    public void ShuffleKeepsImagesAndTargetsTogether()
    {
        var x = torch.arange(20, ScalarType.Float32).reshape(20, 1, 1, 1);
        var y = torch.arange(20, ScalarType.Int64);
        var it = new ImageDataGenerator().Flow(x, y, batchSize: 20, seed: 4);
        var (bx, by) = it.Single();
        var xs = bx.flatten().data<float>().ToArray();
        Assert.That(xs, Is.EqualTo(by.data<long>().ToArray().Select(v => (float)v)));
        Assert.That(xs, Is.Not.EqualTo(Enumerable.Range(0, 20).Select(v => (float)v)));
        Assert.That(xs.Order(), Is.EqualTo(Enumerable.Range(0, 20).Select(v => (float)v)));
    }

    [Test]
    public void WithoutTargetsYIsEmpty()
    {
        var (_, y) = new ImageDataGenerator().Flow(torch.zeros(3, 2, 2, 3)).First();
        Assert.That(y.numel(), Is.EqualTo(0));
    }

    [Test]
    public void MismatchedShapesAreRejected()
    {
        var gen = new ImageDataGenerator();
        Assert.That(Assert.Throws<ArgumentException>(() => gen.Flow(torch.zeros(3, 2, 2)))!.Message,
            Does.StartWith("Flow expects images of rank 4, [N, H, W, C]; got shape (3, 2, 2)."));
        Assert.That(Assert.Throws<ArgumentException>(() => gen.Flow(torch.zeros(3, 2, 2, 1), torch.zeros(4)))!.Message,
            Does.StartWith("x and y must have the same number of samples; got x (3, 2, 2, 1) and y (4,)."));
        Assert.Throws<ArgumentOutOfRangeException>(() => gen.Flow(torch.zeros(3, 2, 2, 1), batchSize: 0));
    }

    [Test]
    public void FitTrainsOnAnArrayIterator()
    {
        var ((xTrain, yTrain), _) = Mnist.LoadData();
        using var scope = torch.NewDisposeScope();
        var x = xTrain[..256].unsqueeze(-1);
        var y = yTrain[..256];
        var it = new ImageDataGenerator(rescale: 1f / 255, rotationRange: 10).Flow(x, y, batchSize: 32, seed: 0);
        var model = new Sequential.SequentialModel(new Sequential.Layers.Flatten(inputShape: [28, 28, 1]),
            new Sequential.Layers.Dense(10));
        model.Compile(optimizer: "adam", loss: new Sequential.Losses.SparseCategoricalCrossentropy(fromLogits: true), device: "cpu");
        var history = model.Fit(it, epochs: 2, stepsPerEpoch: 10, verbose: 0);
        Assert.That(history["loss"][1], Is.LessThan(history["loss"][0]));
    }
}
