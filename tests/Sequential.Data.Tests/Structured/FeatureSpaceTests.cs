using Microsoft.Data.Analysis;
using Sequential.Layers;
using static TorchSharp.torch;

namespace Sequential.Data.Tests.Structured;

public class FeatureSpaceTests
{
    /// <summary>feature_space_test.py's _get_train_data_dict.</summary>
    private static Dictionary<string, object> TrainData(bool includeStrings = true)
    {
        var floats = Enumerable.Range(0, 10).Select(i => i / 10.0).ToArray();
        var ints = Enumerable.Range(0, 10).Select(i => (long)i).ToArray();
        var data = new Dictionary<string, object>
        {
            ["float_1"] = floats, ["float_2"] = floats, ["float_3"] = floats,
            ["int_1"] = ints, ["int_2"] = ints, ["int_3"] = ints,
        };
        if (includeStrings)
        {
            var strings = Enumerable.Range(0, 10).Select(i => i.ToString()).ToArray();
            data["string_1"] = strings;
            data["string_2"] = strings;
        }
        return data;
    }

    /// <summary>The first sample: one value per feature (Keras's unbatched call).</summary>
    private static Dictionary<string, object> FirstSample(Dictionary<string, object> data) =>
        data.ToDictionary(p => p.Key, p => p.Value switch
        {
            double[] d => (object)d[0],
            long[] l => l[0],
            string[] s => s[0],
            _ => throw new InvalidOperationException(),
        });

    private static Dictionary<string, Feature> AllKinds(bool includeStrings = true)
    {
        var features = new Dictionary<string, Feature>
        {
            ["float_1"] = "float", ["float_2"] = "float_normalized", ["float_3"] = "float_discretized",
            ["int_1"] = "integer_categorical", ["int_2"] = "integer_hashed", ["int_3"] = "integer_categorical",
        };
        if (includeStrings)
        {
            features["string_1"] = "string_categorical";
            features["string_2"] = "string_hashed";
        }
        return features;
    }

    [Test]
    public void KerasBasicUsage_NoStrings_Is152Wide()
    {
        // float 1 + normalized 1 + discretized 32 + integer_categorical 11 + hashed 32 + integer_categorical 11 + 2 crosses x 32.
        var fs = new FeatureSpace(AllKinds(includeStrings: false), crosses: [("int_1", "int_2"), ("int_2", "int_3")], outputMode: "concat");
        fs.Adapt(TrainData(includeStrings: false));
        fs.Adapt(TrainData(includeStrings: false));   // adapting again starts over, as Keras's reset_state
        Assert.That(fs.OutputSize, Is.EqualTo(152));
        using var one = fs.Apply(FirstSample(TrainData(includeStrings: false)));
        Assert.That(one.shape, Is.EqualTo(new long[] { 152 }));
        using var batch = fs.Apply(TrainData(includeStrings: false));
        Assert.That(batch.shape, Is.EqualTo(new long[] { 10, 152 }));
        Assert.That(batch.dtype, Is.EqualTo(ScalarType.Float32));
        var tensors = TrainData(includeStrings: false).ToDictionary(p => p.Key, p => (object)(p.Value is double[] d ? tensor(d) : tensor((long[])p.Value)));
        Assert.That(fs.Apply(tensors).data<float>().ToArray(), Is.EqualTo(batch.data<float>().ToArray()));
    }

