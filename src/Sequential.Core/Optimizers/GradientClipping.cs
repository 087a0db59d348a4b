namespace Sequential.Optimizers;

/// <summary>
/// Keras's gradient clipping arguments of every optimizer (<c>clipnorm</c>, <c>clipvalue</c>, <c>global_clipnorm</c>),
/// carried from an optimizer's constructor to <see cref="Optimizer"/>; at most one may be set.
/// </summary>
/// <param name="Clipnorm">Per-gradient L2 norm limit, or null.</param>
/// <param name="Clipvalue">Per-element absolute value limit, or null.</param>
/// <param name="GlobalClipnorm">Joint L2 norm limit over all gradients, or null.</param>
public readonly record struct GradientClipping(double? Clipnorm = null, double? Clipvalue = null, double? GlobalClipnorm = null)
{
    /// <summary>Throws when more than one limit is set or a limit is not a positive finite number.</summary>
    /// <param name="optimizer">The optimizer's name, for the message.</param>
    internal void Validate(string optimizer)
    {
        if ((Clipnorm is null ? 0 : 1) + (Clipvalue is null ? 0 : 1) + (GlobalClipnorm is null ? 0 : 1) > 1)
            throw new ArgumentException(
                $"Only one of clipnorm, clipvalue and globalClipnorm can be set on {optimizer}; got clipnorm: {Show(Clipnorm)}, " +
                $"clipvalue: {Show(Clipvalue)}, globalClipnorm: {Show(GlobalClipnorm)}.");
        Check(Clipnorm, "clipnorm", optimizer);
        Check(Clipvalue, "clipvalue", optimizer);
        Check(GlobalClipnorm, "globalClipnorm", optimizer);
    }

    private static void Check(double? value, string name, string optimizer)
    {
        if (value is { } v && (!(v > 0) || double.IsInfinity(v)))
            throw new ArgumentOutOfRangeException(name, v, $"{optimizer} {name} must be a positive finite number or null; got {v}.");
    }

    private static string Show(double? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null";
}
