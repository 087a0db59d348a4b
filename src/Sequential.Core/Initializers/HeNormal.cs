namespace Sequential.Initializers;

/// <summary>
/// The He normal initializer: a truncated normal with variance <c>2 / fan_in</c>; for ReLU layers (Keras's <c>keras.initializers.HeNormal</c>, string <c>"he_normal"</c>): <see cref="VarianceScaling"/> with
/// scale 2.0, mode <c>fan_in</c>, distribution <c>truncated_normal</c>.
/// </summary>
/// <example>
/// <code>
/// new Dense(64, kernelInitializer: new HeNormal(seed: 1));   // or "he_normal"
/// </code>
/// </example>
/// <param name="seed">A seed for the same values on every call, or null for the global generator.</param>
public sealed class HeNormal(int? seed = null) : VarianceScaling("he_normal", 2.0, "fan_in", "truncated_normal", seed);
