using System.Globalization;

namespace Sequential.Layers;

/// <summary>
/// Checks of constructor arguments that many layers share, each throwing with a message that names the layer type,
/// the argument, the value received and what is accepted.
/// </summary>
internal static class Arguments
{
    /// <summary>Normalises a string choice (trimmed, case-insensitive) or lists the accepted values.</summary>
    internal static string OneOf(string? value, IReadOnlyCollection<string> accepted, string argument, string layerType)
    {
        var normalised = value?.Trim().ToLowerInvariant();
        if (normalised is not null && accepted.Contains(normalised)) return normalised;
        throw new ArgumentException(
            $"{layerType} {argument} must be one of {string.Join(", ", accepted.Select(a => $"\"{a}\""))} (case-insensitive); " +
            $"got {(value is null ? "null" : $"\"{value}\"")}.", argument);
    }

    /// <summary>Checks a finite number that is at least 0.</summary>
    internal static double NonNegative(double value, string argument, string layerType)
    {
        if (!double.IsFinite(value) || value < 0)
            throw new ArgumentOutOfRangeException(argument, value,
                $"{layerType} {argument} must be a finite number >= 0; got {Format(value)}.");
        return value;
    }

    /// <summary>Checks a finite number in [0, <paramref name="max"/>].</summary>
    internal static double InRange(double value, double max, string argument, string layerType)
    {
        if (!(value >= 0 && value <= max))
            throw new ArgumentOutOfRangeException(argument, value,
                $"{layerType} {argument} must be a number between 0 and {Format(max)}; got {Format(value)}.");
        return value;
    }

    /// <summary>Checks a finite number.</summary>
    internal static double Finite(double value, string argument, string layerType)
    {
        if (!double.IsFinite(value))
            throw new ArgumentOutOfRangeException(argument, value, $"{layerType} {argument} must be a finite number; got {Format(value)}.");
        return value;
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
