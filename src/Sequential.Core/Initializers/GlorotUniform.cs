namespace Sequential.Initializers;

/// <summary>
/// The Glorot (Xavier) uniform initializer: uniform over <c>±sqrt(6 / (fan_in + fan_out))</c>; Keras's default for kernels (Keras's <c>keras.initializers.GlorotUniform</c>, string <c>"glorot_uniform"</c>): <see cref="VarianceScaling"/> with
/// scale 1.0, mode <c>fan_avg</c>, distribution <c>uniform</c>.
/// </summary>
/// <example>
/// <code>
/// new Dense(64, kernelInitializer: new GlorotUniform(seed: 1));   // or "glorot_uniform"
/// </code>
/// </example>
/// <param name="seed">A seed for the same values on every call, or null for the global generator.</param>
public sealed class GlorotUniform(int? seed = null) : VarianceScaling("glorot_uniform", 1.0, "fan_avg", "uniform", seed);
