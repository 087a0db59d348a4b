using Sequential.Layers;
using Sequential.Losses;
using SkiaSharp;
using static TorchSharp.torch;

namespace Sequential.Data.Tests;

/// <summary>
/// Fit under <see cref="DataParallel"/> reads only this rank's rows of each batch from an image iterator or a Dataset
/// (rank and size given without MPI: the gradients are this rank's alone, which is what makes the training comparable
/// with slicing whole batches).
/// </summary>
public sealed class DataParallelReadingTests
{
    private string _root = "";

    [SetUp]
    public void MakeRoot()
    {
        _root = TestImages.TempDir();
        for (int i = 0; i < 9; i++)
            File.WriteAllBytes(Path.Combine(Directory.CreateDirectory(Path.Combine(_root, i % 2 == 0 ? "a" : "b")).FullName, $"{i}.png"),
                TestImages.Encode(8, 8, (x, y) => new SKColor((byte)(x * 30), (byte)(y * 30), (byte)(i * 25)), SKEncodedImageFormat.Png));
    }

    [TearDown]
    public void RemoveRoot()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    /// <summary>The weights after two epochs (with validation) as rank <paramref name="rank"/> of 2.</summary>
    private static float[] Train(int rank, IEnumerable<(Tensor x, Tensor y)> data, IEnumerable<(Tensor x, Tensor y)> validation)
    {
        RandomSeed.Set(3);
        var model = new SequentialModel(new Flatten(inputShape: [6, 6, 3]), new Dense(2));
        model.Compile(optimizer: "sgd", loss: new SparseCategoricalCrossentropy(fromLogits: true), distribution: new DataParallel(rank, 2));
        model.Fit(data, epochs: 2, validationData: validation, verbose: 0);
        using var flat = cat(model.Weights.Select(w => w.detach().flatten()).ToList());
        return flat.data<float>().ToArray();
    }

    [TestCase(0)]
    [TestCase(1)]
    public void FitFromAnImageIterator_DecodesOnlyTheRanksRows_AndTrainsAsOnTheSlicesOfTheWholeBatches(int rank)
    {
        DirectoryIterator Images() =>
            new ImageDataGenerator(rescale: 1f / 255).FlowFromDirectory(_root, targetSize: (6, 6), batchSize: 4, seed: 2, classMode: ClassMode.Sparse);
        // Hidden behind Select, the iterator is read whole and each batch sliced (the path before parts were read).
        var expected = Train(rank, Images().Select(pair => pair), Images().Select(pair => pair));
        DirectoryIterator data = Images(), validation = Images();
        Assert.That(Train(rank, data, validation), Is.EqualTo(expected));
        long part = rank == 0 ? 2 + 2 + 0 : 2 + 2 + 1;   // batches of 4, 4 and 1
        Assert.That((data.SamplesLoaded, validation.SamplesLoaded), Is.EqualTo((2 * part, 2 * part)), "two epochs of this rank's rows, not 2 x 9");
    }

    [Test]
    public void FitFromADataset_MapsOnlyTheRanksRows_AndTrainsAsOnTheSlicesOfTheWholeBatches()
    {
        int calls = 0;
        Dataset Pipeline() => Dataset.FromTensorSlices(arange(9 * 108, ScalarType.Float32).reshape(9, 6, 6, 3) / 1000f, arange(9) % 2)
            .Shuffle(9, seed: 1).Map((x, y) => { Interlocked.Increment(ref calls); return (x * 2f, y); }, numParallelCalls: 2).Batch(4);
        var expected = Train(1, Pipeline().Select(pair => pair), Pipeline().Select(pair => pair));
        Assert.That(calls, Is.EqualTo(2 * 2 * 9));
        calls = 0;
        Assert.That(Train(1, Pipeline(), Pipeline()), Is.EqualTo(expected));
        Assert.That(calls, Is.EqualTo(2 * 2 * (2 + 2 + 1)), "two epochs of training and validation, rows 2-3, 2-3 and 0 of each");
    }
}
