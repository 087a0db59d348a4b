using Sequential.Callbacks;
using Sequential.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Training;

/// <summary>
/// The one training loop behind every <c>Fit</c>, <c>Evaluate</c> and <c>Predict</c> overload
/// (Keras 3's <c>fit</c>: epoch iterator, callbacks, train step, validation with a <c>val_</c> prefix,
/// <c>stop_training</c>, history).
/// </summary>
/// <remarks>
/// Each batch runs in its own <c>torch.NewDisposeScope()</c>: only parameters, optimizer state and
/// metric state outlive it, so native memory stays flat across epochs. Nothing here copies a value
/// from the device per batch; callbacks that read logs pay for what they read.
/// </remarks>
internal sealed class Trainer(Model model)
{
    public static int ResolveVerbose(int? verbose)
    {
        int value = verbose ?? (Console.IsOutputRedirected ? 2 : 1);
        if (value is < 0 or > 2)
            throw new ArgumentOutOfRangeException(nameof(verbose), verbose,
                "verbose must be 0 (silent), 1 (progress bar) or 2 (one line per epoch).");
        return value;
    }

    public static void CheckEpochs(int epochs, int initialEpoch)
    {
        if (epochs < 0)
            throw new ArgumentOutOfRangeException(nameof(epochs), epochs, $"epochs must be >= 0; got {epochs}.");
        if (initialEpoch < 0 || initialEpoch > epochs)
            throw new ArgumentOutOfRangeException(nameof(initialEpoch), initialEpoch,
                $"initialEpoch must be in [0, epochs] = [0, {epochs}]; got {initialEpoch}.");
    }

    /// <summary>Refuses a step count that is not positive (null means one full pass).</summary>
    public static void CheckSteps(int? steps, string name)
    {
        if (steps is <= 0)
            throw new ArgumentOutOfRangeException(name, steps,
                $"{name} must be a positive number of batches, or null for one full pass over the data; got {steps}.");
    }

    public History Fit(DataAdapter train, DataAdapter? validation, int epochs, int initialEpoch, int? stepsPerEpoch,
        int? validationSteps, int verbose, IEnumerable<Callback>? callbacks,
        IReadOnlyDictionary<int, double>? classWeight = null, int validationFreq = 1)
    {
        CheckSteps(stepsPerEpoch, nameof(stepsPerEpoch));
        CheckSteps(validationSteps, nameof(validationSteps));
        if (validationFreq < 1)
            throw new ArgumentOutOfRangeException(nameof(validationFreq), validationFreq,
                $"validationFreq must be a positive number of epochs (1 validates after every epoch); got {validationFreq}.");
        using var classWeights = classWeight is null ? null : new ClassWeights(classWeight);
        var history = new History();
        int? steps = stepsPerEpoch ?? train.BatchesPerPass;
        var list = CallbackList.Create(model, callbacks, verbose, history, ProgressTarget.Train,
            new Dictionary<string, object?> { ["epochs"] = epochs, ["steps"] = steps, ["verbose"] = verbose });
        model.StopTraining = false;
        try
        {
            RunEpochs(train, validation, epochs, initialEpoch, stepsPerEpoch, validationSteps, classWeights, list, validationFreq);
        }
        finally
        {
            // Also when a callback or the data throws: Dropout and BatchNormalization must not stay in training mode.
            model.train(false);
        }
        return list.History!; // the user's History when callbacks held one (Keras 3), else the one made above
    }

