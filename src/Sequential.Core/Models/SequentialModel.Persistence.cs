namespace Sequential;

// Loading, typed for SequentialModel.
public partial class SequentialModel
{
    /// <summary>Loads a <see cref="SequentialModel"/> saved by <see cref="Model.Save"/> (Keras's <c>keras.models.load_model</c>).</summary>
    /// <param name="path">The file to read, e.g. <c>model.seqmodel</c>.</param>
    /// <returns>The model, built, compiled (when it was) and with its optimizer state restored.</returns>
    /// <example><code>var model = SequentialModel.Load("cats_and_dogs_small.seqmodel");</code></example>
    /// <exception cref="InvalidDataException">The file is truncated, corrupted, from a newer format version, does not fit,
    /// or holds another kind of model (a functional model or a registered subclass: load it with <see cref="Model.Load"/>).</exception>
    public static new SequentialModel Load(string path)
    {
        var model = Model.Load(path);
        if (model is SequentialModel sequential) return sequential;
        string type = model.GetType().Name, kind = model.TypeName;
        model.Dispose();
        throw new InvalidDataException(model.GetType() == typeof(Model)
            ? $"'{path}' holds a {kind} model, not a SequentialModel; load it with Model.Load(path)."
            : $"'{path}' holds a {type}, not a SequentialModel; load it with Model.Load(path) and cast it to {type}.");
    }
}
