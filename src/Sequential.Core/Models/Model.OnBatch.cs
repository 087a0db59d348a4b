using Sequential.Layers;
using Sequential.Training;
using static TorchSharp.torch;

namespace Sequential;

// Keras's train_on_batch, test_on_batch and predict_on_batch: one batch through the same preparation (input casts,
// target conversion, class weights, device) and the same TrainStep/TestStep/PredictStep as Fit, Evaluate and Predict.
public partial class Model
{
    /// <summary>
    /// Runs one gradient update on one batch (Keras's <c>model.train_on_batch</c>): the same <see cref="TrainStep"/> as
    /// <c>Fit</c>, in training mode (afterwards the model is in inference mode, as after <c>Fit</c>), after resetting the
    /// metrics, so the logs are this batch's. No callbacks are called.
    /// </summary>
    /// <param name="x">Inputs of one batch, <c>[n, ...]</c>.</param>
    /// <param name="y">Targets of the batch; null when the model's <see cref="TrainStep"/> needs none.</param>
    /// <param name="sampleWeight">One weight per sample, shape [n], as in <c>Fit</c>.</param>
    /// <param name="classWeight">A weight per class index, as in <c>Fit</c>; not together with <paramref name="sampleWeight"/> (Keras
    /// refuses both).</param>
    /// <returns>The logs, <c>loss</c> first and then the metrics (Keras's <c>return_dict=True</c>; <c>.Values</c> is the list
    /// Keras returns by default).</returns>
    /// <exception cref="InvalidOperationException">The model is not compiled.</exception>
    /// <exception cref="ArgumentException">An empty batch, both weights given, or tensors that do not fit the model.</exception>
    /// <example>
    /// <code>
    /// foreach (var (xb, yb) in batches)
    ///     Console.WriteLine(model.TrainOnBatch(xb, yb)["loss"]);
    /// </code>
    /// </example>
    public IReadOnlyDictionary<string, double> TrainOnBatch(Tensor x, Tensor? y = null, Tensor? sampleWeight = null,
        IReadOnlyDictionary<int, double>? classWeight = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        return TrainOnBatch([x], y is null ? null : [y], sampleWeight, classWeight);
    }

