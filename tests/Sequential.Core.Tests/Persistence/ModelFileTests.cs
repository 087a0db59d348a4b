using System.IO.Compression;
using System.Text.Json.Nodes;
using Sequential.Layers;

namespace Sequential.Core.Tests.Persistence;

/// <summary>Hostile and corrupted model files: each is refused with an InvalidDataException naming it, before any large
/// allocation (the files are tiny; only their headers claim large sizes).</summary>
public class ModelFileTests
{
    private string _dir = "";

    [SetUp]
    public void CreateFolder() => _dir = TestModels.TempDir();

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_dir, recursive: true);

    private string Saved()
    {
        string path = Path.Combine(_dir, "m.seqmodel");
        TestModels.Mlp().Save(path);
        return path;
    }

    [Test]
    public void AnEntryTheManifestDoesNotListIsNeverDecompressed()
    {
        string path = Saved();
        // An extra entry with a compression method no reader supports: opening it at all would fail.
        ModelFileEdits.WriteEntry(path, "extra.bin", new byte[1000], updateManifest: false);
        ModelFileEdits.PatchEntryHeaders(path, "extra.bin", method: 99);

        var model = SequentialModel.Load(path);

        Assert.That(model.Layers.Select(l => l.Name), Is.EqualTo(new[] { "dense", "dropout", "dense_1" }));
    }

    [Test]
    public void AnEntryDeclaringAnotherSizeThanTheManifestIsRefusedBeforeReading()
    {
        string path = Saved();
        long size = ModelFileEdits.ReadEntry(path, "config.json").Length;
        ModelFileEdits.PatchEntryHeaders(path, "config.json", size: 3_000_000_000);

        var e = Assert.Throws<InvalidDataException>(() => SequentialModel.Load(path));

        Assert.That(e!.Message, Does.Contain("m.seqmodel").And.Contain("config.json holds 3000000000 bytes")
            .And.Contain($"the manifest says {size}"));
    }

    [Test]
    public void AJsonEntryOverItsLimitIsRefusedEvenWhenTheManifestAgrees()
    {
        string path = Saved();
        ModelFileEdits.PatchEntryHeaders(path, "config.json", size: 3_000_000_000);
        ModelFileEdits.RewriteJson(path, "manifest.json", m => m["entries"]!["config.json"]!["size"] = 3_000_000_000);

        var e = Assert.Throws<InvalidDataException>(() => SequentialModel.Load(path));

        Assert.That(e!.Message, Does.Contain("m.seqmodel").And.Contain("config.json would expand to 3000000000 bytes")
            .And.Contain("more than the 16777216 bytes"));
    }

    [Test]
    public void ATensorEntryExpandingMoreThanAHundredTimesIsRefused()
    {
        string path = Saved();
        // Within the 2 GiB a tensor entry may have, but from a few hundred stored bytes: a zip bomb's ratio.
        ModelFileEdits.PatchEntryHeaders(path, "optimizer.safetensors", size: 1_500_000_000);
        ModelFileEdits.RewriteJson(path, "manifest.json", m => m["entries"]!["optimizer.safetensors"]!["size"] = 1_500_000_000);

        var e = Assert.Throws<InvalidDataException>(() => SequentialModel.Load(path));

        Assert.That(e!.Message, Does.Contain("m.seqmodel").And.Contain("optimizer.safetensors would expand from")
            .And.Contain("to 1500000000 bytes, more than 100 times"));
    }

    [Test]
    public void AnEntryHoldingMoreThanItDeclaresIsRefused()
    {
        string path = Saved();
        byte[] config = ModelFileEdits.ReadEntry(path, "config.json");
        // Directory and manifest both claim fewer bytes than the entry really holds.
        ModelFileEdits.PatchEntryHeaders(path, "config.json", size: 100);
        ModelFileEdits.RewriteJson(path, "manifest.json", m => m["entries"]!["config.json"]!["size"] = 100);

        var e = Assert.Throws<InvalidDataException>(() => SequentialModel.Load(path));

        // (.NET's reader stops at the declared size; the checksum then finds the rest missing.)
        Assert.That(config.Length, Is.GreaterThan(100));
        Assert.That(e!.Message, Does.Contain("m.seqmodel").And.Contain("config.json").And.Contain("corrupted"));
    }

    [Test]
    public void AManifestWithoutEntrySizesIsRefused()
    {
        string path = Saved();
        ModelFileEdits.RewriteJson(path, "manifest.json", m => m["entries"]!["config.json"]!.AsObject().Remove("size"));

        var e = Assert.Throws<InvalidDataException>(() => SequentialModel.Load(path));

        Assert.That(e!.Message, Does.Contain("m.seqmodel").And.Contain("the size of config.json in manifest.json is missing"));
    }

    [TestCase(300_000_000, "(300000000, 6)", "1,800,000,000 values")]
    [TestCase(2_000_000_000, "(2000000000, 6)", "12,000,000,000 values")]
    public void AConfigAskingForMoreWeightsThanTheFileHoldsIsRefusedBeforeAllocating(int units, string shape, string values)
    {
        // A 10 KB file whose config asks for gigabytes: refused when the first weight is created, before its allocation.
        string path = Saved();
        ModelFileEdits.RewriteJson(path, "config.json", c => c["model"]!["layers"]![0]!["config"]!["units"] = units);

        var e = Assert.Throws<InvalidDataException>(() => SequentialModel.Load(path));

        Assert.That(new FileInfo(path).Length, Is.LessThan(20_000));
        Assert.That(e!.Message, Does.Contain("m.seqmodel").And.Contain("layer \"dense\" (Dense) would create \"kernel\"")
            .And.Contain(shape).And.Contain(values).And.Contain("the file's weights hold 103 values")
            .And.Contain("the file has shape (10, 6) for it"));
    }

    [Test]
    public void AnInputShapeThatMakesStateLargerThanTheWeightsIsRefusedBeforeAllocating()
    {
        // Normalization allocates its statistics itself (not through AddWeight): the bound covers it too.
        string path = Path.Combine(_dir, "m.seqmodel");
        var model = new SequentialModel(new Normalization(mean: [0.5], variance: [2.0], inputShape: [6]), new Dense(2));
        model.Save(path);
        ModelFileEdits.RewriteJson(path, "config.json", c =>
        {
            c["model"]!["input_shape"] = new JsonArray(100_000_000_000L);
            c["model"]!["layers"]![0]!["config"]!["input_shape"] = new JsonArray(100_000_000_000L);
        });

        var e = Assert.Throws<InvalidDataException>(() => SequentialModel.Load(path));

        Assert.That(e!.Message, Does.Contain("m.seqmodel").And.Contain("layer \"normalization\" (Normalization) would create \"mean\"")
            .And.Contain("(100000000000,)").And.Contain("the file has shape (6,) for it"));
    }

    [TestCase("layers", "3", "config.json's model has no layers array")]
    [TestCase("layer", "\"dense\"", "layer 0 of config.json is not an object")]
    [TestCase("class_name", "5", "the class_name of layer 0 is 5, not a string")]
    [TestCase("input_shape", "[-1]", "records the input shape [-1]")]
    [TestCase("input_shape", "[\"six\"]", "records the input shape [\"six\"]")]
    [TestCase("input_shape", "[0]", "records the input shape [0]")]
    [TestCase("name", "[]", "the model's name is [], not a string")]
    [TestCase("units", "\"many\"", "has a value for 'units' that is not a Int32")]
    [TestCase("metrics", "[null]", "a metric is missing, not a string")]
    [TestCase("optimizer", "7", "the saved optimizer is 7, not an object")]
    public void AMalformedConfigIsAnInvalidDataExceptionNamingTheFile(string what, string json, string message)
    {
        string path = Saved();
        var value = JsonNode.Parse(json);
        ModelFileEdits.RewriteJson(path, "config.json", c =>
        {
            var model = c["model"]!.AsObject();
            switch (what)
            {
                case "layers": model["layers"] = value; break;
                case "layer": model["layers"]![0] = value; break;
                case "class_name": model["layers"]![0]!["class_name"] = value; break;
                case "input_shape": model["input_shape"] = value; break;
                case "name": model["name"] = value; break;
                case "units": model["layers"]![0]!["config"]!["units"] = value; break;
                case "metrics": c["compile"]!["metrics"] = value; break;
                case "optimizer": c["compile"]!["optimizer"] = value; break;
            }
        });

        var e = Assert.Throws<InvalidDataException>(() => SequentialModel.Load(path));

        Assert.That(e!.Message, Does.Contain("m.seqmodel").And.Contain(message));
    }

    [Test]
    public void ATrainingStateWithAnImpossibleValueIsRefusedByLoad()
    {
        string path = Saved();
        ModelFileEdits.RewriteJson(path, "training_state.json", t => t["iterations"] = -3);

        var e = Assert.Throws<InvalidDataException>(() => SequentialModel.Load(path));

        Assert.That(e!.Message, Does.Contain("m.seqmodel").And.Contain("iterations -3 is negative"));
    }

    [Test]
    public void AWeightsFileInsideAModelFileIsStoredUncompressed()
    {
        // The ratio limit relies on Save storing tensors as they are.
        string path = Saved();
        using var zip = ZipFile.OpenRead(path);
        foreach (var name in new[] { "model.safetensors", "optimizer.safetensors" })
            Assert.That(zip.GetEntry(name)!.CompressedLength, Is.EqualTo(zip.GetEntry(name)!.Length), name);
    }
}
