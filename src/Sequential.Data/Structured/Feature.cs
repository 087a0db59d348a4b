namespace Sequential.Data;

/// <summary>
/// How <see cref="FeatureSpace"/> preprocesses and encodes one feature (Keras's <c>FeatureSpace</c> feature
/// specification): made by <see cref="FeatureSpace.Float"/>, <see cref="FeatureSpace.FloatNormalized"/>,
/// <see cref="FeatureSpace.StringCategorical"/> and the other factories, or written as Keras's type name
/// (<c>"float_normalized"</c>), which converts implicitly and takes the FeatureSpace's defaults.
/// </summary>
public sealed class Feature
{
    internal static readonly string[] Kinds =
        ["float", "float_normalized", "float_rescaled", "float_discretized", "integer_categorical", "string_categorical",
         "integer_hashed", "string_hashed"];

    internal Feature(string kind, string dtype, string outputMode, object? preprocessor = null)
    {
        if (outputMode is not ("int" or "one_hot" or "float"))
            throw new ArgumentException(
                $"Invalid value for argument outputMode. Expected one of \"int\", \"one_hot\", \"float\". Received: outputMode=\"{outputMode}\".",
                nameof(outputMode));
        Kind = kind;
        Dtype = dtype;
        OutputMode = outputMode;
        Preprocessor = preprocessor;
    }

    /// <summary>Keras's feature type name (<c>float_normalized</c>, ...), or <c>custom</c> for <see cref="FeatureSpace.Feature"/>.</summary>
    public string Kind { get; }

    /// <summary>The dtype the raw values are read as: <c>float32</c>, <c>int32</c> or <c>string</c> (Keras's names).</summary>
    public string Dtype { get; }

    /// <summary>How the preprocessed feature is encoded: <c>float</c> (as it is), <c>int</c> (indices) or <c>one_hot</c>.</summary>
    public string OutputMode { get; }

    /// <summary>The preprocessor: a layer (Normalization, Discretization, IntegerLookup, Hashing, Rescaling, ...) or a
    /// <see cref="Layers.StringLookup"/>; null for <c>float</c> and until the FeatureSpace creates it from a type name.</summary>
    public object? Preprocessor { get; internal set; }

    /// <summary>For <c>float_discretized</c>: Keras's <c>num_bins</c>, the one-hot width.</summary>
    internal int? DiscretizationBins { get; init; }

    /// <summary>True for a bare type name, which the FeatureSpace turns into a feature with its defaults.</summary>
    internal bool IsTypeName { get; init; }

    /// <summary>Keras's shorthand: a feature type name such as <c>"integer_categorical"</c>, with the FeatureSpace's defaults.</summary>
    /// <param name="kind">One of <c>float</c>, <c>float_normalized</c>, <c>float_rescaled</c>, <c>float_discretized</c>,
    /// <c>integer_categorical</c>, <c>string_categorical</c>, <c>integer_hashed</c>, <c>string_hashed</c>.</param>
    /// <returns>A placeholder the FeatureSpace resolves.</returns>
    /// <exception cref="ArgumentException">An unknown type name (Keras's "Invalid feature type").</exception>
    public static implicit operator Feature(string kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (!Kinds.Contains(kind))
            throw new ArgumentException($"Invalid feature type: {kind}. Accepted: {string.Join(", ", Kinds)}.", nameof(kind));
        return new Feature(kind, "", "float") { IsTypeName = true };
    }
}
