using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sequential.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Persistence;

public class ModelSaveLoadTests
{
    private string _dir = "";

    [SetUp]
    public void CreateFolder() => _dir = TestModels.TempDir();

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    /// <summary>A registered subclass, saved; its class name is then changed to one nobody registered.</summary>
    public sealed class Tiny : Model
    {
        private readonly Dense _out = new(2);

        public override TorchSharp.torch.Tensor Call(TorchSharp.torch.Tensor x, bool training) => _out.Apply(x, training);
    }

    [Test]
    public void Load_OfAnUnregisteredModelClass_NamesTheFileAndTheFix()
    {
        ModelRegistry.Register<Tiny>();
        var model = new Tiny();
        model.Build([3]);
        string path = PathOf("tiny.seqmodel");
        model.Save(path);
        Assert.That(Model.Load(path), Is.TypeOf<Tiny>());
        ModelFileEdits.RewriteJson(path, "config.json", config => config["model"]!["class_name"] = "Stranger");
        var e = Assert.Throws<InvalidDataException>(() => Model.Load(path))!;
        Assert.That(e.Message, Does.Contain(path).And.Contain("Unknown model class 'Stranger'")
            .And.Contain("call Sequential.ModelRegistry.Register<Stranger>() before loading"));
    }

    [Test]
    public void Save_OfALayerThatRefusesIt_ThrowsBeforeWritingAnything()
    {
        var model = new SequentialModel(new Unsavable(inputShape: [3]));

        var e = Assert.Throws<InvalidOperationException>(() => model.Save(PathOf("m.seqmodel")));

        Assert.That(e!.Message, Is.EqualTo("unsavable cannot be saved"));
        Assert.That(Directory.EnumerateFileSystemEntries(_dir), Is.Empty);
    }

    /// <summary>A user layer holding something a configuration cannot describe.</summary>
    private sealed class Unsavable(long[] inputShape) : Layer("unsavable", inputShape)
    {
        public override long[] ComputeOutputShape(long[] inputShape) => inputShape;

        public override TorchSharp.torch.Tensor Call(TorchSharp.torch.Tensor x, bool training) => x;

        protected internal override void CheckSavable() => throw new InvalidOperationException($"{Name} cannot be saved");
    }

    [TestCase(false)]
    [TestCase(true)]
    public void SaveThenLoad_OfAModelWithAFrozenLayer_KeepsItFrozen_AndTrainsOnFromTheSavedOptimizer(bool recompile)
    {
        // Keras saves each layer's trainable flag. Without it the loaded layer trains again; and when the model was
        // compiled after freezing (as Keras asks), the saved optimizer state has fewer variables than the loaded model.
        RandomSeed.Set(1);
        var (x, y) = TestModels.Data();
        var model = TestModels.Mlp(dropout: false);
        model.Layers[0].Trainable = false;
        if (recompile) model.Compile(optimizer: new global::Sequential.Optimizers.Adam(learningRate: 0.01), loss: model.Loss!);
        model.Fit(x, y, epochs: 1, batchSize: 16, verbose: 0);
        model.Save(PathOf("m.seqmodel"));

        var loaded = SequentialModel.Load(PathOf("m.seqmodel"));

        Assert.That(loaded.Layers.Select(l => l.Trainable), Is.EqualTo(new[] { false, true }));
        Assert.That(loaded.Summary(), Is.EqualTo(model.Summary()));
        Assert.That(loaded.Optimizer!.Iterations, Is.EqualTo(4));
        var frozen = TestModels.Flat(loaded.Layers[0].Weights[0]);
        loaded.Fit(x, y, epochs: 1, batchSize: 16, verbose: 0);
        Assert.That(TestModels.Flat(loaded.Layers[0].Weights[0]), Is.EqualTo(frozen));
        Assert.That(loaded.Optimizer.Iterations, Is.EqualTo(8));
    }

