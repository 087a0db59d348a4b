namespace Sequential.Initializers;

/// <summary>
/// The LeCun uniform initializer: uniform over <c>±sqrt(3 / fan_in)</c> (Keras's <c>keras.initializers.LecunUniform</c>, string <c>"lecun_uniform"</c>): <see cref="VarianceScaling"/> with
/// scale 1.0, mode <c>fan_in</c>, distribution <c>uniform</c>.
/// </summary>
/// <example>
/// <code>
/// new Dense(64, kernelInitializer: new LecunUniform(seed: 1));   // or "lecun_uniform"
/// </code>
/// </example>
/// <param name="seed">A seed for the same values on every call, or null for the global generator.</param>
public sealed class LecunUniform(int? seed = null) : VarianceScaling("lecun_uniform", 1.0, "fan_in", "uniform", seed);