    /// <summary>One gradient update on one batch of a model with several inputs or outputs, in the model's order.</summary>
    /// <param name="x">One input tensor per input.</param>
    /// <param name="y">One target tensor per output; null when the step needs none.</param>
    /// <param name="sampleWeight">One weight per sample.</param>
    /// <param name="classWeight">A weight per class index (models with one output only).</param>
    /// <returns>The logs of this batch.</returns>
    /// <exception cref="InvalidOperationException">The model is not compiled.</exception>
    /// <exception cref="ArgumentException">An empty batch, both weights given, or tensors that do not fit the model.</exception>
    public IReadOnlyDictionary<string, double> TrainOnBatch(IReadOnlyList<Tensor> x, IReadOnlyList<Tensor>? y = null, Tensor? sampleWeight = null,
        IReadOnlyDictionary<int, double>? classWeight = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!IsCompiled) throw NotCompiled("TrainOnBatch");
        if (classWeight is not null && sampleWeight is not null)
            throw new ArgumentException(
                "Arguments sampleWeight and classWeight cannot be specified at the same time; fold the class weights into sampleWeight.",
                nameof(classWeight));
        if (classWeight is not null && (y?.Count ?? 1) > 1)
            throw new ArgumentException(
                $"classWeight is only supported for models with one output; model \"{Name}\" has {y!.Count}. Use sampleWeight instead.",
                nameof(classWeight));
        using var batch = OneBatch(x, y, sampleWeight, nameof(TrainOnBatch));
        return new Trainer(this).TrainOnBatch(batch, classWeight);
    }

    /// <summary>
    /// Computes the loss and metrics of one batch (Keras's <c>model.test_on_batch</c>): <c>Evaluate</c>'s
    /// <see cref="TestStep"/>, in inference mode and without gradients, after resetting the metrics. No callbacks are called.
    /// </summary>
    /// <param name="x">Inputs of one batch.</param>
    /// <param name="y">Targets of the batch; null when the model's <see cref="TestStep"/> needs none.</param>
    /// <param name="sampleWeight">One weight per sample, as in <c>Evaluate</c>.</param>
    /// <returns>The logs of this batch, <c>loss</c> first.</returns>
    /// <exception cref="InvalidOperationException">The model is not compiled.</exception>
    /// <exception cref="ArgumentException">An empty batch, or tensors that do not fit the model.</exception>
    public IReadOnlyDictionary<string, double> TestOnBatch(Tensor x, Tensor? y = null, Tensor? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        return TestOnBatch([x], y is null ? null : [y], sampleWeight);
    }

    /// <summary>The loss and metrics of one batch of a model with several inputs or outputs, in the model's order.</summary>
    /// <param name="x">One input tensor per input.</param>
    /// <param name="y">One target tensor per output; null when the step needs none.</param>
    /// <param name="sampleWeight">One weight per sample.</param>
    /// <returns>The logs of this batch.</returns>
    /// <exception cref="InvalidOperationException">The model is not compiled.</exception>
    /// <exception cref="ArgumentException">An empty batch, or tensors that do not fit the model.</exception>
    public IReadOnlyDictionary<string, double> TestOnBatch(IReadOnlyList<Tensor> x, IReadOnlyList<Tensor>? y = null, Tensor? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!IsCompiled) throw NotCompiled("TestOnBatch");
        using var batch = OneBatch(x, y, sampleWeight, nameof(TestOnBatch));
        return new Trainer(this).TestOnBatch(batch);
    }

    /// <summary>The model's outputs for one batch (Keras's <c>model.predict_on_batch</c>): <c>Predict</c>'s
    /// <see cref="PredictStep"/>, in inference mode and without gradients.</summary>
    /// <param name="x">Inputs of one batch.</param>
    /// <returns>The outputs, <c>[n, ...]</c>, on the CPU.</returns>
    /// <exception cref="ArgumentException">An empty batch, or inputs that do not fit the model.</exception>
    /// <exception cref="InvalidOperationException">The model has several outputs: use the list overload.</exception>
    public Tensor PredictOnBatch(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var batch = TensorDataAdapter.ForPrediction(this, [x], BatchSizeOf([x], nameof(PredictOnBatch)));
        return Single(new Trainer(this).Predict(batch, verbose: 0, callbacks: null));
    }

    /// <summary>The model's outputs for one batch of a model with several inputs, one tensor per output.</summary>
    /// <param name="x">One input tensor per input.</param>
    /// <returns>Each output, <c>[n, ...]</c>, on the CPU.</returns>
    /// <exception cref="ArgumentException">An empty batch, or inputs that do not fit the model.</exception>
    public IReadOnlyList<Tensor> PredictOnBatch(IReadOnlyList<Tensor> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var batch = TensorDataAdapter.ForPrediction(this, x, BatchSizeOf(x, nameof(PredictOnBatch)));
        return new Trainer(this).Predict(batch, verbose: 0, callbacks: null);
    }

    /// <summary>The tensors as one batch: the adapter of <c>Fit</c>/<c>Evaluate</c>, with the batch size set to the sample count.</summary>
    private TensorDataAdapter OneBatch(IReadOnlyList<Tensor> x, IReadOnlyList<Tensor>? y, Tensor? sampleWeight, string method) =>
        TensorDataAdapter.Create(this, x, y, BatchSizeOf(x, method), shuffle: false, 0, null, sampleWeight).train;

    /// <summary>The number of samples of a batch (its first input's first dimension); the adapter checks the rest.</summary>
    private static int BatchSizeOf(IReadOnlyList<Tensor> x, string method)
    {
        // A missing input or a scalar is left to the adapter, whose message names the model's inputs.
        if (x.Count == 0 || x[0] is null || x[0].dim() == 0) return 1;
        long samples = x[0].shape[0];
        if (samples == 0)
            throw new ArgumentException($"{method} received an empty batch: x has shape {Shapes.Format(x[0].shape)}; pass at least one sample.", nameof(x));
        if (samples > int.MaxValue)
            throw new ArgumentException($"{method} received {samples} samples in one batch, more than {int.MaxValue}; split them into batches.", nameof(x));
        return (int)samples;
    }
}
