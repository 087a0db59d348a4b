using Sequential.Activations;
using Sequential.Initializers;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sequential.Layers;

/// <summary>
/// A densely-connected layer, <c>output = activation(dot(input, kernel) + bias)</c> (Keras's <c>Dense</c>).
/// Applied to the last axis of inputs of any rank.
/// </summary>
/// <example>
/// <code>
/// new Dense(128, activation: "relu")      // on 784 inputs: 784 * 128 + 128 = 100,480 parameters
/// </code>
/// </example>
public sealed class Dense : Layer
{
    /// <summary>True: the input's mask passes on to the output (Keras's <c>supports_masking</c>).</summary>
    public override bool SupportsMasking => true;

    /// <summary>Creates a Dense layer.</summary>
    /// <param name="units">Output size (positive).</param>
    /// <param name="activation">Activation: a Keras name, an ActivationFunction (e.g. ActivationFunction.Relu(maxValue: 6)) or a Func&lt;Tensor, Tensor&gt;; null or "linear" for none.</param>
    /// <param name="useBias">Whether to add a bias vector.</param>
    /// <param name="kernelInitializer">Kernel initializer (an Initializer object or its Keras name; null for the default) (Keras default glorot_uniform).</param>
    /// <param name="biasInitializer">Bias initializer (an Initializer object or its Keras name; null for the default) (default zeros).</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default dense, dense_1, ...</param>
    public Dense(int units, ActivationFunction? activation = null, bool useBias = true, Initializer? kernelInitializer = null,
        Initializer? biasInitializer = null, long[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        if (units <= 0)
            throw new ArgumentOutOfRangeException(nameof(units), units, $"Dense units must be a positive integer; got {units}.");
        Units = units;
        Activation = activation ?? "linear";
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? "glorot_uniform";
        BiasInitializer = biasInitializer ?? "zeros";
    }

    /// <summary>Output size.</summary>
    public int Units { get; }

    /// <summary>The activation applied to the output.</summary>
    public ActivationFunction Activation { get; }

    /// <summary>Whether a bias is added.</summary>
    public bool UseBias { get; }

    /// <summary>Kernel initializer.</summary>
    public Initializer KernelInitializer { get; }

    /// <summary>Bias initializer.</summary>
    public Initializer BiasInitializer { get; }

    // Weights are looked up by name, not kept in fields: moving a model to another device replaces the
    // registered tensors, and a field would keep pointing at the old (disposed) one.

    /// <summary>The kernel, stored as TorchSharp's Linear weight <c>[units, inputs]</c> (Keras stores its transpose).</summary>
    public Parameter? Kernel => Built ? get_parameter("kernel") : null;

    /// <summary>The bias <c>[units]</c>, or null.</summary>
    public Parameter? Bias => Built && UseBias ? get_parameter("bias") : null;

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        if (inputShape.Length == 0)
            throw new ArgumentException($"Layer \"{Name}\" (Dense) needs inputs with at least one axis per sample; got a scalar per sample.");
        return Activation.ComputeOutputShape([.. inputShape[..^1], Units]);   // glu halves its axis
    }

    /// <inheritdoc/>
    public override void Build(long[] inputShape)
    {
        long inputs = inputShape[^1];
        AddWeight("kernel", [Units, inputs], KernelInitializer, inputs, Units);
        if (UseBias) AddWeight("bias", [Units], BiasInitializer, inputs, Units);
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        var y = F.linear(x, InComputeDtype(get_parameter("kernel")!), UseBias ? InComputeDtype(get_parameter("bias")) : null);
        return Activation.IsLinear ? y : Activation.Call(y);
    }
}
