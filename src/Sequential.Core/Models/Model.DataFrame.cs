using Microsoft.Data.Analysis;
using Sequential.Callbacks;
using static TorchSharp.torch;

namespace Sequential;

// The DataFrame overloads of Fit, Evaluate and Predict: each converts the frame to tensors
// (DataFrameConverter) and calls the tensor overload, so there is still one training loop.
public partial class Model
{
    /// <summary>
    /// The feature columns of the last DataFrame <c>Fit</c>, in order: the default feature columns of the DataFrame
    /// <c>Evaluate</c> and <c>Predict</c>, so a test frame that still holds the label column predicts correctly.
    /// Null before any DataFrame <c>Fit</c>.
    /// </summary>
    public IReadOnlyList<string>? FeatureColumns { get; private set; }

    /// <summary>
    /// Trains the model on a DataFrame: one label column, every other column a feature unless
    /// <paramref name="featureColumns"/> says otherwise (Keras's <c>model.fit</c> on a pandas frame).
    /// </summary>
    /// <param name="data">Training rows. Feature columns must be numeric (byte ... ulong, float, double, decimal) or bool;
    /// they become float32 features in the order of <paramref name="featureColumns"/>.</param>
    /// <param name="labelColumn">The target column: an integer column gives int64 class labels, any other numeric or bool
    /// column float32 targets; the loss converts further (binary_crossentropy wants 0/1 values).</param>
    /// <param name="featureColumns">Feature columns in model-input order; default every column but the label.</param>
    /// <param name="batchSize">Samples per gradient update (default 32).</param>
    /// <param name="epochs">Index of the last epoch to train (with <paramref name="initialEpoch"/> 0: the number of epochs).</param>
    /// <param name="verbose">0 silent, 1 progress bar, 2 one line per epoch; default 1 on a terminal, 2 when output is redirected.</param>
    /// <param name="callbacks">Callbacks to call during training.</param>
    /// <param name="validationSplit">Fraction in [0, 1) of the rows, taken from the end before shuffling, to validate on.</param>
    /// <param name="validationData">Rows to validate on after each epoch (same columns); overrides <paramref name="validationSplit"/>.</param>
    /// <param name="shuffle">Shuffle the training rows before each epoch.</param>
    /// <param name="initialEpoch">Epoch at which to start (for resuming).</param>
    /// <param name="stepsPerEpoch">Batches per epoch; default all.</param>
    /// <param name="nullHandling">Null values: throw (default) or leave those rows out.</param>
    /// <returns>The History of the run.</returns>
    /// <example>
    /// <code>
    /// var df = DataFrame.LoadCsv("heart.csv");
    /// var (train, test) = df.TrainTestSplit(testFraction: 0.2, seed: 42);
    /// var norm = new Normalization();
    /// norm.Adapt(train, featureColumns: train.Columns.Select(c => c.Name).Where(n => n != "target").ToList());
    /// var model = new SequentialModel(norm, new Dense(16, activation: "relu"), new Dense(1, activation: "sigmoid"));
    /// model.Compile(optimizer: "adam", loss: "binary_crossentropy", metrics: ["accuracy"]);
    /// History history = model.Fit(train, labelColumn: "target", epochs: 20, batchSize: 32, validationSplit: 0.2);
    /// var scores = model.Evaluate(test, labelColumn: "target");
    /// DataFrame predictions = model.Predict(test);   // test's columns plus "prediction"
    /// </code>
    /// </example>
    /// <exception cref="ArgumentException">A named column is missing (the message lists the frame's columns), a feature or
    /// label column holds strings (encode it with <c>StringLookup</c>) or has nulls, or the frame is empty.</exception>
    public History Fit(DataFrame data, string labelColumn, IReadOnlyList<string>? featureColumns = null, int batchSize = 32,
        int epochs = 1, int? verbose = null, IEnumerable<Callback>? callbacks = null, double validationSplit = 0.0,
        DataFrame? validationData = null, bool shuffle = true, int initialEpoch = 0, int? stepsPerEpoch = null,
        NullHandling nullHandling = NullHandling.Error)
    {
        ArgumentNullException.ThrowIfNull(labelColumn);
        return Fit(data, [labelColumn], featureColumns, batchSize, epochs, verbose, callbacks, validationSplit, validationData,
            shuffle, initialEpoch, stepsPerEpoch, nullHandling);
    }