    private void RunEpochs(DataAdapter train, DataAdapter? validation, int epochs, int initialEpoch, int? stepsPerEpoch,
        int? validationSteps, ClassWeights? classWeights, CallbackList list, int validationFreq)
    {
        IReadOnlyDictionary<string, double> epochLogs = new Dictionary<string, double>();
        list.OnTrainBegin(Empty);
        // Several processes: rank 0's weights (and random state, for the same shuffling) everywhere, after any restore.
        var distribution = model.Distribution;
        var partOf = PartOf(train);
        distribution?.BroadcastWeights(model);
        distribution?.ShareRandomState();
        // Resume extension point: a callback (BackupAndRestore) may set model.Resume in OnTrainBegin.
        var resume = model.Resume;
        model.Resume = null;
        if (resume is not null) initialEpoch = Math.Min(resume.Epoch, epochs);
        for (int epoch = initialEpoch; epoch < epochs; epoch++)
        {
            ResetMetrics();
            list.OnEpochBegin(epoch, Empty);
            model.train();
            // Batches of a resumed epoch that were trained before the interruption: drawn (same shuffle), not trained.
            int skip = resume is not null && epoch == resume.Epoch ? resume.Step : 0;
            int step = 0;
            long samples = 0;
            IReadOnlyDictionary<string, double>? last = null;
            foreach (var stepLogs in RunBatches(train, stepsPerEpoch, classWeights,
                         before: () => { if (step >= skip) list.OnTrainBatchBegin(step, Empty); },
                         step: batch =>
                         {
                             if (step < skip) return Empty;
                             var part = partOf(batch);   // this rank's share of the global batch
                             samples += part.Size;
                             return model.TrainStep(part);
                         }))
            {
                if (step < skip)
                {
                    if (++step == skip) resume!.BeforeFirstStep?.Invoke();
                    continue;
                }
                last = stepLogs;
                list.OnTrainBatchEnd(step, stepLogs);
                step++;
                if (model.StopTraining) break;
            }
            var logs = MetricsOrLastLogs(last);
            if (distribution is { Size: > 1 }) logs = distribution.AverageLogs(logs, samples);
            // Keras's _should_eval: validation_freq counts epochs from 1.
            if (validation is not null && !model.StopTraining && (epoch + 1) % validationFreq == 0)
            {
                var validationLogs = Test(validation, validationSteps, list);
                foreach (var (key, value) in validationLogs) logs["val_" + key] = value;
            }
            // A schedule's rate for the next step, as Keras's learning-rate callbacks log it.
            if (model.Optimizer is { Schedule: not null } scheduled) logs["learning_rate"] = scheduled.LearningRate;
            epochLogs = logs;
            list.OnEpochEnd(epoch, logs);
            if (model.StopTraining) break;
        }
        // Keras's finalize_variable_values: with useEma, the weights become their moving averages (before OnTrainEnd, so
        // that EarlyStopping's restore_best_weights still wins).
        if (epochs > 0 && model.Optimizer is { IsBound: true } optimizer) optimizer.FinalizeVariableValues(model.TrainableWeights);
        list.OnTrainEnd(epochLogs);
    }

    public IReadOnlyDictionary<string, double> Evaluate(DataAdapter data, int? steps, int verbose, IEnumerable<Callback>? callbacks)
    {
        CheckSteps(steps, nameof(steps));
        var list = CallbackList.Create(model, callbacks, verbose, null, ProgressTarget.Test,
            new Dictionary<string, object?> { ["steps"] = steps ?? data.BatchesPerPass, ["verbose"] = verbose });
        return Test(data, steps, list);
    }

    /// <summary>
    /// One training step on one batch outside <c>Fit</c> (Keras's <c>train_on_batch</c>): the metrics are reset first, the
    /// batch goes through <see cref="RunBatches"/> and the model's <see cref="Model.TrainStep"/> as in <c>Fit</c>, in
    /// training mode (left in inference mode afterwards, as <c>Fit</c> leaves it), and the logs of that batch are returned.
    /// No callbacks are called.
    /// </summary>
    public Dictionary<string, double> TrainOnBatch(DataAdapter batch, IReadOnlyDictionary<int, double>? classWeight)
    {
        using var classWeights = classWeight is null ? null : new ClassWeights(classWeight);
        ResetMetrics();
        model.train();
        try
        {
            IReadOnlyDictionary<string, double>? last = null;
            foreach (var logs in RunBatches(batch, null, classWeights, before: () => { }, step: model.TrainStep)) last = logs;
            return MetricsOrLastLogs(last);
        }
        finally
        {
            model.train(false); // as after Fit: Dropout and BatchNormalization do not stay in training mode
        }
    }

    /// <summary>One evaluation step on one batch (Keras's <c>test_on_batch</c>): <see cref="Test"/> without callbacks.</summary>
    public Dictionary<string, double> TestOnBatch(DataAdapter batch) => Test(batch, null, new CallbackList([]));

