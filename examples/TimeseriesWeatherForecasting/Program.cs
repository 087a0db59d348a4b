// keras.io's "Timeseries forecasting for weather prediction" (Prabhanshu Attri, Yashika Sharma, Kristi Takach, Falak
// Shah; https://keras.io/examples/timeseries/timeseries_weather_forecasting/), line by line, on a real series that ships
// with the repository: Seattle's daily weather 2012-2015 (NOAA, via npm vega-datasets; examples/data/seattle-weather/NOTICE)
// instead of the Jena climate recordings. The guide looks 720 ten-minute steps back, one per hour (sampling_rate 6),
// to predict the temperature 72 steps after the window; here the same code looks 30 days back (one per day) to predict
// the maximum temperature of the day right after the window (future = 0). Each Python line sits above the C# it became.
//   dotnet run --project examples/TimeseriesWeatherForecasting    (10 epochs, under a minute on 2 cores)
using Microsoft.Data.Analysis;
using Sequential;
using Sequential.Callbacks;
using Sequential.Data;
using Sequential.Layers;
using Sequential.Optimizers;
using static Sequential.Data.Utils;
using static TorchSharp.torch;

RandomSeed.Set(1337);
// df = pd.read_csv(csv_path)
var df = DataFrame.LoadCsv(Path.Combine(AppContext.BaseDirectory, "data", "seattle-weather.csv"));
Console.WriteLine($"{df.Rows.Count} days, columns: {string.Join(", ", df.Columns.Select(c => c.Name))}");

// titles / feature_keys: the numeric columns of this table.
string[] titles = ["Precipitation", "Maximum temperature", "Minimum temperature", "Wind speed"];
string[] featureKeys = ["precipitation", "temp_max", "temp_min", "wind"];

// split_fraction = 0.715
// train_split = int(split_fraction * int(df.shape[0]))
// step = 6; past = 720; future = 72        (here: step 1, past 30 days, future 0: the next day)
// learning_rate = 0.001; batch_size = 256; epochs = 10
const double splitFraction = 0.715;
int trainSplit = (int)(splitFraction * df.Rows.Count);
const int step = 1;
const int past = 30;
const int future = 0;
const double learningRate = 0.001;
const int batchSize = 64;   // the guide's 256 would leave this 1,461-day series 4 batches per epoch
const int epochs = 10;

// def normalize(data, train_split):
//     data_mean = data[:train_split].mean(axis=0)
//     data_std = data[:train_split].std(axis=0)
//     return (data - data_mean) / data_std
static Tensor Normalize(Tensor data, int trainSplit)
{
    var dataMean = data[..trainSplit].mean([0]);
    var dataStd = data[..trainSplit].std([0]);   // numpy's std is the population one; torch's default is the sample one
    return (data - dataMean) / dataStd;
}

// print("The selected parameters are:", ", ".join([titles[i] for i in [0, 1, 5, 7, 8, 10, 11]]))
// selected_features = [feature_keys[i] for i in [...]]
// features = df[selected_features]
Console.WriteLine($"The selected parameters are: {string.Join(", ", titles)}");
var features = stack(featureKeys.Select(k => tensor(df[k].Cast<object>().Select(Convert.ToSingle).ToArray())), dim: 1);
// features = normalize(features.values, train_split)
features = Normalize(features, trainSplit);

// train_data = features.loc[0 : train_split - 1]
// val_data = features.loc[train_split:]
var trainData = features[..trainSplit];
var valData = features[trainSplit..];

// start = past + future
// end = start + train_split
// x_train = train_data[[i for i in range(7)]].values
// y_train = features.iloc[start:end][[1]]
int start = past + future;
int end = start + trainSplit;
var xTrain = trainData;
var yTrain = features[start..Math.Min(end, (int)features.shape[0]), 1..2];

// sequence_length = int(past / step)
int sequenceLength = past / step;

// dataset_train = keras.preprocessing.timeseries_dataset_from_array(x_train, y_train, sequence_length=sequence_length,
//     sampling_rate=step, batch_size=batch_size)
var datasetTrain = TimeseriesDatasetFromArray(xTrain, yTrain, sequenceLength: sequenceLength, samplingRate: step, batchSize: batchSize);

