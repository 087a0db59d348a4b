namespace Sequential.Initializers;

/// <summary>
/// The LeCun normal initializer: a truncated normal with variance <c>1 / fan_in</c>; for SELU networks (Keras's <c>keras.initializers.LecunNormal</c>, string <c>"lecun_normal"</c>): <see cref="VarianceScaling"/> with
/// scale 1.0, mode <c>fan_in</c>, distribution <c>truncated_normal</c>.
/// </summary>
/// <example>
/// <code>
/// new Dense(64, kernelInitializer: new LecunNormal(seed: 1));   // or "lecun_normal"
/// </code>
/// </example>
/// <param name="seed">A seed for the same values on every call, or null for the global generator.</param>
public sealed class LecunNormal(int? seed = null) : VarianceScaling("lecun_normal", 1.0, "fan_in", "truncated_normal", seed);
