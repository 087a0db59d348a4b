using System.Diagnostics;
using System.Globalization;
using System.Text;
using Sequential.Training;

namespace Sequential.Callbacks;

/// <summary>
/// Prints Keras 3's progress output (added by <c>Fit</c>/<c>Evaluate</c>/<c>Predict</c> when verbose &gt; 0).
/// verbose 1: a live bar redrawn at most every 0.1 s, <c>1688/1688 ━━━━━━━━━━━━━━━━━━━━ 3s 2ms/step - accuracy: 0.8789 - loss: 0.4216</c>;
/// verbose 2: one line per epoch, <c>1688/1688 - 3s - 2ms/step - accuracy: ... </c>.
/// </summary>
/// <remarks>Values are read from the device only when a line is drawn, so the bar costs no per-batch synchronisation.</remarks>
public sealed class ProgbarLogger : Callback
{
    private const int BarWidth = 20;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(0.1);
    private readonly int _verbose;
    private readonly ProgressTarget _target;
    private readonly TextWriter _out;
    private readonly Stopwatch _clock = new();
    private TimeSpan _lastDraw;
    private int _epochs;
    private int? _steps;
    private int _seen;
    private int _lastLineLength;

    /// <summary>Creates a progress logger writing to the console.</summary>
    /// <param name="verbose">1 for the live bar, 2 for one line per epoch.</param>
    public ProgbarLogger(int verbose = 1) : this(verbose, ProgressTarget.Train) { }

    internal ProgbarLogger(int verbose, ProgressTarget target, TextWriter? output = null)
    {
        _verbose = verbose;
        _target = target;
        _out = output ?? Console.Out;
    }

    /// <inheritdoc/>
    public override void SetParams(IReadOnlyDictionary<string, object?> parameters)
    {
        base.SetParams(parameters);
        _epochs = parameters.TryGetValue("epochs", out var e) && e is int epochs ? epochs : 1;
        _steps = parameters.TryGetValue("steps", out var s) && s is int steps ? steps : null;
    }

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        _out.WriteLine($"Epoch {epoch + 1}/{_epochs}");
        Start();
    }

    /// <inheritdoc/>
    public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) => Batch(batch, logs);

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs) => Finish(logs);

    /// <inheritdoc/>
    public override void OnTestBegin(IReadOnlyDictionary<string, double> logs)
    {
        if (_target == ProgressTarget.Test) Start();
    }

    /// <inheritdoc/>
    public override void OnTestBatchEnd(int batch, IReadOnlyDictionary<string, double> logs)
    {
        if (_target == ProgressTarget.Test) Batch(batch, logs);
    }

    /// <inheritdoc/>
    public override void OnTestEnd(IReadOnlyDictionary<string, double> logs)
    {
        if (_target == ProgressTarget.Test) Finish(logs);
    }

    /// <inheritdoc/>
    public override void OnPredictBegin(IReadOnlyDictionary<string, double> logs) => Start();

    /// <inheritdoc/>
    public override void OnPredictBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) => Batch(batch, logs);

    /// <inheritdoc/>
    public override void OnPredictEnd(IReadOnlyDictionary<string, double> logs) => Finish(logs);

    private void Start()
    {
        _seen = 0;
        _lastLineLength = 0;
        _clock.Restart();
        _lastDraw = TimeSpan.Zero;
    }

    private void Batch(int batch, IReadOnlyDictionary<string, double> logs)
    {
        _seen = batch + 1;
        if (_verbose != 1) return;
        var now = _clock.Elapsed;
        if (now - _lastDraw < Interval) return;
        _lastDraw = now;
        Draw(logs, final: false);
    }

    private void Finish(IReadOnlyDictionary<string, double> logs)
    {
        if (_verbose == 1) { Draw(logs, final: true); _out.WriteLine(); }
        else _out.WriteLine(Line(logs, final: true));
        _out.Flush();
    }

    private void Draw(IReadOnlyDictionary<string, double> logs, bool final)
    {
        string line = Line(logs, final);
        string pad = line.Length < _lastLineLength ? new string(' ', _lastLineLength - line.Length) : "";
        _out.Write("\r" + line + pad);
        _lastLineLength = line.Length;
        _out.Flush();
    }

    /// <summary>Formats one progress line (public for tests of the format).</summary>
    internal string Line(IReadOnlyDictionary<string, double> logs, bool final)
    {
        var elapsed = _clock.Elapsed;
        int total = _steps ?? _seen;
        var text = new StringBuilder();
        string count = _steps is null ? $"{_seen}/Unknown" : $"{_seen.ToString().PadLeft(total.ToString().Length)}/{total}";
        double perStep = _seen > 0 ? elapsed.TotalSeconds / _seen : 0;
        if (_verbose == 1)
        {
            int filled = total > 0 ? (int)Math.Round((double)BarWidth * _seen / total) : 0;
            filled = Math.Clamp(filled, 0, BarWidth);
            text.Append(count).Append(' ').Append('━', filled).Append('─', BarWidth - filled).Append(' ');
            double seconds = final || _steps is null ? elapsed.TotalSeconds : perStep * (total - _seen);
            text.Append(FormatSeconds(seconds)).Append(' ').Append(FormatPerStep(perStep));
        }
        else
        {
            text.Append(count).Append(" - ").Append(FormatSeconds(elapsed.TotalSeconds)).Append(" - ").Append(FormatPerStep(perStep));
        }
        foreach (var key in logs.Keys.Where(k => !k.StartsWith("val_", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
                     .Concat(logs.Keys.Where(k => k.StartsWith("val_", StringComparison.Ordinal)).Order(StringComparer.Ordinal)))
            text.Append(" - ").Append(key).Append(": ").Append(FormatValue(logs[key]));
        return text.ToString();
    }

    private static string FormatSeconds(double seconds) =>
        seconds >= 3600 ? $"{(int)(seconds / 3600)}:{(int)(seconds % 3600 / 60):00}:{(int)(seconds % 60):00}"
        : seconds >= 60 ? $"{(int)(seconds / 60)}:{(int)(seconds % 60):00}"
        : $"{(int)Math.Round(seconds)}s";

    private static string FormatPerStep(double seconds) =>
        seconds >= 1 ? $"{Math.Round(seconds)}s/step"
        : seconds >= 1e-3 ? $"{Math.Round(seconds * 1e3)}ms/step"
        : $"{Math.Round(seconds * 1e6)}us/step";

    private static string FormatValue(double value) =>
        Math.Abs(value) >= 1e-3 || value == 0 ? value.ToString("0.0000", CultureInfo.InvariantCulture) : value.ToString("0.0000e+00", CultureInfo.InvariantCulture);
}
