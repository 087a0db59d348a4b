using static TorchSharp.torch;

namespace Sequential.Training;

/// <summary>
/// Turns Keras's <c>class_weight</c> into per-sample weights, batch by batch, on the device (Keras's
/// <c>class_weight_to_sample_weights</c>): one-hot targets take their argmax, other targets are rounded to a class
/// index, and a class missing from the dictionary weighs 1.
/// </summary>
internal sealed class ClassWeights : IDisposable
{
    private readonly IReadOnlyDictionary<int, double> _weights;
    private Tensor? _table; // weight by class index, on the model's device, built at the first batch

    public ClassWeights(IReadOnlyDictionary<int, double> weights)
    {
        foreach (var (key, value) in weights)
        {
            if (key < 0)
                throw new ArgumentException($"classWeight has the key {key}; keys are class indices, 0 or more.", "classWeight");
            if (!double.IsFinite(value))
                throw new ArgumentException($"classWeight[{key}] is {value}; weights must be finite numbers.", "classWeight");
        }
        _weights = weights;
    }

    /// <summary>The weights of the batch's samples, multiplied into <paramref name="sampleWeight"/> when given.</summary>
    public Tensor Apply(Tensor y, Tensor? sampleWeight, Model model)
    {
        var labels = y;
        if (labels.dim() > 1) labels = labels.shape[^1] == 1 ? labels.squeeze(-1) : labels.argmax(-1);
        if (labels.dim() != 1)
            throw new ArgumentException(
                $"classWeight needs one class per sample, but the targets of a batch have shape {Layers.Shapes.Format(y.shape)}.", "classWeight");
        if (labels.dtype != ScalarType.Int64) labels = labels.round().to_type(ScalarType.Int64);
        var weights = Table(labels.device, model).index_select(0, labels);
        return sampleWeight is null ? weights : sampleWeight * weights;
    }

    private Tensor Table(Device device, Model model)
    {
        if (_table is not null) return _table;
        // Large enough for every label the loss accepted (labels were checked against the output's classes).
        long outputClasses = model.OutputShape is { Length: > 0 } shape && shape[^1] > 1 ? shape[^1] : 2;
        long size = Math.Max(outputClasses, _weights.Count == 0 ? 0 : _weights.Keys.Max() + 1L);
        var values = new float[size];
        for (int i = 0; i < size; i++) values[i] = _weights.TryGetValue(i, out double w) ? (float)w : 1f;
        _table = tensor(values, device: device).DetachFromDisposeScope();
        return _table;
    }

    public void Dispose() => _table?.Dispose();
}
