// The Keras "beginner" MNIST tutorial, line by line in C#:
//   https://www.tensorflow.org/tutorials/quickstart/beginner  (keras.Sequential MLP, 5 epochs)
// Usage: dotnet run --project examples/Mnist [-- --data DIR] [--epochs N] [--device cpu|cuda] [--out DIR] [--distributed]
//   --distributed  data-parallel over the MPI processes this was started in (Open MPI, Debian's openmpi-bin):
//                  mpirun -np 2 dotnet run -c Release --project examples/Mnist -- --distributed
//                  each process trains on half of every batch of 32; rank 0 prints and writes the plots
//   --data DIR   a folder with the four MNIST IDX files (train-images-idx3-ubyte[.gz], ...); without it the
//                default data folder is used, else the 10,000-digit subset that ships with Sequential.
using Sequential;
using Sequential.Data;
using Sequential.Layers;
using Sequential.Losses;
using TorchSharp;

var options = Options.Parse(args);
RandomSeed.Set(42);
var distribution = options.Distributed ? new DataParallel() : null;
bool chief = distribution?.IsChief ?? true;   // rank 0 (or the only process) prints and writes files
if (distribution is not null) Console.WriteLine(distribution);

// (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
var ((xTrain, yTrain), (xTest, yTest)) = Mnist.LoadData(out string source, options.Data);
if (chief) Console.WriteLine($"MNIST from {source}: {xTrain.shape[0]} training and {xTest.shape[0]} test images");

var model = new SequentialModel(
    new Flatten(inputShape: [28, 28]),
    new Dense(128, activation: "relu"),
    new Dropout(0.2),
    new Dense(10));

model.Compile(
    optimizer: "adam",
    loss: new SparseCategoricalCrossentropy(fromLogits: true),
    metrics: ["accuracy"],
    device: options.Device,
    distribution: distribution);
if (chief) Console.WriteLine(model.Summary());
if (chief) Console.WriteLine($"Device: {model.Device.type}, TorchSharp threads: {torch.get_num_threads()}");

History history = model.Fit(xTrain / 255f, yTrain, epochs: options.Epochs, batchSize: 32, validationSplit: 0.1);

var result = model.Evaluate(xTest / 255f, yTest, verbose: 0);
if (!chief) return;
Console.WriteLine($"Test accuracy: {result["accuracy"]:F4}, test loss: {result["loss"]:F4}");

// probability_model = keras.Sequential([model, keras.layers.Softmax()]); probability_model(x_test[:5])
using (torch.NewDisposeScope())
{
    var probabilities = torch.nn.functional.softmax(model.Predict(xTest[..5] / 255f, verbose: 0), 1);
    var predicted = probabilities.argmax(1);
    Console.WriteLine($"First 5 test digits: predicted [{string.Join(", ", predicted.data<long>().ToArray())}], " +
                      $"true [{string.Join(", ", yTest[..5].data<long>().ToArray())}]");
}

Directory.CreateDirectory(options.Out);
string accuracyPng = Path.GetFullPath(Path.Combine(options.Out, "accuracy.png"));
string lossPng = Path.GetFullPath(Path.Combine(options.Out, "loss.png"));
history.Plot(accuracyPng, "accuracy");
history.Plot(lossPng, "loss");
Console.WriteLine($"Wrote {accuracyPng} and {lossPng}");
Console.WriteLine($"val_accuracy per epoch: {string.Join(", ", history["val_accuracy"].Select(v => v.ToString("F4")))}");

/// <summary>Command-line options of the example.</summary>
internal sealed record Options(string? Data, int Epochs, string? Device, string Out, bool Distributed)
{
    public static Options Parse(string[] args)
    {
        string? data = null, device = null;
        string output = ".";
        int epochs = 5;
        bool distributed = false;
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--data": data = Value(); break;
                case "--epochs": epochs = int.Parse(Value()); break;
                case "--device": device = Value(); break;
                case "--out": output = Value(); break;
                case "--distributed": distributed = true; break;
                case "-h" or "--help":
                    Console.WriteLine("dotnet run --project examples/Mnist [-- --data DIR] [--epochs N] [--device cpu|cuda] [--out DIR] [--distributed]");
                    Environment.Exit(0);
                    break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'. Use --data DIR, --epochs N, --device cpu|cuda, --out DIR, --distributed.");
            }
        }
        return new Options(data, epochs, device, output, distributed);
    }
}