    [Test]
    public void Load_OfATrainableFlagThatIsNotABoolean_ThrowsInvalidDataException()
    {
        TestModels.Mlp().Save(PathOf("m.seqmodel"));
        ModelFileEdits.RewriteJson(PathOf("m.seqmodel"), "config.json", c => c["model"]!["layers"]![1]!["trainable"] = "no");

        var e = Assert.Throws<InvalidDataException>(() => SequentialModel.Load(PathOf("m.seqmodel")));

        Assert.That(e!.Message, Does.Contain(PathOf("m.seqmodel")).And.Contain("layer 1's trainable is \"no\", not true or false"));
    }

    [Test]
    public void Load_OfAnOptimizerStateNamingAWeightTheModelLacks_ThrowsInvalidDataException()
    {
        var (x, y) = TestModels.Data();
        var model = TestModels.Mlp();
        model.Fit(x, y, epochs: 1, batchSize: 32, verbose: 0);
        string path = PathOf("m.seqmodel");
        model.Save(path);
        var (tensors, metadata) = global::Sequential.Persistence.SafeTensors.Read(ModelFileEdits.ReadEntry(path, "optimizer.safetensors"), "test");
        Assert.That(metadata["variables"], Is.EqualTo("[\"dense.kernel\",\"dense.bias\",\"dense_1.kernel\",\"dense_1.bias\"]"));
        metadata["variables"] = "[\"dense.kernel\",\"dense.bias\",\"dense_9.kernel\",\"dense_1.bias\"]";
        ModelFileEdits.WriteEntry(path, "optimizer.safetensors",
            global::Sequential.Persistence.SafeTensors.Write(tensors.Select(t => (t.entry.Name, t.tensor)), metadata));

        var e = Assert.Throws<InvalidDataException>(() => SequentialModel.Load(path));

        Assert.That(e!.Message, Does.Contain(path).And.Contain("belongs to weight \"dense_9.kernel\""));
    }

    [Test]
    public void SaveThenLoadGivesIdenticalPredictionsAndSummary()
    {
        RandomSeed.Set(1);
        var (x, y) = TestModels.Data();
        var model = TestModels.Mlp();
        model.Fit(x, y, epochs: 2, batchSize: 16, verbose: 0);
        model.Save(PathOf("m.seqmodel"));

        var loaded = SequentialModel.Load(PathOf("m.seqmodel"));

        Assert.That(loaded.Summary(), Is.EqualTo(model.Summary()));
        Assert.That(TestModels.Flat(loaded.Predict(x, verbose: 0)), Is.EqualTo(TestModels.Flat(model.Predict(x, verbose: 0))));
        Assert.That(loaded.IsCompiled, Is.True);
        Assert.That(loaded.Optimizer, Is.TypeOf<global::Sequential.Optimizers.Adam>());
        Assert.That(loaded.Optimizer!.LearningRate, Is.EqualTo(0.01));
        Assert.That(loaded.Optimizer.Iterations, Is.EqualTo(8));
        Assert.That(loaded.Loss!.FromLogits, Is.True);
        Assert.That(loaded.Layers.Select(l => l.Name), Is.EqualTo(model.Layers.Select(l => l.Name)));
    }

    [Test]
    public void ConvnetWithBatchNormalizationAndAdaptedNormalization_RoundTrips()
    {
        // Non-trainable state (moving statistics, adapted mean/variance) must travel with the weights.
        RandomSeed.Set(2);
        using var x = rand(24, 8, 8, 1);
        using var y = randint(0, 2, [24], dtype: ScalarType.Int64);
        var norm = new Normalization(axis: -1);
        norm.Adapt(x);
        var model = new SequentialModel(
            new InputLayer([8, 8, 1]), norm,
            new Conv2D(4, (3, 3), padding: "same", activation: "relu"),
            new BatchNormalization(),
            new MaxPooling2D((2, 2)),
            new GlobalAveragePooling2D(),
            new Dense(2));
        model.Compile(optimizer: "rmsprop", loss: new global::Sequential.Losses.SparseCategoricalCrossentropy(fromLogits: true),
            metrics: ["accuracy"], device: "cpu");
        model.Fit(x, y, epochs: 2, batchSize: 8, verbose: 0);
        model.Save(PathOf("cnn.seqmodel"));

        var loaded = SequentialModel.Load(PathOf("cnn.seqmodel"));

        Assert.That(loaded.Summary(), Is.EqualTo(model.Summary()));
        Assert.That(TestModels.Flat(loaded.Predict(x, verbose: 0)), Is.EqualTo(TestModels.Flat(model.Predict(x, verbose: 0))));
        var movingMean = model.state_dict().Single(kv => kv.Key.EndsWith("moving_mean")).Value;
        Assert.That(TestModels.Flat(movingMean).Any(v => v != 0), Is.True, "BatchNormalization's statistics were updated by training");
    }

