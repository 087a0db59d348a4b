using Sequential.Layers;
using Sequential.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Callbacks;

/// Tiny models and scripted logs for driving callbacks.
internal static class CallbackTestModels
{
    /// y = k * x with one weight k = 1, no bias, MSE, plain SGD: every number in a test can be computed by hand.
    public static SequentialModel Linear(double learningRate = 0.01)
    {
        var model = new SequentialModel(new Dense(1, useBias: false, kernelInitializer: "ones", inputShape: [1]));
        model.Compile(optimizer: new SGD(learningRate: learningRate), loss: "mse", device: "cpu");
        return model;
    }

    public static double Kernel(SequentialModel model) =>
        model.parameters().Single().to_type(ScalarType.Float64).item<double>();

    public static void SetKernel(SequentialModel model, double value)
    {
        using var noGrad = no_grad();
        model.parameters().Single().fill_(value);
    }

    public static Dictionary<string, double> Logs(params (string key, double value)[] entries) =>
        entries.ToDictionary(e => e.key, e => e.value);

    /// x = 1..n as [n, 1], y = 2x as [n]: a regression the linear model can learn.
    public static (Tensor x, Tensor y) Line(int n)
    {
        var x = arange(1, n + 1, ScalarType.Float32).reshape(n, 1);
        return (x, (x * 2).reshape(n));
    }
}
