// keras.io "Image classification from scratch" (a small Xception, functional API), in C#:
//   https://keras.io/examples/vision/image_classification_from_scratch/
// Usage: dotnet run --project examples/ImageClassificationFromScratch [-- --data PetImages] [--epochs N] [--steps N]
//        [--image-size N] [--device cpu|cuda]
//   --data DIR    the Kaggle "PetImages" layout (DIR/Cat/*.jpg, DIR/Dog/*.jpg); 20% held out for validation as in the guide.
//   without it    offline: MNIST zeros ("cats") and ones ("dogs") that ship with Sequential, as 64x64 RGB images.
using ImageClassificationFromScratch;
using Sequential;
using Sequential.Data;
using Sequential.Layers;
using Sequential.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

var options = Options.Parse(args);
RandomSeed.Set(1337);
var imageSize = (options.ImageSize, options.ImageSize);

// The guide builds this Xception-like network with the functional API (SmallXception.cs).
var model = SmallXception.MakeModel([options.ImageSize, options.ImageSize, 3], numClasses: 2);
Console.WriteLine(model.Summary());

model.Compile(optimizer: new Adam(learningRate: 1e-3), loss: "binary_crossentropy", metrics: ["accuracy"], device: options.Device);

History history;
if (options.Data is { } data)
{
    // The guide uses image_dataset_from_directory(validation_split=0.2, subset="both", seed=1337); until Sequential has
    // it, ImageDataGenerator's validationSplit selects the same fraction per class.
    var generator = new ImageDataGenerator(validationSplit: 0.2);
    var train = generator.FlowFromDirectory(data, targetSize: imageSize, batchSize: 128, classMode: ClassMode.Binary, subset: "training", seed: 1337);
    var val = generator.FlowFromDirectory(data, targetSize: imageSize, batchSize: 128, classMode: ClassMode.Binary, subset: "validation", seed: 1337);
    history = model.Fit(train, epochs: options.Epochs, stepsPerEpoch: options.Steps, validationData: val,
        callbacks: [new Sequential.Callbacks.ModelCheckpoint("save_at_{epoch}.seqmodel", saveWeightsOnly: true)]);
}
else
{
    var (x, y) = DemoImages(options.ImageSize);
    Console.WriteLine($"Demo: {x.shape[0]} images, MNIST 0 = cat, 1 = dog, {options.ImageSize}x{options.ImageSize} RGB");
    history = model.Fit(x, y, batchSize: 32, epochs: options.Epochs, stepsPerEpoch: options.Steps, validationSplit: 0.2);
}
Console.WriteLine($"val_accuracy per epoch: {string.Join(", ", history["val_accuracy"].Select(v => v.ToString("F4")))}");

// "Run inference on new data": data augmentation and dropout are inactive in Predict.
using (NewDisposeScope())
{
    var (x, _) = DemoImages(options.ImageSize, count: 1);
    float score = model.Predict(x, verbose: 0)[0, 0].item<float>();
    Console.WriteLine($"This image is {100 * (1 - score):F2}% cat and {100 * score:F2}% dog.");
}

// An offline stand-in for PetImages: the shipped MNIST zeros ("cats", label 0) and ones ("dogs", label 1), resized and
// repeated over three channels, values 0-255 as image files give them.
static (Tensor x, Tensor y) DemoImages(int size, int count = 1000)
{
    var ((images, labels), _) = Mnist.LoadData();
    var keep = (labels <= 1).nonzero().squeeze(1)[..Math.Min(count, (int)(labels <= 1).sum().item<long>())];
    var digits = images.index_select(0, keep).to_type(ScalarType.Float32).unsqueeze(1);
    var resized = nn.functional.interpolate(digits, [size, size], mode: InterpolationMode.Bilinear, align_corners: false);
    return (resized.permute(0, 2, 3, 1).repeat(1, 1, 1, 3).contiguous(), labels.index_select(0, keep).to_type(ScalarType.Float32).unsqueeze(1));
}

/// <summary>Command-line options of the example.</summary>
internal sealed record Options(string? Data, int Epochs, int? Steps, int ImageSize, string? Device)
{
    public static Options Parse(string[] args)
    {
        string? data = null, device = null;
        int? epochs = null, steps = null, imageSize = null;
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--data": data = Value(); break;
                case "--epochs": epochs = int.Parse(Value()); break;
                case "--steps": steps = int.Parse(Value()); break;
                case "--image-size": imageSize = int.Parse(Value()); break;
                case "--device": device = Value(); break;
                case "-h" or "--help":
                    Console.WriteLine("dotnet run --project examples/ImageClassificationFromScratch [-- --data PetImages] [--epochs N] [--steps N] [--image-size N] [--device cpu|cuda]");
                    Environment.Exit(0);
                    break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'. Use --data DIR, --epochs N, --steps N, --image-size N, --device cpu|cuda.");
            }
        }
        // The guide: 180x180, 25 epochs. The offline demo: 64x64 digits, 1 epoch of 8 steps (seconds on 2 cores). That
        // shows the pipeline, not the accuracy: BatchNormalization's moving statistics (momentum 0.99, as in Keras) need
        // far more steps than that before inference (validation, Predict) uses them well.
        return data is null
            ? new Options(null, epochs ?? 1, steps ?? 8, imageSize ?? 64, device)
            : new Options(data, epochs ?? 25, steps, imageSize ?? 180, device);
    }
}
