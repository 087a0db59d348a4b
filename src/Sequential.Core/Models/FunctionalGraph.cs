using Sequential.Layers;
using static TorchSharp.torch;

namespace Sequential;

/// <summary>
/// A functional model's graph (Keras's <c>Functional</c>): the layer calls between its inputs and outputs, in an order
/// computed once, so that running it is a loop over that list with no graph walking or allocation beyond the layers' own
/// (and one array of intermediate values per call).
/// </summary>
internal sealed class FunctionalGraph
{
    /// <summary>One layer call: the layer, the slots of its inputs, the slots of its outputs (one for most layers), and its
    /// first output.</summary>
    private readonly record struct Node(Layer Layer, int[] Inputs, int[] Outputs, SymbolicTensor Tensor);

    private readonly Node[] _nodes;
    private readonly int[] _outputSlots;
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
        if (inputs.Distinct(ReferenceEqualityComparer.Instance).Count() != inputs.Count)
            throw new ArgumentException($"Model \"{model}\" lists the same Input twice; each input must appear once.", nameof(inputs));
        Inputs = inputs;
        Outputs = outputs;
        InputNames = UniqueInputNames(inputs, model);

        var slots = new Dictionary<SymbolicTensor, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < inputs.Count; i++) slots[inputs[i]] = i;
        var nodes = new List<Node>();
        var visiting = new HashSet<SymbolicTensor>(ReferenceEqualityComparer.Instance);
        SymbolicTensor output = outputs[0];
        // Depth first from each output, each call after the calls it takes (post-order, inputs left to right), with an
        // explicit stack: a graph loaded from a file may be a chain of thousands of calls, too deep for recursion.
        var pending = new Stack<(SymbolicTensor Tensor, int Next)>();
        int Visit(SymbolicTensor root)
        {
            if (slots.TryGetValue(root, out int known)) return known;
            Enter(root);
            while (pending.TryPop(out var top))
            {
                var (tensor, next) = top;
                if (next < tensor.InboundTensors.Count)
                {
                    pending.Push((tensor, next + 1));
                    var inbound = tensor.InboundTensors[next];
                    if (!slots.ContainsKey(inbound)) Enter(inbound);
                    continue;
                }
                // Every output of the call gets its slot now, so a later call taking another of them finds it made.
                var made = tensor.CallOutputs;
                var outputSlots = new int[made.Count];
                for (int k = 0; k < made.Count; k++) slots[made[k]] = outputSlots[k] = slots.Count;
                nodes.Add(new Node(tensor.Layer!, [.. tensor.InboundTensors.Select(t => slots[t])], outputSlots, made[0]));
            }
            return slots[root];
        }
        void Enter(SymbolicTensor tensor)
        {
            if (tensor.Layer is null)
                throw new ArgumentException(
                    $"Output {output.Name} of model \"{model}\" is not reachable from its inputs: it depends on Input \"{tensor.Name}\" " +
                    $"(shape {Shapes.FormatBatch(((Input)tensor).ShapeArray)}), which is not among the model's inputs " +
                    $"({string.Join(", ", inputs.Select(i => $"\"{i.Name}\""))}). Pass it to new Model(...) too, or build the output from the given inputs.",
                    nameof(outputs));
            if (!visiting.Add(tensor))
                throw new ArgumentException($"The graph of model \"{model}\" has a cycle through {tensor.Name}.", nameof(outputs));
            pending.Push((tensor, 0));
        }
        var outputSlots = new int[outputs.Count];
        for (int i = 0; i < outputs.Count; i++)
        {
            output = outputs[i];
            outputSlots[i] = Visit(output);
        }
        _outputSlots = outputSlots;
        _nodes = [.. nodes];
        _slots = slots.Count;
        Layers = [.. _nodes.Select(n => n.Layer).Distinct()];
        InputShapes = [.. inputs.Select(i => i.ShapeArray)];
        OutputShapes = [.. outputs.Select(o => o.ShapeArray)];
    }

    /// <summary>
    /// The inputs' names, as Keras's <c>model.input_names</c>; default names (<c>input_layer</c>) are numbered as Keras
    /// numbers them (<c>input_layer_1</c>, ...) so that every input has its own key.
    /// </summary>
    private static string[] UniqueInputNames(IReadOnlyList<SymbolicTensor> inputs, string model)
    {
        var names = new string[inputs.Count];
        var given = inputs.Where(i => ((Input)i).NameWasGiven).Select(i => i.Name).ToList();
        var duplicate = given.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException(
                $"Two inputs of model \"{model}\" are named \"{duplicate.Key}\"; input names must be unique (they key the data: " +
                "Fit(new Dictionary<string, Tensor> { [name] = ... })).", nameof(inputs));
        var taken = new HashSet<string>(given);
        for (int i = 0; i < inputs.Count; i++)
        {
            var input = (Input)inputs[i];
            if (input.NameWasGiven) { names[i] = input.Name; continue; }
            string name = input.Name;
            for (int suffix = 1; taken.Contains(name); suffix++) name = $"{input.Name}_{suffix}";
            taken.Add(name);
            names[i] = name;
        }
        return names;
    }

    /// <summary>Keras 3's <c>output_names</c>: the name of the layer producing each output (an Input's own name for an
    /// output that is an input), numbered when one layer produces several outputs.</summary>
    private string[] UniqueOutputNames(IReadOnlyList<SymbolicTensor> outputs)
    {
        var names = new string[outputs.Count];
        var taken = new HashSet<string>();
        for (int i = 0; i < outputs.Count; i++)
        {
            string stem = outputs[i].Layer?.Name ?? InputNames[Inputs.ToList().FindIndex(x => ReferenceEquals(x, outputs[i]))];
            string name = stem;
            for (int suffix = 1; !taken.Add(name); suffix++) name = $"{stem}_{suffix}";
            names[i] = name;
        }
        return names;
    }

    public IReadOnlyList<SymbolicTensor> Inputs { get; }

    public IReadOnlyList<SymbolicTensor> Outputs { get; }

    /// <summary>The name of each input (the key of a dictionary input), in order.</summary>
    public IReadOnlyList<string> InputNames { get; }

    /// <summary>
    /// The name of each output (the key of a dictionary of targets, losses or metrics), in order; read once the model has
    /// made its layers' names unique.
    /// </summary>
    public IReadOnlyList<string> OutputNames => _outputNames ??= UniqueOutputNames(Outputs);

    private string[]? _outputNames;

    /// <summary>The per-sample shape of each input.</summary>
    public IReadOnlyList<long[]> InputShapes { get; }

    /// <summary>The per-sample shape of each output.</summary>
    public IReadOnlyList<long[]> OutputShapes { get; }

    /// <summary>The layers, each once, in the order they are first called.</summary>
    public IReadOnlyList<Layer> Layers { get; }

    /// <summary>The output of each layer call, in the order the graph runs them (saving writes the nodes from these).</summary>
    public IEnumerable<SymbolicTensor> NodeOutputs => _nodes.Select(n => n.Tensor);

    /// <summary>Checks per-sample input shapes against the inputs (count and each shape).</summary>
    /// <exception cref="ArgumentException">A count or shape differs; the message names the input and both shapes.</exception>
    public void CheckInputShapes(IReadOnlyList<long[]> shapes, string model = "")
    {
        if (shapes.Count != Inputs.Count)
            throw new ArgumentException(
                $"Model{(model.Length > 0 ? $" \"{model}\"" : "")} expects {Inputs.Count} input(s) ({string.Join(", ", InputNames)}), " +
                $"but it received {shapes.Count} input tensor(s).");
        for (int i = 0; i < shapes.Count; i++)
            if (!Shapes.Compatible(shapes[i], InputShapes[i]))
                throw new ArgumentException(
                    $"Input {i} (\"{InputNames[i]}\") of model{(model.Length > 0 ? $" \"{model}\"" : "")} is incompatible with the model: " +
                    $"expected shape {Shapes.FormatBatch(InputShapes[i])}, but received input with shape {Shapes.FormatBatch(shapes[i])}.");
    }

    /// <summary>Runs the graph on one batch per input; returns one batch per output.</summary>
    public Tensor[] Run(IReadOnlyList<Tensor> inputs, bool training)
    {
        var values = new Tensor[_slots];
        for (int i = 0; i < inputs.Count; i++) values[i] = inputs[i];
        foreach (var node in _nodes)
        {
            var layer = node.Layer;
            var options = node.Tensor.CallOptions;
            if (node.Outputs.Length == 1 && options is null)
            {
                values[node.Outputs[0]] = node.Inputs.Length == 1
                    ? layer.Invoke(values[node.Inputs[0]], training)
                    : layer.InvokeMany([.. node.Inputs.Select(i => values[i])], training);
                continue;
            }
            var outputs = layer.InvokeOutputs([.. node.Inputs.Select(i => values[i])], options, training);
            if (outputs.Count != node.Outputs.Length)
                throw new InvalidOperationException(
                    $"Layer \"{layer.Name}\" ({layer.TypeName}) returned {outputs.Count} output(s) where its ComputeOutputShapes " +
                    $"promised {node.Outputs.Length}; CallOutputs and ComputeOutputShapes must agree.");
            for (int k = 0; k < outputs.Count; k++) values[node.Outputs[k]] = outputs[k];
        }
        var results = new Tensor[_outputSlots.Length];
        for (int i = 0; i < results.Length; i++) results[i] = values[_outputSlots[i]];
        return results;
    }

    /// <summary>"Connected to" for a layer, Keras 3's way: each inbound tensor as <c>layer[node][0]</c>, the Input's name for an input.</summary>
    public string ConnectedTo(Layer layer) => string.Join(", ", _nodes.Where(n => n.Layer == layer)
        .SelectMany(n => n.Tensor.InboundTensors)
        .Select(t => t.Layer is null ? $"{InputName(t)}[0][0]" : $"{t.Layer.Name}[{t.NodeIndex}][{t.OutputIndex}]"));

    /// <summary>The per-sample shapes of a layer's outputs in this graph, for Summary: its first call's, one per output.</summary>
    public IReadOnlyList<long[]> OutputShapesOf(Layer layer) =>
        _nodes.FirstOrDefault(n => n.Layer == layer).Tensor?.CallOutputs.Select(t => t.ShapeArray).ToList() ?? [];

    /// <summary>The name an input has in this model.</summary>
    public string InputName(SymbolicTensor input)
    {
        for (int i = 0; i < Inputs.Count; i++)
            if (ReferenceEquals(Inputs[i], input)) return InputNames[i];
        return input.Name;
    }
}
