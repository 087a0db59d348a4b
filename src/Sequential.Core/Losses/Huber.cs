using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Sequential.Losses;

/// <summary>
/// The Huber loss (Keras's <c>keras.losses.Huber</c>, strings <c>"huber"</c> and <c>"huber_loss"</c>): per element
/// <c>0.5 * x^2</c> when <c>|x| &lt;= delta</c>, else <c>delta * |x| - 0.5 * delta^2</c>, with
/// <c>x = yPred - yTrue</c>; averaged over the last axis, then over the batch.
/// </summary>
/// <example>
/// <code>
/// model.Compile(optimizer: "adam", loss: new Huber(delta: 2.0));
/// </code>
/// </example>
public sealed class Huber : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="delta">Where the loss turns from quadratic to linear; must be positive.</param>
    /// <param name="reduction">How <see cref="Loss.Call(Tensor, Tensor, Tensor?)"/> reduces the per-sample values:
    /// <c>"sum_over_batch_size"</c> (default), <c>"sum"</c>, <c>"none"</c>, <c>"mean"</c> or <c>"mean_with_sample_weight"</c>.</param>
    /// <param name="name">The loss's name.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is not positive.</exception>
    /// <exception cref="ArgumentException"><paramref name="reduction"/> is unknown.</exception>
    public Huber(double delta = 1.0, string? reduction = "sum_over_batch_size", string name = "huber_loss") : base(name, reduction)
    {
        if (!(delta > 0))
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "delta must be positive (Keras's default is 1.0).");
        Delta = delta;
    }

    /// <summary>Where the loss turns from quadratic to linear.</summary>
    public double Delta { get; }

    /// <inheritdoc/>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = TargetChecks.ElementwisePair(Name, yTrue, yPred);
        return TargetChecks.MeanOverLastAxis(huber_loss(yPred, yTrue, reduction: nn.Reduction.None, delta: Delta));
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The target shape differs from the output shape.</exception>
    public override void Validate(Tensor yTrue, long[] outputShape) => TargetChecks.CheckOutputShape(Name, yTrue, outputShape);
}
