using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;
using Writer = TorchSharp.Modules.SummaryWriter;

namespace Sequential.Callbacks;

/// <summary>
/// Logs training to TensorBoard event files (Keras's <c>keras.callbacks.TensorBoard</c>), written with TorchSharp's own
/// <c>torch.utils.tensorboard.SummaryWriter</c>: the epoch's metrics as <c>epoch_loss</c>, <c>epoch_accuracy</c>, ...
/// and the optimizer's <c>epoch_learning_rate</c> under <c>logDir/train</c>, the validation metrics under the same names
/// under <c>logDir/validation</c> (step: the 0-based epoch); every evaluation's results as
/// <c>evaluation_loss_vs_iterations</c>, ... under <c>logDir/validation</c> (step: the optimizer's iterations);
/// with <c>updateFreq</c> <c>"batch"</c> or N, the running metrics as <c>batch_loss</c>, ... every N training batches
/// (step: the batch counted from 1 across the epochs of a <c>Fit</c>); with <c>histogramFreq</c> N, a histogram of every
/// weight every N epochs (tag <c>{model}/{layer}/{weight}/histogram</c>).
/// </summary>
/// <remarks>
/// <para>Run <c>tensorboard --logdir logs</c> to see them. Each record is appended to the event file as soon as it is
/// logged (one open, write and close per record), so a crash loses at most the record being written, which TensorBoard
/// skips as a truncated last record. Event files are append-only logs: they are not written to a temporary name and
/// renamed as the library's other files are. A new event file is started for each <c>Fit</c>, as Keras does.</para>
/// <para>Not supported with TorchSharp: the graph (<c>writeGraph</c>: TorchSharp 0.107's writer has no
/// <c>add_graph</c> and cannot write the Keras model-config summary that Keras 3's torch backend writes, so nothing is
/// written for it), profiling (<c>profileBatch</c> must be 0, as Keras's torch backend requires) and embeddings.
/// The event wall times are whole seconds (TorchSharp's writer).</para>
/// <para>Batch-level logging reads the running metrics from the device at every logged batch; keep
/// <c>updateFreq</c> at <c>"epoch"</c> or a large N where that matters.</para>
/// </remarks>
/// <example>
/// <code>
/// model.Fit(xTrain, yTrain, epochs: 5, validationSplit: 0.1,
///     callbacks: [new TensorBoard(logDir: "logs/fit", histogramFreq: 1)]);
/// // then: tensorboard --logdir logs/fit
/// </code>
/// </example>
public sealed class TensorBoard : Callback
{
    private readonly int? _batchesPerRecord;
    private Writer? _trainWriter;
    private Writer? _validationWriter;
    private int _globalTrainBatch;
    private long _epochStartIterations;
    private readonly Stopwatch _epochClock = new();
    private readonly Stopwatch _batchClock = new();

