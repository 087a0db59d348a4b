// Chollet's "training a convnet from scratch on a small dataset" (Deep Learning with Python, 5.2), in C#:
// four Conv2D + MaxPooling2D blocks on 150x150 RGB images, trained once without and once with data
// augmentation (and Dropout), with accuracy/loss curves written as PNGs for both runs.
//
//   dotnet run --project examples/CatsVsDogs -- --data DIR      DIR/train/{cats,dogs}, DIR/validation/{cats,dogs}
//   dotnet run --project examples/CatsVsDogs -- --demo          offline: MNIST 0s ("cats") vs 1s ("dogs") as JPEGs
//   options: --epochs N (default 30 with --data, 2 with --demo), --device cpu|cuda, --out DIR (default .)
//
// With --keras3 (combinable with --data or --demo) it runs the Keras 3 version instead, from the book's 2nd/3rd
// edition (chapter 8, "Training a convnet from scratch on a small dataset"): image_dataset_from_directory, the
// augmentation as layers of the model (a Sequential nested in a functional model), ModelCheckpoint(save_best_only)
// and the best model evaluated on DIR/test when there is one. Its --epochs default: 100 with --data, 2 with --demo.
using System.Diagnostics;
using Sequential;
using Sequential.Callbacks;
using Sequential.Data;
using Sequential.Layers;
using Sequential.Optimizers;
using SkiaSharp;
using TorchSharp;

var options = Options.Parse(args);
string data = options.Demo ? WriteDemoImages() : options.Data
    ?? throw new ArgumentException("Pass --data DIR (with train/ and validation/ class folders) or --demo.");
Directory.CreateDirectory(options.Out);

if (options.Keras3)
{
    Keras3();
}
else
{
    Run("no_augmentation", augment: false);
    Run("augmentation", augment: true);
}

void Run(string name, bool augment)
{
    Console.WriteLine($"=== {name} ===");
    // Keras: train_datagen = ImageDataGenerator(rescale=1./255, rotation_range=40, width_shift_range=0.2, ...)
    var trainGen = augment
        ? new ImageDataGenerator(rescale: 1f / 255, rotationRange: 40, widthShiftRange: 0.2f, heightShiftRange: 0.2f,
            shearRange: 0.2f, zoomRange: 0.2f, horizontalFlip: true, fillMode: "nearest")
        : new ImageDataGenerator(rescale: 1f / 255);
    var testGen = new ImageDataGenerator(rescale: 1f / 255);   // validation data is never augmented
    var train = trainGen.FlowFromDirectory(Path.Combine(data, "train"), targetSize: (150, 150), batchSize: augment ? 32 : 20,
        classMode: ClassMode.Binary, seed: 1);
    var validation = testGen.FlowFromDirectory(Path.Combine(data, "validation"), targetSize: (150, 150), batchSize: 20,
        classMode: ClassMode.Binary, shuffle: false);

    var layers = new List<Layer>
    {
        new Conv2D(32, (3, 3), activation: "relu", inputShape: [150, 150, 3]),
        new MaxPooling2D((2, 2)),
        new Conv2D(64, (3, 3), activation: "relu"),
        new MaxPooling2D((2, 2)),
        new Conv2D(128, (3, 3), activation: "relu"),
        new MaxPooling2D((2, 2)),
        new Conv2D(128, (3, 3), activation: "relu"),
        new MaxPooling2D((2, 2)),
        new Flatten(),
    };
    if (augment) layers.Add(new Dropout(0.5));
    layers.Add(new Dense(512, activation: "relu"));
    layers.Add(new Dense(1, activation: "sigmoid"));
    var model = new SequentialModel(layers);
    model.Compile(optimizer: new RMSprop(learningRate: 1e-4), loss: "binary_crossentropy", metrics: ["accuracy"],
        device: options.Device);
    Console.WriteLine(model.Summary());

    // One pass over the training images per epoch (Keras 3); Chollet's steps_per_epoch=100 with batch 20
    // is the same thing for his 2,000 images.
    var history = model.Fit(train, epochs: options.Epochs, validationData: validation);

    string accuracyPng = Path.GetFullPath(Path.Combine(options.Out, $"{name}_accuracy.png"));
    string lossPng = Path.GetFullPath(Path.Combine(options.Out, $"{name}_loss.png"));
    history.Plot(accuracyPng, "accuracy");
    history.Plot(lossPng, "loss");
    Console.WriteLine($"Wrote {accuracyPng} and {lossPng}");
    Console.WriteLine($"{name}: final val_accuracy {history["val_accuracy"][^1]:F4}, val_loss {history["val_loss"][^1]:F4}");
}

