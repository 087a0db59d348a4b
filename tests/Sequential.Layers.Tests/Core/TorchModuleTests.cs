using Sequential.Callbacks;
using Sequential.Core.Tests.Persistence;
using TorchSharp;
using static TorchSharp.torch;
using static Sequential.Layers.Tests.TestModels;

namespace Sequential.Layers.Tests.Core;

public class TorchModuleTests
{
    private DirectoryInfo _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("sequential-torchmodule-");

    [TearDown]
    public void DeleteFolder() => _folder.Delete(recursive: true);

    private string PathTo(string file) => Path.Combine(_folder.FullName, file);

    /// DESIGN.md's example: Linear(4, 8) + ReLU + Linear(8, 2), 4 * 8 + 8 + 8 * 2 + 2 = 58 parameters.
    private static nn.Module<Tensor, Tensor> Mlp() => nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2));

    /// With batch normalisation, whose running statistics are buffers that training changes.
    private static nn.Module<Tensor, Tensor> MlpWithBatchNorm() => nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 2));

    private static (Tensor x, Tensor y) Data(int n = 32)
    {
        var generator = new torch.Generator(7);
        var x = randn([n, 4], generator: generator);
        return (x, x.sum(1, keepdim: true) * 0.5f);
    }

    private static Dictionary<string, float[]> State(nn.Module module) =>
        module.state_dict().ToDictionary(kv => kv.Key, kv => Values(kv.Value));

    /// A factory name no other test uses (the registry is process-wide).
    private static string UniqueName(string stem) => $"{stem}_{Guid.NewGuid():N}";

    [Test]
    public void ParamCounts_AreTheModulesParameters_AndSummaryShowsThem()
    {
        var module = Mlp();
        var layer = new TorchModule(module, inputShape: [4]);
        var model = new SequentialModel(layer);

        Assert.That(layer.CountParams(), Is.EqualTo(58).And.EqualTo(module.parameters().Sum(p => p.numel())));
        Assert.That(layer.CountTrainableParams(), Is.EqualTo(58));
        Assert.That(layer.Weights, Has.Count.EqualTo(4));
        Assert.That(layer.OutputShape, Is.EqualTo(new long[] { 2 }));
        string row = model.Summary().Split('\n').Single(l => l.StartsWith("│ torch_module", StringComparison.Ordinal));
        Assert.That(row, Is.EqualTo("│ torch_module (TorchModule)      │ (None, 2)              │            58 │"));
        Assert.That(model.Summary(), Does.Contain("Total params: 58 (232.00 B)"));
    }

    [Test]
    public void BatchNormBuffers_AreNotCounted_AsKerasWrapperTracksOnlyParameters()
    {
        // Linear(4, 8) 40 + BatchNorm1d(8) weight and bias 16 + Linear(8, 2) 18; the 8 + 8 + 1 running values are not counted.
        var layer = new TorchModule(MlpWithBatchNorm(), inputShape: [4]);
        new SequentialModel(layer);

        Assert.That(layer.CountParams(), Is.EqualTo(74));
        Assert.That(layer.state_dict().Keys, Does.Contain("module.1.running_mean").And.Contain("module.1.num_batches_tracked"));
    }

    [Test]
    public void OutputShape_IsFoundByRunningTheModuleOnce_InEvaluationMode()
    {
        // A batch of one sample would make BatchNorm2d fail in training mode; the probe runs in evaluation mode and then
        // leaves the module in the mode it was in.
        var module = nn.Sequential(nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.MaxPool2d(2));
        module.train();
        var layer = new TorchModule(module, inputShape: [1, 10, 10]);
        var model = new SequentialModel(layer);

        Assert.That(layer.OutputShape, Is.EqualTo(new long[] { 4, 4, 4 }));
        Assert.That(module.training, Is.True);
        Assert.That(PredictShape(model, zeros(3, 1, 10, 10)), Is.EqualTo(new long[] { 3, 4, 4, 4 }));
    }

    [Test]
    public void OutputShape_Given_IsUsedWithoutRunningTheModule()
    {
        // An embedding takes integer indices: the float32 probe could not run it.
        var layer = new TorchModule(nn.Embedding(10, 3), inputShape: [5], outputShape: [5, 3]);
        new SequentialModel(layer);

        Assert.That(layer.OutputShape, Is.EqualTo(new long[] { 5, 3 }));
        Assert.That(layer.CountParams(), Is.EqualTo(30));
    }

    [Test]
    public void InputShapeTheModuleCannotTake_ThrowsArgumentException_NamingLayerAndShape()
    {
        var ex = Assert.Throws<ArgumentException>(() => new SequentialModel(new TorchModule(Mlp(), inputShape: [5], name: "mlp")));

        Assert.That(ex!.Message, Does.Contain("\"mlp\"").And.Contain("(None, 5)").And.Contain("outputShape"));
    }

    [Test]
    public void ProbeLargerThanItsLimit_IsRefusedBeforeAllocating()
    {
        var layer = new TorchModule(nn.ReLU(), name: "relu");

        var ex = Assert.Throws<ArgumentException>(() => layer.ComputeOutputShape([1 << 20, 1 << 20]));

        Assert.That(ex!.Message, Does.Contain("\"relu\"").And.Contain("(1048576, 1048576)").And.Contain("give outputShape").IgnoreCase);
    }

    [Test]
    public void Compile_PlacesTheModule_ItsParametersAreTheModels_AndFitUpdatesThem()
    {
        var module = Mlp();
        var model = new SequentialModel(new TorchModule(module, inputShape: [4]), new Dense(1));
        model.Compile(optimizer: "sgd", loss: "mse", device: "cpu");
        var before = State(module);

        Assert.That(module.parameters().All(p => model.parameters().Any(q => ReferenceEquals(p, q))), Is.True);
        Assert.That(module.parameters().All(p => model.TrainableWeights.Any(q => ReferenceEquals(p, q))), Is.True);
        var (x, y) = Data();
        model.Fit(x, y, epochs: 1, verbose: 0);

        Assert.That(module.parameters().All(p => p.device_type == DeviceType.CPU), Is.True);
        foreach (var (name, values) in State(module))
            Assert.That(values, Is.Not.EqualTo(before[name]), name);
    }

    [Test]
    public void TrainableFalse_FreezesTheModule_FitLeavesItBitIdentical()
    {
        var module = MlpWithBatchNorm();
        var wrapped = new TorchModule(module, inputShape: [4]);
        var head = new Dense(1);
        var model = new SequentialModel(wrapped, head);
        wrapped.Trainable = false;
        model.Compile(optimizer: "adam", loss: "mse");
        var before = State(module);
        var headBefore = Values(head.Kernel!);

        var (x, y) = Data();
        model.Fit(x, y, epochs: 2, batchSize: 8, verbose: 0);

        Assert.That(module.parameters().Any(p => p.requires_grad), Is.False);
        Assert.That(wrapped.CountTrainableParams(), Is.Zero);
        Assert.That(model.Summary(), Does.Contain("Non-trainable params: 74 "));
        // Parameters and running statistics alike: a frozen module runs in evaluation mode.
        foreach (var (name, values) in State(module))
            Assert.That(values, Is.EqualTo(before[name]), name);
        Assert.That(Values(head.Kernel!), Is.Not.EqualTo(headBefore));

        wrapped.Trainable = true;
        Assert.That(wrapped.CountTrainableParams(), Is.EqualTo(74));
    }

    [Test]
    public void ModuleFrozenBeforeWrapping_StaysFrozenWhenTheLayerIsUnfrozen()
    {
        var first = nn.Linear(4, 8);
        foreach (var p in first.parameters()) p.requires_grad = false;
        var layer = new TorchModule(nn.Sequential(first, nn.ReLU(), nn.Linear(8, 2)), inputShape: [4]);
        Assert.That(layer.CountTrainableParams(), Is.EqualTo(18));

        layer.Trainable = false;
        layer.Trainable = true;

        Assert.That(layer.CountTrainableParams(), Is.EqualTo(18));
        Assert.That(first.parameters().Any(p => p.requires_grad), Is.False);
    }

    [Test]
    public void SaveWeights_LoadWeights_IntoAFreshWrappedModel_GivesIdenticalPredictions()
    {
        var model = new SequentialModel(new TorchModule(MlpWithBatchNorm(), inputShape: [4]), new Dense(1));
        model.Compile(optimizer: "adam", loss: "mse");
        var (x, y) = Data();
        model.Fit(x, y, epochs: 2, batchSize: 8, verbose: 0);
        string path = PathTo("model.safetensors");
        model.SaveWeights(path);

        var fresh = new SequentialModel(new TorchModule(MlpWithBatchNorm(), inputShape: [4]), new Dense(1));
        Assert.That(Values(fresh.Predict(x, verbose: 0)), Is.Not.EqualTo(Values(model.Predict(x, verbose: 0))));
        fresh.LoadWeights(path);

        Assert.That(Values(fresh.Predict(x, verbose: 0)), Is.EqualTo(Values(model.Predict(x, verbose: 0))));
        Assert.That(Values(((TorchModule)fresh.Layers[0]).Module.state_dict()["1.running_var"]),
            Is.EqualTo(Values(((TorchModule)model.Layers[0]).Module.state_dict()["1.running_var"])));
    }

    [Test]
    public void BackupAndRestore_BacksUpAModelWithoutFactory_AndItsWeightsLoad()
    {
        var model = new SequentialModel(new TorchModule(Mlp(), inputShape: [4]), new Dense(1));
        model.Compile(optimizer: "adam", loss: "mse");
        var (x, y) = Data();
        var backup = new BackupAndRestore(PathTo("backup"), deleteCheckpoint: false);

        model.Fit(x, y, epochs: 1, verbose: 0, callbacks: [backup]);

        string file = backup.BackupFiles().Single();
        var fresh = new SequentialModel(new TorchModule(Mlp(), inputShape: [4]), new Dense(1));
        fresh.LoadWeights(file);
        Assert.That(Values(fresh.Predict(x, verbose: 0)), Is.EqualTo(Values(model.Predict(x, verbose: 0))));
    }

    [Test]
    public void Save_WithoutFactory_IsRefused_BeforeWritingAnything()
    {
        var model = new SequentialModel(new TorchModule(Mlp(), inputShape: [4], name: "backbone"), new Dense(1));
        string path = PathTo("model.seqmodel");

        var ex = Assert.Throws<InvalidOperationException>(() => model.Save(path));

        Assert.That(ex!.Message, Does.Contain("Layer \"backbone\" (TorchModule)")
            .And.Contain("TorchModule.Register(\"my_module\"")
            .And.Contain("factory: \"my_module\"")
            .And.Contain("model.SaveWeights(path)"));
        Assert.That(_folder.EnumerateFileSystemInfos(), Is.Empty);
    }

    [Test]
    public void Save_NamingAnUnregisteredFactory_IsRefused()
    {
        string name = UniqueName("never_registered");
        var model = new SequentialModel(new TorchModule(Mlp(), inputShape: [4], factory: name));

        var ex = Assert.Throws<InvalidOperationException>(() => model.Save(PathTo("model.seqmodel")));

        Assert.That(ex!.Message, Does.Contain($"names the module factory \"{name}\"").And.Contain($"TorchModule.Register(\"{name}\""));
        Assert.That(_folder.EnumerateFileSystemInfos(), Is.Empty);
    }

    [Test]
    public void Save_WhenTheFactoryMakesAnotherArchitecture_IsRefused()
    {
        string name = UniqueName("other_mlp");
        TorchModule.Register(name, () => nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 2)));
        var model = new SequentialModel(new TorchModule(Mlp(), inputShape: [4], factory: name));

        var ex = Assert.Throws<InvalidOperationException>(() => model.Save(PathTo("model.seqmodel")));

        Assert.That(ex!.Message, Does.Contain("\"0.weight\" has shape (8, 4) here but has shape (16, 4) from the factory"));
        Assert.That(_folder.EnumerateFileSystemInfos(), Is.Empty);
    }

    [Test]
    public void SaveAndLoad_WithARegisteredFactory_GivesIdenticalPredictions()
    {
        string name = UniqueName("mlp");
        TorchModule.Register(name, MlpWithBatchNorm);
        var model = new SequentialModel(new TorchModule(name, inputShape: [4]), new Dense(1));
        model.Compile(optimizer: "adam", loss: "mse", metrics: ["mae"]);
        var (x, y) = Data();
        model.Fit(x, y, epochs: 2, batchSize: 8, verbose: 0);

        var loaded = SavedModels.AssertRoundTrips(model, x);

        var layer = (TorchModule)loaded.Layers[0];
        Assert.That(layer.Factory, Is.EqualTo(name));
        Assert.That(layer.Module, Is.Not.SameAs(((TorchModule)model.Layers[0]).Module));
        Assert.That(loaded.IsCompiled, Is.True);
    }

    [Test]
    public void Load_NamingAnUnregisteredFactory_ThrowsInvalidDataException_NamingFileFactoryAndFix()
    {
        string path = SavedWithFactory(UniqueName("saved"));
        string missing = UniqueName("missing");
        ModelFileEdits.RewriteJson(path, "config.json", c => c["model"]!["layers"]![0]!["config"]!["factory"] = missing);

        var ex = Assert.Throws<InvalidDataException>(() => SequentialModel.Load(path));

        Assert.That(ex!.Message, Does.Contain(path).And.Contain($"\"{missing}\"").And.Contain($"TorchModule.Register(\"{missing}\""));
    }

    [Test]
    public void Load_OfAFileNamingNoFactory_ThrowsInvalidDataException_PointingToLoadWeights()
    {
        // What a BackupAndRestore backup of a model whose TorchModule has no factory holds.
        string path = SavedWithFactory(UniqueName("saved"));
        ModelFileEdits.RewriteJson(path, "config.json", c => c["model"]!["layers"]![0]!["config"]!["factory"] = null);

        var ex = Assert.Throws<InvalidDataException>(() => SequentialModel.Load(path));

        Assert.That(ex!.Message, Does.Contain(path).And.Contain("TorchModule.Register").And.Contain("LoadWeights"));
    }

    [Test]
    public void NewTorchModule_WithAnUnregisteredFactoryName_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new TorchModule("no_such_factory_" + Guid.NewGuid().ToString("N")));
        Assert.That(ex!.Message, Does.Contain("No module factory is registered").And.Contain("TorchModule.Register("));
    }

    private string SavedWithFactory(string name)
    {
        TorchModule.Register(name, Mlp);
        var model = new SequentialModel(new TorchModule(name, inputShape: [4]), new Dense(1));
        string path = PathTo("model.seqmodel");
        model.Save(path);
        return path;
    }
}
