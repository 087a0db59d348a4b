using Microsoft.Data.Analysis;
using static TorchSharp.torch;

namespace Sequential.Layers.Tests.Preprocessing;

public class StringLookupTests
{
    [Test]
    public void Adapt_OrdersByFrequency_TiesByTokenDescending_AsKeras()
    {
        // counts: c 3, b 2, d 2, a 1. Keras: np.lexsort((tokens, counts))[::-1] -> c, d, b, a
        var lookup = new StringLookup();
        lookup.Adapt(["a", "b", "b", "c", "c", "c", "d", "d"]);
        Assert.That(lookup.GetVocabulary(), Is.EqualTo(new[] { "[UNK]", "c", "d", "b", "a" }));
        Assert.That(lookup.GetVocabulary(includeSpecialTokens: false), Is.EqualTo(new[] { "c", "d", "b", "a" }));
        Assert.That(lookup.VocabularySize(), Is.EqualTo(5));
    }

    [Test]
    public void KerasDocstring_KnownVocabulary_OovIsZero()
    {
        // Keras: StringLookup(vocabulary=["a","b","c","d"])([["a","c","d"],["d","z","b"]]) -> [[1,3,4],[4,0,2]]
        var lookup = new StringLookup(vocabulary: ["a", "b", "c", "d"]);
        using var indices = lookup.Lookup(["a", "c", "d", "d", "z", "b"]);
        Assert.That(indices.dtype, Is.EqualTo(ScalarType.Int64));
        Assert.That(indices.data<long>().ToArray(), Is.EqualTo(new long[] { 1, 3, 4, 4, 0, 2 }));
    }

    [Test]
    public void MaskToken_IsZero_OovFollows()
    {
        // Keras: StringLookup(vocabulary=["a","b","c","d"], mask_token="")([["a","c","d"],["d","","b"]]) -> [[2,4,5],[5,0,3]]
        var lookup = new StringLookup(vocabulary: ["a", "b", "c", "d"], maskToken: "");
        using var indices = lookup.Lookup(["a", "c", "d", "d", "", "b", "zz"]);
        Assert.That(indices.data<long>().ToArray(), Is.EqualTo(new long[] { 2, 4, 5, 5, 0, 3, 1 }));
        Assert.That(lookup.GetVocabulary(), Is.EqualTo(new[] { "", "[UNK]", "a", "b", "c", "d" }));
    }

    [Test]
    public void Vocabulary_AsGetVocabularyReturnsIt_IsAccepted_AsKeras()
    {
        // Keras's set_vocabulary strips a leading [mask, oov * num_oov_indices]; a saved get_vocabulary() round-trips.
        var plain = new StringLookup(vocabulary: ["[UNK]", "a", "b"]);
        Assert.That(plain.GetVocabulary(), Is.EqualTo(new[] { "[UNK]", "a", "b" }));
        Assert.That(plain.Lookup(["b", "a", "zz"]).data<long>().ToArray(), Is.EqualTo(new long[] { 2, 1, 0 }));

        var masked = new StringLookup(vocabulary: ["", "[UNK]", "a", "b", "c", "d"], maskToken: "");
        Assert.That(masked.GetVocabulary(), Is.EqualTo(new[] { "", "[UNK]", "a", "b", "c", "d" }));
        Assert.That(masked.Lookup(["a", "", "d"]).data<long>().ToArray(), Is.EqualTo(new long[] { 2, 0, 5 }));

        var twoOov = new StringLookup(vocabulary: ["a"], numOovIndices: 2);
        var again = new StringLookup(vocabulary: twoOov.GetVocabulary(), numOovIndices: 2);
        Assert.That(again.GetVocabulary(), Is.EqualTo(twoOov.GetVocabulary()));
    }

    [Test]
    public void Vocabulary_SpecialTokenElsewhere_OrOnlySpecials_Throws()
    {
        var inside = Assert.Throws<ArgumentException>(() => _ = new StringLookup(vocabulary: ["a", "[UNK]"]))!;
        Assert.That(inside.Message, Does.Contain("special token \"[UNK]\""));
        // With a mask token the prefix must be the mask then the OOV token: [UNK] alone is not it.
        Assert.Throws<ArgumentException>(() => _ = new StringLookup(vocabulary: ["[UNK]", "a"], maskToken: ""));
        var only = Assert.Throws<ArgumentException>(() => _ = new StringLookup(vocabulary: ["[UNK]"]))!;
        Assert.That(only.Message, Does.Contain("only the special entries"));
    }