// The Keras 3 way (Deep Learning with Python, 2nd/3rd edition, chapter 8), line by line; the book's Python in comments.
void Keras3()
{
    Console.WriteLine("=== keras3: image_dataset_from_directory, augmentation layers in the model ===");
    var clock = Stopwatch.StartNew();
    // The book's 180x180. The demo uses 80x80, about the smallest these five valid 3x3 convolutions and four poolings
    // take (80 -> 78 -> 39 -> 37 -> 18 -> 16 -> 8 -> 6 -> 3 -> 1), so that 2 epochs finish in under a minute on 2 CPU cores.
    int size = options.Demo ? 80 : 180;

    // train_dataset = image_dataset_from_directory(new_base_dir / "train", image_size=(180, 180), batch_size=32)
    var trainDataset = Utils.ImageDatasetFromDirectory(Path.Combine(data, "train"), imageSize: (size, size), batchSize: 32);
    // validation_dataset = image_dataset_from_directory(new_base_dir / "validation", image_size=(180, 180), batch_size=32)
    var validationDataset = Utils.ImageDatasetFromDirectory(Path.Combine(data, "validation"), imageSize: (size, size), batchSize: 32);
    // test_dataset = image_dataset_from_directory(new_base_dir / "test", image_size=(180, 180), batch_size=32)
    string testDir = Path.Combine(data, "test");
    var testDataset = Directory.Exists(testDir) ? Utils.ImageDatasetFromDirectory(testDir, imageSize: (size, size), batchSize: 32) : null;

    // data_augmentation = keras.Sequential(
    //     [
    //         layers.RandomFlip("horizontal"),
    //         layers.RandomRotation(0.1),
    //         layers.RandomZoom(0.2),
    //     ]
    // )
    var dataAugmentation = new SequentialModel(
    [
        new RandomFlip("horizontal"),
        new RandomRotation(0.1),
        new RandomZoom(0.2),
    ], name: "data_augmentation");

    // inputs = keras.Input(shape=(180, 180, 3))
    var inputs = new Input(shape: [size, size, 3]);
    // x = data_augmentation(inputs)
    var x = dataAugmentation.Apply(inputs);
    // x = layers.Rescaling(1./255)(x)
    x = new Rescaling(1.0 / 255).Apply(x);
    // x = layers.Conv2D(filters=32, kernel_size=3, activation="relu")(x)
    x = new Conv2D(filters: 32, kernelSize: 3, activation: "relu").Apply(x);
    // x = layers.MaxPooling2D(pool_size=2)(x)
    x = new MaxPooling2D(poolSize: 2).Apply(x);
    // x = layers.Conv2D(filters=64, kernel_size=3, activation="relu")(x)
    x = new Conv2D(filters: 64, kernelSize: 3, activation: "relu").Apply(x);
    // x = layers.MaxPooling2D(pool_size=2)(x)
    x = new MaxPooling2D(poolSize: 2).Apply(x);
    // x = layers.Conv2D(filters=128, kernel_size=3, activation="relu")(x)
    x = new Conv2D(filters: 128, kernelSize: 3, activation: "relu").Apply(x);
    // x = layers.MaxPooling2D(pool_size=2)(x)
    x = new MaxPooling2D(poolSize: 2).Apply(x);
    // x = layers.Conv2D(filters=256, kernel_size=3, activation="relu")(x)
    x = new Conv2D(filters: 256, kernelSize: 3, activation: "relu").Apply(x);
    // x = layers.MaxPooling2D(pool_size=2)(x)
    x = new MaxPooling2D(poolSize: 2).Apply(x);
    // x = layers.Conv2D(filters=256, kernel_size=3, activation="relu")(x)
    x = new Conv2D(filters: 256, kernelSize: 3, activation: "relu").Apply(x);
    // x = layers.Flatten()(x)
    x = new Flatten().Apply(x);
    // x = layers.Dropout(0.5)(x)
    x = new Dropout(0.5).Apply(x);
    // outputs = layers.Dense(1, activation="sigmoid")(x)
    var outputs = new Dense(1, activation: "sigmoid").Apply(x);
    // model = keras.Model(inputs=inputs, outputs=outputs)
    var model = new Model(inputs, outputs);

    // model.compile(loss="binary_crossentropy",
    //               optimizer="rmsprop",
    //               metrics=["accuracy"])
    model.Compile(loss: "binary_crossentropy", optimizer: "rmsprop", metrics: ["accuracy"], device: options.Device);
    // model.summary()   -- at 180x180 the book's table ends with "Total params: 991,041".
    Console.WriteLine(model.Summary());

    // callbacks = [
    //     keras.callbacks.ModelCheckpoint(
    //         filepath="convnet_from_scratch_with_augmentation.keras",
    //         save_best_only=True,
    //         monitor="val_loss")
    // ]
    string checkpoint = Path.GetFullPath(Path.Combine(options.Out, "convnet_from_scratch_with_augmentation.seqmodel"));
    Callback[] callbacks =
    [
        new ModelCheckpoint(
            filepath: checkpoint,
            saveBestOnly: true,
            monitor: "val_loss"),
    ];
    // history = model.fit(
    //     train_dataset,
    //     epochs=100,
    //     validation_data=validation_dataset,
    //     callbacks=callbacks)
    var history = model.Fit(
        trainDataset,
        epochs: options.Epochs,
        validationData: validationDataset,
        callbacks: callbacks);
    // In --demo mode (a few epochs on MNIST 0s and 1s) the accuracy says little: it shows the pipeline runs end to end.
    Console.WriteLine("Last epoch: " + string.Join(", ", history.Keys.Select(k => $"{k} {history[k][^1]:F4}")));
    history.Plot(Path.Combine(options.Out, "keras3_accuracy.png"), "accuracy");
    history.Plot(Path.Combine(options.Out, "keras3_loss.png"), "loss");

    if (testDataset is not null)
    {
        // test_model = keras.models.load_model(
        //     "convnet_from_scratch_with_augmentation.keras")
        var testModel = Model.Load(checkpoint);
        // test_loss, test_acc = test_model.evaluate(test_dataset)
        var result = testModel.Evaluate(testDataset);
        // print(f"Test accuracy: {test_acc:.3f}")
        Console.WriteLine($"Test accuracy: {result["accuracy"]:F3} (test loss {result["loss"]:F4}, best model from {checkpoint})");
    }
    else
    {
        Console.WriteLine($"No {testDir}: the best model is in {checkpoint}, not evaluated.");
    }
    Console.WriteLine($"keras3: {clock.Elapsed.TotalSeconds:F1} s");
}

