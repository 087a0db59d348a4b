namespace Sequential.Data.Tests.Datasets;

/// <summary>
/// The expected values are numpy 1.24.2's (Debian 12 python3-numpy), printed by
/// <c>r = np.random.RandomState(seed); i = np.arange(n); r.shuffle(i)</c>.
/// </summary>
public sealed class LegacyRandomStateTests
{
    [Test]
    public void NextUInt32_MatchesNumpyRawOutputs()
    {
        // r = np.random.RandomState(113); r.randint(0, 2**32, size=3, dtype=np.uint64)
        var rng = new LegacyRandomState(113);
        Assert.That(new[] { rng.NextUInt32(), rng.NextUInt32(), rng.NextUInt32() },
            Is.EqualTo(new uint[] { 3659249829, 529109724, 317413538 }));
    }

    [Test]
    public void Shuffle_TwoShufflesFromOneState_MatchNumpy()
    {
        var rng = new LegacyRandomState(113);
        Assert.That(rng.ShuffledIndices(10), Is.EqualTo(new[] { 9, 3, 6, 1, 0, 7, 4, 8, 2, 5 }));
        Assert.That(rng.ShuffledIndices(7), Is.EqualTo(new[] { 5, 1, 0, 3, 6, 4, 2 }));
    }

    [Test]
    public void ShuffledIndices_ImdbSizesWithKerasSeed_MatchNumpy()
    {
        // IMDB: one RandomState(113) shuffles the 25,000 training indices, then the 25,000 test indices.
        var rng = new LegacyRandomState(113);
        Assert.That(rng.ShuffledIndices(25000)[..5], Is.EqualTo(new[] { 7798, 13226, 18078, 793, 17499 }));
        Assert.That(rng.ShuffledIndices(25000)[..5], Is.EqualTo(new[] { 22748, 4083, 8015, 13688, 5310 }));
    }

    [TestCase(0u, 25000, new[] { 14149, 8946, 22378, 12162, 4879, 12710, 24595, 308 })]
    [TestCase(113u, 506, new[] { 22, 202, 368, 335, 461, 323, 382, 143, 146, 141 })]   // Boston's 506 houses
    [TestCase(4294967295u, 1000, new[] { 94, 405, 819, 632, 217, 169 })]                 // numpy's largest seed
    public void ShuffledIndices_MatchNumpy(uint seed, int count, int[] first)
    {
        int[] indices = new LegacyRandomState(seed).ShuffledIndices(count);
        Assert.That(indices[..first.Length], Is.EqualTo(first));
        Assert.That(indices.Order(), Is.EqualTo(Enumerable.Range(0, count)));   // a permutation
    }

    [Test]
    public void ShuffledIndices_Seed0_LastValuesMatchNumpy()
        => Assert.That(new LegacyRandomState(0).ShuffledIndices(25000)[^3..], Is.EqualTo(new[] { 9845, 10799, 2732 }));
}