    [Test]
    public void SeveralOovIndices_SpreadUnknownTokensDeterministically()
    {
        var lookup = new StringLookup(vocabulary: ["a"], numOovIndices: 3);
        var unknown = Enumerable.Range(0, 50).Select(i => $"t{i}").ToList();
        var first = lookup.Lookup(unknown).data<long>().ToArray();
        Assert.That(first, Is.All.InRange(0, 2));
        Assert.That(first.Distinct().Count(), Is.EqualTo(3));
        Assert.That(lookup.Lookup(unknown).data<long>().ToArray(), Is.EqualTo(first));
        Assert.That(lookup.Lookup(["a"]).data<long>().ToArray(), Is.EqualTo(new long[] { 3 }));
    }

    [Test]
    public void NoOovIndices_UnknownTokenThrows()
    {
        var lookup = new StringLookup(vocabulary: ["a"], numOovIndices: 0);
        var ex = Assert.Throws<ArgumentException>(() => lookup.Lookup(["b"]));
        Assert.That(ex!.Message, Does.Contain("\"b\""));
    }

    [Test]
    public void OneHot_Lookup()
    {
        var lookup = new StringLookup(vocabulary: ["a", "b"], outputMode: "one_hot");
        using var encoded = lookup.Lookup(["b", "x", "a"]);
        Assert.That(encoded.shape, Is.EqualTo(new long[] { 3, 3 }));
        Assert.That(encoded.data<float>().ToArray(), Is.EqualTo(new float[] { 0, 0, 1, 1, 0, 0, 0, 1, 0 }));
    }

    private static DataFrame Cities() => new(
        new DoubleDataFrameColumn("x", [1.0, 2.0, 3.0, 4.0]),
        new StringDataFrameColumn("city", ["paris", "rome", "paris", "oslo"]),
        new Int32DataFrameColumn("target", [1, 0, 1, 0]));

    [Test]
    public void Transform_Int_ReplacesTheColumnInPlace()
    {
        var frame = Cities();
        var lookup = new StringLookup();
        lookup.Adapt(frame, "city");                          // paris 2, rome 1, oslo 1 -> paris, rome, oslo
        var test = Cities();
        test["city"][3] = "berlin";
        var encoded = lookup.Transform(test, "city");
        Assert.That(encoded.Columns.Select(c => c.Name), Is.EqualTo(new[] { "x", "city", "target" }));
        Assert.That(encoded["city"].DataType, Is.EqualTo(typeof(long)));
        Assert.That(((Int64DataFrameColumn)encoded["city"]).Select(v => v!.Value), Is.EqualTo(new long[] { 1, 2, 1, 0 }));
        Assert.That(test["city"].DataType, Is.EqualTo(typeof(string)), "the input frame is not changed");
    }

    [Test]
    public void Transform_OneHot_AddsAColumnPerIndex_ThatFitCanRead()
    {
        var frame = Cities();
        var lookup = new StringLookup(outputMode: "one_hot");
        lookup.Adapt(frame, "city");
        var encoded = lookup.Transform(frame, "city");
        Assert.That(encoded.Columns.Select(c => c.Name),
            Is.EqualTo(new[] { "x", "city_[UNK]", "city_paris", "city_rome", "city_oslo", "target" }));
        Assert.That(((SingleDataFrameColumn)encoded["city_oslo"]).Select(v => v!.Value), Is.EqualTo(new float[] { 0, 0, 0, 1 }));
        using var x = encoded.ToTensor(["x", "city_[UNK]", "city_paris", "city_rome", "city_oslo"]);
        Assert.That(x.shape, Is.EqualTo(new long[] { 4, 5 }));
    }

    [Test]
    public void BadInputs()
    {
        var frame = Cities();
        var lookup = new StringLookup();
        Assert.Throws<InvalidOperationException>(() => lookup.Transform(frame, "city"));
        var missing = Assert.Throws<ArgumentException>(() => lookup.Adapt(frame, "town"));
        Assert.That(missing!.Message, Does.Contain("\"x\", \"city\", \"target\""));
        var numeric = Assert.Throws<ArgumentException>(() => lookup.Adapt(frame, "x"));
        Assert.That(numeric!.Message, Does.Contain("\"x\"").And.Contain("Double"));
        frame["city"][1] = null;
        var nulls = Assert.Throws<ArgumentException>(() => lookup.Adapt(frame, "city"));
        Assert.That(nulls!.Message, Does.Contain("\"city\" has 1 null value"));
        Assert.Throws<ArgumentException>(() => _ = new StringLookup(outputMode: "tf_idf"));
        Assert.Throws<ArgumentException>(() => _ = new StringLookup(vocabulary: ["a", "a"]));
        Assert.Throws<ArgumentException>(() => _ = new StringLookup(vocabulary: ["[UNK]"]));
        Assert.Throws<ArgumentException>(() => new StringLookup().Adapt(Array.Empty<string>()));
    }
}
