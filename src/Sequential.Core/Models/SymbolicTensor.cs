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

    private IReadOnlyList<SymbolicTensor> _callOutputs;

    private protected SymbolicTensor(long[] shape, Layer? layer, IReadOnlyList<SymbolicTensor> inbound, int nodeIndex, string name,
        int outputIndex = 0)
    {
        _shape = (long[])shape.Clone();
        Layer = layer;
        InboundTensors = inbound;
        NodeIndex = nodeIndex;
        OutputIndex = outputIndex;
        Name = name;
        _callOutputs = [this];
    }

    /// <summary>The outputs of one layer call, one per shape, named as Keras names them (<c>lstm_output_0</c>, then
    /// <c>lstm_output_0_1</c>, ... for the further outputs of the same call).</summary>
    internal static SymbolicTensor[] Produced(IReadOnlyList<long[]> shapes, Layer layer, IReadOnlyList<SymbolicTensor> inbound, int nodeIndex,
        IReadOnlyDictionary<string, object>? callOptions = null)
    {
        var outputs = new SymbolicTensor[shapes.Count];
        for (int i = 0; i < outputs.Length; i++)
            outputs[i] = new(shapes[i], layer, inbound, nodeIndex, $"{layer.Name}_output_{nodeIndex}{(i > 0 ? $"_{i}" : "")}", i)
            {
                CallOptions = callOptions,
            };
        foreach (var output in outputs) output._callOutputs = outputs;
        return outputs;
    }

    /// <summary>The options of the call that produced this tensor (Keras's non-tensor call kwargs), or null for none.</summary>
    internal IReadOnlyDictionary<string, object>? CallOptions { get; private init; }

    /// <summary>The per-sample shape, without the batch dimension (Keras shows it as <c>(None, ...)</c>).</summary>
    public IReadOnlyList<long> Shape => _shape;

    internal long[] ShapeArray => _shape;

    /// <summary>The layer whose call produced this tensor; null for an <see cref="Input"/>.</summary>
    public Layer? Layer { get; }

    /// <summary>The tensors that layer call took.</summary>
    public IReadOnlyList<SymbolicTensor> InboundTensors { get; }

    /// <summary>Which call of <see cref="Layer"/> produced this tensor (0 for its first), as Keras's node index.</summary>
    public int NodeIndex { get; }

    /// <summary>Which of the call's outputs this is (Keras's tensor index): 0 for a layer's output, 1 and on for the further
    /// outputs of a layer that returns several (a recurrent layer's states with <c>returnState</c>).</summary>
    public int OutputIndex { get; }

    /// <summary>
    /// Every output of the layer call that produced this tensor, in order (this one among them): one for most layers;
    /// <c>[output, h, c]</c> for an LSTM with <c>returnState</c>, forward then backward for a Bidirectional layer with
    /// <c>mergeMode: null</c>, one per output for a model with several. Deconstruct them as Keras's
    /// <c>outputs, h, c = LSTM(64, return_state=True)(x)</c>: <c>var (outputs, h, c) = new LSTM(64, returnState: true).Apply(x);</c>
    /// </summary>
    public IReadOnlyList<SymbolicTensor> CallOutputs => _callOutputs;

    /// <summary>The first two outputs of the call (see <see cref="CallOutputs"/>), when it has exactly two.</summary>
    /// <param name="first">Output 0.</param>
    /// <param name="second">Output 1.</param>
    /// <exception cref="InvalidOperationException">The call has another number of outputs.</exception>
    public void Deconstruct(out SymbolicTensor first, out SymbolicTensor second)
    {
        var o = Outputs(2);
        (first, second) = (o[0], o[1]);
    }

    /// <summary>The three outputs of the call, e.g. an LSTM's output, h and c with <c>returnState</c>.</summary>
    /// <param name="first">Output 0.</param>
    /// <param name="second">Output 1.</param>
    /// <param name="third">Output 2.</param>
    /// <exception cref="InvalidOperationException">The call has another number of outputs.</exception>
    public void Deconstruct(out SymbolicTensor first, out SymbolicTensor second, out SymbolicTensor third)
    {
        var o = Outputs(3);
        (first, second, third) = (o[0], o[1], o[2]);
    }

    /// <summary>The four outputs of the call, e.g. a Bidirectional GRU's output and states with <c>returnState</c>.</summary>
    /// <param name="first">Output 0.</param>
    /// <param name="second">Output 1.</param>
    /// <param name="third">Output 2.</param>
    /// <param name="fourth">Output 3.</param>
    /// <exception cref="InvalidOperationException">The call has another number of outputs.</exception>
    public void Deconstruct(out SymbolicTensor first, out SymbolicTensor second, out SymbolicTensor third, out SymbolicTensor fourth)
    {
        var o = Outputs(4);
        (first, second, third, fourth) = (o[0], o[1], o[2], o[3]);
    }

    /// <summary>The five outputs of the call, e.g. a Bidirectional LSTM's output, forward h and c, backward h and c.</summary>
    /// <param name="first">Output 0.</param>
    /// <param name="second">Output 1.</param>
    /// <param name="third">Output 2.</param>
    /// <param name="fourth">Output 3.</param>
    /// <param name="fifth">Output 4.</param>
    /// <exception cref="InvalidOperationException">The call has another number of outputs.</exception>
    public void Deconstruct(out SymbolicTensor first, out SymbolicTensor second, out SymbolicTensor third, out SymbolicTensor fourth,
        out SymbolicTensor fifth)
    {
        var o = Outputs(5);
        (first, second, third, fourth, fifth) = (o[0], o[1], o[2], o[3], o[4]);
    }

    /// <summary>The six outputs of the call: a Bidirectional LSTM with <c>mergeMode: null</c> and <c>returnState</c>
    /// (forward output, backward output, then each direction's h and c).</summary>
    /// <param name="first">Output 0.</param>
    /// <param name="second">Output 1.</param>
    /// <param name="third">Output 2.</param>
    /// <param name="fourth">Output 3.</param>
    /// <param name="fifth">Output 4.</param>
    /// <param name="sixth">Output 5.</param>
    /// <exception cref="InvalidOperationException">The call has another number of outputs.</exception>
    public void Deconstruct(out SymbolicTensor first, out SymbolicTensor second, out SymbolicTensor third, out SymbolicTensor fourth,
        out SymbolicTensor fifth, out SymbolicTensor sixth)
    {
        var o = Outputs(6);
        (first, second, third, fourth, fifth, sixth) = (o[0], o[1], o[2], o[3], o[4], o[5]);
    }

    private IReadOnlyList<SymbolicTensor> Outputs(int wanted) => _callOutputs.Count == wanted ? _callOutputs : throw new InvalidOperationException(
        $"{(Layer is null ? $"Input \"{Name}\"" : $"The call of layer \"{Layer.Name}\" ({Layer.TypeName})")} has {_callOutputs.Count} output(s), " +
        $"but {wanted} variables were given to receive them. " +
        (Layer is null || _callOutputs.Count > 1 ? "Receive as many as it returns." :
            "A recurrent layer returns its states too with returnState: true, a Bidirectional layer its two directions with mergeMode: null."));

    /// <summary>A name for messages and summaries.</summary>
    public string Name { get; }

    /// <inheritdoc/>
    public override string ToString() => $"<SymbolicTensor shape={Shapes.FormatBatch(_shape)}, name={Name}>";
}
