using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>Arithmetic shared by the metrics computed from counts (confusion histograms, IoU, F-scores).</summary>
internal static class ConfusionMath
{
    /// <summary>Keras's <c>divide_no_nan</c>: a / b, and 0 where b is 0.</summary>
    internal static Tensor DivideNoNan(Tensor a, Tensor b)
    {
        var zero = b.eq(0);
        return where(zero, zeros_like(a), a / where(zero, ones_like(b), b));
    }
}
