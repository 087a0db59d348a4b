using System.Collections.ObjectModel;
using Sequential.Layers;
using static TorchSharp.torch;

namespace Sequential.Data;

/// <summary>
/// One part of a dataset <see cref="Element"/> (tf.data's "component"): a tensor, strings, or components by name
/// (Keras's dictionaries of inputs, <c>{"image": ..., "meta": ...}</c>, and the columns of structured data).
/// </summary>
/// <remarks>
/// A tensor converts to a component implicitly, so <c>new Element(x, y)</c> takes tensors. Reading the wrong kind
/// (<see cref="Tensor"/> of a dictionary, say) throws an <see cref="InvalidOperationException"/> that says what the
/// component holds.
/// </remarks>
/// <example>
/// Keras's <c>ds.map(lambda x, y: ({"image": x / 255, "meta": m}, y))</c>:
/// <code>
/// ds.Map(e => new Element(new Component(new Dictionary&lt;string, Tensor&gt; { ["image"] = e.X.Tensor / 255f, ["meta"] = m }), e.Y));
/// </code>
/// </example>
public sealed class Component
{
    private readonly Tensor? _tensor;
    private readonly StringTensor? _strings;
    private readonly IReadOnlyDictionary<string, Component>? _dictionary;

    // A row of a dataset's source tensor that has not been read yet (FromTensorSlices): Batch gathers such rows with
    // one index_select instead of copying them one by one. Never handed to user code (see Element.Materialize).
    private readonly Tensor? _source;
    private readonly long _row;

    /// <summary>A tensor component.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <example><code>var c = new Component(torch.ones(3));</code></example>
    public Component(Tensor tensor)
    {
        _tensor = tensor ?? throw new ArgumentNullException(nameof(tensor));
        Kind = ComponentKind.Tensor;
    }

    /// <summary>A strings component (TensorFlow's <c>tf.string</c>).</summary>
    /// <param name="strings">The strings.</param>
    /// <example><code>var c = new Component(new StringTensor("a cat"));</code></example>
    public Component(StringTensor strings)
    {
        _strings = strings ?? throw new ArgumentNullException(nameof(strings));
        Kind = ComponentKind.Strings;
    }

    /// <summary>A dictionary of tensors, in the given order (Keras's <c>{"image": x1, "meta": x2}</c>).</summary>
    /// <param name="tensors">The tensors by name; at least one, names unique and non-empty.</param>
    /// <exception cref="ArgumentException">No entries, an empty or repeated name, or a null tensor.</exception>
    /// <example><code>var c = new Component(new Dictionary&lt;string, Tensor&gt; { ["image"] = images, ["meta"] = meta });</code></example>
    public Component(IEnumerable<KeyValuePair<string, Tensor>> tensors)
        : this((tensors ?? throw new ArgumentNullException(nameof(tensors)))
            .Select(p => new KeyValuePair<string, Component>(p.Key, new Component(p.Value ?? throw new ArgumentException(
                $"The tensor named '{p.Key}' is null; every entry needs a tensor.", nameof(tensors))))))
    {
    }

    /// <summary>A dictionary of components (tensors, strings, or nested dictionaries), in the given order.</summary>
    /// <param name="components">The components by name; at least one, names unique and non-empty.</param>
    /// <exception cref="ArgumentException">No entries, an empty or repeated name, or a null component.</exception>
    /// <example>
    /// A table row with a numeric and a text column:
    /// <code>var row = new Component(new Dictionary&lt;string, Component&gt; { ["age"] = ages, ["city"] = new StringTensor(cities) });</code>
    /// </example>
    public Component(IEnumerable<KeyValuePair<string, Component>> components)
    {
        ArgumentNullException.ThrowIfNull(components);
        var entries = new OrderedDictionary<string, Component>(StringComparer.Ordinal);
        foreach (var (name, value) in components)
        {
            if (string.IsNullOrEmpty(name))
                throw new ArgumentException("A dictionary component's names must be non-empty.", nameof(components));
            if (value is null)
                throw new ArgumentException($"The component named '{name}' is null; every entry needs a value.", nameof(components));
            if (!entries.TryAdd(name, value))
                throw new ArgumentException($"The name '{name}' appears twice in a dictionary component; names must be unique.", nameof(components));
        }
        if (entries.Count == 0)
            throw new ArgumentException("A dictionary component needs at least one entry.", nameof(components));
        _dictionary = new ReadOnlyDictionary<string, Component>(entries);
        Kind = ComponentKind.Dictionary;
    }