    [Test]
    public void Adapt_OnBatchesOrSamples_AsKeras()
    {
        // feature_space_test.py adapts the same data unbatched and .batch(4); lookups and statistics do not depend on batching.
        var data = TrainData();
        int rows = 10;
        IEnumerable<IReadOnlyDictionary<string, object>> Batches(int size) => Enumerable.Range(0, (rows + size - 1) / size).Select(b =>
            (IReadOnlyDictionary<string, object>)data.ToDictionary(p => p.Key, p => p.Value switch
            {
                double[] d => (object)d.Skip(b * size).Take(size).ToArray(),
                long[] l => l.Skip(b * size).Take(size).ToArray(),
                string[] t => t.Skip(b * size).Take(size).ToArray(),
                _ => throw new InvalidOperationException(),
            }));
        var whole = new FeatureSpace(AllKinds(), crosses: [("float_3", "string_1"), ("string_2", "int_2")]);
        whole.Adapt(data);
        var batched = new FeatureSpace(AllKinds(), crosses: [("float_3", "string_1"), ("string_2", "int_2")]);
        batched.Adapt(Batches(4));
        var samples = new FeatureSpace(AllKinds(), crosses: [("float_3", "string_1"), ("string_2", "int_2")]);
        samples.Adapt(Enumerable.Range(0, rows).Select(i => (IReadOnlyDictionary<string, object>)FirstSample(
            data.ToDictionary(p => p.Key, p => p.Value switch
            {
                double[] d => (object)d[i..], long[] l => l[i..], string[] t => t[i..], _ => throw new InvalidOperationException(),
            }))));
        Assert.That(batched.OutputSize, Is.EqualTo(195));
        var expected = whole.Apply(data).data<float>().ToArray();
        Assert.That(samples.Apply(data).data<float>().ToArray(), Is.EqualTo(expected), "single samples are grouped by 32, as Keras does");
        Assert.That(((StringLookup)batched.Preprocessors["string_1"]!).GetVocabulary(),
            Is.EqualTo(((StringLookup)whole.Preprocessors["string_1"]!).GetVocabulary()));
    }

    [Test]
    public void Discretization_IsAdaptedInKerasBatchesOf32()
    {
        // Keras batches an unbatched dict by 32 and Discretization summarizes each batch: the boundaries are those of adapting
        // the layer on the same 32-row batches.
        var values = Enumerable.Range(0, 250).Select(i => i * 37 % 101 / 10.0).ToArray();
        var fs = new FeatureSpace(new Dictionary<string, Feature> { ["x"] = FeatureSpace.FloatDiscretized(numBins: 4) });
        fs.Adapt(new Dictionary<string, object> { ["x"] = values });
        var reference = new Discretization(numBins: 4);
        reference.Adapt(values.Chunk(32).Select(c => tensor(c.Select(v => (float)v).ToArray())).ToList());
        Assert.That(((Discretization)fs.Preprocessors["x"]!).BinBoundaries, Is.EqualTo(reference.BinBoundaries));
    }

    [Test]
    public void KerasBasicUsage_WithStrings_Is195Wide()
    {
        var fs = new FeatureSpace(AllKinds(), crosses: [("float_3", "string_1"), ("string_2", "int_2")], outputMode: "concat");
        fs.Adapt(TrainData());
        Assert.That(fs.Apply(FirstSample(TrainData())).shape, Is.EqualTo(new long[] { 195 }));
        Assert.That(fs.Apply(TrainData()).shape, Is.EqualTo(new long[] { 10, 195 }));
    }

    [Test]
    public void KerasOutputModeDict()
    {
        var fs = new FeatureSpace(AllKinds(), crosses: [("float_3", "string_1"), ("string_2", "int_2")], outputMode: "dict");
        fs.Adapt(TrainData());
        var one = fs.ApplyDict(FirstSample(TrainData()));
        Assert.That(one, Has.Count.EqualTo(10));
        Assert.That(one["string_1"].shape, Is.EqualTo(new long[] { 11 }));
        Assert.That(one["int_2"].shape, Is.EqualTo(new long[] { 32 }));
        Assert.That(one["string_2_X_int_2"].shape, Is.EqualTo(new long[] { 32 }));
        var batch = fs.ApplyDict(TrainData());
        Assert.That(batch["string_1"].shape, Is.EqualTo(new long[] { 10, 11 }));
        Assert.That(batch["int_2"].shape, Is.EqualTo(new long[] { 10, 32 }));
        Assert.That(batch["string_2_X_int_2"].shape, Is.EqualTo(new long[] { 10, 32 }));
        Assert.That(() => fs.Apply(TrainData()), Throws.InvalidOperationException.With.Message.Contains("ApplyDict"));
    }

