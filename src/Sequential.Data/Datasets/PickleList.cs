namespace Sequential.Data;

/// <summary>
/// A Python list read by <see cref="PickleReader"/>. A list of integers (a review in <c>imdb.npz</c>: millions of
/// them in all) is kept as <c>long</c>s rather than one boxed object each; a list holding anything else keeps objects.
/// </summary>
internal sealed class PickleList
{
    private List<long>? _integers = [];
    private List<object?>? _objects;

    /// <summary>Number of items.</summary>
    public int Count => _integers?.Count ?? _objects!.Count;

    /// <summary>Whether every item is an integer (true for an empty list).</summary>
    public bool IsIntegers => _integers is not null;

    /// <summary>The items when <see cref="IsIntegers"/>.</summary>
    public List<long> Integers => _integers ?? throw new InvalidOperationException("The list holds more than integers.");

    /// <summary>Item <paramref name="index"/> (an integer item boxed).</summary>
    public object? this[int index] => _integers is { } integers ? integers[index] : _objects![index];

    /// <summary>Appends a value as Python's <c>list.append</c>.</summary>
    public void Add(object? item)
    {
        if (_integers is { } integers)
        {
            if (item is long value)
            {
                integers.Add(value);
                return;
            }
            _objects = new List<object?>(integers.Count + 1);
            foreach (long i in integers) _objects.Add(i);
            _integers = null;
        }
        _objects!.Add(item);
    }
}
