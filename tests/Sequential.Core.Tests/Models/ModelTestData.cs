using Sequential.Callbacks;
using Sequential.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Models;

/// <summary>Small synthetic data and models shared by the model and training-loop tests.</summary>
internal static class ModelTestData
{
    /// <summary>
    /// Two linearly separable Gaussian blobs in 2-D: class 0 around (-2, -2), class 1 around (2, 2), spread 0.5,
    /// classes alternating so that any slice holds both.
    /// </summary>
    public static (Tensor x, Tensor y) Blobs(int n, int seed = 0)
    {
        var random = new Random(seed);
        var x = new float[n * 2];
        var y = new long[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % 2;
            float center = y[i] == 0 ? -2f : 2f;
            x[2 * i] = center + (float)(Gaussian(random) * 0.5);
            x[2 * i + 1] = center + (float)(Gaussian(random) * 0.5);
        }
        return (tensor(x, [n, 2]), tensor(y, [n]));
    }

    /// <summary>The tutorial MLP of the Keras beginner MNIST tutorial.</summary>
    public static SequentialModel TutorialMlp() => new(
        new Flatten(inputShape: [28, 28]),
        new Dense(128, activation: "relu"),
        new Dropout(0.2),
        new Dense(10));

    /// <summary>A Dense(2) classifier on 2 features with the given kernel [2, 2] (out, in) and bias.</summary>
    public static (SequentialModel model, Dense dense) FixedLinear(float[] kernel, float[] bias)
    {
        var dense = new Dense(2, inputShape: [2]);
        var model = new SequentialModel(dense);
        using (no_grad())
        {
            dense.Kernel!.copy_(tensor(kernel, [2, 2]));
            dense.Bias!.copy_(tensor(bias, [2]));
        }
        return (model, dense);
    }

    /// <summary>Sparse softmax cross-entropy of logits W x + b, averaged over samples, computed in doubles.</summary>
    public static double HandCrossEntropy(float[] kernel, float[] bias, float[] x, long[] y)
    {
        int n = y.Length;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            var logits = Logits(kernel, bias, x[2 * i], x[2 * i + 1]);
            double max = Math.Max(logits[0], logits[1]);
            double logSumExp = max + Math.Log(Math.Exp(logits[0] - max) + Math.Exp(logits[1] - max));
            total += logSumExp - logits[y[i]];
        }
        return total / n;
    }

    /// <summary>Logits [2] of one 2-feature sample.</summary>
    public static double[] Logits(float[] kernel, float[] bias, double x0, double x1) =>
    [
        kernel[0] * x0 + kernel[1] * x1 + bias[0],
        kernel[2] * x0 + kernel[3] * x1 + bias[1],
    ];

    private static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

/// <summary>Records every hook as a short string, and what the hooks saw.</summary>
internal sealed class RecordingCallback : Callback
{
    public List<string> Calls { get; } = [];
    public List<double> BatchLosses { get; } = [];
    public List<Model?> ModelsSeen { get; } = [];
    public List<IReadOnlyDictionary<string, object?>> ParamsSeen { get; } = [];

    public override void OnTrainBegin(IReadOnlyDictionary<string, double> logs)
    {
        Calls.Add("train_begin");
        ModelsSeen.Add(Model);
        ParamsSeen.Add(Params);
    }

    public override void OnTrainEnd(IReadOnlyDictionary<string, double> logs) => Calls.Add("train_end");
    public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, double> logs) => Calls.Add($"epoch_begin {epoch}");
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs) => Calls.Add($"epoch_end {epoch}");
    public override void OnTrainBatchBegin(int batch, IReadOnlyDictionary<string, double> logs) => Calls.Add($"batch_begin {batch}");

    public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs)
    {
        Calls.Add($"batch_end {batch}");
        BatchLosses.Add(logs["loss"]);
    }

    public override void OnTestBegin(IReadOnlyDictionary<string, double> logs)
    {
        Calls.Add("test_begin");
        ParamsSeen.Add(Params);
    }

    public override void OnTestEnd(IReadOnlyDictionary<string, double> logs) => Calls.Add("test_end");
    public override void OnTestBatchBegin(int batch, IReadOnlyDictionary<string, double> logs) => Calls.Add($"test_batch_begin {batch}");
    public override void OnTestBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) => Calls.Add($"test_batch_end {batch}");

    public override void OnPredictBegin(IReadOnlyDictionary<string, double> logs)
    {
        Calls.Add("predict_begin");
        ParamsSeen.Add(Params);
    }

    public override void OnPredictEnd(IReadOnlyDictionary<string, double> logs) => Calls.Add("predict_end");
    public override void OnPredictBatchBegin(int batch, IReadOnlyDictionary<string, double> logs) => Calls.Add($"predict_batch_begin {batch}");
    public override void OnPredictBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) => Calls.Add($"predict_batch_end {batch}");

    public int Count(string call) => Calls.Count(c => c == call);
    public int CountPrefix(string prefix) => Calls.Count(c => c.StartsWith(prefix, StringComparison.Ordinal));
}
