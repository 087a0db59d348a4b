// keras.io "Customizing what happens in fit() with PyTorch", in C#:
//   https://keras.io/guides/custom_train_step_in_torch/
// Part 1: a model whose train_step is written out (forward, compute_loss, backward, optimizer.apply, compute_metrics).
// Part 2: the guide's GAN on MNIST digits: a model holding a generator and a discriminator, two optimizers, its own
//         d_loss/g_loss trackers. Offline on the 10,000 digits that ship with Sequential.
// Usage: dotnet run --project examples/CustomTrainStep [-- --steps N] [--epochs N] [--device cpu|cuda]
//   --steps N   GAN batches per epoch (default 20, about a minute on 2 CPU cores; 0 = every digit, 157 batches)
using Sequential;
using Sequential.Data;
using Sequential.Layers;
using Sequential.Losses;
using BinaryCrossentropy = Sequential.Losses.BinaryCrossentropy;
using Sequential.Metrics;
using Sequential.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

var options = Options.Parse(args);
RandomSeed.Set(1337);

// ---- Part 1: a basic custom train_step ----
// The guide builds CustomModel from keras.Input(shape=(32,)) and Dense(1); here the same layers as a stack.
var model = new CustomModel(new Dense(1, inputShape: [32]));
model.Compile(optimizer: "adam", loss: "mse", metrics: ["mae"], device: options.Device);
var x = rand(1000, 32);
var y = rand(1000, 1);
var history = model.Fit(x, y, epochs: 3, verbose: 2);
Console.WriteLine($"Part 1: loss {string.Join(" -> ", history["loss"].Select(v => v.ToString("F4")))}, " +
                  $"mae {string.Join(" -> ", history["mae"].Select(v => v.ToString("F4")))}\n");

// ---- Part 2: wrapping up, an end-to-end GAN example ----
var discriminator = new SequentialModel([
    new InputLayer(shape: [28, 28, 1]),
    new Conv2D(64, (3, 3), strides: (2, 2), padding: "same"),
    new LeakyReLU(negativeSlope: 0.2),
    new Conv2D(128, (3, 3), strides: (2, 2), padding: "same"),
    new LeakyReLU(negativeSlope: 0.2),
    new GlobalMaxPooling2D(),
    new Dense(1)], name: "discriminator");

const int latentDim = 128;
var generator = new SequentialModel([
    new InputLayer(shape: [latentDim]),
    new Dense(7 * 7 * 128),
    new LeakyReLU(negativeSlope: 0.2),
    new Reshape([7, 7, 128]),
    new Conv2DTranspose(128, (4, 4), strides: (2, 2), padding: "same"),
    new LeakyReLU(negativeSlope: 0.2),
    new Conv2DTranspose(128, (4, 4), strides: (2, 2), padding: "same"),
    new LeakyReLU(negativeSlope: 0.2),
    new Conv2D(1, (7, 7), padding: "same", activation: "sigmoid")], name: "generator");
Console.WriteLine(discriminator.Summary());
Console.WriteLine(generator.Summary());

// all_digits = np.concatenate([x_train, x_test]).astype("float32") / 255.0, reshaped to (-1, 28, 28, 1)
var ((xTrain, _), (xTest, _)) = Mnist.LoadData();
var allDigits = (cat([xTrain, xTest], 0).to_type(ScalarType.Float32) / 255f).reshape(-1, 28, 28, 1);
Console.WriteLine($"{allDigits.shape[0]} digits");

var gan = new Gan(discriminator, generator, latentDim);
gan.Compile(
    dOptimizer: new Adam(learningRate: 0.0003),
    gOptimizer: new Adam(learningRate: 0.0003),
    lossFn: new BinaryCrossentropy(fromLogits: true),
    device: options.Device);
// The guide feeds a DataLoader of images only (no targets): Fit(x) with batches of 64.
var ganHistory = gan.Fit(allDigits, batchSize: 64, epochs: options.Epochs,
    stepsPerEpoch: options.Steps == 0 ? null : options.Steps, verbose: 2);
Console.WriteLine($"Part 2: d_loss {ganHistory["d_loss"][^1]:F4}, g_loss {ganHistory["g_loss"][^1]:F4} after " +
                  $"{gan.Optimizer!.Iterations} discriminator and {gan.GeneratorOptimizer.Iterations} generator steps");

