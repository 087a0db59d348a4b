using Sequential;
using Sequential.Layers;
using Sequential.Losses;
using Sequential.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// The --resnet18 run: TorchVision's resnet18 (NuGet TorchVision) inside a Keras-style model. Its convolutional part is
/// wrapped in a TorchModule; the classifier on top is a Keras Dense layer, so the model has resnet18(num_classes: 10)'s
/// 11,181,642 parameters. No pretrained weights are available offline, so the network is first trained whole from its
/// random initialisation; then, as in Keras's transfer-learning guide, the wrapped module is frozen while the head trains,
/// and unfrozen again to fine-tune everything with a low learning rate.
/// </summary>
internal static class ResNet18
{
    public static void Run(Options options, Tensor xTrain, Tensor yTrain, Tensor xTest, Tensor yTest)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // resnet = torchvision.models.resnet18(num_classes=10)
        var reference = torchvision.models.resnet18(num_classes: 10);
        long referenceCount = reference.parameters().Sum(p => p.numel());
        reference.Dispose();

        // The factory gives Save a name to write and Load a way to create the module again (the weights come from the file).
        // backbone = nn.Sequential(*list(resnet.children())[:-1]): every child but the classifier "fc" (its forward runs
        // the children in this order), ending in avgpool and flatten: (N, 3, H, W) -> (N, 512).
        TorchModule.Register("resnet18_backbone", () =>
        {
            var resnet = torchvision.models.resnet18(num_classes: 10);
            return nn.Sequential(resnet.named_children()
                .Where(child => child.name != "fc")
                .Select(child => (child.name, (nn.Module<Tensor, Tensor>)child.module))
                .ToArray());
        });
        // Grey digits -> 3 channels, for the network's RGB stem (Keras: layers.Lambda(lambda x: ops.repeat(x, 3, axis=-1))).
        Lambda.Register("grey_to_rgb", x => x.expand(-1, -1, -1, 3));

        var backbone = new TorchModule("resnet18_backbone", name: "resnet18");
        var model = new SequentialModel(
            new Rescaling(1.0 / 255, inputShape: [28, 28]),
            new Reshape([28, 28, 1]),
            new Resizing(32, 32),          // resnet18 halves the image 5 times: 28 -> 32 pixels
            new Lambda("grey_to_rgb"),     // (None, 32, 32, 1) -> (None, 32, 32, 3)
            new Permute([3, 1, 2]),        // channels last -> channels first, as TorchSharp's Conv2d wants
            backbone,                      // (None, 512)
            new Dense(10));
        var loss = new SparseCategoricalCrossentropy(fromLogits: true);
        model.Compile(optimizer: new Adam(learningRate: 1e-3), loss: loss, metrics: ["accuracy"], device: options.Device);
        Console.WriteLine(model.Summary());
        Console.WriteLine($"Parameters: {model.CountParams():N0}; TorchVision's resnet18(num_classes: 10) has {referenceCount:N0}");
        if (model.CountParams() != referenceCount)
            throw new InvalidOperationException("The wrapped resnet18 and its Dense head should count as resnet18(num_classes: 10).");

        int steps = options.Steps;
        int test = (int)Math.Min(options.TestSamples, xTest.shape[0]);
        var (xEval, yEval) = (xTest[..test], yTest[..test]);
        double Accuracy() => model.Evaluate(xEval, yEval, batchSize: 64, verbose: 0)["accuracy"];
        Console.WriteLine($"{steps} steps of 32 digits per phase; accuracy on the first {xEval.shape[0]} test digits\n");

        // 1. Everything trains (there are no pretrained weights offline).
        model.Fit(xTrain, yTrain, batchSize: 32, epochs: 1, stepsPerEpoch: steps);
        Console.WriteLine($"Test accuracy after training everything: {Accuracy():F4}\n");

        // 2. Frozen: the wrapped module keeps its weights and BatchNorm statistics; only the Dense head trains.
        backbone.Trainable = false;
        model.Compile(optimizer: new Adam(learningRate: 1e-3), loss: loss, metrics: ["accuracy"], device: options.Device);
        Console.WriteLine($"Frozen: {model.CountTrainableParams():N0} trainable of {model.CountParams():N0} parameters");
        var frozen = backbone.Module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        model.Fit(xTrain, yTrain, batchSize: 32, epochs: 1, stepsPerEpoch: steps);
        bool unchanged = backbone.Module.state_dict().All(kv => kv.Value.eq(frozen[kv.Key]).all().item<bool>());
        Console.WriteLine($"Test accuracy after training the head: {Accuracy():F4} (resnet18 weights and statistics unchanged: {unchanged})\n");

        // 3. Fine-tuned: unfrozen, recompiled with a low learning rate (Keras's guide: recompile after changing trainable).
        backbone.Trainable = true;
        model.Compile(optimizer: new Adam(learningRate: 1e-4), loss: loss, metrics: ["accuracy"], device: options.Device);
        Console.WriteLine($"Fine-tuning: {model.CountTrainableParams():N0} trainable parameters");
        model.Fit(xTrain, yTrain, batchSize: 32, epochs: 1, stepsPerEpoch: steps);
        double accuracy = Accuracy();
        Console.WriteLine($"Test accuracy after fine-tuning: {accuracy:F4}\n");

        Directory.CreateDirectory(options.Out);
        string path = Path.GetFullPath(Path.Combine(options.Out, "resnet18.seqmodel"));
        model.Save(path);
        var loaded = SequentialModel.Load(path);
        double loadedAccuracy = loaded.Evaluate(xEval, yEval, batchSize: 64, verbose: 0)["accuracy"];
        Console.WriteLine($"Saved and loaded {path} ({new FileInfo(path).Length / 1e6:F1} MB): test accuracy {loadedAccuracy:F4}");
        Console.WriteLine($"Done in {clock.Elapsed.TotalSeconds:F1} s.");
    }
}
