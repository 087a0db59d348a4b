using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Averages each window of steps, per channel (Keras's <c>AveragePooling1D</c>). With "same" padding the padded steps
/// are not counted in the average, as in TensorFlow.
/// </summary>
/// <example><code>new AveragePooling1D(2)   // (None, 100, 64) -> (None, 50, 64)</code></example>
public sealed class AveragePooling1D : Pooling1D
{
    /// <summary>Creates an AveragePooling1D layer.</summary>
    /// <param name="poolSize">Window length; default 2.</param>
    /// <param name="strides">Step; default <paramref name="poolSize"/>.</param>
    /// <param name="padding">"valid" or "same", case-insensitive.</param>
    /// <param name="dataFormat">"channels_last" (default) or "channels_first".</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default average_pooling1d, average_pooling1d_1, ...</param>
    public AveragePooling1D(int poolSize = 2, int? strides = null, string padding = "valid", string dataFormat = "channels_last",
        long[]? inputShape = null, string? name = null)
        : base(poolSize, strides, padding, dataFormat, inputShape, name)
    {
    }

    private protected override Tensor Pool(Tensor nchw, (int, int) poolSize, (int, int) strides, Padding2D padding) =>
        ConvArithmetic.AvgPool2d(nchw, poolSize, strides, padding);
}
