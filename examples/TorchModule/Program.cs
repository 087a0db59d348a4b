// A TorchSharp module inside a Keras-style model (Keras 3's TorchModuleWrapper, keras.layers.TorchModuleWrapper):
// a small hand-written TorchSharp convnet between Keras layers, trained on MNIST, then frozen while its head is
// fine-tuned, then saved and loaded whole through a factory registered by name.
// With --resnet18: TorchVision's resnet18 (NuGet TorchVision) as the feature extractor instead, on the digits resized to
// 32x32 and repeated to 3 channels: trained, frozen while its Dense head trains, then fine-tuned (see ResNet18.cs).
// Usage: dotnet run --project examples/TorchModule [-- --samples N] [--epochs N] [--device cpu|cuda] [--out DIR]
//        dotnet run --project examples/TorchModule -- --resnet18 [--steps N] [--test N] [--samples N] [--device cpu|cuda]
//   --steps N  (--resnet18) batches of 32 per phase, default 10; --test N  test digits evaluated, default 500
//   (10 steps take about a minute on 2 CPU cores, but are too few for resnet18's BatchNorm running statistics: test
//   accuracy then trails training accuracy by far; --steps 100 or more gives meaningful numbers)
using Sequential;
using Sequential.Data;
using Sequential.Layers;
using Sequential.Losses;
using Sequential.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

var options = Options.Parse(args);
RandomSeed.Set(42);

var ((xAll, yAll), (xTest, yTest)) = Mnist.LoadData(out string source);
int samples = (int)Math.Min(options.Samples, xAll.shape[0]);
var (xTrain, yTrain) = (xAll[..samples], yAll[..samples]);
Console.WriteLine($"MNIST from {source}: training on {samples} images, testing on {xTest.shape[0]}");
if (options.Resnet18)
{
    ResNet18.Run(options, xTrain, yTrain, xTest, yTest);
    return;
}

// The feature extractor is plain TorchSharp: channels first, as TorchSharp's Conv2d wants. Registering a factory under
// a name is what lets model.Save write the model whole (Load calls the factory, then loads the weights into its module).
TorchModule.Register("small_convnet", () => nn.Sequential(
    ("conv1", nn.Conv2d(1, 16, 3)), ("relu1", nn.ReLU()), ("pool1", nn.MaxPool2d(2)),
    ("conv2", nn.Conv2d(16, 32, 3)), ("relu2", nn.ReLU()), ("pool2", nn.MaxPool2d(2))));

var convnet = new TorchModule("small_convnet", name: "convnet");   // or new TorchModule(anyModule) for SaveWeights only
var model = new SequentialModel(
    new Rescaling(1.0 / 255, inputShape: [28, 28]),
    new Reshape([1, 28, 28]),   // (None, 28, 28) -> (None, 1, 28, 28): one channel, first
    convnet,
    new Flatten(),
    new Dense(10));
var loss = new SparseCategoricalCrossentropy(fromLogits: true);
model.Compile(optimizer: "adam", loss: loss, metrics: ["accuracy"], device: options.Device);
Console.WriteLine(model.Summary());

model.Fit(xTrain, yTrain, epochs: options.Epochs, batchSize: 32, validationSplit: 0.1);
Console.WriteLine($"Test accuracy after training everything: {model.Evaluate(xTest, yTest, verbose: 0)["accuracy"]:F4}");

// Fine-tuning (Keras's transfer-learning guide): freeze the wrapped module, recompile, train the head only.
convnet.Trainable = false;
model.Compile(optimizer: new Adam(learningRate: 1e-4), loss: loss, metrics: ["accuracy"], device: options.Device);
Console.WriteLine(model.Summary());
var frozen = convnet.Module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
model.Fit(xTrain, yTrain, epochs: 1, batchSize: 32, validationSplit: 0.1);
bool unchanged = convnet.Module.state_dict().All(kv => kv.Value.eq(frozen[kv.Key]).all().item<bool>());
var result = model.Evaluate(xTest, yTest, verbose: 0);
Console.WriteLine($"Test accuracy after fine-tuning the head: {result["accuracy"]:F4} (convnet weights unchanged: {unchanged})");

Directory.CreateDirectory(options.Out);
string path = Path.GetFullPath(Path.Combine(options.Out, "torch_module.seqmodel"));
model.Save(path);
var loaded = SequentialModel.Load(path);
Console.WriteLine($"Saved and loaded {path}: test accuracy {loaded.Evaluate(xTest, yTest, verbose: 0)["accuracy"]:F4}");

/// <summary>Command-line options of the example.</summary>
internal sealed record Options(int Samples, int Epochs, string? Device, string Out, bool Resnet18, int Steps, int TestSamples)
{
    public static Options Parse(string[] args)
    {
        int samples = 2000, epochs = 2, steps = 10, test = 500;
        bool resnet18 = false;
        string? device = null;
        string output = ".";
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--samples": samples = int.Parse(Value()); break;
                case "--epochs": epochs = int.Parse(Value()); break;
                case "--device": device = Value(); break;
                case "--out": output = Value(); break;
                case "--resnet18": resnet18 = true; break;
                case "--steps": steps = int.Parse(Value()); break;
                case "--test": test = int.Parse(Value()); break;
                case "-h" or "--help":
                    Console.WriteLine("dotnet run --project examples/TorchModule [-- --samples N] [--epochs N] [--device cpu|cuda] [--out DIR]\n" +
                                      "dotnet run --project examples/TorchModule -- --resnet18 [--steps N] [--test N] [--samples N] [--device cpu|cuda] [--out DIR]");
                    Environment.Exit(0);
                    break;
                default: throw new ArgumentException(
                    $"Unknown option '{args[i]}'. Use --samples N, --epochs N, --device cpu|cuda, --out DIR, --resnet18, --steps N, --test N.");
            }
        }
        return new Options(samples, epochs, device, output, resnet18, steps, test);
    }
}
