namespace Sequential.Initializers;

/// <summary>
/// The He uniform initializer: uniform over <c>±sqrt(6 / fan_in)</c>; for ReLU layers (Keras's <c>keras.initializers.HeUniform</c>, string <c>"he_uniform"</c>): <see cref="VarianceScaling"/> with
/// scale 2.0, mode <c>fan_in</c>, distribution <c>uniform</c>.
/// </summary>
/// <example>
/// <code>
/// new Dense(64, kernelInitializer: new HeUniform(seed: 1));   // or "he_uniform"
/// </code>
/// </example>
/// <param name="seed">A seed for the same values on every call, or null for the global generator.</param>
public sealed class HeUniform(int? seed = null) : VarianceScaling("he_uniform", 2.0, "fan_in", "uniform", seed);
