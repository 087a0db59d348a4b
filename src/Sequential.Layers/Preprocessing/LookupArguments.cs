namespace Sequential.Layers;

/// <summary>Keras's argument checks shared by the lookup and hashing layers, with Keras's messages.</summary>
internal static class LookupArguments
{
    /// <summary>Checks the arguments common to StringLookup and IntegerLookup; returns the output mode, lower case.</summary>
    public static string Check(string layer, string outputMode, string[] accepted, int? maxTokens, int numOovIndices, bool invert,
        bool padToMaxTokens)
    {
        var mode = OutputMode(layer, outputMode, accepted);
        if (maxTokens is not null && maxTokens <= 1)
            throw new ArgumentOutOfRangeException(nameof(maxTokens), maxTokens,
                $"If maxTokens is set for {layer}, it must be greater than 1. Received: maxTokens={maxTokens}.");
        if (padToMaxTokens && maxTokens is null)
            throw new ArgumentException($"{layer}: if padToMaxTokens is true, maxTokens must be set.", nameof(padToMaxTokens));
        if (numOovIndices < 0)
            throw new ArgumentOutOfRangeException(nameof(numOovIndices), numOovIndices,
                $"The value of numOovIndices for {layer} must be >= 0. Received: numOovIndices={numOovIndices}.");
        if (invert && mode != "int")
            throw new ArgumentException($"{layer}: outputMode must be \"int\" when invert is true. Received: outputMode=\"{outputMode}\".", nameof(invert));
        return mode;
    }

    /// <summary>Checks an output mode (Keras's <c>validate_string_arg</c>); Keras's deprecated names "binary" and "tf-idf" are read too.</summary>
    public static string OutputMode(string layer, string outputMode, string[] accepted)
    {
        ArgumentNullException.ThrowIfNull(outputMode);
        var mode = outputMode.ToLowerInvariant() switch { "binary" => "multi_hot", "tf-idf" => "tf_idf", var m => m };
        if (!accepted.Contains(mode))
            throw new ArgumentException(
                $"Unknown outputMode \"{outputMode}\" for {layer}; accepted: {string.Join(", ", accepted.Select(m => $"\"{m}\""))}.", nameof(outputMode));
        return mode;
    }

    /// <summary>Keras's <c>salt</c>: one integer (used twice) or two; null for none.</summary>
    public static (long, long)? Salt(string layer, IReadOnlyList<long>? salt) => salt switch
    {
        null => null,
        [var both] => (both, both),
        [var first, var second] => (first, second),
        _ => throw new ArgumentException(
            $"The salt argument for {layer} can only be a tuple of size 2 integers, or a single integer. Received: {salt.Count} values.", nameof(salt)),
    };
}
