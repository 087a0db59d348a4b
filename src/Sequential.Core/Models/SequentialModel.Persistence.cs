namespace Sequential;

// Loading, typed for SequentialModel.
public partial class SequentialModel
{
    /// <summary>Loads a <see cref="SequentialModel"/> saved by <see cref="Model.Save"/> (Keras's <c>keras.models.load_model</c>).</summary>
    /// <param name="path">The file to read, e.g. <c>model.seqmodel</c>.</param>
    /// <returns>The model, built, compiled (when it was) and with its optimizer state restored.</returns>
    /// <example><code>var model = SequentialModel.Load("cats_and_dogs_small.seqmodel");</code></example>
    /// <exception cref="InvalidDataException">The file is truncated, corrupted, from a newer format version, or does not fit.</exception>
    public static new SequentialModel Load(string path) => (SequentialModel)Model.Load(path);
}