    private Component(Tensor source, long row)
    {
        _source = source;
        _row = row;
        Kind = ComponentKind.Tensor;
    }

    /// <summary>Row <paramref name="row"/> of <paramref name="source"/>, read only when needed.</summary>
    internal static Component Slice(Tensor source, long row) => new(source, row);

    /// <summary>Converts a tensor to a component.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <example><code>Component c = torch.ones(3);   var e = new Element(x, y);   // tensors convert</code></example>
    public static implicit operator Component(Tensor tensor) => new(tensor);

    /// <summary>Converts strings to a component.</summary>
    /// <param name="strings">The strings.</param>
    /// <example><code>Component c = new StringTensor("a cat");</code></example>
    public static implicit operator Component(StringTensor strings) => new(strings);

    /// <summary>What this component holds.</summary>
    /// <example><code>if (element.X.Kind == ComponentKind.Strings) Console.WriteLine(element.X.Strings.Count);</code></example>
    public ComponentKind Kind { get; }

    /// <summary>The tensor of a tensor component.</summary>
    /// <exception cref="InvalidOperationException">The component holds strings or a dictionary.</exception>
    /// <example><code>Tensor image = element.X.Tensor;</code></example>
    public Tensor Tensor => _tensor ?? (_source is not null
        ? throw new InvalidOperationException("Internal error: a dataset row was handed out before it was read.")
        : throw WrongKind("a tensor", nameof(Tensor)));

    /// <summary>The strings of a strings component.</summary>
    /// <exception cref="InvalidOperationException">The component holds a tensor or a dictionary.</exception>
    /// <example><code>StringTensor texts = element.X.Strings;</code></example>
    public StringTensor Strings => _strings ?? throw WrongKind("strings", nameof(Strings));

    /// <summary>The components by name of a dictionary component, in their order.</summary>
    /// <exception cref="InvalidOperationException">The component holds a tensor or strings.</exception>
    /// <example><code>foreach (var (name, column) in element.X.Dictionary) Console.WriteLine($"{name}: {column}");</code></example>
    public IReadOnlyDictionary<string, Component> Dictionary => _dictionary ?? throw WrongKind("a dictionary", nameof(Dictionary));

    /// <summary>The component named <paramref name="name"/> of a dictionary component.</summary>
    /// <param name="name">The name.</param>
    /// <exception cref="InvalidOperationException">The component is not a dictionary.</exception>
    /// <exception cref="KeyNotFoundException">No entry has that name; the message lists the names.</exception>
    /// <example><code>Tensor age = element.X["age"].Tensor;</code></example>
    public Component this[string name] => Dictionary.TryGetValue(name, out var value) ? value
        : throw new KeyNotFoundException($"This dictionary component has no entry '{name}'; its names are {string.Join(", ", Dictionary.Keys.Select(k => $"'{k}'"))}.");

    private InvalidOperationException WrongKind(string wanted, string property) => new(
        $"This component holds {Describe()}, not {wanted}; read {Kind switch { ComponentKind.Tensor => "Tensor", ComponentKind.Strings => "Strings", _ => "Dictionary" }} instead of {property}.");

    /// <summary>True for a row of a source tensor not read yet.</summary>
    internal bool IsSlice => _source is not null;

    /// <summary>The source tensor of a slice.</summary>
    internal Tensor Source => _source!;

    /// <summary>The row of a slice.</summary>
    internal long Row => _row;

