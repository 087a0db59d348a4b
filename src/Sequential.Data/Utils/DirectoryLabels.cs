namespace Sequential.Data;

/// <summary>
/// The <c>labels</c> argument of <see cref="Utils.ImageDatasetFromDirectory"/>, as Keras reads it: <c>"inferred"</c> (the
/// default: one class per subfolder), <c>null</c> (no labels), or an explicit list of integer labels, one per image file
/// in Keras's file order. Strings and integer arrays convert implicitly, so <c>labels: null</c>,
/// <c>labels: "inferred"</c> and <c>labels: new[] { 0, 1, 0 }</c> read as in Keras.
/// </summary>
/// <example><code>var ds = ImageDatasetFromDirectory("flowers", labels: null);   // images alone</code></example>
public readonly struct DirectoryLabels
{
    private readonly bool _given;
    private readonly string? _mode;

    private DirectoryLabels(string? mode, int[]? values)
    {
        _given = true;
        _mode = mode;
        Values = values;
    }

    /// <summary><c>"inferred"</c>, or <c>null</c> for no labels; any other text is refused when used (Keras's message).</summary>
    /// <param name="mode">The mode.</param>
    /// <example><code>ImageDatasetFromDirectory("photos", labels: null);</code></example>
    public static implicit operator DirectoryLabels(string? mode) => new(mode, null);

    /// <summary>Explicit integer labels, one per image file in the alphanumeric order of their paths.</summary>
    /// <param name="values">The labels (copied). An <c>int[]</c> converts too; a span rather than an array so that
    /// <c>labels: null</c> means Keras's <c>labels=None</c> without ambiguity.</param>
    /// <example><code>ImageDatasetFromDirectory("photos", labels: new[] { 0, 1, 1, 0 });</code></example>
    public static implicit operator DirectoryLabels(ReadOnlySpan<int> values) => new(null, values.ToArray());

    /// <summary>Explicit integer labels from any sequence.</summary>
    /// <param name="values">The labels.</param>
    /// <returns>The labels argument.</returns>
    /// <example><code>ImageDatasetFromDirectory("photos", labels: DirectoryLabels.Of(myList));</code></example>
    public static DirectoryLabels Of(IEnumerable<int> values) => new(null, [.. values ?? throw new ArgumentNullException(nameof(values))]);

    /// <summary>The mode when no explicit labels are given: "inferred" (also for <c>default</c>), another text, or null (no labels).</summary>
    /// <example><code>DirectoryLabels labels = "inferred"; Console.WriteLine(labels.Mode);</code></example>
    public string? Mode => _given ? _mode : "inferred";

    /// <summary>The explicit labels, or null.</summary>
    /// <example><code>DirectoryLabels labels = new[] { 0, 1 }; Console.WriteLine(labels.Values!.Length);   // 2</code></example>
    public IReadOnlyList<int>? Values { get; }

    /// <summary>Whether these are Keras's <c>labels="inferred"</c>.</summary>
    internal bool Inferred => Values is null && Mode == "inferred";

    /// <summary>Whether these are Keras's <c>labels=None</c>.</summary>
    internal bool None => Values is null && Mode is null;

    /// <summary>The argument as Keras prints it in a message.</summary>
    /// <returns>The text.</returns>
    /// <example><code>Console.WriteLine((DirectoryLabels)new[] { 0, 1 });   // [0, 1]</code></example>
    public override string ToString() => Values is { } v ? $"[{string.Join(", ", v)}]" : Mode ?? "None";
}
