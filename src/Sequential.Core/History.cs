using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;
using Microsoft.Data.Analysis;
using Sequential.Callbacks;
using Sequential.IO;

namespace Sequential;

/// <summary>
/// Records the metrics of every epoch (Keras's <c>keras.callbacks.History</c>). <c>Fit</c> adds one
/// automatically and returns it; read a curve with <c>history["val_accuracy"]</c>, plot it with
/// <see cref="Plot"/>, export it with <see cref="ToDataFrame"/> or <see cref="SaveCsv"/>.
/// </summary>
/// <remarks>
/// <para>
/// Keys are exactly the names in the epoch logs: <c>loss</c>, each metric (<c>accuracy</c>, ...), and the
/// validation ones prefixed <c>val_</c>. A key that appears only in some epochs (validation every few
/// epochs) has fewer values than <see cref="Epochs"/>, as in Keras; <see cref="ToDataFrame"/> and
/// <see cref="SaveCsv"/> align them by epoch and leave the gaps empty.
/// </para>
/// <para>
/// Reusing one instance across several <c>Fit</c> calls keeps appending. Keras 3 also keeps
/// <c>history</c> but resets <c>epoch</c> in <c>on_train_begin</c>, which leaves the two out of step;
/// here <see cref="Epochs"/> keeps appending too, so every value stays paired with its epoch.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// History history = model.Fit(xTrain, yTrain, epochs: 10, validationSplit: 0.2);
/// IReadOnlyList&lt;double&gt; valAccuracy = history["val_accuracy"];
/// Console.WriteLine($"best validation accuracy {valAccuracy.Max():F4}");
/// history.Plot("accuracy.png", "accuracy");   // training and validation curves
/// history.SaveCsv("history.csv");
/// </code>
/// </example>
public sealed class History : Callback
{
    private const string ValidationPrefix = "val_";

    private readonly List<int> _epochs = [];
    private readonly ReadOnlyCollection<int> _epochsView;
    private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<double>> _values = new(StringComparer.Ordinal);
    private readonly ReadOnlyDictionary<string, IReadOnlyList<double>> _valuesView;

    /// <summary>Creates an empty history.</summary>
    public History()
    {
        _epochsView = _epochs.AsReadOnly();
        _valuesView = _values.AsReadOnly();
    }