    [Test]
    public void KerasOutputModeDict_OfInts()
    {
        var fs = new FeatureSpace(
            new Dictionary<string, Feature>
            {
                ["float_1"] = "float", ["float_2"] = "float_normalized", ["float_3"] = "float_discretized",
                ["string_1"] = FeatureSpace.StringCategorical(outputMode: "int"),
                ["string_2"] = FeatureSpace.StringHashed(numBins: 32, outputMode: "int"),
                ["int_1"] = FeatureSpace.IntegerCategorical(outputMode: "int"),
                ["int_2"] = FeatureSpace.IntegerHashed(numBins: 32, outputMode: "int"),
                ["int_3"] = FeatureSpace.IntegerCategorical(outputMode: "int"),
            },
            crosses: [FeatureSpace.Cross(["float_3", "string_1"], crossingDim: 32, outputMode: "int"),
                      FeatureSpace.Cross(["string_2", "int_2"], crossingDim: 32, outputMode: "int")],
            outputMode: "dict");
        fs.Adapt(TrainData());
        var one = fs.ApplyDict(FirstSample(TrainData()));
        Assert.That(one, Has.Count.EqualTo(10));
        foreach (var name in new[] { "string_1", "int_2", "string_2_X_int_2" })
        {
            Assert.That(one[name].shape, Is.EqualTo(new long[] { 1 }), name);
            Assert.That(one[name].dtype, Is.EqualTo(ScalarType.Int64), name);
        }
        // "0" is the least frequent-tied... every string once: Keras's tie order (descending) puts "9" first, so "0" is index 10.
        Assert.That(one["string_1"].item<long>(), Is.EqualTo(10));
        Assert.That(one["string_2"].item<long>(), Is.EqualTo(KerasBin("0", 32)));
        Assert.That(one["int_2"].item<long>(), Is.EqualTo(KerasBin("0", 32)), "integers hash their decimal text");
    }

    [Test]
    public void KerasAdvancedUsage_Is148Wide()
    {
        var fs = new FeatureSpace(
            new Dictionary<string, Feature>
            {
                ["float_1"] = FeatureSpace.Float(),
                ["float_2"] = FeatureSpace.FloatNormalized(),
                ["float_3"] = FeatureSpace.FloatDiscretized(numBins: 3),
                ["string_1"] = FeatureSpace.StringCategorical(maxTokens: 5),
                ["string_2"] = FeatureSpace.StringHashed(numBins: 32),
                ["int_1"] = FeatureSpace.IntegerCategorical(maxTokens: 5, numOovIndices: 2),
                ["int_2"] = FeatureSpace.IntegerHashed(numBins: 32),
                ["int_3"] = FeatureSpace.IntegerCategorical(maxTokens: 5),
            },
            crosses: [FeatureSpace.Cross(["float_3", "string_1"], crossingDim: 32), FeatureSpace.Cross(["string_2", "int_2"], crossingDim: 32)],
            outputMode: "concat");
        fs.Adapt(TrainData());
        Assert.That(fs.Apply(FirstSample(TrainData())).shape, Is.EqualTo(new long[] { 148 }));
    }

    [Test]
    public void ConcatOrder_IsSortedFeatureNamesThenSortedCrosses_WithKerasEncodings()
    {
        var fs = new FeatureSpace(
            new Dictionary<string, Feature>
            {
                ["b"] = "float",
                ["a"] = FeatureSpace.StringCategorical(numOovIndices: 0),
                ["c"] = FeatureSpace.IntegerHashed(numBins: 3),
            },
            crosses: [FeatureSpace.Cross(["a", "c"], crossingDim: 5)]);
        var data = new Dictionary<string, object>
        {
            ["a"] = new[] { "x", "y", "x" }, ["b"] = new[] { 0.5, 1.5, 2.5 }, ["c"] = new long[] { 0, 1, 2 },
        };
        fs.Adapt(data);
        using var y = fs.Apply(data);
        // a: vocabulary [x, y] (x twice); b as it is; c: Keras's bins of "0", "1", "2" in 3 bins are 1, 0, 1; the cross: HashedCrossing
        // of the preprocessed a (0, 1, 0) and c (1, 0, 1).
        var cross = new HashedCrossing(5).Apply(new long[] { 0, 1, 0 }, new long[] { 1, 0, 1 }).data<long>().ToArray();
        var expected = new List<float>();
        long[] aIndex = [0, 1, 0], cBin = [1, 0, 1];
        double[] b = [0.5, 1.5, 2.5];
        for (int row = 0; row < 3; row++)
        {
            expected.AddRange(Enumerable.Range(0, 2).Select(i => i == aIndex[row] ? 1f : 0f));
            expected.Add((float)b[row]);
            expected.AddRange(Enumerable.Range(0, 3).Select(i => i == cBin[row] ? 1f : 0f));
            expected.AddRange(Enumerable.Range(0, 5).Select(i => i == cross[row] ? 1f : 0f));
        }
        Assert.That(y.shape, Is.EqualTo(new long[] { 3, 11 }));
        Assert.That(y.data<float>().ToArray(), Is.EqualTo(expected.ToArray()));
    }

