// keras.io's "Writing your own callbacks" (https://keras.io/guides/writing_your_own_callbacks/), line by line, on the
// shipped MNIST subset. Each Python line of the guide sits above the C# it became.
//   dotnet run --project examples/WritingCallbacks
using System.Globalization;
using Sequential;
using Sequential.Callbacks;
using Sequential.Data;
using Sequential.Layers;
using Sequential.Optimizers;
using static TorchSharp.torch;

// Define the Keras model to add callbacks to
// def get_model():
//     model = keras.Sequential()
//     model.add(keras.layers.Dense(1))
//     model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=0.1), loss="mean_squared_error",
//                   metrics=["mean_absolute_error"])
//     return model
static SequentialModel GetModel()
{
    var model = new SequentialModel();
    model.Add(new Dense(1));
    model.Compile(optimizer: new RMSprop(learningRate: 0.1), loss: "mean_squared_error", metrics: ["mean_absolute_error"], device: "cpu");
    return model;
}

// (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
var ((xTrainRaw, yTrain), (xTestRaw, yTest)) = Mnist.LoadData();
// x_train = x_train.reshape(-1, 784).astype("float32") / 255.0
var xTrain = xTrainRaw.reshape(-1, 784).to_type(ScalarType.Float32) / 255.0f;
var xTest = xTestRaw.reshape(-1, 784).to_type(ScalarType.Float32) / 255.0f;
// Limit the data to 1000 samples
// x_train = x_train[:1000]; y_train = y_train[:1000]; x_test = x_test[:1000]; y_test = y_test[:1000]
xTrain = xTrain[..1000]; yTrain = yTrain[..1000].to_type(ScalarType.Float32);
xTest = xTest[..1000]; yTest = yTest[..1000].to_type(ScalarType.Float32);

var clock = System.Diagnostics.Stopwatch.StartNew();

// model = get_model()
// model.fit(x_train, y_train, batch_size=128, epochs=1, verbose=0, validation_split=0.5, callbacks=[CustomCallback()])
var model = GetModel();
model.Fit(xTrain, yTrain, batchSize: 128, epochs: 1, verbose: 0, validationSplit: 0.5, callbacks: [new CustomCallback()]);
// res = model.evaluate(x_test, y_test, batch_size=128, verbose=0, callbacks=[CustomCallback()])
var res = model.Evaluate(xTest, yTest, batchSize: 128, verbose: 0, callbacks: [new CustomCallback()]);
// res = model.predict(x_test, batch_size=128, callbacks=[CustomCallback()])
model.Predict(xTest, batchSize: 128, verbose: 0, callbacks: [new CustomCallback()]);

// model = get_model()
// model.fit(x_train, y_train, batch_size=128, epochs=2, verbose=0, callbacks=[LossAndErrorPrintingCallback()])
model = GetModel();
model.Fit(xTrain, yTrain, batchSize: 128, epochs: 2, verbose: 0, callbacks: [new LossAndErrorPrintingCallback()]);
// res = model.evaluate(x_test, y_test, batch_size=128, verbose=0, callbacks=[LossAndErrorPrintingCallback()])
res = model.Evaluate(xTest, yTest, batchSize: 128, verbose: 0, callbacks: [new LossAndErrorPrintingCallback()]);

// model = get_model()
// model.fit(x_train, y_train, batch_size=64, epochs=30, verbose=0,
//           callbacks=[LossAndErrorPrintingCallback(), EarlyStoppingAtMinLoss()])
model = GetModel();
model.Fit(xTrain, yTrain, batchSize: 64, epochs: 30, verbose: 0,
    callbacks: [new LossAndErrorPrintingCallback(), new EarlyStoppingAtMinLoss()]);

// LR_SCHEDULE = [(3, 0.05), (6, 0.01), (9, 0.005), (12, 0.001)]
(int Epoch, double Rate)[] lrScheduleTable = [(3, 0.05), (6, 0.01), (9, 0.005), (12, 0.001)];
// def lr_schedule(epoch, lr):
//     if epoch < LR_SCHEDULE[0][0] or epoch > LR_SCHEDULE[-1][0]: return lr
//     for i in range(len(LR_SCHEDULE)):
//         if epoch == LR_SCHEDULE[i][0]: return LR_SCHEDULE[i][1]
//     return lr
double LrSchedule(int epoch, double lr)
{
    if (epoch < lrScheduleTable[0].Epoch || epoch > lrScheduleTable[^1].Epoch) return lr;
    foreach (var (at, rate) in lrScheduleTable)
        if (epoch == at) return rate;
    return lr;
}

// model = get_model()
// model.fit(x_train, y_train, batch_size=64, epochs=15, verbose=0,
//           callbacks=[LossAndErrorPrintingCallback(), CustomLearningRateScheduler(lr_schedule)])
model = GetModel();
model.Fit(xTrain, yTrain, batchSize: 64, epochs: 15, verbose: 0,
    callbacks: [new LossAndErrorPrintingCallback(), new CustomLearningRateScheduler(LrSchedule)]);
Console.WriteLine($"WritingCallbacks: {clock.Elapsed.TotalSeconds:F1} s");


