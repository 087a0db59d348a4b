using Sequential.Initializers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Normalizes each sample over its last axis (or the given axes), Keras's <c>LayerNormalization</c>:
/// <c>(x - mean) / sqrt(variance + epsilon) * gamma + beta</c>, with the mean and the (population) variance taken per
/// sample over the axes, and <c>gamma</c>/<c>beta</c> of the axes' sizes. With <c>rmsScaling</c>, as Keras 3 computes
/// it: <c>x * rsqrt(variance + epsilon) * gamma</c>, without centering and without beta. Same in training and inference.
/// </summary>
/// <example>
/// <code>
/// // Keras: layers.LayerNormalization(epsilon=1e-6)
/// var norm = new LayerNormalization(epsilon: 1e-6);
/// </code>
/// </example>
public sealed class LayerNormalization : Layer
{
    /// <summary>True: the input's mask passes on to the output (Keras's <c>supports_masking</c>).</summary>
    public override bool SupportsMasking => true;

    private int[]? _axes;           // per-sample axes, sorted, once built
    private Parameter? _gamma, _beta;

    /// <summary>Creates a LayerNormalization layer.</summary>
    /// <param name="axis">The axes to normalize over, counted as Keras counts them with the batch axis as 0 (so 1 is the
    /// first per-sample axis) or from the end with negatives; default the last, <c>[-1]</c>.</param>
    /// <param name="epsilon">Added to the variance (Keras's default 1e-3).</param>
    /// <param name="center">Add the learned offset beta.</param>
    /// <param name="scale">Multiply by the learned scale gamma.</param>
    /// <param name="rmsScaling">Keras 3's RMS scaling: no centering and no beta, gamma only.</param>
    /// <param name="betaInitializer">Initializer (an Initializer object or its Keras name; null for the default) of beta (default zeros).</param>
    /// <param name="gammaInitializer">Initializer (an Initializer object or its Keras name; null for the default) of gamma (default ones).</param>
    /// <param name="inputShape">Per-sample input shape for a first layer.</param>
    /// <param name="name">Layer name.</param>
    /// <exception cref="ArgumentException">An empty axis list, axis 0 (the batch axis), a negative epsilon, or an unknown
    /// initializer (an Initializer object or its Keras name; null for the default).</exception>
    public LayerNormalization(int[]? axis = null, double epsilon = 1e-3, bool center = true, bool scale = true, bool rmsScaling = false,
        Initializer? betaInitializer = null, Initializer? gammaInitializer = null, long[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        Axis = axis is null ? [-1] : (int[])axis.Clone();
        if (Axis.Length == 0)
            throw new ArgumentException($"LayerNormalization needs at least one axis to normalize over; got an empty list.", nameof(axis));
        if (Axis.Contains(0))
            throw new ArgumentException(
                "LayerNormalization cannot normalize over axis 0, the batch axis; use per-sample axes 1, 2, ... or -1 (the default).", nameof(axis));
        if (!(epsilon >= 0))
            throw new ArgumentException($"epsilon of LayerNormalization must be >= 0; got {epsilon}.", nameof(epsilon));
        Epsilon = epsilon;
        Center = center;
        Scale = scale;
        RmsScaling = rmsScaling;
        BetaInitializer = betaInitializer ?? "zeros";
        GammaInitializer = gammaInitializer ?? "ones";
    }

    /// <summary>The axes normalized over, as given (batch axis 0, as Keras counts).</summary>
    public int[] Axis { get; }

    /// <summary>Added to the variance.</summary>
    public double Epsilon { get; }

    /// <summary>Whether beta is added.</summary>
    public bool Center { get; }

    /// <summary>Whether gamma scales.</summary>
    public bool Scale { get; }

    /// <summary>Whether Keras 3's RMS scaling is used.</summary>
    public bool RmsScaling { get; }

    /// <summary>Initializer of beta.</summary>
    public Initializer BetaInitializer { get; }

    /// <summary>Initializer of gamma.</summary>
    public Initializer GammaInitializer { get; }

    /// <summary>The per-sample axes (0 = first per-sample axis) for inputs of per-sample shape <paramref name="inputShape"/>, sorted.</summary>
    private int[] SampleAxes(long[] inputShape)
    {
        int rank = inputShape.Length;
        var axes = new int[Axis.Length];
        for (int i = 0; i < Axis.Length; i++)
        {
            int withBatch = Axis[i] < 0 ? Axis[i] + rank + 1 : Axis[i];
            if (withBatch < 1 || withBatch > rank)
                throw new ArgumentException(
                    $"Axis {Axis[i]} of layer \"{Name}\" (LayerNormalization) is out of bounds for an input of shape {Shapes.FormatBatch(inputShape)}.");
            axes[i] = withBatch - 1;
        }
        if (axes.Distinct().Count() != axes.Length)
            throw new ArgumentException(
                $"Duplicate axes are not allowed. Received: axis=[{string.Join(", ", Axis)}] for layer \"{Name}\" on input {Shapes.FormatBatch(inputShape)}.");
        Array.Sort(axes);
        return axes;
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        SampleAxes(inputShape);
        return (long[])inputShape.Clone();
    }

    /// <inheritdoc/>
    public override void Build(long[] inputShape)
    {
        _axes = SampleAxes(inputShape);
        long[] shape = [.. _axes.Select(a => inputShape[a])];
        long size = shape.Aggregate(1L, (a, b) => a * b);
        if (Scale || RmsScaling) _gamma = AddWeight("gamma", shape, GammaInitializer, size, size);
        if (Center && !RmsScaling) _beta = AddWeight("beta", shape, BetaInitializer, size, size);
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        // Keras: the float32 weights meet 16-bit inputs in float32, and the output is cast to the compute dtype.
        if (IsHalf(x.dtype)) return Normalize(x.to_type(ScalarType.Float32)).to_type(ComputeDtype);
        return Normalize(x);
    }

    private Tensor Normalize(Tensor x)
    {
        var axes = _axes!;
        long sampleRank = x.dim() - 1;
        bool trailing = axes[0] == sampleRank - axes.Length; // sorted and distinct: the last axes.Length axes
        if (trailing && !RmsScaling)
            return nn.functional.layer_norm(x, [.. axes.Select(a => x.shape[a + 1])], _gamma, _beta, Epsilon);
        long[] dims = [.. axes.Select(a => (long)a + 1)];
        var variance = x.var(dims, unbiased: false, keepdim: true);
        var inverse = (variance + Epsilon).rsqrt();
        var y = RmsScaling ? x * inverse : (x - x.mean(dims, keepdim: true)) * inverse;
        if (_gamma is not null) y = y * Broadcast(_gamma, x);
        if (_beta is not null) y = y + Broadcast(_beta, x);
        return y;
    }

    /// <summary>A weight of the axes' shape, viewed with size 1 on the other axes so that it broadcasts against <paramref name="x"/>.</summary>
    private Tensor Broadcast(Tensor weight, Tensor x)
    {
        var shape = Enumerable.Repeat(1L, (int)x.dim()).ToArray();
        foreach (int a in _axes!) shape[a + 1] = x.shape[a + 1];
        return weight.view(shape);
    }
}
