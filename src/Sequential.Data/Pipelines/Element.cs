using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Data;

/// <summary>
/// One element of a <see cref="Dataset"/>: the inputs <see cref="X"/> and, when the data has them, the targets
/// <see cref="Y"/> (Keras's <c>(x, y)</c>; <c>x</c> alone for <c>Dataset.FromTensorSlices(x)</c>). Before
/// <see cref="Dataset.Batch"/> an element is one sample; after it, a batch.
/// </summary>
/// <remarks>
/// The tensors of an element handed to user code (<see cref="Dataset.Elements"/>, a <see cref="Dataset.Map(Func{Element, Element}, int?)"/>
/// function) belong to it: the dataset disposes those its function does not return, and those it hands out join the
/// caller's <c>DisposeScope</c>. Do not change them in place (write <c>x / 255f</c>, not <c>x.div_(255)</c>).
/// </remarks>
/// <example>
/// <code>
/// var ds = Dataset.FromTensorSlices(x, y).Map(e => new Element(e.X.Tensor * 2, e.Y));
/// foreach (var (x2, y2) in ds.Elements()) Console.WriteLine($"{x2} -> {y2}");
/// </code>
/// </example>
public sealed class Element
{
    /// <summary>An element of inputs and, optionally, targets.</summary>
    /// <param name="x">The inputs: a tensor, strings, or a dictionary by input name.</param>
    /// <param name="y">The targets, or null when the data has none.</param>
    /// <example><code>var e = new Element(torch.ones(4), torch.tensor(1L));</code></example>
    public Element(Component x, Component? y = null)
    {
        X = x ?? throw new ArgumentNullException(nameof(x));
        Y = y;
    }

    /// <summary>The inputs.</summary>
    /// <example><code>Tensor images = element.X.Tensor;   // Keras: x of (x, y)</code></example>
    public Component X { get; }

    /// <summary>The targets; null when the data has none (<c>Dataset.FromTensorSlices(x)</c>).</summary>
    /// <example><code>Tensor? labels = element.Y?.Tensor;</code></example>
    public Component? Y { get; }

    /// <summary>Deconstructs the element: <c>var (x, y) = element;</c>.</summary>
    /// <param name="x">The inputs.</param>
    /// <param name="y">The targets, or null.</param>
    /// <example><code>ds.Map(e => { var (x, y) = e; return new Element(x.Tensor / 255f, y); });</code></example>
    public void Deconstruct(out Component x, out Component? y)
    {
        x = X;
        y = Y;
    }

    /// <summary>Describes the element as errors show it: <c>(x: float32 (4,), y: int64 ())</c>.</summary>
    /// <returns>The description.</returns>
    /// <example><code>Console.WriteLine(ds.Elements().First());   // (x: float32 (32, 4), y: int64 (32,))</code></example>
    public override string ToString() => Y is null ? $"(x: {X})" : $"(x: {X}, y: {Y})";

    /// <summary>The structure without shapes: <c>(x: tensor, y: tensor)</c>.</summary>
    internal string StructureText() => Y is null ? $"(x: {X.StructureText()})" : $"(x: {X.StructureText()}, y: {Y.StructureText()})";

    /// <summary>Same structure (kinds and names), ignoring shapes.</summary>
    internal bool SameStructure(Element other) =>
        Component.SameStructure(X, other.X) && Component.SameStructure(Y, other.Y);

    /// <summary>The leaves (tensors and strings) with their paths: <c>x</c>, <c>x['age']</c>, <c>y</c>.</summary>
    internal List<(string Path, Component Leaf)> Leaves()
    {
        var leaves = new List<(string, Component)>();
        X.AddLeaves("x", leaves);
        Y?.AddLeaves("y", leaves);
        return leaves;
    }

    /// <summary>The same structure with each leaf replaced (in <see cref="Leaves"/>' order).</summary>
    internal Element Rebuild(Func<Component, Component> leaf)
    {
        var x = X.Rebuild(leaf);
        var y = Y?.Rebuild(leaf);
        return ReferenceEquals(x, X) && ReferenceEquals(y, Y) ? this : new Element(x, y);
    }

    /// <summary>The tensors this element owns (slices own none).</summary>
    internal IEnumerable<Tensor> OwnedTensors()
    {
        foreach (var (_, leaf) in Leaves())
            if (leaf.Owned is { } t)
                yield return t;
    }

    /// <summary>Disposes the tensors the element owns.</summary>
    internal void DisposeTensors()
    {
        foreach (var t in OwnedTensors()) t.Dispose();
    }

    /// <summary>
    /// The element with each slice read into a tensor of its own (a copy, so that nothing downstream can change the
    /// source). The tensors made are added to <paramref name="made"/> when given; the element's own tensors are shared.
    /// </summary>
    internal Element Materialize(List<Tensor>? made = null)
    {
        return Rebuild(leaf =>
        {
            if (!leaf.IsSlice) return leaf;
            var copy = Read(leaf);
            made?.Add(copy);
            return new Component(copy);
        });
    }

    /// <summary>A copy of a slice's row, owned by the caller (in no DisposeScope).</summary>
    internal static Tensor Read(Component slice)
    {
        using var row = slice.Source.select(0, slice.Row);
        return Owned.Detach(row.clone());
    }

    /// <summary>The element with copies of its owned tensors (for a cache: what is handed out may be changed or disposed).</summary>
    internal Element CloneTensors() =>
        Rebuild(leaf => leaf.Owned is { } t ? new Component(Owned.Detach(t.clone())) : leaf);

    /// <summary>Attaches the element's tensors to <paramref name="scope"/> (the consumer's), when there is one.</summary>
    internal void AttachTo(DisposeScope? scope)
    {
        if (scope is null) return;
        foreach (var t in OwnedTensors()) scope.Attach(t);
    }
}
