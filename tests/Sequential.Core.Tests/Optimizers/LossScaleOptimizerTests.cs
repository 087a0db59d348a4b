using Sequential.Callbacks;
using Sequential.Core.Tests.Persistence;
using Sequential.Layers;
using Sequential.Losses;
using Sequential.Optimizers;
using Adam = Sequential.Optimizers.Adam;
using Parameter = TorchSharp.Modules.Parameter;
using SGD = Sequential.Optimizers.SGD;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Optimizers;

/// Keras's keras/src/optimizers/loss_scale_optimizer_test.py (stateful cases), and float16 training with it.
public class LossScaleOptimizerTests
{
    private static Parameter Variable() => new(tensor(new[] { 1f, 2f, 3f, 4f }));

    private static float[] Values(Tensor t) => t.detach().data<float>().ToArray();

    [Test]
    public void FiniteStep_FromKeras_UnscalesTheGradients()
    {
        var optimizer = new LossScaleOptimizer(new SGD(learningRate: 0.5));
        var v = Variable();
        optimizer.Apply([tensor(new[] { 1f, 6f, 7f, 2f }) * optimizer.InitialScale], [v]);
        Assert.That(Values(v), Is.EqualTo(new[] { 0.5f, -1f, -0.5f, 3f }).Within(1e-4));
    }

    [Test]
    public void InfiniteStep_FromKeras_LeavesTheVariables()
    {
        var optimizer = new LossScaleOptimizer(new SGD(learningRate: 0.5));
        var v = Variable();
        optimizer.Apply([full(4, float.PositiveInfinity)], [v]);
        Assert.That(Values(v), Is.EqualTo(new[] { 1f, 2f, 3f, 4f }));
        Assert.That(optimizer.DynamicScale, Is.EqualTo(16384.0));
    }

    [Test]
    public void Downscaling_FromKeras()
    {
        var optimizer = new LossScaleOptimizer(new SGD(learningRate: 0.5), initialScale: 400.0);
        var v = Variable();
        for (int i = 0; i < 4; i++) optimizer.Apply([full(4, float.PositiveInfinity)], [v]);
        Assert.That(optimizer.ScaleLoss(tensor(1f)).item<float>(), Is.EqualTo(25f));
    }

    [Test]
    public void Upscaling_FromKeras()
    {
        var optimizer = new LossScaleOptimizer(new SGD(learningRate: 0.5), initialScale: 2.0, dynamicGrowthSteps: 2);
        var v = Variable();
        for (int i = 0; i < 8; i++) optimizer.Apply([tensor(new[] { 1f, 6f, 7f, 2f })], [v]);
        Assert.That(optimizer.ScaleLoss(tensor(1f)).item<float>(), Is.EqualTo(32f));
    }

    [Test]
    public void IterationsUpdate_FromKeras_CountsTheInnerSteps()
    {
        var optimizer = new LossScaleOptimizer(new SGD(learningRate: 0.5));
        var v = Variable();
        Assert.That(optimizer.Iterations, Is.EqualTo(0));
        for (int i = 0; i < 3; i++)
        {
            optimizer.Apply([tensor(new[] { 1f, 6f, 7f, 2f })], [v]);
            Assert.That(optimizer.Iterations, Is.EqualTo(i + 1));
        }
        optimizer.Apply([full(4, float.NaN)], [v]);
        Assert.That(optimizer.Iterations, Is.EqualTo(3), "a skipped step is not counted");
    }

