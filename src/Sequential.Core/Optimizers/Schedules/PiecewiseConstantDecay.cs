namespace Sequential.Optimizers;

/// <summary>
/// Keras's <c>PiecewiseConstantDecay</c>: <c>values[0]</c> while <c>step &lt;= boundaries[0]</c>, <c>values[1]</c> while
/// <c>boundaries[0] &lt; step &lt;= boundaries[1]</c>, ..., and <c>values[^1]</c> after the last boundary.
/// </summary>
/// <example><code>new SGD(learningRate: new PiecewiseConstantDecay([100000, 110000], [1.0, 0.5, 0.1]))</code></example>
public sealed class PiecewiseConstantDecay : LearningRateSchedule
{
    private readonly long[] _boundaries;
    private readonly double[] _values;

    /// <summary>Creates the schedule.</summary>
    /// <param name="boundaries">Strictly increasing steps.</param>
    /// <param name="values">One more value than boundaries: the learning rate of each interval.</param>
    /// <param name="name">Keras's name.</param>
    /// <exception cref="ArgumentException">The counts do not fit or the boundaries do not increase.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value is not finite.</exception>
    public PiecewiseConstantDecay(IReadOnlyList<long> boundaries, IReadOnlyList<double> values, string name = "PiecewiseConstant")
    {
        ArgumentNullException.ThrowIfNull(boundaries);
        ArgumentNullException.ThrowIfNull(values);
        if (boundaries.Count != values.Count - 1)
            throw new ArgumentException(
                $"The length of boundaries should be 1 less than the length of values; got {boundaries.Count} boundaries and {values.Count} values.",
                nameof(values));
        for (int i = 1; i < boundaries.Count; i++)
            if (boundaries[i] <= boundaries[i - 1])
                throw new ArgumentException(
                    $"PiecewiseConstantDecay boundaries must be strictly increasing; boundaries[{i}] = {boundaries[i]} follows {boundaries[i - 1]}.",
                    nameof(boundaries));
        foreach (var v in values) CheckFinite(v, nameof(values));
        (_boundaries, _values, Name) = ([.. boundaries], [.. values], name);
    }

    /// <summary>The boundaries.</summary>
    public IReadOnlyList<long> Boundaries => _boundaries;

    /// <summary>The values.</summary>
    public IReadOnlyList<double> Values => _values;

    /// <summary>Keras's name.</summary>
    public string Name { get; }

    /// <inheritdoc/>
    public override double Call(long step)
    {
        for (int i = 0; i < _boundaries.Length; i++)
            if (step <= _boundaries[i]) return _values[i];
        return _values[^1];
    }
}