    [Test]
    public void ModelLoadReturnsTheSameModelAsSequentialModelLoad()
    {
        var model = TestModels.Mlp();
        model.Save(PathOf("m.seqmodel"));
        Model loaded = Model.Load(PathOf("m.seqmodel"));
        Assert.That(loaded, Is.TypeOf<SequentialModel>());
        Assert.That(loaded.Summary(), Is.EqualTo(model.Summary()));
    }

    [Test]
    public void TrainingAfterLoadEqualsUninterruptedTraining()
    {
        var (x, y) = TestModels.Data();

        RandomSeed.Set(5);
        var uninterrupted = TestModels.Mlp();
        uninterrupted.Fit(x, y, epochs: 2, batchSize: 16, verbose: 0);
        uninterrupted.Save(PathOf("half.seqmodel"));
        var rng = torch.random.get_rng_state();
        uninterrupted.Fit(x, y, epochs: 2, batchSize: 16, verbose: 0);

        var resumed = SequentialModel.Load(PathOf("half.seqmodel"));
        torch.random.set_rng_state(rng); // same shuffles and dropout masks as the uninterrupted run
        resumed.Fit(x, y, epochs: 2, batchSize: 16, verbose: 0);

        var expected = TestModels.Weights(uninterrupted);
        var actual = TestModels.Weights(resumed);
        Assert.That(actual.Keys, Is.EquivalentTo(expected.Keys));
        foreach (var key in expected.Keys)
            Assert.That(actual[key], Is.EqualTo(expected[key]), key);
        Assert.That(resumed.Optimizer!.Iterations, Is.EqualTo(16));
    }

    [Test]
    public void LoadingWithoutTheOptimizerStateWouldDiverge()
    {
        // Guards the test above: Adam's moments matter, so equal weights there prove they were restored.
        var (x, y) = TestModels.Data();
        RandomSeed.Set(5);
        var a = TestModels.Mlp();
        a.Fit(x, y, epochs: 1, batchSize: 16, verbose: 0);
        a.SaveWeights(PathOf("w.safetensors"));
        var rng = torch.random.get_rng_state();
        a.Fit(x, y, epochs: 1, batchSize: 16, verbose: 0);

        var b = TestModels.Mlp();
        b.LoadWeights(PathOf("w.safetensors"));
        torch.random.set_rng_state(rng);
        b.Fit(x, y, epochs: 1, batchSize: 16, verbose: 0);
        Assert.That(TestModels.Weights(b)["dense.kernel"], Is.Not.EqualTo(TestModels.Weights(a)["dense.kernel"]));
    }

    [Test]
    public void SaveWeightsThenLoadWeightsCopiesEveryWeight()
    {
        RandomSeed.Set(2);
        var source = TestModels.Mlp();
        var target = TestModels.Mlp();
        Assert.That(TestModels.Weights(target)["dense.kernel"], Is.Not.EqualTo(TestModels.Weights(source)["dense.kernel"]));

        source.SaveWeights(PathOf("w.safetensors"));
        target.LoadWeights(PathOf("w.safetensors"));

        Assert.That(TestModels.Weights(target), Is.EqualTo(TestModels.Weights(source)));
    }

    [Test]
    public void LoadWeightsBuildsAnUnbuiltModelFromTheRecordedInputShape()
    {
        var source = TestModels.Mlp();
        source.SaveWeights(PathOf("w.safetensors"));
        var target = new SequentialModel(new Dense(10, activation: "relu"), new Dropout(0.25), new Dense(3));
        target.LoadWeights(PathOf("w.safetensors"));
        Assert.That(target.BuiltInputShape, Is.EqualTo(new long[] { 6 }));
        Assert.That(TestModels.Weights(target), Is.EqualTo(TestModels.Weights(source)));
    }