    [Test]
    public void NoAdapt_FixedNormalization_GivesKerasValues()
    {
        // feature_space_test.py test_no_adapt: Normalization(mean=12, variance=5) needs no adapt; integer_hashed is 32 wide.
        double[] floats = [-1.2, 0.0, 2.4, 1.2, 15.0, -100.0, 23.1, 3.12, 0.1, -0.01];
        var fs = new FeatureSpace(
            new Dictionary<string, Feature>
            {
                ["int_1"] = "integer_hashed",
                ["float_1"] = FeatureSpace.Feature("float32", new Normalization(mean: [12.0], variance: [5.0]), "float"),
            },
            outputMode: "dict");
        Assert.That(fs.IsAdapted, Is.True);
        var output = fs.ApplyDict(new Dictionary<string, object> { ["int_1"] = Enumerable.Range(0, 10).ToArray(), ["float_1"] = floats });
        Assert.That(output["int_1"].shape, Is.EqualTo(new long[] { 10, 32 }));
        Assert.That(output["float_1"].data<float>().ToArray(), Is.EqualTo(floats.Select(f => (float)((f - 12) / Math.Sqrt(5))).ToArray()).Within(1e-3));
    }

    [Test]
    public void DataFrame_AdaptAndApply_EqualTheDictionaryForm()
    {
        var data = TrainData();
        var frame = new DataFrame(
            new DoubleDataFrameColumn("float_1", (double[])data["float_1"]), new DoubleDataFrameColumn("float_2", (double[])data["float_2"]),
            new DoubleDataFrameColumn("float_3", (double[])data["float_3"]), new Int64DataFrameColumn("int_1", (long[])data["int_1"]),
            new Int64DataFrameColumn("int_2", (long[])data["int_2"]), new Int64DataFrameColumn("int_3", (long[])data["int_3"]),
            new StringDataFrameColumn("string_1", (string[])data["string_1"]), new StringDataFrameColumn("string_2", (string[])data["string_2"]),
            new Int32DataFrameColumn("label", Enumerable.Range(0, 10)));
        var fromFrame = new FeatureSpace(AllKinds(), crosses: [("float_3", "string_1")]);
        fromFrame.Adapt(frame);
        var fromDict = new FeatureSpace(AllKinds(), crosses: [("float_3", "string_1")]);
        fromDict.Adapt(data);
        Assert.That(fromFrame.Apply(frame).data<float>().ToArray(), Is.EqualTo(fromDict.Apply(data).data<float>().ToArray()));

        frame["string_1"][3] = null;
        Assert.That(() => fromFrame.Apply(frame), Throws.ArgumentException.With.Message.Contains("\"string_1\" has 1 null value"));
        Assert.That(() => fromFrame.Apply(frame.Columns.Count > 0 ? new DataFrame(frame.Columns.Where(c => c.Name != "int_2")) : frame),
            Throws.ArgumentException.With.Message.Contains("no column \"int_2\""));
    }

