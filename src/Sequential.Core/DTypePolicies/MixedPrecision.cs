namespace Sequential;

/// <summary>
/// The global dtype policy (Keras's <c>keras.mixed_precision.set_global_policy</c> / <c>global_policy</c>, also
/// <c>keras.config.set_dtype_policy</c>): layers created afterwards take it.
/// </summary>
/// <example>
/// <code>
/// MixedPrecision.SetGlobalPolicy("mixed_bfloat16");
/// // ... build and train the model ...
/// MixedPrecision.SetGlobalPolicy("float32");
/// </code>
/// </example>
public static class MixedPrecision
{
    private static volatile DTypePolicy _global = DTypePolicy.Float32;

    /// <summary>The policy new layers take; <c>"float32"</c> until set.</summary>
    public static DTypePolicy GlobalPolicy => _global;

    /// <summary>Sets the policy that layers created from now on take.</summary>
    /// <param name="policy">A policy or its name (<c>"mixed_bfloat16"</c>, <c>"mixed_float16"</c>, <c>"float32"</c>, ...).</param>
    /// <exception cref="ArgumentException">An unknown policy name.</exception>
    public static void SetGlobalPolicy(DTypePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _global = policy;
    }
}
