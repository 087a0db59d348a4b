using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Layers.Tests;

/// Small helpers shared by the layer tests.
internal static class TestModels
{
    /// Runs Predict silently and returns the output's shape.
    public static long[] PredictShape(SequentialModel model, Tensor x) => model.Predict(x, verbose: 0).shape;

    public static float[] Values(Tensor t) => t.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
}
