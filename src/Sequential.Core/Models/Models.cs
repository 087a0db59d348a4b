using Sequential.Layers;

namespace Sequential;

/// <summary>Model utilities (Keras's <c>keras.models</c>): <see cref="Clone"/>.</summary>
public static class Models
{
    /// <summary>
    /// A new model with the same architecture and fresh weights (Keras's <c>keras.models.clone_model</c>): each layer is
    /// re-created from its configuration (<see cref="Layer.GetConfig"/>), so nothing is shared with
    /// <paramref name="model"/>; a built model's clone is built for the same input shape. The clone is not compiled;
    /// copy the weights with <c>clone.SetWeights(model.GetWeights())</c> when you want them too.
    /// </summary>
    /// <param name="model">A <see cref="SequentialModel"/>.</param>
    /// <returns>The clone.</returns>
    /// <exception cref="NotSupportedException">A subclassed model: its architecture lives in code, not in a configuration
    /// (Keras refuses it likewise); construct another instance instead.</exception>
    /// <exception cref="InvalidOperationException">A layer cannot be re-created from its configuration (the message names it).</exception>
    /// <example><code>var fresh = Models.Clone(model); fresh.Compile(optimizer: "adam", loss: "mse");</code></example>
    public static SequentialModel Clone(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model is not SequentialModel sequential)
            throw new NotSupportedException(
                $"Models.Clone re-creates a SequentialModel from its layers' configurations; \"{model.Name}\" is a {model.GetType().Name}, " +
                "whose architecture lives in its code. Construct another instance instead (and copy weights with SetWeights(GetWeights())).");
        var layers = sequential.Layers.Select(layer =>
        {
            try
            {
                return LayerRegistry.FromConfig(layer.GetType().Name, layer.GetConfig());
            }
            catch (Exception e) when (e is InvalidDataException or ArgumentException or InvalidOperationException)
            {
                throw new InvalidOperationException(
                    $"Models.Clone cannot re-create layer \"{layer.Name}\" ({layer.TypeName}) from its configuration: {e.Message}", e);
            }
        }).ToList();
        var clone = new SequentialModel(layers, sequential.Name);
        if (sequential.BuiltInputShape is { } shape && !clone.Built) clone.Build(shape);
        return clone;
    }
}