    /// <summary>The values recorded for <paramref name="key"/>, one per epoch that logged it, oldest first.</summary>
    /// <param name="key">A log name such as <c>loss</c>, <c>accuracy</c> or <c>val_accuracy</c>.</param>
    /// <returns>A read-only view that grows as training goes on.</returns>
    /// <exception cref="KeyNotFoundException">No epoch logged <paramref name="key"/>; the message lists the keys there are.</exception>
    public IReadOnlyList<double> this[string key]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(key);
            return _values.TryGetValue(key, out var values) ? values : throw UnknownKey(key);
        }
    }

    /// <summary>The 0-based index of every recorded epoch, in order (Keras's <c>history.epoch</c>).</summary>
    public IReadOnlyList<int> Epochs => _epochsView;

    /// <summary>The recorded keys, in the order they first appeared in the logs.</summary>
    public IReadOnlyCollection<string> Keys => _values.Keys;

    /// <summary>Every recorded curve by key (Keras's <c>history.history</c>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double>> Values => _valuesView;

    /// <summary>Whether some epoch logged <paramref name="key"/>.</summary>
    /// <param name="key">A log name such as <c>val_loss</c>.</param>
    /// <returns><see langword="true"/> when <c>this[key]</c> would return values.</returns>
    public bool ContainsKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _values.ContainsKey(key);
    }

    /// <summary>Appends <paramref name="epoch"/> and one value for each entry of <paramref name="logs"/>.</summary>
    /// <param name="epoch">0-based epoch index.</param>
    /// <param name="logs">The epoch's metrics, validation ones prefixed <c>val_</c>.</param>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        int row = _epochs.Count;
        _epochs.Add(epoch);
        foreach (var (key, value) in logs)
        {
            if (!_series.TryGetValue(key, out var series))
            {
                series = new Series();
                _series.Add(key, series);
                _values.Add(key, series.Values.AsReadOnly());
            }
            series.Values.Add(value);
            series.Rows.Add(row);
        }
    }

    /// <summary>
    /// Draws <paramref name="metric"/> per epoch and, when recorded, <c>val_</c> + <paramref name="metric"/>,
    /// as in Chollet's plots: training values as dots, validation values as a line, epochs numbered from 1.
    /// </summary>
    /// <param name="path">The PNG file to create or replace; its folder is created if missing.</param>
    /// <param name="metric">The training key to plot, for example <c>loss</c> or <c>accuracy</c>.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> does not end in <c>.png</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> or <paramref name="height"/> is not positive.</exception>
    /// <exception cref="KeyNotFoundException"><paramref name="metric"/> was never logged.</exception>
    public void Plot(string path, string metric = "loss", int width = 800, int height = 600)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(metric);
        if (!string.Equals(Path.GetExtension(path), ".png", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"History.Plot writes PNG images only, but '{path}' does not end in .png. Pass a path such as 'accuracy.png'.", nameof(path));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (!_series.TryGetValue(metric, out var training))
            throw UnknownKey(metric);
        _series.TryGetValue(ValidationPrefix + metric, out var validation);

        using var plot = new ScottPlot.Plot();
        var trainingPoints = plot.Add.Scatter(EpochNumbers(training), [.. training.Values]);
        trainingPoints.LegendText = $"Training {metric}";
        trainingPoints.LineWidth = 0;
        trainingPoints.MarkerSize = 7;
        if (validation is not null)
        {
            var validationLine = plot.Add.Scatter(EpochNumbers(validation), [.. validation.Values]);
            validationLine.LegendText = $"Validation {metric}";
            validationLine.LineWidth = 2;
            validationLine.MarkerSize = 0;
        }
        plot.Title(validation is null ? $"Training {metric}" : $"Training and validation {metric}");
        plot.XLabel("Epoch");
        plot.YLabel(metric);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.ShowLegend();

        byte[] png = plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png);
        AtomicFile.Write(path, stream => stream.Write(png));
    }

    /// <summary>
    /// The history as a table: an <see cref="int"/> column <c>epoch</c> (0-based), then one <see cref="double"/>
    /// column per key, training keys alphabetically, then <c>val_</c> keys alphabetically. An epoch that did
    /// not log a key holds a null there.
    /// </summary>
    /// <returns>A new data frame with one row per recorded epoch.</returns>
    public DataFrame ToDataFrame()
    {
        var columns = new List<DataFrameColumn> { new Int32DataFrameColumn("epoch", _epochs) };
        foreach (string key in OrderedKeys())
        {
            var column = new DoubleDataFrameColumn(key, _epochs.Count);   // starts all null
            var series = _series[key];
            for (int i = 0; i < series.Values.Count; i++)
                column[series.Rows[i]] = series.Values[i];
            columns.Add(column);
        }
        return new DataFrame(columns);
    }

    /// <summary>
    /// Writes the history as CSV, like Keras's <c>CSVLogger</c>: a header <c>epoch,accuracy,loss,val_accuracy,val_loss</c>
    /// (keys ordered as in <see cref="ToDataFrame"/>), then one row per epoch with the 0-based epoch and the values
    /// written exactly as <see cref="Callbacks.CSVLogger"/> writes them, which is Python's <c>str(float)</c>: the
    /// shortest text that reads back to the same double (<c>0.1</c>, <c>1.0</c>, <c>1e-05</c>, <c>nan</c>,
    /// <c>inf</c>), whatever the current culture; an epoch that did not log a key writes <c>NA</c> there.
    /// </summary>
    /// <param name="path">The file to create or replace; its folder is created if missing.</param>
    /// <param name="separator">The field separator, for example <c>';'</c> or <c>'\t'</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="separator"/> could appear inside a number.</exception>
    public void SaveCsv(string path, char separator = ',')
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (char.IsLetterOrDigit(separator) || separator is '.' or '-' or '+' or '"' or '\r' or '\n')
            throw new ArgumentException($"'{separator}' cannot separate CSV fields because it can appear in a number or a line break. Use ',', ';' or '\\t'.", nameof(separator));

        var keys = OrderedKeys();
        var cells = new string?[_epochs.Count, keys.Count];
        for (int k = 0; k < keys.Count; k++)
        {
            var series = _series[keys[k]];
            for (int i = 0; i < series.Values.Count; i++)
                cells[series.Rows[i], k] = PythonFormat.Str(series.Values[i]);
        }

        var text = new StringBuilder();
        text.Append("epoch");
        foreach (string key in keys)
            text.Append(separator).Append(CsvField(key, separator));
        text.Append('\n');
        for (int row = 0; row < _epochs.Count; row++)
        {
            text.Append(_epochs[row].ToString(CultureInfo.InvariantCulture));
            for (int k = 0; k < keys.Count; k++)
                text.Append(separator).Append(cells[row, k] ?? "NA");
            text.Append('\n');
        }

        byte[] bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text.ToString());
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    private double[] EpochNumbers(Series series)
    {
        // Keras tutorials plot range(1, epochs + 1): the first epoch is epoch 1 on the axis.
        var numbers = new double[series.Rows.Count];
        for (int i = 0; i < numbers.Length; i++)
            numbers[i] = _epochs[series.Rows[i]] + 1;
        return numbers;
    }

    private List<string> OrderedKeys() =>
        [.. _series.Keys
            .OrderBy(key => key.StartsWith(ValidationPrefix, StringComparison.Ordinal))
            .ThenBy(key => key, StringComparer.Ordinal)];

    private KeyNotFoundException UnknownKey(string key)
    {
        string available = _series.Count == 0 ? "none (no epoch has ended yet)" : string.Join(", ", OrderedKeys());
        return new KeyNotFoundException($"History has no key '{key}'. Available: {available}.");
    }

    private static string CsvField(string value, char separator) =>
        value.IndexOfAny([separator, '"', '\r', '\n']) < 0 ? value : $"\"{value.Replace("\"", "\"\"")}\"";

    /// <summary>One key's values and, for each, the row (position in <c>_epochs</c>) it was logged at.</summary>
    private sealed class Series
    {
        public List<double> Values { get; } = [];

        public List<int> Rows { get; } = [];
    }
}
