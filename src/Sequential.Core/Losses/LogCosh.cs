using static TorchSharp.torch;

namespace Sequential.Losses;

/// <summary>
/// <c>mean(log(cosh(yPred - yTrue)))</c> over the last axis, averaged over the batch: about <c>x^2 / 2</c> for small errors
/// and <c>|x| - log 2</c> for large ones, so an occasional wild prediction weighs less than in the squared error (Keras's <c>keras.losses.LogCosh</c>, string <c>"log_cosh"</c>).
/// </summary>
/// <example>
/// <code>
/// model.Compile(optimizer: "adam", loss: new LogCosh());
/// </code>
/// </example>
public sealed class LogCosh : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="reduction">How <see cref="Loss.Call(Tensor, Tensor, Tensor?)"/> reduces the per-sample values:
    /// <c>"sum_over_batch_size"</c> (default), <c>"sum"</c>, <c>"none"</c>, <c>"mean"</c> or <c>"mean_with_sample_weight"</c>.</param>
    /// <param name="name">The loss's name.</param>
    /// <exception cref="ArgumentException"><paramref name="reduction"/> is unknown.</exception>
    public LogCosh(string? reduction = "sum_over_batch_size", string name = "log_cosh") : base(name, reduction) { }

    /// <inheritdoc/>
    public override Tensor ComputeValues(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = TargetChecks.ElementwisePair(Name, yTrue, yPred);
        // x + softplus(-2x) - log 2, Keras's form: cosh overflows for |x| > 89 in float32, this does not.
        var x = yPred - yTrue;
        return TargetChecks.MeanOverLastAxis(x + TorchSharp.torch.nn.functional.softplus(x * -2.0) - Math.Log(2.0));
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The target shape differs from the output shape.</exception>
    public override void Validate(Tensor yTrue, long[] outputShape) => TargetChecks.CheckOutputShape(Name, yTrue, outputShape);
}