// An offline stand-in for the Kaggle images: MNIST zeros as "cats" and ones as "dogs", drawn as 150x150 RGB
// JPEG files (grey digit on a random tinted background, at a random scale), 500 + 250 + 250 per class
// (train, validation, test; the test split is read by --keras3 only).
static string WriteDemoImages()
{
    string root = Path.Combine(Path.GetTempPath(), "sequential-cats-vs-dogs-demo");
    var ((xTrain, yTrain), _) = Mnist.LoadData();
    var labels = yTrain.data<long>().ToArray();
    var pixels = xTrain.data<byte>().ToArray();
    var random = new Random(0);
    var counts = new Dictionary<(string split, long digit), int>();
    for (int i = 0; i < labels.Length; i++)
    {
        long digit = labels[i];
        if (digit > 1) continue;
        int seen = counts.GetValueOrDefault(("all", digit));
        counts[("all", digit)] = seen + 1;
        string split = seen < 500 ? "train" : seen < 750 ? "validation" : seen < 1000 ? "test" : "";
        if (split == "") continue;
        string folder = Path.Combine(root, split, digit == 0 ? "cats" : "dogs");
        Directory.CreateDirectory(folder);
        using var digitBitmap = new SKBitmap(new SKImageInfo(28, 28, SKColorType.Gray8, SKAlphaType.Opaque));
        pixels.AsSpan(i * 784, 784).CopyTo(digitBitmap.GetPixelSpan());
        using var image = new SKBitmap(150, 150);
        using (var canvas = new SKCanvas(image))
        {
            canvas.Clear(new SKColor((byte)random.Next(60), (byte)random.Next(60), (byte)random.Next(60)));
            int size = random.Next(90, 150), left = random.Next(0, 151 - size), top = random.Next(0, 151 - size);
            using var digitImage = SKImage.FromBitmap(digitBitmap);
            using var paint = new SKPaint { BlendMode = SKBlendMode.Plus };
            canvas.DrawImage(digitImage, new SKRect(left, top, left + size, top + size),
                new SKSamplingOptions(SKFilterMode.Linear), paint);
        }
        using var encoded = SKImage.FromBitmap(image).Encode(SKEncodedImageFormat.Jpeg, 90);
        File.WriteAllBytes(Path.Combine(folder, $"{(digit == 0 ? "cat" : "dog")}.{seen}.jpg"), encoded.ToArray());
    }
    Console.WriteLine($"Demo images (MNIST 0 = cats, 1 = dogs) written to {root}");
    return root;
}

/// <summary>Command-line options of the example.</summary>
internal sealed record Options(string? Data, bool Demo, bool Keras3, int Epochs, string? Device, string Out)
{
    public static Options Parse(string[] args)
    {
        string? data = null, device = null;
        string output = ".";
        int? epochs = null;
        bool demo = false, keras3 = false;
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--data": data = Value(); break;
                case "--demo": demo = true; break;
                case "--keras3": keras3 = true; break;
                case "--epochs": epochs = int.Parse(Value()); break;
                case "--device": device = Value(); break;
                case "--out": output = Value(); break;
                case "-h" or "--help":
                    Console.WriteLine("dotnet run --project examples/CatsVsDogs -- (--data DIR | --demo) [--keras3] [--epochs N] [--device cpu|cuda] [--out DIR]");
                    Environment.Exit(0);
                    break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'. Use --data DIR, --demo, --keras3, --epochs N, --device cpu|cuda, --out DIR.");
            }
        }
        // Chollet trains 30 epochs (100 with augmentation, as the Keras 3 version does); the offline demo only shows
        // the pipeline end to end, so it defaults to 2 epochs (about a minute per run on 2 CPU cores).
        return new Options(data, demo, keras3, epochs ?? (demo ? 2 : keras3 ? 100 : 30), device, output);
    }
}
