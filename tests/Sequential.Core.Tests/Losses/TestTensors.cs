using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Core.Tests.Losses;

/// Small helpers shared by the loss and metric tests.
internal static class TestTensors
{
    public static Tensor F(float[] data, params long[] shape) => tensor(data).reshape(shape);

    public static Tensor L(long[] data, params long[] shape) => tensor(data).reshape(shape);

    public static double Value(Tensor t) => t.to_type(ScalarType.Float64).item<double>();
}