    /// <summary>Creates the callback.</summary>
    /// <param name="logDir">The directory of the logs; the callback writes under <c>logDir/train</c> and
    /// <c>logDir/validation</c>, created when first written.</param>
    /// <param name="histogramFreq">Write a histogram of every weight of the model every this many epochs (at epochs
    /// 0, N, 2N, ... as Keras); 0 writes none.</param>
    /// <param name="writeGraph">Keras writes the model's graph; not supported with TorchSharp (see remarks): nothing is
    /// written for it. Accepted so that Keras code ports unchanged.</param>
    /// <param name="writeImages">With <paramref name="histogramFreq"/>, also write each weight of rank 1 or 2 (after
    /// squeezing dimensions of size 1) as a grayscale image (<c>{model}/{layer}/{weight}/image</c>), values clipped to
    /// [0, 1] as Keras's image summary does; Keras's images of convolution kernels depend on its own kernel layout and are
    /// not written.</param>
    /// <param name="writeStepsPerSecond">Also log training steps per second: <c>epoch_steps_per_second</c> and, when batches
    /// are logged, <c>batch_steps_per_second</c>.</param>
    /// <param name="updateFreq"><c>"epoch"</c> (default): metrics once per epoch; <c>"batch"</c> or an int N: also the
    /// running metrics every N training batches.</param>
    /// <param name="profileBatch">Must be 0: profiling is not available with TorchSharp (Keras's torch backend refuses it
    /// too).</param>
    /// <exception cref="ArgumentException">An empty <paramref name="logDir"/>, an unknown <paramref name="updateFreq"/>, or a
    /// non-zero <paramref name="profileBatch"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="histogramFreq"/> is negative.</exception>
    public TensorBoard(string logDir = "logs", int histogramFreq = 0, bool writeGraph = true, bool writeImages = false,
        bool writeStepsPerSecond = false, object? updateFreq = null, int profileBatch = 0)
    {
        ArgumentNullException.ThrowIfNull(logDir);
        if (string.IsNullOrWhiteSpace(logDir))
            throw new ArgumentException("TensorBoard logDir is empty; pass a directory such as \"logs\".", nameof(logDir));
        if (histogramFreq < 0)
            throw new ArgumentOutOfRangeException(nameof(histogramFreq), histogramFreq,
                $"TensorBoard histogramFreq must be 0 (no histograms) or a positive number of epochs; got {histogramFreq}.");
        if (profileBatch != 0)
            throw new ArgumentException(
                $"Profiling is not available with TorchSharp; TensorBoard profileBatch must be 0, got {profileBatch}. " +
                "Profile with dotnet-trace or libtorch's own profiler instead.", nameof(profileBatch));
        LogDir = logDir;
        HistogramFreq = histogramFreq;
        WriteGraph = writeGraph;
        WriteImages = writeImages;
        WriteStepsPerSecond = writeStepsPerSecond;
        UpdateFreq = updateFreq ?? "epoch";
        _batchesPerRecord = SaveFrequency.Batches(UpdateFreq, nameof(TensorBoard), nameof(updateFreq), batchIsOne: true);
    }

    /// <summary>The directory of the logs.</summary>
    public string LogDir { get; }

    /// <summary>Epochs between weight histograms; 0 for none.</summary>
    public int HistogramFreq { get; }

    /// <summary>As given; nothing is written for it with TorchSharp (see the class remarks).</summary>
    public bool WriteGraph { get; }

    /// <summary>Whether weights are also written as images (with <see cref="HistogramFreq"/>).</summary>
    public bool WriteImages { get; }

    /// <summary>Whether steps per second are logged.</summary>
    public bool WriteStepsPerSecond { get; }

    /// <summary><c>"epoch"</c>, <c>"batch"</c> or a number of batches, as given.</summary>
    public object UpdateFreq { get; }

    private Writer TrainWriter => _trainWriter ??= torch.utils.tensorboard.SummaryWriter(Path.Combine(LogDir, "train"));

    private Writer ValidationWriter => _validationWriter ??= torch.utils.tensorboard.SummaryWriter(Path.Combine(LogDir, "validation"));

    /// <inheritdoc/>
    public override void SetModel(Model model)
    {
        base.SetModel(model);
        CloseWriters(); // Keras resets the writers with the model
    }

    /// <inheritdoc/>
    public override void OnTrainBegin(IReadOnlyDictionary<string, double> logs) => _globalTrainBatch = 0;

