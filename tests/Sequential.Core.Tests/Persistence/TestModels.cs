using Sequential.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Persistence;

/// <summary>Small models and data shared by the persistence tests.</summary>
internal static class TestModels
{
    public static (Tensor x, Tensor y) Data(int samples = 64, int features = 6, int classes = 3)
    {
        using var generator = new Generator(123);
        var x = randn([samples, features], generator: generator);
        var y = randint(0, classes, [samples], generator: generator);
        return (x, y);
    }

    public static SequentialModel Mlp(int features = 6, int hidden = 10, int classes = 3, bool dropout = true)
    {
        Layer[] layers = dropout
            ? [new Dense(hidden, activation: "relu", inputShape: [features]), new Dropout(0.25), new Dense(classes)]
            : [new Dense(hidden, activation: "relu", inputShape: [features]), new Dense(classes)];
        var model = new SequentialModel(layers);
        model.Compile(optimizer: new global::Sequential.Optimizers.Adam(learningRate: 0.01), loss: new global::Sequential.Losses.SparseCategoricalCrossentropy(fromLogits: true),
            metrics: ["accuracy"]);
        return model;
    }

    public static float[] Flat(Tensor t) => t.detach().cpu().contiguous().data<float>().ToArray();

    public static Dictionary<string, float[]> Weights(Model model) =>
        model.state_dict().ToDictionary(kv => kv.Key, kv => Flat(kv.Value));

    public static string TempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "seq-persist-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