    [Test]
    public void KerasErrors()
    {
        Assert.That(() => new FeatureSpace(new Dictionary<string, Feature>()), Throws.ArgumentException.With.Message.Contains("cannot be null or empty"));
        var two = new Dictionary<string, Feature> { ["f1"] = "integer_categorical", ["f2"] = "integer_categorical" };
        Assert.That(() => new FeatureSpace(two, crosses: [("f1", "f2")], crossingDim: null), Throws.ArgumentException.With.Message.Contains("crossingDim"));
        Assert.That(() => new FeatureSpace(two, crosses: [("f1", "unknown")]), Throws.ArgumentException.With.Message.Contains("should be present in the features"));
        Assert.That(() => new FeatureSpace(two, outputMode: "unknown"), Throws.ArgumentException.With.Message.Contains("for argument outputMode"));
        var fs = new FeatureSpace(two);
        Assert.That(() => fs.Apply(new Dictionary<string, object> { ["f1"] = new long[] { 0 }, ["f2"] = new long[] { 0 } }),
            Throws.InvalidOperationException.With.Message.Contains("You need to call Adapt"));
        Assert.That(() => fs.GetEncodedFeatures(), Throws.InvalidOperationException.With.Message.Contains("You need to call Adapt"));
        Assert.That(() => { Feature f = "floaty"; }, Throws.ArgumentException.With.Message.Contains("Invalid feature type: floaty"));
        var ints = new FeatureSpace(new Dictionary<string, Feature> { ["f1"] = FeatureSpace.IntegerCategorical(outputMode: "int") });
        Assert.That(() => ints.Adapt(new Dictionary<string, object> { ["f1"] = new long[] { 1, 2 } }),
            Throws.InvalidOperationException.With.Message.Contains("Cannot concatenate features because feature 'f1' has not been encoded"));
    }

    [Test]
    public void BadColumns_SayWhichFeatureAndWhatToFix()
    {
        var fs = new FeatureSpace(new Dictionary<string, Feature> { ["n"] = "float_normalized", ["s"] = "string_categorical", ["i"] = "integer_categorical" });
        Dictionary<string, object> Data(object n, object s, object i) => new() { ["n"] = n, ["s"] = s, ["i"] = i };
        Assert.That(() => fs.Adapt(Data(new[] { "a" }, new[] { "a" }, new long[] { 1 })),
            Throws.ArgumentException.With.Message.Contains("Feature \"n\" is numeric, but its values are strings"));
        Assert.That(() => fs.Adapt(Data(new[] { 1.0 }, new[] { 1.0 }, new long[] { 1 })),
            Throws.ArgumentException.With.Message.Contains("Feature \"s\" is a string feature, but its values are numbers"));
        Assert.That(() => fs.Adapt(Data(new[] { 1.0 }, new[] { "a" }, new[] { 1.5 })),
            Throws.ArgumentException.With.Message.Contains("Feature \"i\" is an integer feature, but it has fractional"));
        Assert.That(() => fs.Adapt(Data(new[] { 1.0, 2.0 }, new[] { "a" }, new long[] { 1 })),
            Throws.ArgumentException.With.Message.Contains("different numbers of values"));
        Assert.That(() => fs.Adapt(Data(zeros(2, 3), new[] { "a", "b" }, new long[] { 1, 2 })),
            Throws.ArgumentException.With.Message.Contains("Feature \"n\" has shape (2, 3)"));
        Assert.That(() => fs.Adapt(Data(new[] { 1.0 }, new string?[] { null }!, new long[] { 1 })),
            Throws.ArgumentException.With.Message.Contains("Feature \"s\" has null values"));
        Assert.That(() => fs.Adapt(new Dictionary<string, object> { ["n"] = new[] { 1.0 } }),
            Throws.ArgumentException.With.Message.Contains("no feature \"i\""));
        // Tensors [N] and [N, 1] are columns too.
        fs.Adapt(Data(tensor(new[] { 1.0, 3.0 }).reshape(2, 1), new[] { "a", "b" }, tensor(new long[] { 4, 5 })));
        Assert.That(fs.OutputSize, Is.EqualTo(1 + 3 + 3));
    }

    /// <summary>The training dictionary as a Dataset of (dict, label) elements: Keras's from_tensor_slices((dict(df), labels)).</summary>
    private static Dataset TrainDataset()
    {
        var columns = TrainData().ToDictionary(p => p.Key, p => p.Value switch
        {
            double[] d => new Component(tensor(d)),
            long[] l => new Component(tensor(l)),
            string[] t => new Component(new StringTensor(t)),
            _ => throw new InvalidOperationException(),
        });
        return Dataset.FromTensorSlices(new Component(columns), new Component(tensor(new float[] { 0, 1, 0, 1, 0, 0, 1, 0, 1, 1 }).reshape(10, 1)));
    }