// x_end = len(val_data) - past - future
// label_start = train_split + past + future
// x_val = val_data.iloc[:x_end][[i for i in range(7)]].values
// y_val = features.iloc[label_start:][[1]]
int xEnd = (int)valData.shape[0] - past - future;
int labelStart = trainSplit + past + future;
var xVal = valData[..xEnd];
var yVal = features[labelStart.., 1..2];

// dataset_val = keras.preprocessing.timeseries_dataset_from_array(x_val, y_val, sequence_length=sequence_length,
//     sampling_rate=step, batch_size=batch_size)
var datasetVal = TimeseriesDatasetFromArray(xVal, yVal, sequenceLength: sequenceLength, samplingRate: step, batchSize: batchSize);

// for batch in dataset_train.take(1):
//     inputs, targets = batch
// print("Input shape:", inputs.numpy().shape)
// print("Target shape:", targets.numpy().shape)
var (inputs, targets) = datasetTrain.Take(1).First();
Console.WriteLine($"Input shape: {Shapes.Format(inputs.shape)}");
Console.WriteLine($"Target shape: {Shapes.Format(targets.shape)}");

// inputs = keras.layers.Input(shape=(inputs.shape[1], inputs.shape[2]))
// lstm_out = keras.layers.LSTM(32)(inputs)
// outputs = keras.layers.Dense(1)(lstm_out)
// model = keras.Model(inputs=inputs, outputs=outputs)
// model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss="mse")
// model.summary()
var modelInputs = new Input(shape: [inputs.shape[1], inputs.shape[2]]);
var lstmOut = new LSTM(32).Apply(modelInputs);
var outputs = new Dense(1).Apply(lstmOut);
var model = new Model(inputs: modelInputs, outputs: outputs);
model.Compile(optimizer: new Adam(learningRate: learningRate), loss: "mse");
Console.WriteLine(model.Summary());

// path_checkpoint = "model_checkpoint.h5"
// es_callback = keras.callbacks.EarlyStopping(monitor="val_loss", min_delta=0, patience=5)
// modelckpt_callback = keras.callbacks.ModelCheckpoint(monitor="val_loss", filepath=path_checkpoint, verbose=1,
//     save_weights_only=True, save_best_only=True)
string pathCheckpoint = Path.Combine(Path.GetTempPath(), "model_checkpoint.safetensors");
var esCallback = new EarlyStopping(monitor: "val_loss", minDelta: 0, patience: 5);
var modelckptCallback = new ModelCheckpoint(monitor: "val_loss", filepath: pathCheckpoint, verbose: 1, saveWeightsOnly: true, saveBestOnly: true);

// history = model.fit(dataset_train, epochs=epochs, validation_data=dataset_val, callbacks=[es_callback, modelckpt_callback])
var history = model.Fit(datasetTrain, epochs: epochs, validationData: datasetVal, callbacks: [esCallback, modelckptCallback]);

// visualize_loss(history, "Training and Validation Loss")
history.Plot("timeseries-loss.png", "loss");
Console.WriteLine("Wrote timeseries-loss.png (training and validation loss)");

// for x, y in dataset_val.take(5):
//     show_plot([x[0][:, 1].numpy(), y[0].numpy(), model.predict(x)[0]], 12, "Single Step Prediction")
// Printed instead of plotted, in degrees Celsius: the normalized values are mapped back with the training mean and std.
var rawMax = tensor(df["temp_max"].Cast<object>().Select(Convert.ToSingle).ToArray())[..trainSplit];
double mean = rawMax.mean().item<float>(), std = rawMax.std().item<float>();
foreach (var (x, y) in datasetVal.Take(5))
{
    double truth = y[0, 0].item<float>() * std + mean;
    double prediction = model.Predict(x, verbose: 0)[0, 0].item<float>() * std + mean;
    double last = x[0, -1, 1].item<float>() * std + mean;
    Console.WriteLine($"Single step prediction: last day {last,5:F1} C, true next day {truth,5:F1} C, model {prediction,5:F1} C");
}
double valMse = history["val_loss"].Min();
Console.WriteLine($"Best validation MSE {valMse:F4} (normalized units), {Math.Sqrt(valMse) * std:F2} C root mean squared error; " +
                  $"tomorrow = today gives {PersistenceRmse(features, trainSplit) * std:F2} C");

// The baseline every forecast should beat: tomorrow's maximum equals today's.
static double PersistenceRmse(Tensor features, int trainSplit)
{
    var series = features[trainSplit.., 1];
    return (series[1..] - series[..^1]).square().mean().sqrt().item<float>();
}
