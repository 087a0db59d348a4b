namespace Sequential.Initializers;

/// <summary>
/// The Glorot (Xavier) normal initializer: a truncated normal with variance <c>2 / (fan_in + fan_out)</c> (Keras's <c>keras.initializers.GlorotNormal</c>, string <c>"glorot_normal"</c>): <see cref="VarianceScaling"/> with
/// scale 1.0, mode <c>fan_avg</c>, distribution <c>truncated_normal</c>.
/// </summary>
/// <example>
/// <code>
/// new Dense(64, kernelInitializer: new GlorotNormal(seed: 1));   // or "glorot_normal"
/// </code>
/// </example>
/// <param name="seed">A seed for the same values on every call, or null for the global generator.</param>
public sealed class GlorotNormal(int? seed = null) : VarianceScaling("glorot_normal", 1.0, "fan_avg", "truncated_normal", seed);
