using Sequential.Layers;
using Sequential.Persistence;
using Sequential.Training;

namespace Sequential;

// Saving and loading (Keras's model.save / keras.models.load_model / save_weights / load_weights).
public partial class Model
{
    /// <summary>
    /// Saves the whole model to one file (Keras's <c>model.save</c>): architecture, weights, compile settings,
    /// optimizer state and training state. The file is written to a temporary name and renamed into place, so
    /// a crash mid-save leaves the previous file intact. The format is described in docs/file-format.md.
    /// </summary>
    /// <param name="path">The file to write, e.g. <c>model.seqmodel</c>.</param>
    /// <example>
    /// <code>
    /// model.Save("mnist.seqmodel");
    /// var again = SequentialModel.Load("mnist.seqmodel");
    /// </code>
    /// </example>
    /// <remarks>
    /// A <see cref="SequentialModel"/>, a functional model (its graph: layers, shared layers, several inputs and outputs)
    /// and a subclass registered with <see cref="ModelRegistry.Register{T}"/> save whole, and so do models nested in
    /// them. A compile with a loss, weight and metrics per output is saved as given.
    /// </remarks>
    /// <exception cref="IOException">The file could not be written (for example a full disk); the previous file is unchanged.</exception>
    /// <exception cref="NotSupportedException">The model, or a model inside it, is a subclass not registered with
    /// <see cref="ModelRegistry"/>, or a layer is used by a model and by a model nested in it; nothing is written, and the
    /// message names it and the fix (<see cref="SaveWeights"/> saves any model's weights); or the model is larger than
    /// Load reads (more than 20,000 layer calls, or models nested more than 16 deep).</exception>
    /// <exception cref="InvalidOperationException">A layer cannot be created again from the file (a TorchModule without a
    /// registered factory, a Lambda around an unregistered function); nothing is written, and the message names the layer
    /// and the fix.</exception>
    public void Save(string path)
    {
        // Before anything is written: a file that Load cannot read back is refused rather than written.
        ModelConfig.CheckDescribable(this);
        CheckLayersSavable();
        ModelConfig.CheckEachLayerHasOneOwner(this);
        ModelConfig.CheckWithinLimits(this);
        ModelFile.Save(this, path, TrainingState.Capture(this));
    }

    /// <summary>
    /// Loads a model saved by <see cref="Save"/> (Keras's <c>keras.models.load_model</c>). Only layer types known to
    /// <see cref="Sequential.Layers.LayerRegistry"/> are created; no code is read from the file.
    /// </summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The model, built, compiled (when it was) and with its optimizer state restored.</returns>
    /// <exception cref="InvalidDataException">The file is truncated or corrupted, from a newer format version, names an
    /// unknown layer type, holds weights whose shapes do not fit the architecture, or exceeds a limit that keeps a hostile
    /// file from exhausting memory (docs/file-format.md, "Limits"). Every failure is this exception, naming the file.</exception>
    public static Model Load(string path) => ModelFile.Load(path);

    /// <summary>Saves the weights alone as a safetensors file (Keras's <c>model.save_weights</c>), readable by PyTorch's <c>safetensors</c>.</summary>
    /// <param name="path">The file to write, e.g. <c>model.safetensors</c>.</param>
    /// <exception cref="IOException">The file could not be written; the previous file is unchanged.</exception>
    public void SaveWeights(string path) => ModelFile.SaveWeights(this, path);

    /// <summary>
    /// Loads weights saved by <see cref="SaveWeights"/> (or the weights of a <see cref="Save"/> file) into this model
    /// (Keras's <c>model.load_weights</c>). Every name, dtype and shape is checked before anything is copied. An unbuilt
    /// model is built for the input shape the file records; if the file then does not fit, it is unbuilt again, so a
    /// failed call leaves the model as it was.
    /// </summary>
    /// <param name="path">A safetensors file, or a model file.</param>
    /// <exception cref="InvalidDataException">The file is not valid safetensors (the message names the file and the tensor),
    /// or does not fit the model (the message names the layer, the weight and both shapes).</exception>
    public void LoadWeights(string path) => ModelFile.LoadWeights(this, path);

    /// <summary>A model inside the one being saved is described by its file entry: a SequentialModel, a functional model, or
    /// a registered subclass.</summary>
    /// <exception cref="NotSupportedException">An unregistered subclass; the message names it and the fix.</exception>
    protected internal override void CheckSavable() => ModelConfig.CheckDescribable(this);

    /// <summary>Runs <see cref="Layer.CheckSavable"/> on every layer inside the model, at any depth: whatever Save and
    /// <see cref="Models.Clone(Model)"/> describe by configuration must be describable.</summary>
    internal void CheckLayersSavable()
    {
        foreach (var layer in modules().OfType<Layer>())
            if (!ReferenceEquals(layer, this)) layer.CheckSavable();
    }

    /// <summary>
    /// The optimizers a subclass holds in its fields besides <see cref="Optimizer"/> (a GAN's generator optimizer), by
    /// field name: their states are saved with the model (<see cref="Save"/>, checkpoints, BackupAndRestore) and restored
    /// into the same fields.
    /// </summary>
    internal IEnumerable<(string Name, Optimizers.Optimizer Optimizer)> OtherOptimizers() =>
        from field in SubclassFields(typeof(Model))
        where field.Value is Optimizers.Optimizer optimizer && !ReferenceEquals(optimizer, Optimizer)
        select (field.Name, (Optimizers.Optimizer)field.Value!);

    /// <summary>
    /// Builds for <paramref name="inputShape"/>, then runs <paramref name="check"/>; when either throws, the model is put
    /// back as it was before the call (LoadWeights into an unbuilt model builds it for the file's input shape, and a file
    /// that then does not fit must leave the model unbuilt). <see cref="SequentialModel"/> undoes its layers' builds;
    /// a model that builds its own way keeps what its <see cref="Build"/> made.
    /// </summary>
    /// <param name="inputShape">Per-sample input shape.</param>
    /// <param name="check">Runs once the model is built; null for none.</param>
    internal virtual void BuildChecked(long[] inputShape, Action? check)
    {
        Build(inputShape);
        check?.Invoke();
    }

    /// <summary>
    /// Set by a callback during <c>OnTrainBegin</c> to make <c>Fit</c> resume at an epoch and batch (BackupAndRestore);
    /// the trainer reads and clears it.
    /// </summary>
    internal ResumePoint? Resume { get; set; }
}
