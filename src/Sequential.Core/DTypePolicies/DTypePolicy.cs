using static TorchSharp.torch;

namespace Sequential;

/// <summary>
/// The dtypes a layer computes in and keeps its weights in (Keras's <c>keras.DTypePolicy</c>). <c>"mixed_bfloat16"</c>
/// and <c>"mixed_float16"</c> keep weights in float32 and compute in the 16-bit type (mixed precision); the name of a
/// float dtype (<c>"float32"</c>, the default; <c>"bfloat16"</c>, <c>"float16"</c>, <c>"float64"</c>) uses it for both.
/// </summary>
/// <remarks>
/// A layer takes the global policy (<see cref="MixedPrecision.GlobalPolicy"/>) when it is created, or its own
/// through <see cref="Layers.Layer.DtypePolicy"/>. Under a mixed policy a layer casts its floating-point inputs and
/// its weights to the compute dtype, normalization layers compute their statistics in float32, and losses are
/// computed in float32, as in Keras. Which hardware gains from it: docs/benchmarks.md, "Mixed precision".
/// </remarks>
/// <example>
/// <code>
/// MixedPrecision.SetGlobalPolicy("mixed_bfloat16");              // keras.mixed_precision.set_global_policy
/// var model = new SequentialModel(new Dense(128, activation: "relu"), new Dense(10));
/// model.Layers[^1].DtypePolicy = "float32";                      // keras: Dense(10, dtype="float32")
/// </code>
/// </example>
public sealed class DTypePolicy : IEquatable<DTypePolicy>
{
    /// <summary>Creates a policy from its Keras name.</summary>
    /// <param name="name"><c>"float32"</c>, <c>"mixed_bfloat16"</c>, <c>"mixed_float16"</c>, <c>"bfloat16"</c>,
    /// <c>"float16"</c> or <c>"float64"</c>.</param>
    /// <exception cref="ArgumentException">Any other name; the message lists the valid ones.</exception>
    public DTypePolicy(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        (ComputeDtype, VariableDtype) = name switch
        {
            "mixed_float16" => (ScalarType.Float16, ScalarType.Float32),
            "mixed_bfloat16" => (ScalarType.BFloat16, ScalarType.Float32),
            "float32" => (ScalarType.Float32, ScalarType.Float32),
            "float16" => (ScalarType.Float16, ScalarType.Float16),
            "bfloat16" => (ScalarType.BFloat16, ScalarType.BFloat16),
            "float64" => (ScalarType.Float64, ScalarType.Float64),
            _ => throw new ArgumentException(
                $"Cannot convert '{name}' to a mixed precision DTypePolicy. Valid policies include 'mixed_float16', 'mixed_bfloat16', " +
                "and the name of a float dtype: 'float32', 'bfloat16', 'float16', 'float64'.", nameof(name)),
        };
        Name = name;
    }

    /// <summary>The policy's Keras name, e.g. <c>"mixed_bfloat16"</c>.</summary>
    public string Name { get; }

    /// <summary>The dtype layers compute in (their inputs, outputs and the weights as they use them).</summary>
    public ScalarType ComputeDtype { get; }

    /// <summary>The dtype layers keep their weights in (and the optimizer updates them in).</summary>
    public ScalarType VariableDtype { get; }

    /// <summary>Whether weights and computation differ (the <c>mixed_</c> policies).</summary>
    public bool IsMixed => ComputeDtype != VariableDtype;

    /// <summary>Whether a dtype is a 16-bit float (float16 or bfloat16), the compute dtypes of the mixed policies.</summary>
    internal static bool IsHalf(ScalarType dtype) => dtype is ScalarType.BFloat16 or ScalarType.Float16;

    /// <summary>The default policy, <c>"float32"</c>.</summary>
    public static DTypePolicy Float32 { get; } = new("float32");

    /// <summary>A policy from its name, so that a string can stand where a policy is expected.</summary>
    /// <param name="name">A Keras policy name.</param>
    public static implicit operator DTypePolicy(string name) => new(name);

    /// <inheritdoc/>
    public bool Equals(DTypePolicy? other) => other is not null && other.Name == Name;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as DTypePolicy);

    /// <inheritdoc/>
    public override int GetHashCode() => Name.GetHashCode(StringComparison.Ordinal);

    /// <summary>As Keras prints it: <c>&lt;DTypePolicy "mixed_bfloat16"&gt;</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"<DTypePolicy \"{Name}\">";
}
