using System.Collections;
using Sequential.Layers;

namespace Sequential.Data;

/// <summary>
/// Strings with a shape, as TensorFlow's <c>tf.string</c> tensors: a dataset element of text holds one string (shape
/// <c>()</c>), a batch of them holds <c>[N]</c>. libtorch has no string tensors, so strings travel beside the tensors
/// of an <see cref="Element"/> as this managed type (nothing to dispose).
/// </summary>
/// <remarks>The values are stored flat in row-major order; the list view enumerates them in that order.</remarks>
/// <example>
/// Keras's <c>tf.data.Dataset.from_tensor_slices((texts, labels)).batch(32)</c> gives batches whose <c>x</c> is a
/// <see cref="StringTensor"/> of shape <c>[32]</c>:
/// <code>
/// var ds = Dataset.FromTensorSlices(new[] { "good movie", "bad movie" }, torch.tensor(new[] { 1L, 0L })).Batch(32);
/// foreach (var element in ds.Elements())
/// {
///     StringTensor texts = element.X.Strings;   // [32] strings, for TextVectorization
/// }
/// </code>
/// </example>
public sealed class StringTensor : IReadOnlyList<string>
{
    private readonly string[] _values;
    private readonly long[] _shape;

    /// <summary>One string (shape <c>()</c>).</summary>
    /// <param name="value">The string.</param>
    /// <example><code>var s = new StringTensor("hello");   // tf.constant("hello")</code></example>
    public StringTensor(string value) : this([value ?? throw new ArgumentNullException(nameof(value))], []) { }

    /// <summary>A vector of strings (shape <c>[values.Count]</c>).</summary>
    /// <param name="values">The strings; none may be null.</param>
    /// <example><code>var s = new StringTensor(new[] { "a", "b" });   // tf.constant(["a", "b"])</code></example>
    public StringTensor(IReadOnlyList<string> values) : this(Copy(values), [values.Count]) { }

    /// <summary>Strings of any shape, flat in row-major order.</summary>
    /// <param name="values">The strings, <c>product(shape)</c> of them; none may be null.</param>
    /// <param name="shape">The shape; every size at least 0.</param>
    /// <exception cref="ArgumentException">The count does not match the shape, a size is negative, or a string is null.</exception>
    /// <example><code>var grid = new StringTensor(new[] { "a", "b", "c", "d" }, new long[] { 2, 2 });</code></example>
    public StringTensor(IReadOnlyList<string> values, IReadOnlyList<long> shape) : this(Copy(values), [.. shape ?? throw new ArgumentNullException(nameof(shape))]) { }

    private StringTensor(string[] values, long[] shape)
    {
        if (shape.Any(d => d < 0))
            throw new ArgumentException($"A StringTensor's sizes must be 0 or more; got shape {Shapes.Format(shape)}.", nameof(shape));
        long count = 1;
        foreach (long d in shape) count = checked(count * d);
        if (count != values.Length)
            throw new ArgumentException(
                $"A StringTensor of shape {Shapes.Format(shape)} holds {count} strings; got {values.Length}.", nameof(values));
        _values = values;
        _shape = shape;
    }

    private static string[] Copy(IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var copy = values.ToArray();
        int missing = Array.IndexOf(copy, null);
        if (missing >= 0)
            throw new ArgumentException($"A StringTensor cannot hold null strings; the string at index {missing} is null.", nameof(values));
        return copy;
    }

    /// <summary>Wraps arrays this assembly built and will not change (no copy).</summary>
    internal static StringTensor Wrap(string[] values, long[] shape) => new(values, shape);

    /// <summary>The shape: <c>()</c> for one string, <c>[N]</c> for a batch.</summary>
    /// <example><code>long batch = texts.Shape[0];   // after Batch</code></example>
    public IReadOnlyList<long> Shape => _shape;

    /// <summary>The number of strings (the product of <see cref="Shape"/>).</summary>
    /// <example><code>int n = texts.Count;</code></example>
    public int Count => _values.Length;

    /// <summary>The string at a flat (row-major) index.</summary>
    /// <param name="index">In <c>[0, Count)</c>.</param>
    /// <example><code>string first = texts[0];</code></example>
    public string this[int index] => _values[index];

    /// <summary>The one string of a shape-<c>()</c> tensor.</summary>
    /// <exception cref="InvalidOperationException">The tensor holds more than one string or has a non-empty shape.</exception>
    /// <example><code>string text = element.X.Strings.Value;   // before Batch</code></example>
    public string Value => _shape.Length == 0 ? _values[0] : throw new InvalidOperationException(
        $"This StringTensor has shape {Shapes.Format(_shape)}; Value reads a single string (shape ()). Index it or enumerate it instead.");

    /// <summary>The strings, flat in row-major order.</summary>
    /// <returns>An enumerator over the strings.</returns>
    /// <example><code>foreach (string text in element.X.Strings) Console.WriteLine(text);</code></example>
    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)_values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The strings as a new array (flat, row-major).</summary>
    /// <returns>A copy of the strings.</returns>
    /// <example><code>string[] texts = element.X.Strings.ToArray();</code></example>
    public string[] ToArray() => (string[])_values.Clone();

    internal ReadOnlySpan<string> Span => _values;

    /// <summary>Describes the tensor: <c>strings (2,)</c>.</summary>
    /// <returns>The description.</returns>
    /// <example><code>Console.WriteLine(texts);   // strings (32,)</code></example>
    public override string ToString() => $"strings {Shapes.Format(_shape)}";
}