// class CustomCallback(keras.callbacks.Callback): every method, printing the keys of its logs
internal sealed class CustomCallback : Callback
{
    private static string Keys(IReadOnlyDictionary<string, double> logs) => $"[{string.Join(", ", logs.Keys.Select(k => $"'{k}'"))}]";

    public override void OnTrainBegin(IReadOnlyDictionary<string, double> logs) => Console.WriteLine($"Starting training; got log keys: {Keys(logs)}");
    public override void OnTrainEnd(IReadOnlyDictionary<string, double> logs) => Console.WriteLine($"Stop training; got log keys: {Keys(logs)}");
    public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, double> logs) => Console.WriteLine($"Start epoch {epoch} of training; got log keys: {Keys(logs)}");
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs) => Console.WriteLine($"End epoch {epoch} of training; got log keys: {Keys(logs)}");
    public override void OnTestBegin(IReadOnlyDictionary<string, double> logs) => Console.WriteLine($"Start testing; got log keys: {Keys(logs)}");
    public override void OnTestEnd(IReadOnlyDictionary<string, double> logs) => Console.WriteLine($"Stop testing; got log keys: {Keys(logs)}");
    public override void OnPredictBegin(IReadOnlyDictionary<string, double> logs) => Console.WriteLine($"Start predicting; got log keys: {Keys(logs)}");
    public override void OnPredictEnd(IReadOnlyDictionary<string, double> logs) => Console.WriteLine($"Stop predicting; got log keys: {Keys(logs)}");
    public override void OnTrainBatchBegin(int batch, IReadOnlyDictionary<string, double> logs) => Console.WriteLine($"...Training: start of batch {batch}; got log keys: {Keys(logs)}");
    public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) => Console.WriteLine($"...Training: end of batch {batch}; got log keys: {Keys(logs)}");
    public override void OnTestBatchBegin(int batch, IReadOnlyDictionary<string, double> logs) => Console.WriteLine($"...Evaluating: start of batch {batch}; got log keys: {Keys(logs)}");
    public override void OnTestBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) => Console.WriteLine($"...Evaluating: end of batch {batch}; got log keys: {Keys(logs)}");
    public override void OnPredictBatchBegin(int batch, IReadOnlyDictionary<string, double> logs) => Console.WriteLine($"...Predicting: start of batch {batch}; got log keys: {Keys(logs)}");
    public override void OnPredictBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) => Console.WriteLine($"...Predicting: end of batch {batch}; got log keys: {Keys(logs)}");
}

// class LossAndErrorPrintingCallback(keras.callbacks.Callback)
internal sealed class LossAndErrorPrintingCallback : Callback
{
    // "Up to batch {}, the average loss is {:7.2f}.".format(batch, logs["loss"])
    public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) =>
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "Up to batch {0}, the average loss is {1,7:F2}.", batch, logs["loss"]));

    public override void OnTestBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) =>
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "Up to batch {0}, the average loss is {1,7:F2}.", batch, logs["loss"]));

    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs) =>
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "The average loss for epoch {0} is {1,7:F2} and mean absolute error is {2,7:F2}.", epoch, logs["loss"], logs["mean_absolute_error"]));
}

// class EarlyStoppingAtMinLoss(keras.callbacks.Callback): "Stop training when the loss is at its min, i.e. the loss
// stops decreasing." (patience: number of epochs to wait after min has been hit)
internal sealed class EarlyStoppingAtMinLoss(int patience = 0) : Callback
{
    // best_weights to store the weights at which the minimum loss occurs.
    private IReadOnlyList<Tensor>? _bestWeights;
    private int _wait, _stoppedEpoch;
    private double _best;

    public override void OnTrainBegin(IReadOnlyDictionary<string, double> logs)
    {
        _wait = 0;              // The number of epoch it has waited when loss is no longer minimum.
        _stoppedEpoch = 0;      // The epoch the training stops at.
        _best = double.PositiveInfinity; // Initialize the best as infinity.
    }

    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        double current = logs["loss"];
        if (current < _best)
        {
            _best = current;
            _wait = 0;
            _bestWeights = Model!.GetWeights(); // Record the best weights if current results is better (less).
        }
        else
        {
            _wait++;
            if (_wait >= patience)
            {
                _stoppedEpoch = epoch;
                Model!.StopTraining = true;
                Console.WriteLine("Restoring model weights from the end of the best epoch.");
                Model.SetWeights(_bestWeights!);
            }
        }
    }

    public override void OnTrainEnd(IReadOnlyDictionary<string, double> logs)
    {
        if (_stoppedEpoch > 0) Console.WriteLine($"Epoch {_stoppedEpoch + 1}: early stopping");
    }
}

// class CustomLearningRateScheduler(keras.callbacks.Callback): sets the learning rate from a schedule at each epoch
internal sealed class CustomLearningRateScheduler(Func<int, double, double> schedule) : Callback
{
    public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        var optimizer = Model!.Optimizer ?? throw new InvalidOperationException("Optimizer must have a \"LearningRate\" attribute.");
        // Get the current learning rate from model's optimizer, call the schedule, set it back.
        double lr = optimizer.LearningRate;
        double scheduledLr = schedule(epoch, lr);
        optimizer.LearningRate = scheduledLr;
        Console.WriteLine($"\nEpoch {epoch}: Learning rate is {scheduledLr.ToString("R", CultureInfo.InvariantCulture)}.");
    }
}
