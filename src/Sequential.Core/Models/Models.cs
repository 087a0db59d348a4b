using Sequential.Layers;
using Sequential.Persistence;

namespace Sequential;

/// <summary>Model utilities (Keras's <c>keras.models</c>): <see cref="Clone(Model)"/>.</summary>
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
    /// <exception cref="InvalidOperationException">A layer cannot be re-created from its configuration (the message names it).</exception>
    /// <example><code>var fresh = Models.Clone(model); fresh.Compile(optimizer: "adam", loss: "mse");</code></example>
    public static SequentialModel Clone(SequentialModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var sequential = model;
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

    /// <summary>
    /// A new model with the same architecture and fresh weights (Keras's <c>clone_model</c>) for any model that a
    /// configuration describes: a <see cref="SequentialModel"/>, a functional graph (several inputs and outputs, shared
    /// layers, nested models: the same graph of new layers, with the same names), or a registered subclass (created
    /// again from its <see cref="Model.GetConfig"/>). Nothing is shared with <paramref name="model"/>; the clone is not
    /// compiled.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <returns>The clone, of the same kind.</returns>
    /// <exception cref="NotSupportedException">An unregistered subclass, or a layer that cannot be described (an anonymous
    /// Lambda): its architecture lives in code; construct another instance instead.</exception>
    /// <example><code>Model fresh = Models.Clone(shop); fresh.SetWeights(shop.GetWeights());</code></example>
    public static Model Clone(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model is SequentialModel sequential) return Clone(sequential);
        if (!model.IsFunctional && !ModelRegistry.IsRegistered(model.GetType()))
            throw new NotSupportedException(
                $"Models.Clone re-creates a model from its configuration; \"{model.Name}\" is a {model.GetType().Name}, whose architecture " +
                $"lives in its code. Construct another instance instead (and copy weights with SetWeights(GetWeights())), or register it " +
                $"with ModelRegistry.Register<{model.GetType().Name}>() so that its GetConfig() describes it.");
        model.CheckLayersSavable();
        // Through text, as a file would carry it: the reader checks values as parsed JSON.
        var json = System.Text.Json.Nodes.JsonNode.Parse(ModelConfig.ToJson(model).ToJsonString())!.AsObject();
        using var reader = new ModelConfig.Reader($"(the configuration of model \"{model.Name}\")");
        var clone = ModelConfig.FromJson(json, reader);
        reader.Release(clone);
        return clone;
    }
}
