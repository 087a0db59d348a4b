using Sequential.Layers;
using Sequential.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Benchmarks;

/// <summary>One benchmark model, built twice: as a Sequential model and as a plain TorchSharp module.</summary>
internal sealed record ModelSpec(string Kind, string Title, int BatchSize, double FitTarget, double PeerTarget)
{
    public static ModelSpec For(string kind) => kind switch
    {
        "mlp" => new("mlp", "Keras tutorial MLP: Flatten, Dense(128, relu), Dense(10)", 32, 1.05, 2.5),
        "cnn" => new("cnn", "keras.io MNIST convnet: Conv2D(32,3), MaxPool, Conv2D(64,3), MaxPool, Flatten, Dropout(0.5), Dense(10)", 128, 1.03, 1.3),
        _ => throw new ArgumentException(kind),
    };

    /// <summary>Sequential takes channels_last images [N, 28, 28, 1] for the convnet, as Keras does.</summary>
    public Tensor ToKerasInput(Tensor x) => Kind == "cnn" ? x.unsqueeze(-1) : x;

    public SequentialModel Sequential(string device = "cpu", DataParallel? distribution = null)
    {
        RandomSeed.Set(0);
        var model = Kind == "mlp"
            ? new SequentialModel(new Flatten(inputShape: [28, 28]), new Dense(128, activation: "relu"), new Dense(10))
            : new SequentialModel(
                new Conv2D(32, (3, 3), activation: "relu", inputShape: [28, 28, 1]),
                new MaxPooling2D((2, 2)),
                new Conv2D(64, (3, 3), activation: "relu"),
                new MaxPooling2D((2, 2)),
                new Flatten(),
                new Dropout(0.5),
                new Dense(10));
        model.Compile(optimizer: "adam", loss: new SparseCategoricalCrossentropy(fromLogits: true), metrics: ["accuracy"], device: device,
            distribution: distribution);
        return model;
    }

    /// <summary>The same network as a functional graph (<c>new Model(inputs, outputs)</c>), to measure what graph
    /// execution costs per step against the stack.</summary>
    public Model Functional(string device = "cpu")
    {
        RandomSeed.Set(0);
        Input inputs;
        SymbolicTensor x;
        if (Kind == "mlp")
        {
            inputs = new Input(shape: [28, 28]);
            x = new Flatten().Apply(inputs);
            x = new Dense(128, activation: "relu").Apply(x);
        }
        else
        {
            inputs = new Input(shape: [28, 28, 1]);
            x = new Conv2D(32, (3, 3), activation: "relu").Apply(inputs);
            x = new MaxPooling2D((2, 2)).Apply(x);
            x = new Conv2D(64, (3, 3), activation: "relu").Apply(x);
            x = new MaxPooling2D((2, 2)).Apply(x);
            x = new Dropout(0.5).Apply(new Flatten().Apply(x));
        }
        var model = new Model(inputs, new Dense(10).Apply(x), name: "functional");
        model.Compile(optimizer: "adam", loss: new SparseCategoricalCrossentropy(fromLogits: true), metrics: ["accuracy"], device: device);
        return model;
    }

    /// <summary>The same network as a PyTorch user writes it: NCHW, nn.Sequential.</summary>
    public nn.Module<Tensor, Tensor> Raw() => Kind == "mlp"
        ? nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
        : nn.Sequential(
            nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Dropout(0.5), nn.Linear(64 * 5 * 5, 10));

    /// <summary>The raw loop's input layout: NCHW for the convnet.</summary>
    public Tensor ToTorchInput(Tensor x) => Kind == "cnn" ? x.unsqueeze(1) : x;
}
