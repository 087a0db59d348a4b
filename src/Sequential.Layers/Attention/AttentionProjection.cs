using Sequential.Initializers;
using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// One projection of <see cref="MultiHeadAttention"/>, with the weights of the Keras <c>EinsumDense</c> that Keras's
/// layer builds (<c>_build_proj_equation</c>): the input's last <c>boundDims</c> axes are contracted with the kernel's
/// first axes and the kernel's remaining axes are appended, e.g. <c>abc,cde->abde</c>: input <c>(B, T, F)</c>, kernel
/// <c>(F, heads, keyDim)</c>, bias <c>(heads, keyDim)</c>, output <c>(B, T, heads, keyDim)</c>. Computed as one matrix
/// product over the flattened axes (what the einsum is), in Keras's kernel layout so that weights and parameter counts
/// are Keras's.
/// </summary>
internal sealed class AttentionProjection : Layer
{
    private readonly int _boundDims;
    private readonly long[] _outputDims;
    private readonly bool _useBias;
    private readonly Initializer _kernelInitializer, _biasInitializer;

    /// <summary>Creates a projection.</summary>
    /// <param name="name">Keras's sublayer name: <c>query</c>, <c>key</c>, <c>value</c> or <c>attention_output</c>.</param>
    /// <param name="boundDims">How many trailing input axes are contracted.</param>
    /// <param name="outputDims">The sizes appended in their place.</param>
    /// <param name="useBias">Whether a bias over the output axes is added.</param>
    /// <param name="kernelInitializer">Kernel initializer.</param>
    /// <param name="biasInitializer">Bias initializer.</param>
    public AttentionProjection(string name, int boundDims, long[] outputDims, bool useBias, Initializer kernelInitializer,
        Initializer biasInitializer) : base(name)
    {
        _boundDims = boundDims;
        _outputDims = outputDims;
        _useBias = useBias;
        _kernelInitializer = kernelInitializer;
        _biasInitializer = biasInitializer;
    }

    /// <inheritdoc/>
    public override string TypeName => "EinsumDense";

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) => [.. inputShape[..^_boundDims], .. _outputDims];

    /// <inheritdoc/>
    public override void Build(long[] inputShape)
    {
        // Keras's add_weight fans for these shapes (Layer.AddWeight computes them the same way).
        AddWeight([.. inputShape[^_boundDims..], .. _outputDims], _kernelInitializer, name: "kernel");
        if (_useBias) AddWeight(_outputDims, _biasInitializer, name: "bias");
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        var kernel = InComputeDtype(get_parameter("kernel")!);
        long bound = 1, outputs = 1;
        for (int i = 0; i < _boundDims; i++) bound *= kernel.shape[i];
        foreach (var d in _outputDims) outputs *= d;
        long[] free = x.shape[..^_boundDims];
        var y = x.reshape(-1, bound).matmul(kernel.reshape(bound, outputs));
        if (_useBias) y = y.add(InComputeDtype(get_parameter("bias")!).reshape(outputs));
        return y.reshape([.. free, .. _outputDims]);
    }
}
