using static TorchSharp.torch;

namespace Sequential.Layers.Tests.Preprocessing;

public class IntegerLookupTests
{
    private static readonly long[] AdaptData = [1, 1, 1, 2, 2, 3];

    private static Tensor Run(IntegerLookup layer, Tensor x)
    {
        layer.EnsureBuilt(x.shape[1..]);
        return layer.forward(x);
    }

    private static long[] Longs(Tensor t) => t.to_type(ScalarType.Int64).data<long>().ToArray();

    private static float[] Floats(Tensor t) => t.data<float>().ToArray();

    [Test]
    public void KerasAdaptFlow_AllOutputModes()
    {
        // integer_lookup_test.py test_adapt_flow.
        var intMode = new IntegerLookup();
        intMode.Adapt(AdaptData);
        Assert.That(Longs(intMode.forward(tensor(new long[] { 1, 2, 4 }))), Is.EqualTo(new long[] { 1, 2, 0 }));
        Assert.That(Longs(intMode.forward(tensor(new long[,] { { 1, 2, 4 }, { 2, 3, 5 } }))), Is.EqualTo(new long[] { 1, 2, 0, 2, 3, 0 }));

        var oneHot = new IntegerLookup(outputMode: "one_hot");
        oneHot.Adapt(AdaptData);
        using var hot = Run(oneHot, tensor(new long[] { 1, 2, 4 }));
        Assert.That(hot.shape, Is.EqualTo(new long[] { 3, 4 }));
        Assert.That(Floats(hot), Is.EqualTo(new float[] { 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0 }));

        // Keras reads a rank-1 input as one sample in multi_hot/count/tf_idf; here a batch is [N, k]: one sample [1, 3].
        var multiHot = new IntegerLookup(outputMode: "multi_hot");
        multiHot.Adapt(AdaptData);
        Assert.That(Floats(Run(multiHot, tensor(new long[,] { { 1, 2, 4 } }))), Is.EqualTo(new float[] { 1, 1, 1, 0 }));

        var tfIdf = new IntegerLookup(outputMode: "tf_idf");
        tfIdf.Adapt(tensor(AdaptData));
        Assert.That(Floats(Run(tfIdf, tensor(new long[,] { { 1, 2, 4 } }))),
            Is.EqualTo(new float[] { 1.133732f, 0.916291f, 1.098612f, 0f }).Within(1e-6));

        var count = new IntegerLookup(outputMode: "count");
        count.Adapt(AdaptData);
        Assert.That(Floats(Run(count, tensor(new long[,] { { 1, 2, 3, 4, 1, 2, 1 } }))), Is.EqualTo(new float[] { 1, 3, 2, 1 }));
    }

    [Test]
    public void KerasFixedAndSetVocabulary()
    {
        // test_fixed_vocabulary / test_set_vocabulary: vocabulary [1, 2, 3, 4]; [2, 3, 4, 5] -> [2, 3, 4, 0].
        Assert.That(Longs(new IntegerLookup(vocabulary: [1, 2, 3, 4]).forward(tensor(new long[] { 2, 3, 4, 5 }))),
            Is.EqualTo(new long[] { 2, 3, 4, 0 }));
        var set = new IntegerLookup();
        set.SetVocabulary([1, 2, 3, 4]);
        Assert.That(Longs(set.forward(tensor(new long[] { 2, 3, 4, 5 }))), Is.EqualTo(new long[] { 2, 3, 4, 0 }));
    }

    [Test]
    public void KerasOneHot_HigherRankInput()
    {
        // test_one_hot_output_with_higher_rank_input: [[1, 2], [3, 0]] with vocabulary [1, 2, 3] -> shape (2, 2, 4).
        var layer = new IntegerLookup(vocabulary: [1, 2, 3], outputMode: "one_hot");
        using var y = Run(layer, tensor(new long[,] { { 1, 2 }, { 3, 0 } }));
        Assert.That(y.shape, Is.EqualTo(new long[] { 2, 2, 4 }));
        Assert.That(Floats(y), Is.EqualTo(new float[] { 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0 }));
        var multi = new IntegerLookup(vocabulary: [1, 2, 3], outputMode: "multi_hot");
        Assert.That(Run(multi, tensor(new long[,] { { 1, 2 }, { 3, 0 } })).shape, Is.EqualTo(new long[] { 2, 4 }));
        var tfIdf = new IntegerLookup(vocabulary: [1, 2, 3], idfWeights: [1.0, 1.0, 1.0], outputMode: "tf_idf");
        Assert.That(Run(tfIdf, tensor(new long[,] { { 1, 2 }, { 3, 0 } })).shape, Is.EqualTo(new long[] { 2, 4 }));
    }

