using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Takes the maximum over each window of steps, per channel (Keras's <c>MaxPooling1D</c>). With "same" padding the
/// padded steps never win, as in TensorFlow.
/// </summary>
/// <example><code>new MaxPooling1D(5)   // (None, 500, 128) -> (None, 100, 128)</code></example>
public sealed class MaxPooling1D : Pooling1D
{
    /// <summary>Creates a MaxPooling1D layer.</summary>
    /// <param name="poolSize">Window length; default 2.</param>
    /// <param name="strides">Step; default <paramref name="poolSize"/>.</param>
    /// <param name="padding">"valid" or "same", case-insensitive.</param>
    /// <param name="dataFormat">"channels_last" (default) or "channels_first".</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default max_pooling1d, max_pooling1d_1, ...</param>
    public MaxPooling1D(int poolSize = 2, int? strides = null, string padding = "valid", string dataFormat = "channels_last",
        long[]? inputShape = null, string? name = null)
        : base(poolSize, strides, padding, dataFormat, inputShape, name)
    {
    }

    private protected override Tensor Pool(Tensor nchw, (int, int) poolSize, (int, int) strides, Padding2D padding) =>
        ConvArithmetic.MaxPool2d(nchw, poolSize, strides, padding);
}
