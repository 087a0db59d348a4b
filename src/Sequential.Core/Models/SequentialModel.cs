using System.Globalization;
using System.Text;
using Sequential.Layers;
using static TorchSharp.torch;

namespace Sequential;

/// <summary>
/// A plain stack of layers where each layer has one input and one output (Keras's <c>keras.Sequential</c>).
/// </summary>
/// <remarks>
/// The class is <c>SequentialModel</c> because <c>Sequential</c> is the namespace. The model builds as soon
/// as its input shape is known: from the first layer's <c>inputShape</c>, from <see cref="Model.Build"/>,
/// or from the first batch given to <c>Fit</c>/<c>Predict</c>.
/// </remarks>
/// <example>
/// <code>
/// var model = new SequentialModel(
///     new Flatten(inputShape: [28, 28]),
///     new Dense(128, activation: "relu"),
///     new Dropout(0.2),
///     new Dense(10));
/// model.Compile(optimizer: "adam", loss: new SparseCategoricalCrossentropy(fromLogits: true), metrics: ["accuracy"]);
/// Console.WriteLine(model.Summary());
/// </code>
/// </example>
public partial class SequentialModel : Model
{
    // A plain list, not a ModuleList: each layer is registered as a child module under its own name.
    private readonly List<Layer> _layers = [];
    private long[]? _builtInputShape;

    /// <summary>Creates a model from layers, in order.</summary>
    /// <param name="layers">The layers; the first may carry <c>inputShape</c>.</param>
    public SequentialModel(params Layer[] layers) : this(layers, null) { }

    /// <summary>Creates a named model from layers, in order.</summary>
    /// <param name="layers">The layers; the first may carry <c>inputShape</c>.</param>
    /// <param name="name">The model's name, shown by <see cref="Model.Summary"/>; default <c>sequential</c> (numbered
    /// when another layer of an enclosing model has it).</param>
    public SequentialModel(IEnumerable<Layer> layers, string? name = null) : base(name)
    {
        ArgumentNullException.ThrowIfNull(layers);
        foreach (var layer in layers) Add(layer);
    }

    /// <summary>The layers, in order (Keras's <c>model.layers</c>).</summary>
    public override IReadOnlyList<Layer> Layers => _layers.AsReadOnly();

    /// <summary>The dtype the first layer takes (<see cref="Layer.InputDtype"/>); float32 for an empty stack.</summary>
    public override ScalarType? InputDtype => _layers.Count > 0 ? _layers[0].InputDtype : ScalarType.Float32;

    /// <inheritdoc/>
    public override bool Built => _builtInputShape is not null;

    /// <inheritdoc/>
    public override long[]? BuiltInputShape => _builtInputShape;

    /// <inheritdoc/>
    public override long[]? OutputShape => Built ? _layers[^1].OutputShape : null;

    /// <summary>Adds a layer on top of the stack (Keras's <c>model.add</c>).</summary>
    /// <param name="layer">The layer to add.</param>
    /// <exception cref="ArgumentException">The layer is already in the model, its name is taken, or it declares an
    /// <c>inputShape</c> without being first.</exception>
    public void Add(Layer layer)
    {
        if (layer is null)
            throw new ArgumentNullException(nameof(layer), "Expected a Layer instance, received: null.");
        if (_layers.Contains(layer))
            throw new ArgumentException($"Layer \"{layer.Name}\" is already in model \"{Name}\"; create a new layer instead.", nameof(layer));
        if (layer.InputShape is not null && _layers.Count > 0)
            throw new ArgumentException(
                $"Only the first layer may declare inputShape, but layer \"{layer.Name}\" ({layer.TypeName}) is layer {_layers.Count + 1} " +
                $"of model \"{Name}\". Remove its inputShape: it takes the previous layer's output shape.", nameof(layer));
        GiveUniqueName(layer, _layers, () => new ArgumentException(
            $"All layers added to a Sequential model should have unique names. Name \"{layer.Name}\" is already the name of a layer in this model.",
            nameof(layer)));
        _layers.Add(layer);
        register_module(layer.Name, layer);
        if (Built)
        {
            layer.EnsureBuilt(_layers[^2].OutputShape!);
            Place();
        }
        else if (_layers.Count == 1 && layer.InputShape is not null)
        {
            Build(layer.InputShape);
        }
    }

    /// <summary>Removes and returns the last layer (Keras's <c>model.pop</c>).</summary>
    /// <returns>The removed layer.</returns>
    /// <exception cref="InvalidOperationException">The model has no layers.</exception>
    public Layer Pop()
    {
        if (_layers.Count == 0)
            throw new InvalidOperationException($"There are no layers in model \"{Name}\" to pop.");
        var last = _layers[^1];
        _layers.RemoveAt(_layers.Count - 1);
        _internal_submodules.Remove(last.Name);
        if (_layers.Count == 0) _builtInputShape = null;
        else if (Built) Place();
        return last;
    }

    /// <inheritdoc/>
    /// <remarks>A Build that fails leaves the model as it was: the layers it had built are unbuilt again.</remarks>
    public override void Build(long[] inputShape) => BuildChecked(inputShape, null);

    /// <inheritdoc/>
    internal override void BuildChecked(long[] inputShape, Action? check)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (_layers.Count == 0)
            throw new InvalidOperationException($"Model \"{Name}\" has no layers; add some before building or training it.");
        var previous = _builtInputShape;
        var builtHere = new List<Layer>();
        try
        {
            var shape = inputShape;
            foreach (var layer in _layers)
            {
                bool wasBuilt = layer.Built;
                layer.EnsureBuilt(shape);
                if (!wasBuilt) builtHere.Add(layer);
                shape = layer.OutputShape!;
            }
            _builtInputShape = (long[])inputShape.Clone();
            check?.Invoke();
        }
        catch
        {
            // Layers built before this call (an adapted Normalization, say) keep their state.
            foreach (var layer in builtHere) layer.Unbuild();
            _builtInputShape = previous;
            throw;
        }
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        foreach (var layer in _layers)
            x = layer.Invoke(x, training);
        return x;
    }
}
