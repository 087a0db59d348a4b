using SkiaSharp;

namespace Sequential.Data.Tests;

/// <summary>Data-parallel reading of the image iterators: each rank loads only its rows of every batch.</summary>
public sealed class ImageIteratorTests
{
    private string _root = "";

    [SetUp]
    public void MakeRoot() => _root = TestImages.TempDir();

    [TearDown]
    public void RemoveRoot()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    /// <summary>Nine 12x10 PNGs of different colours in two class folders.</summary>
    private void NineImages()
    {
        for (int i = 0; i < 9; i++)
            File.WriteAllBytes(Path.Combine(Directory.CreateDirectory(Path.Combine(_root, i % 2 == 0 ? "a" : "b")).FullName, $"{i}.png"),
                TestImages.Encode(12, 10, (x, y) => new SKColor((byte)(x * 20), (byte)(y * 25), (byte)(i * 25)), SKEncodedImageFormat.Png));
    }

    [Test]
    public void EachRank_LoadsOnlyItsRowsOfEachShuffledAugmentedBatch_WhichAreTheSlicesOfTheWholeBatch()
    {
        NineImages();
        var generator = new ImageDataGenerator(rescale: 1f / 255, rotationRange: 30, horizontalFlip: true);
        DirectoryIterator Iterator() => generator.FlowFromDirectory(_root, targetSize: (8, 8), batchSize: 4, seed: 5, classMode: ClassMode.Sparse);
        var one = Iterator();
        var whole = one.Select(pair => new Batch(pair.x, pair.y)).ToList();   // batches of 4, 4 and 1
        Assert.That(one.SamplesLoaded, Is.EqualTo(9));
        var zero = Iterator();
        var first = Shards.Read(zero, 0, 2);
        var other = Iterator();
        var second = Shards.Read(other, 1, 2);
        Shards.AssertSlices(whole, first, 0, 2);
        Shards.AssertSlices(whole, second, 1, 2);
        Assert.That((zero.SamplesLoaded, other.SamplesLoaded), Is.EqualTo((4L, 5L)), "rows 0-1, 0-1, none; rows 2-3, 2-3, 0");
        Assert.That(first[2].X.shape, Is.EqualTo(new long[] { 0, 8, 8, 3 }), "a part of no rows is still a batch, so both ranks take 3 steps");
    }

    [Test]
    public void APartWhoseImagesAreAllInvalid_IsABatchOfNoRows_NotLeftOut()
    {
        TestImages.Solid(Path.Combine(_root, "a", "0.png"), 4, 4, SKColors.Red);
        File.WriteAllBytes(Path.Combine(_root, "a", "1.png"), [1, 2, 3]);
        var iterator = new ImageDataGenerator().FlowFromDirectory(_root, targetSize: (4, 4), batchSize: 2, shuffle: false, classMode: ClassMode.Sparse);
        var part = Shards.Read(iterator, 1, 2);
        Assert.That(part, Has.Count.EqualTo(1), "rank 0 trains on its valid image: rank 1 must take that step too");
        Assert.That(part[0].X.shape, Is.EqualTo(new long[] { 0, 4, 4, 3 }));
        Assert.That(part[0].Y!.shape, Is.EqualTo(new long[] { 0 }));
        Assert.That(iterator.InvalidFiles, Is.EqualTo(new[] { Path.Combine("a", "1.png") }));
    }
}