    /// <summary>
    /// Trains the model on a DataFrame with several target columns (multi-output regression, multi-label
    /// classification): the targets are float32 <c>[rows, labelColumns.Count]</c>.
    /// </summary>
    /// <param name="data">Training rows.</param>
    /// <param name="labelColumns">The target columns, in model-output order.</param>
    /// <param name="featureColumns">Feature columns; default every column that is not a label.</param>
    /// <param name="batchSize">Samples per gradient update.</param>
    /// <param name="epochs">Index of the last epoch to train.</param>
    /// <param name="verbose">0 silent, 1 progress bar, 2 one line per epoch.</param>
    /// <param name="callbacks">Callbacks to call during training.</param>
    /// <param name="validationSplit">Fraction in [0, 1) of the rows, taken from the end, to validate on.</param>
    /// <param name="validationData">Rows to validate on after each epoch.</param>
    /// <param name="shuffle">Shuffle the training rows before each epoch.</param>
    /// <param name="initialEpoch">Epoch at which to start.</param>
    /// <param name="stepsPerEpoch">Batches per epoch.</param>
    /// <param name="nullHandling">Null values: throw (default) or leave those rows out.</param>
    /// <returns>The History of the run.</returns>
    /// <exception cref="ArgumentException">See <see cref="Fit(DataFrame, string, IReadOnlyList{string}?, int, int, int?, IEnumerable{Callback}?, double, DataFrame?, bool, int, int?, NullHandling)"/>.</exception>
    public History Fit(DataFrame data, IReadOnlyList<string> labelColumns, IReadOnlyList<string>? featureColumns = null,
        int batchSize = 32, int epochs = 1, int? verbose = null, IEnumerable<Callback>? callbacks = null,
        double validationSplit = 0.0, DataFrame? validationData = null, bool shuffle = true, int initialEpoch = 0,
        int? stepsPerEpoch = null, NullHandling nullHandling = NullHandling.Error)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!IsCompiled) throw NotCompiled("Fit");
        var features = ResolveFeatures(data, labelColumns, featureColumns, useFitted: false);
        var (x, y) = ToTensors(data, features, labelColumns, nullHandling, nameof(data));
        using (x)
        using (y)
        {
            (Tensor x, Tensor y)? validation = null;
            if (validationData is not null)
                validation = ToTensors(validationData, features, labelColumns, nullHandling, nameof(validationData));
            try
            {
                var history = Fit(x, y, batchSize, epochs, verbose, callbacks, validationSplit, validation, shuffle,
                    initialEpoch, stepsPerEpoch);
                FeatureColumns = features;
                return history;
            }
            finally
            {
                validation?.x.Dispose();
                validation?.y.Dispose();
            }
        }
    }

    /// <summary>Computes the loss and metrics on a DataFrame (Keras's <c>model.evaluate</c>).</summary>
    /// <param name="data">Rows to evaluate on.</param>
    /// <param name="labelColumn">The target column.</param>
    /// <param name="featureColumns">Feature columns; default the columns of the last DataFrame <c>Fit</c>
    /// (<see cref="FeatureColumns"/>), else every column but the label.</param>
    /// <param name="batchSize">Samples per batch (default 32).</param>
    /// <param name="verbose">0 silent, 1 progress bar, 2 one line.</param>
    /// <param name="callbacks">Callbacks to call.</param>
    /// <param name="nullHandling">Null values: throw (default) or leave those rows out.</param>
    /// <returns><c>{"loss": ..., "accuracy": ...}</c>.</returns>
    /// <exception cref="ArgumentException">As for <c>Fit</c>.</exception>
    public IReadOnlyDictionary<string, double> Evaluate(DataFrame data, string labelColumn, IReadOnlyList<string>? featureColumns = null,
        int batchSize = 32, int? verbose = null, IEnumerable<Callback>? callbacks = null, NullHandling nullHandling = NullHandling.Error)
    {
        ArgumentNullException.ThrowIfNull(labelColumn);
        return Evaluate(data, [labelColumn], featureColumns, batchSize, verbose, callbacks, nullHandling);
    }

    /// <summary>Computes the loss and metrics on a DataFrame with several target columns.</summary>
    /// <param name="data">Rows to evaluate on.</param>
    /// <param name="labelColumns">The target columns.</param>
    /// <param name="featureColumns">Feature columns; default <see cref="FeatureColumns"/>, else every column that is not a label.</param>
    /// <param name="batchSize">Samples per batch.</param>
    /// <param name="verbose">0 silent, 1 progress bar, 2 one line.</param>
    /// <param name="callbacks">Callbacks to call.</param>
    /// <param name="nullHandling">Null values: throw (default) or leave those rows out.</param>
    /// <returns><c>{"loss": ..., "accuracy": ...}</c>.</returns>
    public IReadOnlyDictionary<string, double> Evaluate(DataFrame data, IReadOnlyList<string> labelColumns,
        IReadOnlyList<string>? featureColumns = null, int batchSize = 32, int? verbose = null,
        IEnumerable<Callback>? callbacks = null, NullHandling nullHandling = NullHandling.Error)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!IsCompiled) throw NotCompiled("Evaluate");
        var features = ResolveFeatures(data, labelColumns, featureColumns, useFitted: true);
        var (x, y) = ToTensors(data, features, labelColumns, nullHandling, nameof(data));
        using (x)
        using (y)
            return Evaluate(x, y, batchSize, verbose, callbacks);
    }

    /// <summary>
    /// Predicts for every row of a DataFrame and returns the rows with the predictions beside them
    /// (Keras's <c>model.predict</c>).
    /// </summary>
    /// <param name="data">Rows to predict for; extra columns (ids, the label) are carried over and not read.</param>
    /// <param name="featureColumns">Feature columns; default the columns of the last DataFrame <c>Fit</c>
    /// (<see cref="FeatureColumns"/>), else every column.</param>
    /// <param name="predictionColumn">Name of the prediction column (default <c>"prediction"</c>). A model with one output
    /// value per row adds one float column of that name; with k values it adds <c>prediction_0</c> ...
    /// <c>prediction_{k-1}</c> (outputs of higher rank are flattened per row, row-major).</param>
    /// <param name="batchSize">Samples per batch (default 32).</param>
    /// <param name="verbose">0 silent, 1 progress bar; default by terminal.</param>
    /// <param name="nullHandling">Null values: throw (default) or leave those rows out (of the result too).</param>
    /// <returns>A new frame: every column of <paramref name="data"/> (copied), then the prediction column(s), float32.</returns>
    /// <exception cref="ArgumentException">As for <c>Fit</c>; or a prediction column name is already taken.</exception>
    public DataFrame Predict(DataFrame data, IReadOnlyList<string>? featureColumns = null, string? predictionColumn = null,
        int batchSize = 32, int? verbose = null, NullHandling nullHandling = NullHandling.Error)
    {
        ArgumentNullException.ThrowIfNull(data);
        var features = featureColumns ?? FeatureColumns ?? data.Columns.Select(c => c.Name).ToList();
        DataFrameConverter.FeatureColumns(data, features, [], nameof(featureColumns));
        data = DataFrameConverter.DropNullRows(data, features, nullHandling);
        var columns = DataFrameConverter.Columns(data, features, nameof(featureColumns));
        DataFrameConverter.Check(data, columns, nullHandling);
        long rows = data.Rows.Count;
        float[] values;
        long width;
        using (var x = DataFrameConverter.ToFloatTensor(columns, rows))
        using (var predictions = Predict(x, batchSize, verbose))
        using (var flat = predictions.to_type(ScalarType.Float32).reshape(rows, -1).contiguous())
        {
            width = flat.shape[1];
            values = flat.data<float>().ToArray();
        }
        string name = predictionColumn ?? "prediction";
        var names = width == 1 ? [name] : Enumerable.Range(0, (int)width).Select(i => $"{name}_{i}").ToArray();
        var taken = names.FirstOrDefault(n => data.Columns.IndexOf(n) >= 0);
        if (taken is not null)
            throw new ArgumentException(
                $"The DataFrame already has a column \"{taken}\"; pass another predictionColumn name.", nameof(predictionColumn));
        var result = data.Clone();
        for (int c = 0; c < width; c++)
        {
            var column = new SingleDataFrameColumn(names[c], rows);
            for (long r = 0; r < rows; r++) column[r] = values[r * width + c];
            result.Columns.Add(column);
        }
        return result;
    }

    private IReadOnlyList<string> ResolveFeatures(DataFrame data, IReadOnlyList<string> labelColumns,
        IReadOnlyList<string>? featureColumns, bool useFitted)
    {
        ArgumentNullException.ThrowIfNull(labelColumns);
        if (labelColumns.Count == 0)
            throw new ArgumentException("labelColumns is empty; name the target column(s).", nameof(labelColumns));
        DataFrameConverter.Columns(data, labelColumns, nameof(labelColumns));
        var features = featureColumns ?? (useFitted ? FeatureColumns : null);
        return DataFrameConverter.FeatureColumns(data, features, [.. labelColumns], nameof(featureColumns))
            .Select(c => c.Name).ToList();
    }

    private static (Tensor x, Tensor y) ToTensors(DataFrame data, IReadOnlyList<string> features, IReadOnlyList<string> labels,
        NullHandling nullHandling, string parameter)
    {
        ArgumentNullException.ThrowIfNull(data, parameter);
        data = DataFrameConverter.DropNullRows(data, [.. features, .. labels], nullHandling);
        var x = DataFrameConverter.Columns(data, features, nameof(features));
        var y = DataFrameConverter.Columns(data, labels, nameof(labels));
        DataFrameConverter.Check(data, [.. x, .. y], nullHandling);
        long rows = data.Rows.Count;
        var xs = DataFrameConverter.ToFloatTensor(x, rows);
        return (xs, DataFrameConverter.ToLabelTensor(y, rows));
    }
}
