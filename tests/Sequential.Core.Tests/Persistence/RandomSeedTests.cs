namespace Sequential.Core.Tests.Persistence;

public class RandomSeedTests
{
    private static IReadOnlyDictionary<string, List<double>> Run(int seed)
    {
        var (x, y) = TestModels.Data();
        RandomSeed.Set(seed);
        var model = TestModels.Mlp(dropout: true); // weights, shuffling and dropout masks all draw from the seed
        var history = model.Fit(x, y, epochs: 3, batchSize: 8, validationSplit: 0.25, verbose: 0);
        return history.Keys.ToDictionary(k => k, k => history[k].ToList());
    }

    [Test]
    public void SameSeedGivesIdenticalHistoryOnCpu()
    {
        var first = Run(11);
        var second = Run(11);
        Assert.That(second.Keys, Is.EquivalentTo(first.Keys));
        foreach (var key in first.Keys)
            Assert.That(second[key], Is.EqualTo(first[key]), key);
    }

    [Test]
    public void AnotherSeedGivesAnotherHistory()
    {
        Assert.That(Run(12)["loss"], Is.Not.EqualTo(Run(11)["loss"]));
    }
}