    /// <summary>Ends the event files of this <c>Fit</c>: a later call starts new ones, as Keras closes its writers.</summary>
    /// <param name="logs">Unused.</param>
    public override void OnTrainEnd(IReadOnlyDictionary<string, double> logs) => CloseWriters();

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        if (!WriteStepsPerSecond) return;
        _epochStartIterations = Model?.Optimizer?.Iterations ?? 0;
        _epochClock.Restart();
    }

    /// <inheritdoc/>
    public override void OnTrainBatchBegin(int batch, IReadOnlyDictionary<string, double> logs)
    {
        _globalTrainBatch++;
        if (WriteStepsPerSecond) _batchClock.Restart();
    }

    /// <summary>Writes <c>batch_{name}</c> for each running metric when this batch is one <c>updateFreq</c> asks for.</summary>
    /// <param name="batch">0-based batch index within the epoch.</param>
    /// <param name="logs">The running metrics.</param>
    public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs)
    {
        if (_batchesPerRecord is not { } every || _globalTrainBatch % every != 0) return;
        if (WriteStepsPerSecond)
            Scalar(TrainWriter, "batch_steps_per_second", 1.0 / Math.Max(_batchClock.Elapsed.TotalSeconds, 1e-9), _globalTrainBatch);
        foreach (var (name, value) in logs) Scalar(TrainWriter, $"batch_{name}", value, _globalTrainBatch);
    }

    /// <summary>Writes the epoch's metrics (training and validation), the learning rate and, every
    /// <see cref="HistogramFreq"/> epochs, the weight histograms.</summary>
    /// <param name="epoch">0-based epoch: the step of these records.</param>
    /// <param name="logs">The epoch's logs.</param>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        if (logs.Count > 0) LogEpochMetrics(epoch, logs); // Keras writes no metrics (not even the learning rate) for empty logs
        if (HistogramFreq > 0 && epoch % HistogramFreq == 0) LogWeights(epoch);
    }

    private void LogEpochMetrics(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        var train = logs.Where(e => !e.Key.StartsWith("val_", StringComparison.Ordinal)).ToDictionary(e => e.Key, e => e.Value);
        if (Model?.Optimizer is { } optimizer) train["learning_rate"] = optimizer.LearningRate;
        if (WriteStepsPerSecond)
            train["steps_per_second"] = ((Model?.Optimizer?.Iterations ?? 0) - _epochStartIterations) / Math.Max(_epochClock.Elapsed.TotalSeconds, 1e-9);
        foreach (var (name, value) in train) Scalar(TrainWriter, $"epoch_{name}", value, epoch);
        foreach (var (name, value) in logs.Where(e => e.Key.StartsWith("val_", StringComparison.Ordinal)))
            Scalar(ValidationWriter, $"epoch_{name["val_".Length..]}", value, epoch);
    }

    /// <summary>Writes an evaluation's results (also <c>Fit</c>'s validation) as <c>evaluation_{name}_vs_iterations</c>
    /// under <c>logDir/validation</c>, at the optimizer's iteration count, as Keras does.</summary>
    /// <param name="logs">The evaluation's results.</param>
    public override void OnTestEnd(IReadOnlyDictionary<string, double> logs)
    {
        if (Model?.Optimizer is not { } optimizer) return;
        int step = checked((int)optimizer.Iterations);
        foreach (var (name, value) in logs) Scalar(ValidationWriter, $"evaluation_{name}_vs_iterations", value, step);
    }

    private static void Scalar(Writer writer, string tag, double value, int step) => writer.add_scalar(tag, (float)value, step);

    /// <summary>A histogram (and, with <see cref="WriteImages"/>, an image) of every weight and state tensor of every layer.</summary>
    private void LogWeights(int epoch)
    {
        if (Model is not { } model) return;
        using var scope = NewDisposeScope(); // the writer's own temporaries (bins, copies) go with it
        using var noGrad = no_grad();
        foreach (var layer in model.Layers)
        {
            foreach (var (name, weight) in layer.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).Concat(layer.named_buffers()))
            {
                if (!weight.is_floating_point() || weight.numel() == 0) continue;
                string path = $"{model.Name}/{layer.Name}/{name.Replace('.', '/')}";
                var values = weight.detach().cpu();
                TrainWriter.add_histogram($"{path}/histogram", values, epoch);
                if (WriteImages && AsImage(values) is { } image) TrainWriter.add_img($"{path}/image", image, epoch, dataformats: "HWC");
            }
        }
    }

    /// <summary>
    /// A weight as a one-channel image, <c>[height, width, 1]</c>, as Keras's <c>_log_weight_as_image</c> shapes it: a
    /// vector becomes a column, a matrix is turned so that it is at least as wide as it is high. Null for other ranks.
    /// </summary>
    private static Tensor? AsImage(Tensor weight)
    {
        var w = weight.squeeze().to_type(ScalarType.Float32);
        return w.dim() switch
        {
            1 => w.reshape(w.shape[0], 1, 1),
            2 => (w.shape[0] > w.shape[1] ? w.t() : w).unsqueeze(-1),
            _ => null,
        };
    }

    private void CloseWriters()
    {
        // TorchSharp's writer keeps no file open between records; forgetting it ends its file.
        _trainWriter = null;
        _validationWriter = null;
    }
}