    [Test]
    public void SafetensorsHeaderHoldsNamesDtypesShapesAndOffsets()
    {
        var model = TestModels.Mlp(features: 6, hidden: 10, classes: 3);
        model.SaveWeights(PathOf("w.safetensors"));
        byte[] bytes = File.ReadAllBytes(PathOf("w.safetensors"));

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.That(headerLength % 8, Is.EqualTo(0UL));
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, (int)headerLength))!.AsObject();
        Assert.That(header.Select(kv => kv.Key), Is.EquivalentTo(new[] { "__metadata__", "dense.kernel", "dense.bias", "dense_1.kernel", "dense_1.bias" }));
        Assert.That(header["dense.kernel"]!["dtype"]!.GetValue<string>(), Is.EqualTo("F32"));
        Assert.That(header["dense.kernel"]!["shape"]!.AsArray().Select(d => d!.GetValue<long>()), Is.EqualTo(new long[] { 10, 6 }));
        Assert.That(header["dense_1.bias"]!["shape"]!.AsArray().Select(d => d!.GetValue<long>()), Is.EqualTo(new long[] { 3 }));
        long dataLength = bytes.Length - 8 - (long)headerLength;
        Assert.That(dataLength, Is.EqualTo((10 * 6 + 10 + 3 * 10 + 3) * 4));

        // The raw bytes at the kernel's offsets are the kernel, little-endian float32.
        var offsets = header["dense.kernel"]!["data_offsets"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
        var raw = new float[60];
        Buffer.BlockCopy(bytes, (int)(8 + (long)headerLength + offsets[0]), raw, 0, 240);
        Assert.That(raw, Is.EqualTo(TestModels.Flat(model.Layers[0].Weights[0])));
    }

    [Test]
    public void WrongShapeNamesTheLayerTheWeightAndBothShapes()
    {
        var ten = new SequentialModel(new Dense(10, inputShape: [4]));
        ten.SaveWeights(PathOf("w.safetensors"));
        var eleven = new SequentialModel(new Dense(11, inputShape: [4]));
        var before = TestModels.Weights(eleven);

        var e = Assert.Throws<InvalidDataException>(() => eleven.LoadWeights(PathOf("w.safetensors")));

        Assert.That(e!.Message, Does.Contain("layer \"dense\"").And.Contain("\"kernel\"").And.Contain("(11, 4)").And.Contain("(10, 4)"));
        Assert.That(TestModels.Weights(eleven), Is.EqualTo(before), "nothing may be half-loaded");
    }

    // 11 units: the model's weights outnumber the file's, so building for it is refused before the bias is created;
    // 9 units: building succeeds and the shape check after it fails. Either way the model ends as it began.
    [TestCase(11, "layer \"dense\" (Dense) would create \"bias\" with shape (11,)", "the file has shape (10,) for it")]
    [TestCase(9, "layer \"dense\" weight \"kernel\" has shape (9, 4)", "shape (10, 4) (F32) in the file")]
    public void FailedLoadWeightsLeavesAnUnbuiltModelUnbuilt(int units, string modelSide, string fileSide)
    {
        new SequentialModel(new Dense(10, inputShape: [4])).SaveWeights(PathOf("w.safetensors"));
        var model = new SequentialModel(new Dense(units));
        model.Compile(optimizer: "adam", loss: "mse");

        var e = Assert.Throws<InvalidDataException>(() => model.LoadWeights(PathOf("w.safetensors")));

        Assert.That(e!.Message, Does.Contain("w.safetensors").And.Contain(modelSide).And.Contain(fileSide));
        Assert.That(model.Built, Is.False);
        Assert.That(model.Layers[0].Built, Is.False);
        Assert.That(model.state_dict(), Is.Empty);
        Assert.That(model.Optimizer!.IsBound, Is.False);
        // Still buildable, for any shape.
        model.Build([5]);
        Assert.That(model.Layers[0].Weights[0].shape, Is.EqualTo(new long[] { units, 5 }));
    }

    [Test]
    public void FailedLoadWeightsKeepsTheStateOfLayersBuiltBefore()
    {
        // An adapted Normalization is built before its model is: undoing the model's build must not drop its statistics.
        using var data = arange(12, dtype: ScalarType.Float32).reshape(3, 4);
        var norm = new Normalization();
        norm.Adapt(data);
        var before = TestModels.Flat(norm.state_dict()["mean"]);
        new SequentialModel(new Normalization(inputShape: [4]), new Dense(10)).SaveWeights(PathOf("w.safetensors"));
        var model = new SequentialModel(norm, new Dense(9));

        Assert.Throws<InvalidDataException>(() => model.LoadWeights(PathOf("w.safetensors")));

        Assert.That(model.Built, Is.False);
        Assert.That(norm.Built, Is.True);
        Assert.That(model.Layers[1].Built, Is.False);
        Assert.That(TestModels.Flat(norm.state_dict()["mean"]), Is.EqualTo(before));
    }

    [Test]
    public void TruncatedModelFileIsRejectedWithItsName()
    {
        TestModels.Mlp().Save(PathOf("m.seqmodel"));
        byte[] bytes = File.ReadAllBytes(PathOf("m.seqmodel"));
        File.WriteAllBytes(PathOf("cut.seqmodel"), bytes[..(bytes.Length / 2)]);

        var e = Assert.Throws<InvalidDataException>(() => SequentialModel.Load(PathOf("cut.seqmodel")));
        Assert.That(e!.Message, Does.Contain("cut.seqmodel"));
    }

    [Test]
    public void TruncatedWeightsFileIsRejectedWithItsName()
    {
        var model = TestModels.Mlp();
        model.SaveWeights(PathOf("w.safetensors"));
        byte[] bytes = File.ReadAllBytes(PathOf("w.safetensors"));
        File.WriteAllBytes(PathOf("cut.safetensors"), bytes[..^10]);
        var before = TestModels.Weights(model);

        var e = Assert.Throws<InvalidDataException>(() => model.LoadWeights(PathOf("cut.safetensors")));
        Assert.That(e!.Message, Does.Contain("cut.safetensors").And.Contain("truncated"));
        Assert.That(TestModels.Weights(model), Is.EqualTo(before));
    }

    [Test]
    public void CorruptedByteGivesAChecksumError()
    {
        TestModels.Mlp().Save(PathOf("m.seqmodel"));
        // Flip one byte inside the stored (uncompressed) weights: the zip still opens, the SHA-256 does not match.
        byte[] bytes = File.ReadAllBytes(PathOf("m.seqmodel"));
        int at = FindWeightsData(bytes);
        bytes[at] ^= 0x40;
        File.WriteAllBytes(PathOf("bad.seqmodel"), bytes);

        var e = Assert.Throws<InvalidDataException>(() => SequentialModel.Load(PathOf("bad.seqmodel")));
        Assert.That(e!.Message, Does.Contain("bad.seqmodel").And.Contain("corrupt").IgnoreCase);
    }

    [Test]
    public void FutureFormatVersionSaysWhichVersionThisLibraryReads()
    {
        TestModels.Mlp().Save(PathOf("m.seqmodel"));
        RewriteEntry(PathOf("m.seqmodel"), "manifest.json", json => json["format_version"] = 99);

        var e = Assert.Throws<InvalidDataException>(() => SequentialModel.Load(PathOf("m.seqmodel")));
        Assert.That(e!.Message, Does.Contain("version 99").And.Contain("format version 2 and older"));
    }

    [Test]
    public void FileWithTheEarlierOptimizerFormat_LoadsTheWeightsAndSaysTheStateIsNotRead()
    {
        var (x, y) = TestModels.Data();
        var model = TestModels.Mlp();
        model.Fit(x, y, epochs: 1, batchSize: 16, verbose: 0);
        model.Save(PathOf("m.seqmodel"));
        // Rename the optimizer entry (and its manifest key) to the name the TorchSharp-format state had.
        using (var zip = ZipFile.Open(PathOf("m.seqmodel"), ZipArchiveMode.Update))
        {
            var entry = zip.GetEntry("optimizer.safetensors")!;
            byte[] bytes;
            using (var s = entry.Open()) { using var m = new MemoryStream(); s.CopyTo(m); bytes = m.ToArray(); }
            entry.Delete();
            using var w = zip.CreateEntry("optimizer.bin").Open();
            w.Write(bytes);
        }
        RewriteEntry(PathOf("m.seqmodel"), "manifest.json", json =>
        {
            var entries = json["entries"]!.AsObject();
            var info = entries["optimizer.safetensors"]!;
            entries.Remove("optimizer.safetensors");
            entries["optimizer.bin"] = info;
        });
        var errors = new StringWriter();
        var saved = Console.Error;
        Console.SetError(errors);
        SequentialModel loaded;
        try { loaded = SequentialModel.Load(PathOf("m.seqmodel")); }
        finally { Console.SetError(saved); }

        Assert.That(errors.ToString(), Does.Contain("m.seqmodel").And.Contain("optimizer.bin").And.Contain("does not read"));
        Assert.That(TestModels.Flat(loaded.Predict(x, verbose: 0)), Is.EqualTo(TestModels.Flat(model.Predict(x, verbose: 0))));
    }

    [Test]
    public void UnknownLayerTypeInAFileIsNotExecuted()
    {
        TestModels.Mlp().Save(PathOf("m.seqmodel"));
        // The manifest's checksum and size are made to match, so that the type check itself is what rejects the file.
        ModelFileEdits.RewriteJson(PathOf("m.seqmodel"), "config.json", json =>
            json["model"]!["layers"]![1]!["class_name"] = "System.Diagnostics.Process");

        var e = Assert.Throws<InvalidDataException>(() => SequentialModel.Load(PathOf("m.seqmodel")));
        Assert.That(e!.Message, Does.Contain("Unknown layer type 'System.Diagnostics.Process'").And.Contain("Register"));
    }

    [Test]
    public void SaveReplacesTheFileAtomicallyAndLeavesNoTemporaryFile()
    {
        var model = TestModels.Mlp();
        model.Save(PathOf("m.seqmodel"));
        model.Save(PathOf("m.seqmodel"));
        Assert.That(Directory.GetFiles(_dir).Select(Path.GetFileName), Is.EqualTo(new[] { "m.seqmodel" }));
        Assert.That(SequentialModel.Load(PathOf("m.seqmodel")).Summary(), Is.EqualTo(model.Summary()));
    }

    [Test]
    public void FailedSaveKeepsThePreviousFile()
    {
        var model = TestModels.Mlp();
        model.Save(PathOf("m.seqmodel"));
        byte[] before = File.ReadAllBytes(PathOf("m.seqmodel"));
        var unsaveable = new SequentialModel(new LayerConfigTests.NoProperty(3));
        unsaveable.Build([3]);

        Assert.Throws<InvalidOperationException>(() => unsaveable.Save(PathOf("m.seqmodel")));
        Assert.That(File.ReadAllBytes(PathOf("m.seqmodel")), Is.EqualTo(before));
    }

    private static int FindWeightsData(byte[] zip)
    {
        // The local header of model.safetensors is followed by its stored (uncompressed) bytes.
        byte[] name = Encoding.ASCII.GetBytes("model.safetensors");
        for (int i = 0; i < zip.Length - name.Length; i++)
            if (zip[i] == 0x50 && zip[i + 1] == 0x4b && zip[i + 2] == 3 && zip[i + 3] == 4)
            {
                int nameLength = BitConverter.ToUInt16(zip, i + 26), extraLength = BitConverter.ToUInt16(zip, i + 28);
                int start = i + 30 + nameLength + extraLength;
                if (zip.AsSpan(i + 30, nameLength).SequenceEqual(name))
                    return start + 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(zip.AsSpan(start)) + 5; // inside the first tensor
            }
        throw new AssertionException("model.safetensors not found in the zip");
    }

    private static void RewriteEntry(string path, string entryName, Action<JsonObject> change)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var entry = zip.GetEntry(entryName)!;
        JsonObject json;
        using (var stream = entry.Open()) json = JsonNode.Parse(stream)!.AsObject();
        change(json);
        entry.Delete();
        using var writer = new StreamWriter(zip.CreateEntry(entryName).Open());
        writer.Write(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
