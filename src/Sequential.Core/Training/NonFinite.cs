using static TorchSharp.torch;

namespace Sequential;

/// <summary>
/// The finite check every data entry point uses (Fit/Evaluate/Predict inputs and targets, iterator batches,
/// Normalization.Adapt): a NaN or an infinity in the data turns the loss and then every weight into NaN. Public so that
/// custom layers that learn from data (an <c>Adapt</c> method) check it the same way.
/// </summary>
/// <example>
/// <code>NonFinite.Check(data, "Adapt's data", nameof(data), "remove or fill them before adapting");</code>
/// </example>
public static class NonFinite
{
    /// <summary>
    /// Whether a tensor holds a NaN or an infinity. Any such element makes the sum NaN or infinite, so one reduction
    /// without a temporary answers "none" for clean data (a tenth of the time of <c>isfinite().all()</c>, which
    /// allocates a bool tensor as large as the data); only a non-finite sum (a bad element, or finite values whose
    /// sum overflows) is looked at element by element.
    /// </summary>
    /// <param name="t">A tensor; integer tensors are always finite.</param>
    /// <returns>True when at least one element is NaN, +Inf or -Inf.</returns>
    public static bool Any(Tensor t)
    {
        if (!t.is_floating_point()) return false;
        using var scope = NewDisposeScope();
        return !t.sum().isfinite().item<bool>() && !t.isfinite().all().item<bool>();
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming <paramref name="name"/>, how many NaN and infinite
    /// values it holds and the first sample that has one, if <paramref name="t"/> is not all finite.</summary>
    /// <param name="t">A batch of samples, <c>[N, ...]</c> (or a scalar).</param>
    /// <param name="name">How the message names the data, e.g. <c>x</c> or <c>batch 3 of data: x</c>.</param>
    /// <param name="paramName">The argument the exception names.</param>
    /// <param name="fix">What to do about it, e.g. "remove or fill them before calling the model".</param>
    /// <exception cref="ArgumentException">The tensor holds a NaN or an infinity.</exception>
    public static void Check(Tensor t, string name, string paramName, string fix)
    {
        if (!Any(t)) return;
        using var scope = NewDisposeScope();
        long nan = t.isnan().sum().item<long>();
        long infinite = t.isinf().sum().item<long>();
        var bad = t.isfinite().logical_not();
        long first = bad.dim() == 0 ? 0 : bad.reshape(bad.shape[0], -1).any(1).nonzero()[0, 0].item<long>();
        string counts = (nan, infinite) switch
        {
            (> 0, > 0) => $"{Count(nan, "NaN value")} and {Count(infinite, "infinite value")}",
            (> 0, _) => Count(nan, "NaN value"),
            _ => Count(infinite, "infinite value"),
        };
        throw new ArgumentException(
            $"{name} contains {counts} (the first in sample {first}). NaN and infinite values turn the loss and every " +
            $"weight into NaN; {fix}.", paramName);
    }

    private static string Count(long n, string what) => n == 1 ? $"1 {what}" : $"{n} {what}s";
}
