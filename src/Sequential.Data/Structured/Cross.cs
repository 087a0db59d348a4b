namespace Sequential.Data;

/// <summary>
/// A feature cross of <see cref="FeatureSpace"/> (Keras's <c>FeatureSpace.cross</c>): the preprocessed values of two or
/// more categorical features hashed together into <see cref="CrossingDim"/> bins. A tuple of names converts implicitly
/// and takes the FeatureSpace's <c>crossingDim</c>, as Keras's <c>crosses=[("a", "b")]</c>.
/// </summary>
public sealed class Cross
{
    /// <summary>Creates a cross (Keras's <c>FeatureSpace.cross(feature_names, crossing_dim, output_mode)</c>).</summary>
    /// <param name="featureNames">The crossed features, two or more.</param>
    /// <param name="crossingDim">The number of hash bins; null: the FeatureSpace's <c>crossingDim</c>.</param>
    /// <param name="outputMode"><c>"one_hot"</c> (default) or <c>"int"</c>.</param>
    /// <exception cref="ArgumentException">Fewer than two names, a non-positive crossingDim, or an unknown output mode.</exception>
    public Cross(IReadOnlyList<string> featureNames, int? crossingDim, string outputMode = "one_hot")
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        if (outputMode is not ("int" or "one_hot"))
            throw new ArgumentException(
                $"Invalid value for argument outputMode. Expected one of \"int\", \"one_hot\". Received: outputMode=\"{outputMode}\".", nameof(outputMode));
        if (featureNames.Count < 2 || featureNames.Any(string.IsNullOrEmpty))
            throw new ArgumentException($"A cross needs two or more feature names; got [{string.Join(", ", featureNames)}].", nameof(featureNames));
        if (crossingDim is <= 0)
            throw new ArgumentOutOfRangeException(nameof(crossingDim), crossingDim, $"crossingDim must be positive; got {crossingDim}.");
        FeatureNames = [.. featureNames];
        CrossingDim = crossingDim;
        OutputMode = outputMode;
    }

    /// <summary>The crossed features.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The number of hash bins, or null for the FeatureSpace's default.</summary>
    public int? CrossingDim { get; internal set; }

    /// <summary><c>one_hot</c> or <c>int</c>.</summary>
    public string OutputMode { get; }

    /// <summary>Keras's name of the cross: the feature names joined by <c>_X_</c>, e.g. <c>sex_X_age</c>.</summary>
    public string Name => string.Join("_X_", FeatureNames);

    /// <summary>Keras's <c>crosses=[("a", "b")]</c>.</summary>
    /// <param name="names">The two crossed features.</param>
    public static implicit operator Cross((string, string) names) => new([names.Item1, names.Item2], null);

    /// <summary>Keras's <c>crosses=[("a", "b", "c")]</c>.</summary>
    /// <param name="names">The three crossed features.</param>
    public static implicit operator Cross((string, string, string) names) => new([names.Item1, names.Item2, names.Item3], null);
}
