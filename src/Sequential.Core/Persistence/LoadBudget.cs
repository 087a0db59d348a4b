using System.Globalization;
using Sequential.Layers;

namespace Sequential.Persistence;

/// <summary>
/// While a file's model is built (<c>Load</c>, or <c>LoadWeights</c> into an unbuilt model), bounds the values the
/// layers may create by the values the file's weights hold. Every weight and state tensor of a model that fits the
/// file is in the file, so a configuration asking for more (a hostile or corrupted <c>units: 300000000</c>) fails
/// before the allocation, naming the file and the layer, instead of allocating gigabytes.
/// </summary>
/// <remarks>Counted per thread: building is synchronous, and another thread's model is not bounded by this file.</remarks>
internal sealed class LoadBudget : IDisposable
{
    [ThreadStatic] private static LoadBudget? _current;

    private readonly LoadBudget? _outer;
    private readonly string _source;
    private readonly long _total;
    private readonly Dictionary<string, long[]> _shapes;
    private long _used;

    private LoadBudget(string source, SafeTensors.Header weights)
    {
        _source = source;
        _total = weights.TotalValues;
        _shapes = weights.Entries.ToDictionary(e => e.Name, e => e.Shape);
        _outer = _current;
        _current = this;
    }

    /// <summary>Bounds what building creates, until disposed, by the element count of the file's tensors.</summary>
    /// <param name="source">The file, named by the error.</param>
    /// <param name="weights">The checked header of the file's weights.</param>
    /// <returns>The scope; dispose it when building is done.</returns>
    public static LoadBudget Begin(string source, SafeTensors.Header weights) => new(source, weights);

    /// <summary>
    /// Checks a tensor that <paramref name="layer"/> is about to create: its sizes must be non-negative with an element
    /// count that fits in 64 bits, and, while a file is being loaded, within what the file's weights hold.
    /// </summary>
    /// <exception cref="ArgumentException">A negative size, or too many elements for 64 bits (outside a load).</exception>
    /// <exception cref="InvalidDataException">While loading: the file's weights do not hold that many values.</exception>
    public static void Charge(Layer layer, string name, IReadOnlyList<long> shape)
    {
        long values;
        string problem;
        try
        {
            values = shape.Any(d => d < 0) ? -1 : SafeTensors.Elements(shape);
            problem = values < 0 ? "has a negative size" : "";
        }
        catch (OverflowException)
        {
            values = -1;
            problem = "has more elements than fit in 64 bits";
        }
        var budget = _current;
        if (values >= 0 && (budget is null || values <= budget._total - budget._used))
        {
            if (budget is not null) budget._used += values;
            return;
        }
        string what = $"layer \"{layer.Name}\" ({layer.TypeName}) would create \"{name}\" with shape {Shapes.Format(shape)}";
        if (budget is null)
            throw new ArgumentException($"{Capitalized(what)}, which {problem}. Check the layer's arguments and its input shape.");
        string count = values < 0 ? problem : $"({values.ToString("N0", CultureInfo.InvariantCulture)} values)";
        // In a SequentialModel the weight's saved name is "<layer>.<weight>": show the file's shape for it when there is one.
        string saved = budget._shapes.TryGetValue($"{layer.Name}.{name}", out var fileShape)
            ? $"; the file has shape {Shapes.Format(fileShape)} for it"
            : "";
        throw new InvalidDataException(
            $"'{budget._source}' does not fit: {what} {count}, but the file's weights hold {budget._total.ToString("N0", CultureInfo.InvariantCulture)} " +
            $"values in all ({(budget._total - budget._used).ToString("N0", CultureInfo.InvariantCulture)} not used by earlier weights){saved}. " +
            "The file is corrupted, or was not written for this model.");

        static string Capitalized(string s) => char.ToUpperInvariant(s[0]) + s[1..];
    }

    /// <summary>Ends the bound (nested scopes restore the outer one).</summary>
    public void Dispose() => _current = _outer;
}
