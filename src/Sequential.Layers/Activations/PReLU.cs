using Sequential.Initializers;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sequential.Layers;

/// <summary>
/// Parametric rectified linear unit, <c>f(x) = x</c> for <c>x &gt;= 0</c> and <c>alpha · x</c> otherwise, with a learned
/// <c>alpha</c> per input element (Keras's <c>PReLU</c> layer).
/// </summary>
/// <remarks>
/// <c>alpha</c> has the per-sample input shape, with size 1 along each of <c>sharedAxes</c> (1-based, as in Keras: for
/// images <c>(H, W, C)</c>, <c>sharedAxes: [1, 2]</c> learns one alpha per channel). Parameters: the product of that shape.
/// </remarks>
/// <example><code>new PReLU(sharedAxes: [1, 2])   // after a Conv2D with 32 filters: 32 parameters</code></example>
public sealed class PReLU : Layer
{
    /// <summary>True: the input's mask passes on to the output (Keras's <c>supports_masking</c>).</summary>
    public override bool SupportsMasking => true;

    private readonly int[]? _sharedAxes;

    /// <summary>Creates a PReLU layer.</summary>
    /// <param name="alphaInitializer">Initializer (an Initializer object or its Keras name; null for the default) for alpha; default "zeros" (a plain ReLU at first).</param>
    /// <param name="sharedAxes">1-based per-sample axes along which one alpha is shared; null shares none.</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default: the snake_case of the class name.</param>
    /// <exception cref="ArgumentException">Unknown initializer.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A shared axis is below 1.</exception>
    public PReLU(Initializer? alphaInitializer = null, int[]? sharedAxes = null, long[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        AlphaInitializer = alphaInitializer ?? "zeros";
        if (sharedAxes is not null && sharedAxes.Any(a => a < 1))
            throw new ArgumentOutOfRangeException(nameof(sharedAxes),
                $"PReLU sharedAxes are 1-based axes of a sample (the batch axis 0 cannot be shared); got [{string.Join(", ", sharedAxes)}].");
        _sharedAxes = sharedAxes is null ? null : [.. sharedAxes];
    }

    /// <summary>Initializer of alpha.</summary>
    public Initializer AlphaInitializer { get; }

    /// <summary>1-based axes along which alpha is shared, or null.</summary>
    public int[]? SharedAxes => _sharedAxes is null ? null : [.. _sharedAxes];

    /// <summary>The learned slopes, shaped like a sample with 1 along the shared axes.</summary>
    public Parameter? Alpha => get_parameter("alpha");

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A shared axis does not exist for this input.</exception>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        AlphaShape(inputShape);
        return (long[])inputShape.Clone();
    }

    /// <inheritdoc/>
    public override void Build(long[] inputShape)
    {
        var shape = AlphaShape(inputShape);
        // Fans as Keras computes them from the weight's own shape.
        var (fanIn, fanOut) = shape.Length switch
        {
            0 => (1L, 1L),
            1 => (shape[0], shape[0]),
            2 => (shape[0], shape[1]),
            _ => (shape[^2] * shape[..^2].Aggregate(1L, (a, b) => a * b), shape[^1] * shape[..^2].Aggregate(1L, (a, b) => a * b)),
        };
        AddWeight("alpha", shape, AlphaInitializer, fanIn, fanOut);
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training) => F.relu(x) - InComputeDtype(Alpha!) * F.relu(-x);

    private long[] AlphaShape(long[] inputShape)
    {
        var shape = (long[])inputShape.Clone();
        foreach (int axis in _sharedAxes ?? [])
        {
            if (axis > shape.Length)
                throw new ArgumentException(
                    $"Layer \"{Name}\" (PReLU): sharedAxes [{string.Join(", ", _sharedAxes!)}] name axis {axis}, but inputs of shape " +
                    $"{Shapes.FormatBatch(inputShape)} have sample axes 1..{shape.Length}.");
            shape[axis - 1] = 1;
        }
        return shape;
    }
}
