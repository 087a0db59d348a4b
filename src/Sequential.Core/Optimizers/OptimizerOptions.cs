namespace Sequential.Optimizers;

/// <summary>
/// Keras's moving-average and gradient-accumulation arguments of every optimizer (<c>use_ema</c>, <c>ema_momentum</c>,
/// <c>ema_overwrite_frequency</c>, <c>gradient_accumulation_steps</c>), carried from an optimizer's constructor to
/// <see cref="Optimizer"/>.
/// </summary>
/// <param name="UseEma">Keep an exponential moving average of the variables.</param>
/// <param name="EmaMomentum">The average's momentum, in [0, 1] (Keras default 0.99; checked only with <paramref name="UseEma"/>).</param>
/// <param name="EmaOverwriteFrequency">Overwrite the variables with their average every this many updates (>= 1), or null
/// to do it only at the end of <c>Fit</c>.</param>
/// <param name="GradientAccumulationSteps">Update every this many steps (>= 2) with the mean gradient, or null.</param>
public readonly record struct OptimizerOptions(bool UseEma = false, double EmaMomentum = 0.99, int? EmaOverwriteFrequency = null,
    int? GradientAccumulationSteps = null)
{
    /// <summary>Throws when a value is out of Keras's range.</summary>
    /// <param name="optimizer">The optimizer's name, for the message.</param>
    internal void Validate(string optimizer)
    {
        if (GradientAccumulationSteps is { } steps && steps < 2)
            throw new ArgumentOutOfRangeException("gradientAccumulationSteps", steps,
                $"{optimizer} gradientAccumulationSteps must be an integer >= 2, or null for none; got {steps}.");
        if (!UseEma) return;
        if (!(EmaMomentum >= 0 && EmaMomentum <= 1))
            throw new ArgumentOutOfRangeException("emaMomentum", EmaMomentum, $"{optimizer} emaMomentum must be in [0, 1], e.g. 0.99; got {EmaMomentum}.");
        if (EmaOverwriteFrequency is { } frequency && frequency < 1)
            throw new ArgumentOutOfRangeException("emaOverwriteFrequency", frequency,
                $"{optimizer} emaOverwriteFrequency must be an integer >= 1, or null to overwrite only at the end of Fit; got {frequency}.");
    }
}