    [Test]
    public void KerasMaxTokensMaskInvertPadding()
    {
        var max = new IntegerLookup(maxTokens: 4);
        max.Adapt(new long[] { 1, 2, 3, 4, 5, 6, 1, 1, 2, 2 });
        Assert.That(max.GetVocabulary(), Is.EqualTo(new long[] { -1, 2, 1, 6 }), "counts 2:3, 1:3, then ties 6..3 largest first");

        var mask = new IntegerLookup(vocabulary: [1, 2, 3], maskToken: 0);
        Assert.That(Longs(mask.forward(tensor(new long[] { 0, 1, 2, 3 }))), Is.EqualTo(new long[] { 0, 2, 3, 4 }));

        var invert = new IntegerLookup(vocabulary: [10, 20, 30], invert: true);
        Assert.That(Longs(invert.forward(tensor(new long[] { 1, 2, 3, 0 }))), Is.EqualTo(new long[] { 10, 20, 30, -1 }));

        var padded = new IntegerLookup(vocabulary: [1, 2], outputMode: "multi_hot", maxTokens: 5, padToMaxTokens: true);
        Assert.That(Run(padded, tensor(new long[,] { { 1, 2 } })).shape, Is.EqualTo(new long[] { 1, 5 }));

        var vocabulary = new IntegerLookup();
        vocabulary.Adapt(new long[] { 5, 5, 5, 10, 10, 15 });
        Assert.That(vocabulary.GetVocabulary(), Is.EqualTo(new long[] { -1, 5, 10, 15 }));
    }

    [Test]
    public void KerasOovIndices_FloormodFarmhashSalt()
    {
        // Default floormod: 999 % 2 = 1, 1000 % 2 = 0 (Keras only checks they are in [0, 2)).
        var floormod = new IntegerLookup(vocabulary: [1, 2, 3], numOovIndices: 2);
        Assert.That(Longs(floormod.forward(tensor(new long[] { 1, 2, 3, 999, 1000, -3 }))), Is.EqualTo(new long[] { 2, 3, 4, 1, 0, 1 }));
        // test_oov_method_farmhash_output_is_correct: to_hash_bucket_fast(as_string([100, 200, 300, 400]), 4) -> [3, 1, 3, 1].
        var farmhash = new IntegerLookup(vocabulary: [10, 20, 30], numOovIndices: 4, oovMethod: "farmhash");
        Assert.That(Longs(farmhash.forward(tensor(new long[] { 100, 200, 300, 400, 10 }))), Is.EqualTo(new long[] { 3, 1, 3, 1, 4 }));
        // test_salt_siphash: a salt changes the buckets.
        var salted = new IntegerLookup(vocabulary: [10, 20, 30], numOovIndices: 4, oovMethod: "farmhash", salt: [137, 42]);
        var oov = tensor(new long[] { 100, 300, 700, 1100, 1700, 2000 });
        Assert.That(Longs(salted.forward(oov)), Is.Not.EqualTo(Longs(farmhash.forward(oov))));
        Assert.That(Longs(new IntegerLookup(vocabulary: [1, 2, 3], numOovIndices: 0).forward(tensor(new long[] { 1, 2, 3 }))),
            Is.EqualTo(new long[] { 0, 1, 2 }));
    }

    [Test]
    public void BadArguments_KerasMessages()
    {
        Assert.That(() => new IntegerLookup(maxTokens: 1), Throws.InstanceOf<ArgumentException>().With.Message.Contains("must be greater than 1"));
        Assert.That(() => new IntegerLookup(numOovIndices: -1), Throws.InstanceOf<ArgumentException>().With.Message.Contains("must be >= 0"));
        Assert.That(() => new IntegerLookup(vocabulary: [1], numOovIndices: 2, oovMethod: "invalid_method"),
            Throws.ArgumentException.With.Message.Contains("oovMethod"));
        Assert.That(() => new IntegerLookup(salt: [1, 2]), Throws.ArgumentException.With.Message.Contains("oovMethod is \"farmhash\""));
        Assert.That(() => new IntegerLookup(vocabulary: [1, 1]), Throws.ArgumentException.With.Message.Contains("repeated"));
        var noOov = new IntegerLookup(vocabulary: [1], numOovIndices: 0);
        Assert.That(() => noOov.forward(tensor(new long[] { 7 })), Throws.ArgumentException.With.Message.Contains("OOV value 7"));
        Assert.That(() => new IntegerLookup().forward(tensor(new long[] { 7 })),
            Throws.InvalidOperationException.With.Message.Contains("Adapt"));
        Assert.That(() => new IntegerLookup(vocabulary: [1]).forward(tensor(new float[] { 1.5f })),
            Throws.ArgumentException.With.Message.Contains("fractional"));
    }

    [Test]
    public void InsideAModel_FloatInputsOfWholeNumbers_SavedWithItsAdaptedVocabulary()
    {
        var lookup = new IntegerLookup(outputMode: "one_hot", inputShape: [1]);
        lookup.Adapt(AdaptData);
        var model = new SequentialModel(lookup, new Dense(2));
        model.Compile(optimizer: "sgd", loss: "mse");
        var x = tensor(new float[,] { { 1 }, { 2 }, { 3 }, { 9 } });
        var loaded = SavedModels.AssertRoundTrips(model, x);
        var copy = (IntegerLookup)loaded.Layers[0];
        Assert.That(copy.GetVocabulary(), Is.EqualTo(new long[] { -1, 1, 2, 3 }));
        Assert.That(lookup.GetConfig()["vocabulary"], Is.EqualTo(new long[] { -1, 1, 2, 3 }));
        Assert.That(model.Summary(), Does.Contain("IntegerLookup"));
    }

    [Test]
    public void VocabularySizeCannotChange_AfterBuildingAnEncodingLayer()
    {
        var layer = new IntegerLookup(outputMode: "one_hot");
        layer.Adapt(AdaptData);
        layer.EnsureBuilt([1]);
        Assert.That(() => layer.Adapt(new long[] { 1, 2 }), Throws.InvalidOperationException.With.Message.Contains("cannot change"));
    }
}
