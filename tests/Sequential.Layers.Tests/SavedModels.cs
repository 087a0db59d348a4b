using static TorchSharp.torch;

namespace Sequential.Layers.Tests;

/// Saves models to a temporary file and loads them back, for the round-trip tests of each layer.
internal static class SavedModels
{
    public static SequentialModel SaveAndLoad(SequentialModel model)
    {
        var folder = Directory.CreateTempSubdirectory("sequential-layers-");
        try
        {
            string path = Path.Combine(folder.FullName, "model.seqmodel");
            model.Save(path);
            return SequentialModel.Load(path);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// Saves any model (a functional one, say) to a temporary file and loads it back with Model.Load.
    public static Model SaveAndLoadModel(Model model)
    {
        var folder = Directory.CreateTempSubdirectory("sequential-layers-");
        try
        {
            string path = Path.Combine(folder.FullName, "model.seqmodel");
            model.Save(path);
            return Model.Load(path);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// Saves and loads a model, then checks that the copy has the same summary, configurations and predictions.
    public static SequentialModel AssertRoundTrips(SequentialModel model, Tensor x)
    {
        var loaded = SaveAndLoad(model);
        Assert.That(loaded.Summary(), Is.EqualTo(model.Summary()));
        for (int i = 0; i < model.Layers.Count; i++)
        {
            var expected = model.Layers[i].GetConfig();
            var actual = loaded.Layers[i].GetConfig();
            Assert.That(actual.Keys, Is.EquivalentTo(expected.Keys), model.Layers[i].Name);
            foreach (var key in expected.Keys)
                Assert.That(actual[key], Is.EqualTo(expected[key]), $"{model.Layers[i].Name}.{key}");
        }
        Assert.That(TestModels.Values(loaded.Predict(x, verbose: 0)), Is.EqualTo(TestModels.Values(model.Predict(x, verbose: 0))));
        return loaded;
    }
}
