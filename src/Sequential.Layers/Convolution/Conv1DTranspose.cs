using Sequential.Initializers;
using Sequential.Activations;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// The transposed 1-D convolution (Keras's <c>Conv1DTranspose</c>), for upsampling sequences: the output length is
/// Keras's (<c>(steps - 1) * strides + kernel</c> for "valid", <c>steps * strides</c> for "same", plus
/// <c>outputPadding</c>). It runs as a <see cref="Conv2DTranspose"/> on sequences viewed as images one row high, which is
/// checked against Keras's whole kernel x stride x padding x outputPadding grid, so the arithmetic is shared.
/// </summary>
/// <example><code>// Keras: layers.Conv1DTranspose(32, 3, strides=2, padding="same")
/// new Conv1DTranspose(32, 3, strides: 2, padding: "same")   // (None, 10, 8) -> (None, 20, 32)</code></example>
public sealed class Conv1DTranspose : Layer
{
    private readonly Conv2DTranspose _conv;
    private readonly bool _channelsFirst;

    /// <summary>Creates a Conv1DTranspose layer.</summary>
    /// <param name="filters">Output channels.</param>
    /// <param name="kernelSize">Kernel length.</param>
    /// <param name="strides">Upsampling factor.</param>
    /// <param name="padding">"valid" or "same".</param>
    /// <param name="outputPadding">Extra steps at the end (less than strides), or null for Keras's default.</param>
    /// <param name="dataFormat">"channels_last" (default: (steps, channels)) or "channels_first".</param>
    /// <param name="dilationRate">Dilation of the kernel.</param>
    /// <param name="activation">Activation (a Keras name, an ActivationFunction or a Func&lt;Tensor, Tensor&gt;), or null for none.</param>
    /// <param name="useBias">Whether a bias is added.</param>
    /// <param name="kernelInitializer">Initializer (an Initializer object or its Keras name; null for the default) of the kernel.</param>
    /// <param name="biasInitializer">Initializer (an Initializer object or its Keras name; null for the default) of the bias.</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default conv1d_transpose.</param>
    /// <exception cref="ArgumentException">A non-positive size, an unknown padding or name, or an outputPadding not below strides.</exception>
    public Conv1DTranspose(int filters, int kernelSize, int strides = 1, string padding = "valid", int? outputPadding = null,
        string dataFormat = "channels_last", int dilationRate = 1, ActivationFunction? activation = null, bool useBias = true,
        Initializer? kernelInitializer = null, Initializer? biasInitializer = null, long[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        _conv = new Conv2DTranspose(filters, (1, kernelSize), (1, strides), padding, outputPadding is int p ? (0, p) : null, dataFormat,
            (1, dilationRate), activation, useBias, kernelInitializer, biasInitializer, name: "conv");
        Filters = filters;
        KernelSize = kernelSize;
        Strides = strides;
        Padding = _conv.Padding;
        OutputPadding = outputPadding;
        DataFormat = _conv.DataFormat;
        DilationRate = dilationRate;
        Activation = _conv.Activation;
        UseBias = useBias;
        KernelInitializer = _conv.KernelInitializer;
        BiasInitializer = _conv.BiasInitializer;
        _channelsFirst = DataFormat == "channels_first";
    }

    /// <summary>Output channels.</summary>
    public int Filters { get; }

    /// <summary>Kernel length.</summary>
    public int KernelSize { get; }

    /// <summary>Upsampling factor.</summary>
    public int Strides { get; }

    /// <summary>"valid" or "same".</summary>
    public string Padding { get; }

    /// <summary>Extra steps at the end, or null.</summary>
    public int? OutputPadding { get; }

    /// <summary>"channels_last" or "channels_first".</summary>
    public string DataFormat { get; }

    /// <summary>Dilation of the kernel.</summary>
    public int DilationRate { get; }

    /// <summary>The activation applied to the output.</summary>
    public ActivationFunction Activation { get; }

    /// <summary>Whether a bias is added.</summary>
    public bool UseBias { get; }

    /// <summary>Kernel initializer.</summary>
    public Initializer KernelInitializer { get; }

    /// <summary>Bias initializer.</summary>
    public Initializer BiasInitializer { get; }

    /// <summary>The kernel, <c>[channels, filters, 1, kernelSize]</c> (libtorch's layout), once built.</summary>
    public Parameter? Kernel => _conv.Kernel;

    /// <summary>A sequence shape as the one-row image the inner layer takes.</summary>
    private long[] AsImage(long[] shape)
    {
        if (shape.Length != 2)
            throw new ArgumentException(
                $"Layer \"{Name}\" (Conv1DTranspose) expects sequences of shape (None, steps, channels) ({DataFormat}); got {Shapes.FormatBatch(shape)}.");
        return _channelsFirst ? [shape[0], 1, shape[1]] : [1, shape[0], shape[1]];
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        var image = _conv.ComputeOutputShape(AsImage(inputShape));
        return _channelsFirst ? [image[0], image[2]] : [image[1], image[2]];
    }

    /// <inheritdoc/>
    public override void Build(long[] inputShape) => _conv.EnsureBuilt(AsImage(inputShape)); // registered as a field sublayer

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        var image = _conv.Call(x.unsqueeze(_channelsFirst ? 2 : 1), training);
        return image.squeeze(_channelsFirst ? 2 : 1);
    }
}