    [Test]
    public void Adapt_OnADatasetOfDictionaries_BatchedOrNot_EqualsTheColumns()
    {
        // feature_space_test.py: fs.adapt(ds) unbatched, then fs.adapt(ds.batch(4)); the targets are ignored.
        var expected = new FeatureSpace(AllKinds(), crosses: [("float_3", "string_1"), ("string_2", "int_2")]);
        expected.Adapt(TrainData());
        using var want = expected.Apply(TrainData());
        foreach (var dataset in new[] { TrainDataset(), TrainDataset().Batch(4) })
        {
            var fs = new FeatureSpace(AllKinds(), crosses: [("float_3", "string_1"), ("string_2", "int_2")]);
            fs.Adapt(dataset);
            Assert.That(fs.OutputSize, Is.EqualTo(195));
            Assert.That(fs.Apply(TrainData()).data<float>().ToArray(), Is.EqualTo(want.data<float>().ToArray()));
        }
        var tensors = Dataset.FromTensorSlices(tensor(new float[] { 1, 2 }), tensor(new float[] { 0, 1 }));
        Assert.That(() => expected.Adapt(tensors), Throws.ArgumentException.With.Message.Contains("dataset of dictionaries"));
    }

    [Test]
    public void Map_PreprocessesTheDataset_ForFit_AsTheGuide()
    {
        // The guide: preprocessed_train_ds = train_ds.map(lambda x, y: (feature_space(x), y), num_parallel_calls=AUTOTUNE).prefetch(AUTOTUNE)
        var fs = new FeatureSpace(AllKinds(), crosses: [("float_3", "string_1")]);
        var trainDs = TrainDataset().Batch(4);
        fs.Adapt(trainDs);
        var preprocessed = trainDs.Map(e => new Element(fs.Apply(e.X.Dictionary), e.Y), numParallelCalls: Dataset.Autotune).Prefetch(Dataset.Autotune);
        var rows = preprocessed.Elements().Select(e => e.X.Tensor).ToList();
        Assert.That(rows.Select(r => r.shape[0]), Is.EqualTo(new long[] { 4, 4, 2 }));
        Assert.That(cat(rows, 0).data<float>().ToArray(), Is.EqualTo(fs.Apply(TrainData()).data<float>().ToArray()));

        var encoded = fs.GetEncodedFeatures();
        var model = new Model(encoded, new Dense(1, activation: "sigmoid").Apply(encoded));
        model.Compile(optimizer: "adam", loss: "binary_crossentropy", metrics: ["accuracy"]);
        var history = model.Fit(preprocessed, epochs: 2, verbose: 0);
        Assert.That(history["loss"], Has.Count.EqualTo(2));
        // One sample, unbatched (a dataset without Batch): the guide's sample dict.
        var one = TrainDataset().Elements().First();
        Assert.That(fs.Apply(one.X.Dictionary).shape, Is.EqualTo(new long[] { fs.OutputSize }));
    }

    [Test]
    public void EncodedFeatures_FeedAFunctionalModel_ThatTrains()
    {
        // The guide's training model: keras.Model(inputs=encoded_features, outputs=Dense(...)(encoded_features)).
        var fs = new FeatureSpace(AllKinds(), crosses: [("float_3", "string_1")]);
        fs.Adapt(TrainData());
        var encoded = fs.GetEncodedFeatures();
        Assert.That(encoded.Shape, Is.EqualTo(new long[] { fs.OutputSize }));
        var output = new Dense(1, activation: "sigmoid").Apply(encoded);
        var model = new Model(encoded, output);
        model.Compile(optimizer: "adam", loss: "binary_crossentropy");
        using var x = fs.Apply(TrainData());
        using var y = tensor(new float[] { 0, 1, 0, 1, 0, 0, 1, 0, 1, 1 }).reshape(10, 1);
        var history = model.Fit(x, y, epochs: 2, batchSize: 4, verbose: 0);
        Assert.That(history["loss"], Has.Count.EqualTo(2));
    }

    private static long KerasBin(string text, int bins) => new Hashing(bins).Apply([text]).item<long>();
}
