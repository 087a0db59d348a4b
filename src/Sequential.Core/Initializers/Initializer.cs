using Sequential.Persistence;
using static TorchSharp.torch;

namespace Sequential.Initializers;

/// <summary>
/// Base class of weight initializers (Keras's <c>keras.initializers.Initializer</c>). Layers take one wherever Keras
/// does (<c>kernelInitializer</c>, <c>biasInitializer</c>, ...), as an object or as its Keras name: a string converts
/// implicitly through <see cref="InitializerRegistry.Get"/>.
/// </summary>
/// <remarks>A custom initializer that takes constructor arguments is saved with the model when each argument has a
/// public property of the same name in PascalCase (or when it overrides <see cref="GetConfig"/>); register it with
/// <see cref="InitializerRegistry.Register{T}"/> before loading.</remarks>
/// <example>
/// <code>
/// new Dense(64, kernelInitializer: "he_normal");                  // by name
/// new Dense(64, kernelInitializer: new HeNormal(seed: 1));        // as an object: the same values on every run
/// var w = new RandomNormal(stddev: 0.02).Call([784, 64]);         // a tensor, as Keras's initializer(shape) returns
/// </code>
/// </example>
public abstract class Initializer
{
    /// <summary>Creates an initializer.</summary>
    /// <param name="name">The Keras name, e.g. <c>glorot_uniform</c>.</param>
    protected Initializer(string name) => Name = name;

    /// <summary>The Keras name (the snake_case of the class name, e.g. <c>glorot_uniform</c>).</summary>
    public string Name { get; }

    /// <summary>Fills <paramref name="tensor"/> in place (without recording autograd history).</summary>
    /// <param name="tensor">The weight to fill.</param>
    /// <param name="fanIn">Number of input units (Keras's fan_in: input features x receptive field size).</param>
    /// <param name="fanOut">Number of output units (output features x receptive field size).</param>
    public abstract void Initialize(Tensor tensor, long fanIn, long fanOut);

    /// <summary>
    /// A new tensor of <paramref name="shape"/> filled by this initializer (Keras's <c>initializer(shape, dtype)</c>),
    /// with the fans Keras's <c>compute_fans</c> reads from a Keras-layout shape (see <see cref="ComputeFans"/>).
    /// </summary>
    /// <param name="shape">The shape, in Keras's layout (a Dense kernel is <c>[inputs, units]</c>).</param>
    /// <param name="dtype">A floating dtype; float32 by default.</param>
    /// <returns>A CPU tensor that does not require gradients.</returns>
    /// <exception cref="ArgumentException">A negative size.</exception>
    public Tensor Call(long[] shape, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var (fanIn, fanOut) = ComputeFans(shape);
        var tensor = empty(shape, dtype);
        Initialize(tensor, fanIn, fanOut);
        return tensor;
    }

    /// <summary>
    /// Keras's <c>compute_fans</c>: for a shape in Keras's layout, <c>(fan_in, fan_out)</c> is <c>(1, 1)</c> for a scalar,
    /// <c>(n, n)</c> for a vector, <c>(rows, columns)</c> for a matrix, and for a convolution kernel
    /// <c>[..., in, out]</c> the last two sizes times the receptive field (the product of the others).
    /// </summary>
    /// <param name="shape">The weight's shape.</param>
    /// <returns>The fans.</returns>
    /// <exception cref="ArgumentException">A negative size, or a product beyond 64 bits.</exception>
    public static (long FanIn, long FanOut) ComputeFans(long[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Any(d => d < 0))
            throw new ArgumentException($"A weight's shape must have sizes >= 0; got {Layers.Shapes.Format(shape)}.", nameof(shape));
        try
        {
            return shape.Length switch
            {
                0 => (1L, 1L),
                1 => (shape[0], shape[0]),
                2 => (shape[0], shape[1]),
                _ => (checked(shape[^2] * shape[..^2].Aggregate(1L, (a, b) => checked(a * b))),
                      checked(shape[^1] * shape[..^2].Aggregate(1L, (a, b) => checked(a * b)))),
            };
        }
        catch (OverflowException e)
        {
            throw new ArgumentException($"The fans of shape {Layers.Shapes.Format(shape)} do not fit in 64 bits.", nameof(shape), e);
        }
    }

    /// <summary>
    /// The initializer's configuration (Keras's <c>get_config</c>): snake_case constructor argument name -> value, enough
    /// for <see cref="InitializerRegistry.FromConfig"/> to create an equal initializer. Saved in model files.
    /// </summary>
    /// <remarks>Read by reflection from the public constructor with the most parameters, each parameter <c>p</c> from the
    /// public property PascalCase(<c>p</c>), as for losses and layers. Override it when a parameter has no such property.</remarks>
    /// <returns>The configuration.</returns>
    public virtual IReadOnlyDictionary<string, object?> GetConfig() => ConfigReflection.GetConfig(this);

    /// <summary>Lets a Keras name stand for an initializer: <c>kernelInitializer: "he_normal"</c>.</summary>
    /// <param name="name">A name accepted by <see cref="InitializerRegistry.Get"/>.</param>
    public static implicit operator Initializer(string name) => InitializerRegistry.Get(name);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