    /// <summary>The tensor of a tensor component that is not a slice, else null.</summary>
    internal Tensor? Owned => _tensor;

    /// <summary>The element type of a tensor component (slice or not).</summary>
    internal ScalarType DType => (_tensor ?? _source!).dtype;

    /// <summary>The shape of a tensor component (a slice's is its source's without the first dimension).</summary>
    internal long[] Shape => _tensor is not null ? _tensor.shape : _source!.shape[1..];

    /// <summary>Describes the component as errors show it: <c>float32 (28, 28)</c>, <c>strings ()</c>, <c>{a: ..., b: ...}</c>.</summary>
    /// <returns>The description.</returns>
    /// <example><code>Console.WriteLine(element.X);   // float32 (28, 28)</code></example>
    public override string ToString() => Describe();

    private string Describe() => Kind switch
    {
        ComponentKind.Tensor => $"{DTypeName(DType)} {Shapes.Format(Shape)}",
        ComponentKind.Strings => _strings!.ToString(),
        _ => "{" + string.Join(", ", _dictionary!.Select(p => $"{p.Key}: {p.Value.Describe()}")) + "}",
    };

    /// <summary>Keras's name of a dtype: <c>float32</c>, <c>int64</c>, <c>uint8</c>, <c>bool</c>.</summary>
    internal static string DTypeName(ScalarType dtype) => dtype switch
    {
        ScalarType.Byte => "uint8",
        ScalarType.Int8 => "int8",
        ScalarType.Int16 => "int16",
        ScalarType.Int32 => "int32",
        ScalarType.Int64 => "int64",
        ScalarType.Float16 => "float16",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float32 => "float32",
        ScalarType.Float64 => "float64",
        ScalarType.Bool => "bool",
        _ => dtype.ToString().ToLowerInvariant(),
    };

    /// <summary>Adds the leaves (tensors and strings), depth first in dictionary order, with their paths.</summary>
    internal void AddLeaves(string path, List<(string Path, Component Leaf)> leaves)
    {
        if (_dictionary is null)
        {
            leaves.Add((path, this));
            return;
        }
        foreach (var (name, value) in _dictionary)
            value.AddLeaves($"{path}['{name}']", leaves);
    }

    /// <summary>The same structure with each leaf replaced (in <see cref="AddLeaves"/>'s order); unchanged parts are shared.</summary>
    internal Component Rebuild(Func<Component, Component> leaf)
    {
        if (_dictionary is null) return leaf(this);
        bool changed = false;
        var entries = new List<KeyValuePair<string, Component>>(_dictionary.Count);
        foreach (var (name, value) in _dictionary)
        {
            var rebuilt = value.Rebuild(leaf);
            changed |= !ReferenceEquals(rebuilt, value);
            entries.Add(new(name, rebuilt));
        }
        return changed ? new Component(entries) : this;
    }

    /// <summary>Same kinds and the same names in the same order (tensor shapes and dtypes may differ).</summary>
    internal static bool SameStructure(Component? a, Component? b)
    {
        if (a is null || b is null) return a is null && b is null;
        if (a.Kind != b.Kind) return false;
        if (a.Kind != ComponentKind.Dictionary) return true;
        if (a._dictionary!.Count != b._dictionary!.Count) return false;
        foreach (var ((nameA, valueA), (nameB, valueB)) in a._dictionary.Zip(b._dictionary))
            if (nameA != nameB || !SameStructure(valueA, valueB)) return false;
        return true;
    }

    /// <summary>The structure without shapes: <c>tensor</c>, <c>strings</c>, <c>{a: tensor, b: strings}</c>.</summary>
    internal string StructureText() => Kind switch
    {
        ComponentKind.Tensor => "tensor",
        ComponentKind.Strings => "strings",
        _ => "{" + string.Join(", ", _dictionary!.Select(p => $"{p.Key}: {p.Value.StructureText()}")) + "}",
    };
}
