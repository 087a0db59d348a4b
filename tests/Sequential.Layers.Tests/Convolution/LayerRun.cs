using static TorchSharp.torch;

namespace Sequential.Layers.Tests;

/// <summary>Builds a layer for a batch and runs it in training or inference mode.</summary>
internal static class LayerRun
{
    public static Tensor Run(Layer layer, Tensor x, bool training = false)
    {
        layer.EnsureBuilt(x.shape[1..]);
        if (training) layer.train(); else layer.eval();
        using var _ = no_grad();
        return layer.forward(x);
    }

    public static float[] Values(Tensor t) => t.contiguous().data<float>().ToArray();
}