    /// <summary>Predicts for every batch; returns one tensor per model output, each the batches' outputs concatenated.</summary>
    public Tensor[] Predict(DataAdapter data, int verbose, IEnumerable<Callback>? callbacks)
    {
        var list = CallbackList.Create(model, callbacks, verbose, null, ProgressTarget.Predict,
            new Dictionary<string, object?> { ["steps"] = data.BatchesPerPass, ["verbose"] = verbose });
        using var outer = NewDisposeScope();
        var outputs = new List<List<Tensor>>();
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            list.OnPredictBegin(Empty);
            int step = 0;
            foreach (var _ in RunBatches(data, null, null,
                         before: () => list.OnPredictBatchBegin(step, Empty),
                         step: batch => { Collect(outputs, model.PredictStep(batch with { Targets = null, TargetNames = null })); return Empty; }))
            {
                list.OnPredictBatchEnd(step, Empty);
                step++;
            }
            list.OnPredictEnd(Empty);
        }
        finally
        {
            model.train(wasTraining);
        }
        if (outputs.Count == 0)
            throw new ArgumentException("Predict received no batches.");
        return [.. outputs.Select(o => cat(o, 0).MoveToOuterDisposeScope())];
    }

    /// <summary>Keeps a batch's outputs, on the host, past the batch's dispose scope.</summary>
    private void Collect(List<List<Tensor>> outputs, IReadOnlyList<Tensor> batch)
    {
        if (outputs.Count == 0) outputs.AddRange(batch.Select(_ => new List<Tensor>()));
        if (batch.Count != outputs.Count)
            throw new InvalidOperationException(
                $"PredictStep of model \"{model.Name}\" returned {batch.Count} output(s) for this batch and {outputs.Count} for the first one.");
        for (int i = 0; i < batch.Count; i++)
        {
            // Under a mixed policy the last layer computes in 16 bits; predictions come back in float32, as the issue of
            // mixed precision asks (Keras leaves this to a float32 last layer).
            var output = DTypePolicy.IsHalf(batch[i].dtype) ? batch[i].to_type(ScalarType.Float32) : batch[i];
            outputs[i].Add(output.cpu().MoveToOuterDisposeScope());
        }
    }

    /// <summary>Resets the model's metrics (Keras resets <c>model.metrics</c>): the compiled ones and any a subclass adds.</summary>
    private void ResetMetrics()
    {
        var compiled = model.CompiledMetrics;
        compiled.Reset();
        foreach (var metric in model.Metrics.Except(compiled.All)) metric.ResetState(); // the compiled ones are reset already
    }

    /// <summary>
    /// The logs of an epoch or an evaluation (Keras's <c>_get_metrics_result_or_logs</c>): the values of the model's
    /// <see cref="Model.Metrics"/>, read once, when the steps returned logs with the same names (the default steps, a
    /// custom step returning <c>ComputeMetrics</c>, or one returning its own metrics' values); otherwise what the last
    /// step returned.
    /// </summary>
    private Dictionary<string, double> MetricsOrLastLogs(IReadOnlyDictionary<string, double>? last)
    {
        var compiled = model.CompiledMetrics;
        var metrics = model.Metrics.Select(m => (Key: compiled.KeyOf(m) ?? m.Name, Metric: m)).ToList();
        if (last is not null && !ReferenceEquals(last, compiled.Logs) && !last.Keys.ToHashSet().SetEquals(metrics.Select(m => m.Key)))
            return last.ToDictionary(entry => entry.Key, entry => entry.Value);
        // Read from the device only when these are the logs.
        var result = new Dictionary<string, double>();
        foreach (var (key, metric) in metrics) result[key] = metric.Value();
        return result;
    }

    /// <summary>
    /// This rank's part of each global batch of <paramref name="data"/>: under <see cref="DataParallel"/>, the data reads
    /// only this rank's rows when it can (<see cref="IShardedSource"/>), else each whole batch is sliced; the batch itself
    /// with one process.
    /// </summary>
    private Func<Batch, Batch> PartOf(DataAdapter data) =>
        model.Distribution is not { Size: > 1 } distribution || data.ReadShard(distribution.Rank, distribution.Size)
            ? batch => batch
            : distribution.Shard;

    /// <summary>The evaluation loop, shared by Evaluate and Fit's validation.</summary>
    private Dictionary<string, double> Test(DataAdapter data, int? steps, CallbackList list)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            ResetMetrics();
            list.OnTestBegin(Empty);
            int step = 0;
            long samples = 0;
            var distribution = model.Distribution;
            var partOf = PartOf(data);
            IReadOnlyDictionary<string, double>? last = null;
            foreach (var stepLogs in RunBatches(data, steps, null,
                         before: () => list.OnTestBatchBegin(step, Empty),
                         step: batch =>
                         {
                             var part = partOf(batch);
                             samples += part.Size;
                             return model.TestStep(part);
                         }))
            {
                last = stepLogs;
                list.OnTestBatchEnd(step, stepLogs);
                step++;
            }
            var logs = MetricsOrLastLogs(last);
            if (distribution is { Size: > 1 }) logs = distribution.AverageLogs(logs, samples);
            list.OnTestEnd(logs);
            return logs;
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>
    /// Runs <paramref name="step"/> on each batch inside its own dispose scope, after moving the batch to the
    /// model's device and converting its targets as the loss expects. <paramref name="before"/> runs once the batch is
    /// drawn and before the step (the batch-begin hooks, as in Keras); the enumeration yields once per batch, after the
    /// step. <paramref name="classWeights"/>, when given, are folded into the batch's sample weights.
    /// </summary>
    private IEnumerable<IReadOnlyDictionary<string, double>> RunBatches(DataAdapter data, int? steps, ClassWeights? classWeights,
        Action before, Func<Batch, IReadOnlyDictionary<string, double>> step)
    {
        using var batches = data.Batches(steps).GetEnumerator();
        var device = model.Device;
        for (int index = 0; ; index++)
        {
            IReadOnlyDictionary<string, double> logs;
            using (var scope = NewDisposeScope())
            {
                if (!batches.MoveNext()) yield break;
                var batch = model.Arrange(batches.Current, data.Name);
                var x = new Tensor[batch.Inputs.Count];
                for (int i = 0; i < x.Length; i++) x[i] = model.CastInput(batch.Inputs[i], i);
                model.EnsureBuiltFor(x);
                Tensor[]? y = batch.Targets is null ? null : new Tensor[batch.Targets.Count];
                for (int i = 0; i < (y?.Length ?? 0); i++) y![i] = model.LossFor(i)?.PrepareTargets(batch.Targets![i]) ?? batch.Targets![i];
                var w = batch.SampleWeight;
                if (data.ChecksBatches && (index == 0 || x[0].device_type == DeviceType.CPU))
                    CheckBatch(data, index, x, y);
                for (int i = 0; i < x.Length; i++) x[i] = ToDevice(x[i], device);
                for (int i = 0; i < (y?.Length ?? 0); i++) y![i] = ToDevice(y![i], device);
                if (w is not null) w = ToDevice(w, device);
                if (classWeights is not null && y is not null) w = classWeights.Apply(y[0], w, model);
                before();
                logs = step(new Batch(x, y, w));
            }
            yield return logs;
        }
    }

    /// <summary>
    /// The checks the tensor overloads make once over all the data, made per batch for an iterator's batches: finite
    /// inputs and targets, and targets the loss accepts (labels in range). Batches still on the host are checked before
    /// they are copied to the device (one reduction over the batch, no device synchronisation); batches an iterator
    /// already put on an accelerator are checked for the first batch only, since reading a result back would wait for
    /// the device on every step.
    /// </summary>
    private void CheckBatch(DataAdapter data, int batch, Tensor[] x, Tensor[]? y)
    {
        string where = $"batch {batch} of {data.Name}";
        for (int i = 0; i < x.Length; i++)
            NonFinite.Check(x[i], $"{where}: x{(x.Length > 1 ? $"[{i}]" : "")}", data.Name, "remove, clip or fill them in the data source");
        if (y is null) return;
        var shapes = model.OutputShapes;
        for (int i = 0; i < y.Length; i++)
        {
            string name = y.Length > 1 ? $"y[{i}]" : "y";
            NonFinite.Check(y[i], $"{where}: {name}", data.Name, "remove or fill them in the data source");
            if (model.LossFor(i) is not { } loss || shapes is null || i >= shapes.Count) continue;
            try
            {
                loss.Validate(y[i], shapes[i]);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"{where}: {(y.Length > 1 ? $"{name}: " : "")}{e.Message}", data.Name, e);
            }
        }
    }

    /// <summary>
    /// Moves a host batch to an accelerator through page-locked memory, so the copy is asynchronous and the host
    /// does not wait for it (libtorch's caching host allocator makes the pinning cheap); CPU batches stay as they are.
    /// </summary>
    private static Tensor ToDevice(Tensor t, Device device)
    {
        if (t.device_type == device.type && (device.type == DeviceType.CPU || t.device_index == device.index)) return t;
        if (StringInputs.MovedTo(t, device) is { } carrier) return carrier;
        var host = t.device_type == DeviceType.CPU && device.type == DeviceType.CUDA && !t.is_pinned() ? t.pin_memory() : t;
        return host.to(device, non_blocking: true);
    }

    private static readonly IReadOnlyDictionary<string, double> Empty = new Dictionary<string, double>();
}