/// <summary>Part 1: the default train step, written out with the public seams.</summary>
internal sealed class CustomModel(params Layer[] layers) : SequentialModel(layers)
{
    public override IReadOnlyDictionary<string, double> TrainStep(Batch batch)
    {
        var (x, y, sampleWeight) = batch;
        // Call torch.nn.Module.zero_grad() to clear the leftover gradients of the previous step
        zero_grad();
        var yPred = Call(x, training: true);
        var loss = ComputeLoss(x, y, yPred, sampleWeight);
        loss.backward();
        var trainableWeights = TrainableWeights;
        var gradients = trainableWeights.Select(v => v.grad).ToList();
        using (no_grad()) Optimizer!.Apply(gradients, trainableWeights);
        // Update and return the metrics (the loss tracker first, as in self.metrics)
        return ComputeMetrics(x, y, yPred.detach(), sampleWeight);
    }
}

/// <summary>Part 2: the guide's GAN.</summary>
internal sealed class Gan(SequentialModel discriminator, SequentialModel generator, int latentDim) : Model("gan")
{
    private readonly SequentialModel _discriminator = discriminator;
    private readonly SequentialModel _generator = generator;
    private readonly Mean _dLossTracker = new("d_loss");
    private readonly Mean _gLossTracker = new("g_loss");
    private readonly Generator _seedGenerator = new(1337);
    private Loss _lossFn = null!;

    public Optimizer GeneratorOptimizer { get; private set; } = null!;

    public override IReadOnlyList<Metric> Metrics => [_dLossTracker, _gLossTracker];

    public void Compile(Optimizer dOptimizer, Optimizer gOptimizer, Loss lossFn, string? device = null)
    {
        Compile(optimizer: dOptimizer, device: device);
        GeneratorOptimizer = gOptimizer;
        _lossFn = lossFn;
    }

    // Fit builds a model by calling it; the GAN's forward pass is the discriminator's.
    public override Tensor Call(Tensor x, bool training) => _discriminator.Call(x, training);

    public override IReadOnlyDictionary<string, double> TrainStep(Batch batch)
    {
        var realImages = batch.X;
        long batchSize = realImages.shape[0];
        var device = realImages.device;
        // Sample random points in the latent space and decode them to fake images
        var randomLatentVectors = randn(new[] { batchSize, (long)latentDim }, generator: _seedGenerator).to(device);
        var generatedImages = _generator.Call(randomLatentVectors, training: true);
        // Combine them with real images; labels discriminating real from fake images
        var combinedImages = cat([generatedImages, realImages], 0);
        var labels = cat([ones(batchSize, 1, device: device), zeros(batchSize, 1, device: device)], 0);
        // Add random noise to the labels - important trick!
        labels += 0.05 * rand(labels.shape, generator: _seedGenerator).to(device);

        // Train the discriminator
        zero_grad();
        var predictions = _discriminator.Call(combinedImages, training: true);
        var dLoss = _lossFn.Call(labels, predictions);
        dLoss.backward();
        var dWeights = _discriminator.TrainableWeights;
        using (no_grad()) Optimizer!.Apply(dWeights.Select(v => v.grad).ToList(), dWeights);

        // Train the generator (note that we should *not* update the weights of the discriminator)!
        randomLatentVectors = randn(new[] { batchSize, (long)latentDim }, generator: _seedGenerator).to(device);
        var misleadingLabels = zeros(batchSize, 1, device: device);   // "all real images"
        zero_grad();
        predictions = _discriminator.Call(_generator.Call(randomLatentVectors, training: true), training: true);
        var gLoss = _lossFn.Call(misleadingLabels, predictions);
        gLoss.backward();
        var gWeights = _generator.TrainableWeights;
        using (no_grad()) GeneratorOptimizer.Apply(gWeights.Select(v => v.grad).ToList(), gWeights);

        // Update metrics and return their value
        _dLossTracker.UpdateValues(dLoss.detach());
        _gLossTracker.UpdateValues(gLoss.detach());
        return new Dictionary<string, double> { ["d_loss"] = _dLossTracker.Value(), ["g_loss"] = _gLossTracker.Value() };
    }
}

/// <summary>Command-line options of the example.</summary>
internal sealed record Options(int Epochs, int Steps, string? Device)
{
    public static Options Parse(string[] args)
    {
        int epochs = 1, steps = 20;
        string? device = null;
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--epochs": epochs = int.Parse(Value()); break;
                case "--steps": steps = int.Parse(Value()); break;
                case "--device": device = Value(); break;
                case "-h" or "--help":
                    Console.WriteLine("dotnet run --project examples/CustomTrainStep [-- --steps N] [--epochs N] [--device cpu|cuda]");
                    Environment.Exit(0);
                    break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'. Use --steps N, --epochs N, --device cpu|cuda.");
            }
        }
        return new Options(epochs, steps, device);
    }
}
