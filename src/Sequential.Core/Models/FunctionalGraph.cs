using Sequential.Layers;
using static TorchSharp.torch;

namespace Sequential;

/// <summary>
/// A functional model's graph (Keras's <c>Functional</c>): the layer calls between its inputs and outputs, in an order
/// computed once, so that running it is a loop over that list with no graph walking or allocation beyond the layers' own.
/// </summary>
internal sealed class FunctionalGraph
{
    /// <summary>One layer call: the layer, the slots of its inputs, the slot of its output.</summary>
    private readonly record struct Node(Layer Layer, int[] Inputs, int Output, SymbolicTensor Tensor);

    private readonly Node[] _nodes;
    private readonly int[] _inputSlots;
    private readonly int _outputSlot;
    private readonly int _slots;

    public FunctionalGraph(IReadOnlyList<SymbolicTensor> inputs, IReadOnlyList<SymbolicTensor> outputs, string model)
    {
        if (inputs.Count == 0 || inputs.Any(i => i is null))
            throw new ArgumentException($"Model \"{model}\" needs at least one Input.", nameof(inputs));
        if (outputs.Count == 0 || outputs.Any(o => o is null))
            throw new ArgumentException($"Model \"{model}\" needs at least one output tensor.", nameof(outputs));
        foreach (var input in inputs)
            if (input is not Input)
                throw new ArgumentException(
                    $"The inputs of model \"{model}\" must be Input objects (new Input(shape: ...)); {input.Name} is the output of layer " +
                    $"\"{input.Layer?.Name}\". To start from an intermediate tensor, make a model from the original Input.", nameof(inputs));
        if (inputs.Count > 1 || outputs.Count > 1)
            throw new NotSupportedException(
                $"Model \"{model}\" has {inputs.Count} inputs and {outputs.Count} outputs; models with several inputs or outputs are not " +
                "supported yet (one Input and one output tensor are).");
        Inputs = inputs;
        Outputs = outputs;

        var slots = new Dictionary<SymbolicTensor, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < inputs.Count; i++) slots[inputs[i]] = i;
        var nodes = new List<Node>();
        var visiting = new HashSet<SymbolicTensor>(ReferenceEqualityComparer.Instance);
        int Visit(SymbolicTensor tensor)
        {
            if (slots.TryGetValue(tensor, out int known)) return known;
            if (tensor.Layer is null)
                throw new ArgumentException(
                    $"Output {outputs[0].Name} of model \"{model}\" is not reachable from its inputs: it depends on Input \"{tensor.Name}\" " +
                    $"(shape {Shapes.FormatBatch(((Input)tensor).ShapeArray)}), which is not among the model's inputs " +
                    $"({string.Join(", ", inputs.Select(i => $"\"{i.Name}\""))}). Pass it to new Model(...) too, or build the output from the given inputs.",
                    nameof(outputs));
            if (!visiting.Add(tensor))
                throw new ArgumentException($"The graph of model \"{model}\" has a cycle through {tensor.Name}.", nameof(outputs));
            int[] inbound = [.. tensor.InboundTensors.Select(Visit)];
            int slot = slots.Count;
            slots[tensor] = slot;
            nodes.Add(new Node(tensor.Layer, inbound, slot, tensor));
            return slot;
        }
        _outputSlot = Visit(outputs[0]);
        _inputSlots = [.. inputs.Select(i => slots[i])];
        _nodes = [.. nodes];
        _slots = slots.Count;
        Layers = [.. _nodes.Select(n => n.Layer).Distinct()];
    }

    public IReadOnlyList<SymbolicTensor> Inputs { get; }

    public IReadOnlyList<SymbolicTensor> Outputs { get; }

    /// <summary>The layers, each once, in the order they are first called.</summary>
    public IReadOnlyList<Layer> Layers { get; }

    /// <summary>Runs the graph on one input batch.</summary>
    public Tensor Run(Tensor x, bool training)
    {
        var values = new Tensor[_slots];
        values[_inputSlots[0]] = x;
        foreach (var node in _nodes)
        {
            var layer = node.Layer;
            values[node.Output] = node.Inputs.Length == 1
                ? layer.Invoke(values[node.Inputs[0]], training)
                : layer.InvokeMany([.. node.Inputs.Select(i => values[i])], training);
        }
        return values[_outputSlot];
    }

    /// <summary>"Connected to" for a layer, Keras 3's way: each inbound tensor as <c>layer[node][0]</c>, the Input's name for an input.</summary>
    public string ConnectedTo(Layer layer) => string.Join(", ", _nodes.Where(n => n.Layer == layer)
        .SelectMany(n => n.Tensor.InboundTensors)
        .Select(t => t.Layer is null ? $"{t.Name}[0][0]" : $"{t.Layer.Name}[{t.NodeIndex}][0]"));
}