    [Test]
    public void BadArguments_AreRefused()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new LossScaleOptimizer(new SGD(), initialScale: 0))!.Message,
            Does.StartWith("initialScale must be a positive finite number; got 0."));
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new LossScaleOptimizer(new LossScaleOptimizer(new SGD())))!.Message,
            Does.StartWith("The inner optimizer is already a LossScaleOptimizer"));
    }

    private sealed class Linear : Layer
    {
        public override long[] ComputeOutputShape(long[] inputShape) => [1];
        public override void Build(long[] inputShape) => AddWeight([inputShape[^1], 1], "ones", name: "kernel");
        public override Tensor Call(Tensor x, bool training) => x.matmul(InComputeDtype(get_parameter("kernel")!));
    }

    [Test]
    public void Float16Training_ScalesTheLoss_AndStepsLikeFloat32()
    {
        // One SGD step on a float16 linear model: the gradient of the scaled loss, unscaled, is the float32 gradient
        // (to float16's precision), and the weights stay float32.
        var x = tensor(new float[,] { { 1, 2 }, { 3, 4 } });
        var y = tensor(new float[,] { { 1 }, { 2 } });
        SequentialModel Make(Optimizer optimizer, string policy)
        {
            var model = new SequentialModel(new Linear { DtypePolicy = policy });
            model.Compile(optimizer: optimizer, loss: "mse");
            return model;
        }
        var exact = Make(new SGD(learningRate: 0.01), "float32");
        var scaled = new LossScaleOptimizer(new SGD(learningRate: 0.01), initialScale: 1024);
        var half = Make(scaled, "mixed_float16");
        exact.Fit(x, y, batchSize: 2, epochs: 1, shuffle: false, verbose: 0);
        half.Fit(x, y, batchSize: 2, epochs: 1, shuffle: false, verbose: 0);
        Assert.That(half.Weights[0].dtype, Is.EqualTo(ScalarType.Float32));
        Assert.That(Values(half.Weights[0]), Is.EqualTo(Values(exact.Weights[0])).Within(1e-3));
        Assert.That(half.Optimizer!.Iterations, Is.EqualTo(1));
    }

    // ---------------------------------------------------------------- saving (Keras: get_config with inner_optimizer,
    // initial_scale and dynamic_growth_steps; the scale and step counter are optimizer variables)

    private static (Tensor x, Tensor y) Line()
    {
        using var generator = new Generator(5);
        var x = randn([8, 2], generator: generator);
        return (x, x.sum(1, keepdim: true) * 0.5f + 0.25f);
    }

    /// <summary>A float16 MLP with LossScaleOptimizer(Adam); growth every 2 finite steps, so that 3 steps leave the scale
    /// doubled once and the counter at 1, and a 4th doubles it again only if the counter came back.</summary>
    private static SequentialModel HalfMlp()
    {
        RandomSeed.Set(11);
        var model = new SequentialModel(new Dense(4, activation: "tanh", inputShape: [2]) { DtypePolicy = "mixed_float16" },
            new Dense(1) { DtypePolicy = "mixed_float16" });
        model.Compile(optimizer: new LossScaleOptimizer(new Adam(learningRate: 0.05), initialScale: 256, dynamicGrowthSteps: 2), loss: "mse",
            device: "cpu");
        return model;
    }

    [Test]
    public void SavedAndLoaded_ResumesWithTheSameScaleCounterAndAdamMoments_AsIfNeverSaved()
    {
        string dir = TestModels.TempDir();
        try
        {
            var (x, y) = Line();
            var straight = HalfMlp();
            for (int i = 0; i < 4; i++) straight.TrainOnBatch(x, y);
            var saved = HalfMlp();
            for (int i = 0; i < 3; i++) saved.TrainOnBatch(x, y);
            string path = Path.Combine(dir, "half.seqmodel");
            saved.Save(path);

            var loaded = SequentialModel.Load(path);

            var optimizer = (LossScaleOptimizer)loaded.Optimizer!;
            Assert.That(optimizer.InnerOptimizer, Is.TypeOf<Adam>());
            Assert.That(optimizer.InnerOptimizer.LearningRate, Is.EqualTo(0.05));
            Assert.That((optimizer.InitialScale, optimizer.DynamicGrowthSteps), Is.EqualTo((256.0, 2)));
            Assert.That((optimizer.DynamicScale, optimizer.StepCounter, optimizer.Iterations), Is.EqualTo((512.0, 1L, 3L)));
            loaded.TrainOnBatch(x, y);
            Assert.That(optimizer.DynamicScale, Is.EqualTo(((LossScaleOptimizer)straight.Optimizer!).DynamicScale).And.EqualTo(1024.0));
            var expected = TestModels.Weights(straight);
            var actual = TestModels.Weights(loaded);
            foreach (var key in expected.Keys) Assert.That(actual[key], Is.EqualTo(expected[key]), key);
            Assert.That(loaded.Layers[0].DtypePolicy.Name, Is.EqualTo("mixed_float16"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void Config_IsKeras_InnerOptimizerNested()
    {
        var optimizer = new LossScaleOptimizer(new SGD(learningRate: 0.5, momentum: 0.25), initialScale: 64, dynamicGrowthSteps: 7);
        var json = Sequential.Persistence.ModelFile.ConfigObject(optimizer.GetConfig()).ToJsonString();
        Assert.That(json, Does.StartWith("{\"inner_optimizer\":{\"class_name\":\"SGD\",\"config\":{\"learning_rate\":0.5,"));
        Assert.That(json, Does.EndWith("},\"initial_scale\":64,\"dynamic_growth_steps\":7}"));
        var back = (LossScaleOptimizer)OptimizerRegistry.FromConfig("LossScaleOptimizer", optimizer.GetConfig());
        Assert.That(((SGD)back.InnerOptimizer).Momentum, Is.EqualTo(0.25));
        Assert.That((back.InitialScale, back.DynamicGrowthSteps), Is.EqualTo((64.0, 7)));
    }

    [TestCase("dynamic_scale", "inf", "the saved dynamic_scale 'inf' of the LossScaleOptimizer is not a positive finite number")]
    [TestCase("step_counter", "2", "the saved step_counter '2' of the LossScaleOptimizer is not an integer in [0, 2) (dynamic_growth_steps is 2)")]
    [TestCase("dynamic_scale", null, "the saved state of the LossScaleOptimizer lacks its dynamic_scale or step_counter")]
    public void ACorruptedScaleOrCounter_IsRefusedByLoad_NamingTheFile(string key, string? value, string message)
    {
        string dir = TestModels.TempDir();
        try
        {
            var (x, y) = Line();
            var model = HalfMlp();
            model.TrainOnBatch(x, y);
            string path = Path.Combine(dir, "half.seqmodel");
            model.Save(path);
            var state = ModelFileEdits.ReadEntry(path, "optimizer.safetensors");
            var (tensors, metadata) = Sequential.Persistence.SafeTensors.Read(state, "test");
            var edited = metadata.ToDictionary(kv => kv.Key, kv => kv.Value);
            if (value is null) edited.Remove(key);
            else edited[key] = value;
            ModelFileEdits.WriteEntry(path, "optimizer.safetensors",
                Sequential.Persistence.SafeTensors.Write(tensors.Select(t => (t.entry.Name, t.tensor)), edited));

            var e = Assert.Throws<InvalidDataException>(() => SequentialModel.Load(path));

            Assert.That(e!.Message, Does.Contain($"'{path}'").And.Contain(message));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void BackupAndRestore_ResumesAFloat16RunExactly()
    {
        string dir = TestModels.TempDir();
        try
        {
            var (x, y) = Line();
            SequentialModel Run(string? backup, int? crashAt)
            {
                var model = HalfMlp();
                var callbacks = new List<Callback>();
                if (backup is not null) callbacks.Add(new BackupAndRestore(backup, saveFreq: 1));
                if (crashAt is int at) callbacks.Add(new Crash(at));
                RandomSeed.Set(3);
                model.Fit(x, y, batchSize: 4, epochs: 3, verbose: 0, callbacks: callbacks);
                return model;
            }
            var expected = Run(null, null);
            string backup = Path.Combine(dir, "backup");
            Assert.Throws<IOException>(() => Run(backup, 5));     // batches 0-4 trained and backed up: scale doubled twice
            var resumed = Run(backup, null);

            var scales = (((LossScaleOptimizer)resumed.Optimizer!).DynamicScale, ((LossScaleOptimizer)resumed.Optimizer!).StepCounter);
            Assert.That(scales, Is.EqualTo((((LossScaleOptimizer)expected.Optimizer!).DynamicScale, ((LossScaleOptimizer)expected.Optimizer!).StepCounter)));
            Assert.That(resumed.Optimizer!.Iterations, Is.EqualTo(6));
            var want = TestModels.Weights(expected);
            var got = TestModels.Weights(resumed);
            foreach (var key in want.Keys) Assert.That(got[key], Is.EqualTo(want[key]), key);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Stops a run by throwing at a given global batch, as a crash would.</summary>
    private sealed class Crash(int atBatch) : Callback
    {
        private int _seen;

        public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs)
        {
            if (++_seen == atBatch) throw new IOException("simulated crash");
        }
    }
}
