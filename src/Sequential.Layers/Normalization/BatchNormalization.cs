using Sequential.Initializers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Normalises each channel to zero mean and unit variance, then scales by <c>gamma</c> and shifts by <c>beta</c>
/// (Keras's <c>BatchNormalization</c>). Training uses the batch's statistics and updates the moving ones
/// (<c>moving = moving * momentum + batch * (1 - momentum)</c>, with the biased batch variance as Keras does);
/// inference uses the moving statistics.
/// </summary>
/// <remarks>
/// Parameters: 4·C (gamma, beta, moving_mean, moving_variance), of which the 2·C moving statistics are
/// non-trainable. Keras's momentum 0.99 is torch's momentum 0.01. A layer set to <c>Trainable = false</c> runs in
/// inference mode, as in Keras 3 (the usual fine-tuning behaviour).
/// </remarks>
/// <example><code>new Conv2D(32, 3), new BatchNormalization(), new Activation("relu")</code></example>
public sealed class BatchNormalization : Layer
{
    /// <summary>True: the input's mask passes on to the output (Keras's <c>supports_masking</c>).</summary>
    public override bool SupportsMasking => true;

    private int _axis;
    private long[] _reduceAxes = [];
    private long[] _statShape = [];

    /// <summary>Creates a BatchNormalization layer.</summary>
    /// <param name="axis">The features axis of the batch tensor: -1 (the last, channels_last) by default; 1 for channels_first.</param>
    /// <param name="momentum">Weight of the old moving statistics, in [0, 1].</param>
    /// <param name="epsilon">Added to the variance before the square root (positive).</param>
    /// <param name="center">Whether to add the trainable offset beta.</param>
    /// <param name="scale">Whether to multiply by the trainable factor gamma.</param>
    /// <param name="betaInitializer">Initializer (an Initializer object or its Keras name; null for the default) of beta (default zeros).</param>
    /// <param name="gammaInitializer">Initializer (an Initializer object or its Keras name; null for the default) of gamma (default ones).</param>
    /// <param name="movingMeanInitializer">Initializer (an Initializer object or its Keras name; null for the default) of the moving mean (default zeros).</param>
    /// <param name="movingVarianceInitializer">Initializer (an Initializer object or its Keras name; null for the default) of the moving variance (default ones).</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default batch_normalization.</param>
    public BatchNormalization(int axis = -1, double momentum = 0.99, double epsilon = 1e-3, bool center = true, bool scale = true,
        Initializer? betaInitializer = null, Initializer? gammaInitializer = null, Initializer? movingMeanInitializer = null,
        Initializer? movingVarianceInitializer = null, long[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        if (axis == 0)
            throw new ArgumentOutOfRangeException(nameof(axis), axis, "BatchNormalization axis 0 is the batch axis; use -1 (channels_last) or 1 (channels_first).");
        if (!(momentum >= 0 && momentum <= 1))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, $"BatchNormalization momentum must be in [0, 1]; got {momentum}.");
        if (!(epsilon > 0))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"BatchNormalization epsilon must be positive; got {epsilon}.");
        Axis = axis;
        Momentum = momentum;
        Epsilon = epsilon;
        Center = center;
        Scale = scale;
        BetaInitializer = betaInitializer ?? "zeros";
        GammaInitializer = gammaInitializer ?? "ones";
        MovingMeanInitializer = movingMeanInitializer ?? "zeros";
        MovingVarianceInitializer = movingVarianceInitializer ?? "ones";
    }

    /// <summary>The features axis of the batch tensor, as given (-1 = last).</summary>
    public int Axis { get; }

    /// <summary>Weight of the old moving statistics (Keras's momentum; torch's is 1 - this).</summary>
    public double Momentum { get; }

    /// <summary>Added to the variance before the square root.</summary>
    public double Epsilon { get; }

    /// <summary>Whether beta is added.</summary>
    public bool Center { get; }

    /// <summary>Whether gamma multiplies.</summary>
    public bool Scale { get; }

    /// <summary>Initializer of beta.</summary>
    public Initializer BetaInitializer { get; }

    /// <summary>Initializer of gamma.</summary>
    public Initializer GammaInitializer { get; }

    /// <summary>Initializer of the moving mean.</summary>
    public Initializer MovingMeanInitializer { get; }

    /// <summary>Initializer of the moving variance.</summary>
    public Initializer MovingVarianceInitializer { get; }

    /// <summary>The trainable scale <c>[C]</c>, or null when <see cref="Scale"/> is false.</summary>
    public Parameter? Gamma => Scale ? get_parameter("gamma") : null;

    /// <summary>The trainable offset <c>[C]</c>, or null when <see cref="Center"/> is false.</summary>
    public Parameter? Beta => Center ? get_parameter("beta") : null;

    /// <summary>The moving mean <c>[C]</c> (non-trainable), once built.</summary>
    public Tensor? MovingMean => get_buffer("moving_mean");

    /// <summary>The moving variance <c>[C]</c> (non-trainable), once built.</summary>
    public Tensor? MovingVariance => get_buffer("moving_variance");

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        FeatureAxis(inputShape);
        return (long[])inputShape.Clone();
    }

    /// <inheritdoc/>
    public override void Build(long[] inputShape)
    {
        _axis = FeatureAxis(inputShape);
        int rank = inputShape.Length + 1;
        long features = inputShape[_axis - 1];
        _reduceAxes = Enumerable.Range(0, rank).Where(a => a != _axis).Select(a => (long)a).ToArray();
        _statShape = Enumerable.Range(0, rank).Select(a => a == _axis ? features : 1L).ToArray();
        if (Scale) AddWeight("gamma", [features], GammaInitializer, features, features);
        if (Center) AddWeight("beta", [features], BetaInitializer, features, features);
        AddNonTrainableState("moving_mean", State("moving_mean", features, MovingMeanInitializer));
        AddNonTrainableState("moving_variance", State("moving_variance", features, MovingVarianceInitializer));
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        // Keras: 16-bit inputs are normalized in float32 (prone to overflow otherwise), the output is in the compute dtype.
        if (IsHalf(x.dtype)) return Normalize(x.to_type(ScalarType.Float32), training).to_type(ComputeDtype);
        return Normalize(x, training);
    }

    private Tensor Normalize(Tensor x, bool training)
    {
        Tensor mean, variance;
        if (training && Trainable)
        {
            (variance, mean) = var_mean(x, _reduceAxes, unbiased: false, keepdim: false);
            using (no_grad())
            {
                MovingMean!.mul_(Momentum).add_(mean.detach(), alpha: 1 - Momentum);
                MovingVariance!.mul_(Momentum).add_(variance.detach(), alpha: 1 - Momentum);
            }
        }
        else
        {
            (mean, variance) = (MovingMean!, MovingVariance!);
        }
        // y = x * factor + shift with per-channel factor = gamma / sqrt(var + eps), shift = beta - mean * factor:
        // two passes over the activations; gradients reach gamma, beta and (in training) the batch statistics.
        var factor = (variance + Epsilon).rsqrt();
        if (Gamma is { } gamma) factor = factor * gamma;
        var shift = -mean * factor;
        if (Beta is { } beta) shift = shift + beta;
        return addcmul(shift.view(_statShape), x, factor.view(_statShape), 1);
    }

    private Tensor State(string name, long features, Initializer initializer)
    {
        ReserveState(name, features);
        var state = empty([features], ScalarType.Float32);
        initializer.Initialize(state, features, features);
        state.DetachFromDisposeScope();
        return state;
    }

    private int FeatureAxis(long[] inputShape)
    {
        int rank = inputShape.Length + 1;
        int axis = Axis < 0 ? Axis + rank : Axis;
        if (axis <= 0 || axis >= rank)
            throw new ArgumentException(
                $"Layer \"{Name}\" (BatchNormalization) has axis {Axis}, which is not a feature axis of inputs of shape " +
                $"{Shapes.FormatBatch(inputShape)}; use -1 for channels_last or 1 for channels_first.");
        return axis;
    }
}
