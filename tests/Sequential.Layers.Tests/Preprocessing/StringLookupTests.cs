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
    public void Vocabulary_OovTokenElsewhere_IsAnOrdinaryToken_AsKeras_OnlySpecialsThrows()
    {
        // Keras's set_vocabulary refuses a misplaced OOV token only when invert=True; otherwise "[UNK]" is a token like any other.
        var inside = new StringLookup(vocabulary: ["a", "[UNK]"]);
        Assert.That(inside.Lookup(["[UNK]", "zz"]).data<long>().ToArray(), Is.EqualTo(new long[] { 2, 0 }));
        var inverted = Assert.Throws<ArgumentException>(() => _ = new StringLookup(vocabulary: ["a", "[UNK]"], invert: true))!;
        Assert.That(inverted.Message, Does.Contain("found the OOV token \"[UNK]\""));
        var mask = Assert.Throws<ArgumentException>(() => _ = new StringLookup(vocabulary: ["a", ""], maskToken: ""))!;
        Assert.That(mask.Message, Does.Contain("found the mask token \"\""));
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
    public void SeveralOovIndices_UseKerasFarmHashBuckets()
    {
        // Keras hashes an unknown string with tf.strings.to_hash_bucket_fast (FarmHash64 % num_oov_indices); hashing_test.py's
        // vectors give the buckets of "A".."E" for 3 bins: [1, 0, 1, 1, 2]. With salt [133, 137] (SipHash64): [1, 2, 1, 0, 2].
        var lookup = new StringLookup(vocabulary: ["zz"], numOovIndices: 3);
        Assert.That(lookup.Lookup(["A", "B", "C", "D", "E", "zz"]).data<long>().ToArray(), Is.EqualTo(new long[] { 1, 0, 1, 1, 2, 3 }));
        var salted = new StringLookup(vocabulary: ["zz"], numOovIndices: 3, salt: [133, 137]);
        Assert.That(salted.Lookup(["A", "B", "C", "D", "E"]).data<long>().ToArray(), Is.EqualTo(new long[] { 1, 2, 1, 0, 2 }));
        Assert.That(salted.Salt, Is.EqualTo(new long[] { 133, 137 }));
        var masked = new StringLookup(vocabulary: ["zz"], numOovIndices: 3, maskToken: "");
        Assert.That(masked.Lookup(["A", "B", ""]).data<long>().ToArray(), Is.EqualTo(new long[] { 2, 1, 0 }), "OOV buckets start after the mask");
    }

    [Test]
    public void KerasAdaptFlow_Int()
    {
        // string_lookup_test.py test_adapt_flow: adapt(["a","a","a","b","b","c"]); layer(["b","c","d"]) -> [2, 3, 0]
        var lookup = new StringLookup();
        lookup.Adapt(["a", "a", "a", "b", "b", "c"]);
        Assert.That(lookup.Apply(["b", "c", "d"]).data<long>().ToArray(), Is.EqualTo(new long[] { 2, 3, 0 }));
        // test_set_vocabulary: set_vocabulary(["a","b","c"]) then the same lookup.
        var set = new StringLookup();
        set.SetVocabulary(["a", "b", "c"]);
        Assert.That(set.Apply(["b", "c", "d"]).data<long>().ToArray(), Is.EqualTo(new long[] { 2, 3, 0 }));
    }

    [Test]
    public void KerasModes_MultiHotCountTfIdf_OnSamplesOfSeveralTokens()
    {
        // The string form of integer_lookup_test.py's test_adapt_flow: adapt on 6 one-token documents.
        string[] adapt = ["1", "1", "1", "2", "2", "3"];
        var multiHot = new StringLookup(outputMode: "multi_hot");
        multiHot.Adapt(adapt);
        Assert.That(multiHot.Apply((IEnumerable<IReadOnlyList<string>>)[["1", "2", "4"]]).data<float>().ToArray(), Is.EqualTo(new float[] { 1, 1, 1, 0 }));
        var count = new StringLookup(outputMode: "count");
        count.Adapt(adapt);
        Assert.That(count.Apply((IEnumerable<IReadOnlyList<string>>)[["1", "2", "3", "4", "1", "2", "1"]]).data<float>().ToArray(),
            Is.EqualTo(new float[] { 1, 3, 2, 1 }));
        // tf_idf: idf = log(1 + 6 / (1 + document count)); OOV gets the mean. Keras: [1.133732, 0.916291, 1.098612, 0.0].
        var tfIdf = new StringLookup(outputMode: "tf_idf");
        tfIdf.Adapt(adapt);
        Assert.That(tfIdf.Apply((IEnumerable<IReadOnlyList<string>>)[["1", "2", "4"]]).data<float>().ToArray(),
            Is.EqualTo(new float[] { 1.133732f, 0.916291f, 1.098612f, 0f }).Within(1e-6));
        var oneHot = new StringLookup(outputMode: "one_hot");
        oneHot.Adapt(adapt);
        using var hot = oneHot.Apply(["1", "2", "4"]);
        Assert.That(hot.data<float>().ToArray(), Is.EqualTo(new float[] { 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0 }));
    }

    [Test]
    public void TfIdf_WithVocabularyAndWeights_PadsTheFrontWithTheirMean_AsKeras()
    {
        var lookup = new StringLookup(vocabulary: ["a", "b"], idfWeights: [1.0, 3.0], outputMode: "tf_idf");
        Assert.That(lookup.IdfWeights, Is.EqualTo(new float[] { 2, 1, 3 }));
        Assert.That(lookup.Apply((IEnumerable<IReadOnlyList<string>>)[["a", "a", "z"], ["b", "b", "b"]]).data<float>().ToArray(),
            Is.EqualTo(new float[] { 2, 2, 0, 0, 0, 9 }));
    }

    [Test]
    public void MaskToken_InOneHotMode_EncodesAsZeros_AndIsNotInTheVocabulary()
    {
        // Keras maps the mask to int64's max outside int mode, which one_hot and bincount drop.
        var lookup = new StringLookup(vocabulary: ["a", "b"], maskToken: "", outputMode: "one_hot");
        Assert.That(lookup.GetVocabulary(), Is.EqualTo(new[] { "[UNK]", "a", "b" }));
        Assert.That(lookup.Apply(["b", ""]).data<float>().ToArray(), Is.EqualTo(new float[] { 0, 0, 1, 0, 0, 0 }));
    }

    [Test]
    public void PadToMaxTokens_WidensEncodings()
    {
        var lookup = new StringLookup(vocabulary: ["a", "b"], outputMode: "multi_hot", maxTokens: 5, padToMaxTokens: true);
        Assert.That(lookup.Apply(["a"]).shape, Is.EqualTo(new long[] { 1, 5 }));
        Assert.Throws<ArgumentException>(() => _ = new StringLookup(padToMaxTokens: true));
    }

    [Test]
    public void Invert_MapsIndicesBackToTokens()
    {
        // Keras: StringLookup(vocabulary=["a","b","c","d"], invert=True)([[1, 3, 4], [4, 0, 2]]) -> [[a, c, d], [d, [UNK], b]]
        var lookup = new StringLookup(vocabulary: ["a", "b", "c", "d"], invert: true);
        Assert.That(lookup.Apply(new long[] { 1, 3, 4, 4, 0, 2 }), Is.EqualTo(new[] { "a", "c", "d", "d", "[UNK]", "b" }));
        Assert.Throws<InvalidOperationException>(() => lookup.Apply(["a"]));
        Assert.Throws<ArgumentException>(() => _ = new StringLookup(invert: true, outputMode: "one_hot"));
    }

    [Test]
    public void IntMode_TwoDimensionalSamples()
    {
        // Keras docstring: StringLookup(vocabulary=["a","b","c","d"])([["a","c","d"],["d","z","b"]]) -> [[1,3,4],[4,0,2]]
        var lookup = new StringLookup(vocabulary: ["a", "b", "c", "d"]);
        using var ids = lookup.Apply((IEnumerable<IReadOnlyList<string>>)[["a", "c", "d"], ["d", "z", "b"]]);
        Assert.That(ids.shape, Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(ids.data<long>().ToArray(), Is.EqualTo(new long[] { 1, 3, 4, 4, 0, 2 }));
        var ragged = Assert.Throws<ArgumentException>(() => lookup.Apply((IEnumerable<IReadOnlyList<string>>)[["a"], ["a", "b"]]))!;
        Assert.That(ragged.Message, Does.Contain("different numbers of tokens"));
    }

    [Test]
    public void AdaptAfterAGivenVocabulary_Throws_AsKeras()
    {
        var lookup = new StringLookup(vocabulary: ["a"]);
        var ex = Assert.Throws<InvalidOperationException>(() => lookup.Adapt(["b"]))!;
        Assert.That(ex.Message, Does.Contain("static vocabulary"));
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
        Assert.Throws<ArgumentException>(() => _ = new StringLookup(outputMode: "tfidf"));
        var idf = Assert.Throws<ArgumentException>(() => _ = new StringLookup(vocabulary: ["a"], outputMode: "tf_idf"))!;
        Assert.That(idf.Message, Does.Contain("needs idfWeights"));
        Assert.Throws<ArgumentException>(() => _ = new StringLookup(vocabulary: ["a", "a"]));
        Assert.Throws<ArgumentException>(() => _ = new StringLookup(vocabulary: ["[UNK]"]));
        Assert.Throws<ArgumentException>(() => new StringLookup().Adapt(Array.Empty<string>()));
    }
}
