using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Applies a layer to every timestep of its input (Keras's <c>TimeDistributed</c>): an input <c>(batch, time, ...)</c> is
/// viewed as <c>(batch * time, ...)</c>, the wrapped layer runs once on all the steps together (one set of weights for
/// every step), and its output is viewed back as <c>(batch, time, ...)</c>. Inputs need at least 3 dimensions, the batch
/// included. The input's mask, <c>(batch, time)</c>, reaches the wrapped layer step by step and passes through to the
/// output, as Keras's does.
/// </summary>
/// <example>
/// <code>
/// // Keras: outputs = layers.TimeDistributed(layers.Conv2D(64, (3, 3)))(inputs)   # (32, 10, 128, 128, 3) -> (32, 10, 126, 126, 64)
/// var outputs = new TimeDistributed(new Conv2D(64, (3, 3))).Apply(inputs);
/// </code>
/// </example>
public sealed class TimeDistributed : Layer
{
    /// <summary>Wraps a layer.</summary>
    /// <param name="layer">The layer applied to every timestep (its weights are this layer's; it is saved inside this
    /// layer's configuration).</param>
    /// <param name="inputShape">Per-sample input shape <c>(time, ...)</c> for the first layer of a model.</param>
    /// <param name="name">Layer name.</param>
    /// <exception cref="ArgumentNullException"><paramref name="layer"/> is null.</exception>
    public TimeDistributed(Layer layer, long[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        ArgumentNullException.ThrowIfNull(layer, nameof(layer));
        _layer = layer;
    }

    // A field, so that the sublayer tracking registers it as "layer" (Keras's attribute name) before the build.
    private readonly Layer _layer;

    /// <summary>The wrapped layer (Keras's <c>layer.layer</c>).</summary>
    public Layer Layer => _layer;

    /// <inheritdoc/>
    public override ScalarType? InputDtype => Layer.InputDtype;

    private long[] StepShape(long[] inputShape) => inputShape.Length >= 2
        ? inputShape[1..]
        : throw new ArgumentException(
            $"`TimeDistributed` Layer should be passed an `input_shape` with at least 3 dimensions (batch, time, ...); layer \"{Name}\" " +
            $"received {Shapes.FormatBatch(inputShape)}.");

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">Fewer than 3 dimensions with the batch, or a step shape the wrapped layer does not take.</exception>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        var step = Layer.ComputeOutputShape(StepShape(inputShape));
        return [inputShape[0], .. step];
    }

    /// <inheritdoc/>
    public override void Build(long[] inputShape) => Layer.EnsureBuilt(StepShape(inputShape)); // a field sublayer: registered as "layer"

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training) => Call(x, null, training);

    /// <summary>
    /// Runs the wrapped layer on every step. A mask <c>(batch, time, ...)</c> is checked against the input, as Keras checks
    /// it, and reaches the wrapped layer as <c>(batch * time, ...)</c>: each step's mask, as Keras passes <c>mask[:, t]</c>.
    /// </summary>
    /// <param name="x">Input batch <c>(batch, time, ...)</c>.</param>
    /// <param name="mask">The input's mask, or null.</param>
    /// <param name="training">True inside training steps.</param>
    /// <returns>Output batch <c>(batch, time, ...)</c>.</returns>
    /// <exception cref="ArgumentException">A mask whose first two sizes are not the input's batch and time.</exception>
    public override Tensor Call(Tensor x, Tensor? mask, bool training)
    {
        long batch = x.shape[0], steps = x.shape[1];
        Tensor? stepMask = null;
        if (mask is not null)
        {
            if (mask.dim() < 2 || mask.shape[0] != batch || mask.shape[1] != steps)
                throw new ArgumentException(
                    $"The `mask` passed to the `TimeDistributed` layer \"{Name}\" has a shape {Shapes.Format(mask.shape)} that is incompatible with " +
                    $"the input shape {Shapes.Format(x.shape)}. The first two dimensions of the mask (batch size and timesteps) must match the " +
                    $"input's first two dimensions. Expected mask shape prefix: ({batch}, {steps}).", nameof(mask));
            stepMask = mask.reshape([batch * steps, .. mask.shape[2..]]);
        }
        // In the wrapped layer's compute dtype, as Keras's call of it casts them.
        var flat = AutoCast(x.reshape([batch * steps, .. x.shape[2..]]), Layer is Model ? x.dtype : Layer.ComputeDtype);
        var y = Layer.Call(flat, stepMask, training);
        var output = y.reshape([batch, steps, .. y.shape[1..]]);
        // Keras attaches the input's mask as it is; a mask with per-step axes the output does not have (Keras accepts
        // (batch, time, 2) on any input) cannot be attached, so its (batch, time) part is: a step is kept if any of it is.
        if (mask is not null && Masks.Get(output) is null)
            Masks.Set(output, mask.dim() <= output.dim() && mask.shape.SequenceEqual(output.shape[..(int)mask.dim()]) ? mask : mask.flatten(2).any(-1));
        return output;
    }

    /// <summary>The input's mask, unchanged (Keras's <c>compute_mask</c>, which TimeDistributed inherits); <see cref="Call(Tensor, Tensor?, bool)"/>
    /// attaches it to the output itself, keeping only its (batch, time) axes when the output lacks its other axes.</summary>
    /// <param name="x">The input.</param>
    /// <param name="mask">Its mask, or null.</param>
    /// <returns><paramref name="mask"/>.</returns>
    public override Tensor? ComputeMask(Tensor x, Tensor? mask) => mask;
}
