using Sequential.Layers;

namespace Sequential;

/// <summary>
/// A placeholder for a batch in a functional model (Keras's <c>KerasTensor</c>): its per-sample shape and the layer call
/// that produces it. <see cref="Input"/> starts a graph, <see cref="Layer.Apply(SymbolicTensor[])"/> extends it, and
/// <c>new Model(inputs, outputs)</c> turns it into a model.
/// </summary>
/// <example>
/// <code>
/// var inputs = new Input(shape: [784]);
/// SymbolicTensor x = new Dense(64, activation: "relu").Apply(inputs);
/// var model = new Model(inputs, new Dense(10).Apply(x));
/// </code>
/// </example>
public class SymbolicTensor
{
    private readonly long[] _shape;

    private protected SymbolicTensor(long[] shape, Layer? layer, IReadOnlyList<SymbolicTensor> inbound, int nodeIndex, string name)
    {
        _shape = (long[])shape.Clone();
        Layer = layer;
        InboundTensors = inbound;
        NodeIndex = nodeIndex;
        Name = name;
    }

    internal static SymbolicTensor Produced(long[] shape, Layer layer, IReadOnlyList<SymbolicTensor> inbound, int nodeIndex) =>
        new(shape, layer, inbound, nodeIndex, $"{layer.Name}_output_{nodeIndex}");

    /// <summary>The per-sample shape, without the batch dimension (Keras shows it as <c>(None, ...)</c>).</summary>
    public IReadOnlyList<long> Shape => _shape;

    internal long[] ShapeArray => _shape;

    /// <summary>The layer whose call produced this tensor; null for an <see cref="Input"/>.</summary>
    public Layer? Layer { get; }

    /// <summary>The tensors that layer call took.</summary>
    public IReadOnlyList<SymbolicTensor> InboundTensors { get; }

    /// <summary>Which call of <see cref="Layer"/> produced this tensor (0 for its first), as Keras's node index.</summary>
    public int NodeIndex { get; }

    /// <summary>A name for messages and summaries.</summary>
    public string Name { get; }

    /// <inheritdoc/>
    public override string ToString() => $"<SymbolicTensor shape={Shapes.FormatBatch(_shape)}, name={Name}>";
}
