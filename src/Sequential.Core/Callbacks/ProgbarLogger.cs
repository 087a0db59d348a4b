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
/// <remarks>
/// <para>Values are read from the device only when a line is drawn, so the bar costs no per-batch synchronisation.</para>
/// <para>Passing one in <c>callbacks:</c> replaces the progress bar <c>Fit</c>/<c>Evaluate</c>/<c>Predict</c> would
/// add (Keras 3's <c>CallbackList</c> adds its own only when the list has none), so the output appears once. Unlike
/// Keras's, whose verbosity comes from <c>fit(verbose=...)</c>, this one keeps the <c>verbose</c> it was created with:
/// <c>Fit(..., verbose: 0, callbacks: [new ProgbarLogger(2)])</c> prints one line per epoch. Keras 3's takes no other
/// option (the <c>count_mode</c> its docstring mentions is not an argument of its constructor; it always counts steps).</para>
/// <para>As in Keras 3: no <c>Epoch 1/1</c> header for a single epoch, and a pass of unknown length ends as complete
/// (<c>7/7</c>) and the passes after it are drawn against that count.</para>
/// </remarks>
/// <example>
/// <code>
/// // one line per epoch even on a terminal (where Fit's default is the live bar)
/// model.Fit(x, y, epochs: 10, callbacks: [new ProgbarLogger(verbose: 2)]);
/// </code>
/// </example>
public sealed class ProgbarLogger : Callback
{
    /// <summary>True: with several processes only rank 0 prints.</summary>
    public override bool ChiefOnly => true;

    private const int BarWidth = 20;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(0.1);
    private readonly int _verbose;
    private readonly ProgressTarget? _target;
    private readonly TextWriter? _output;
    private bool _calledInFit;
    private readonly Stopwatch _clock = new();
    private TimeSpan _lastDraw;
    private int _epochs;
    private int? _steps;
    private int _seen;
    private int _lastLineLength;

    /// <summary>Creates a progress logger writing to the console (<see cref="Console.Out"/> at the time it writes).</summary>
    /// <param name="verbose">0 silent, 1 the live bar, 2 one line per epoch.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="verbose"/> is not 0, 1 or 2.</exception>
    /// <remarks>It follows whichever loop it is given to: inside <c>Fit</c> the epochs (validation stays silent, as
    /// in Keras), in <c>Evaluate</c> the evaluation, in <c>Predict</c> the prediction.</remarks>
    public ProgbarLogger(int verbose = 1) : this(verbose, null) { }

    /// <param name="verbose">0, 1 or 2.</param>
    /// <param name="target">The loop the automatically added bar follows; null decides as Keras's ProgbarLogger
    /// does (test hooks draw only outside <c>Fit</c>).</param>
    /// <param name="output">Where to write; null is <see cref="Console.Out"/> at the time of writing.</param>
    internal ProgbarLogger(int verbose, ProgressTarget? target, TextWriter? output = null)
    {
        if (verbose is < 0 or > 2)
            throw new ArgumentOutOfRangeException(nameof(verbose), verbose,
                $"ProgbarLogger verbose must be 0 (silent), 1 (progress bar) or 2 (one line per epoch); got {verbose}.");
        _verbose = verbose;
        _target = target;
        _output = output;
    }

    private TextWriter Out => _output ?? Console.Out;

    private bool FollowsTest => _target == ProgressTarget.Test || (_target is null && !_calledInFit);

    /// <summary>Notes that the hooks come from <c>Fit</c>, whose validation pass draws nothing (Keras's <c>_called_in_fit</c>).</summary>
    /// <param name="logs">Unused.</param>
    public override void OnTrainBegin(IReadOnlyDictionary<string, double> logs) => _calledInFit = true;

    /// <summary>Ends the <c>Fit</c> call, so a later <c>Evaluate</c> with the same logger draws its progress.</summary>
    /// <param name="logs">Unused.</param>
    public override void OnTrainEnd(IReadOnlyDictionary<string, double> logs) => _calledInFit = false;

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
        if (_verbose == 0) return;
        if (_epochs > 1) Out.WriteLine($"Epoch {epoch + 1}/{_epochs}"); // Keras 3 prints no "Epoch 1/1"
        Start();
    }

    /// <inheritdoc/>
    public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) => Batch(batch, logs);

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs) => Finish(logs);

    /// <inheritdoc/>
    public override void OnTestBegin(IReadOnlyDictionary<string, double> logs)
    {
        if (FollowsTest) Start();
    }

    /// <inheritdoc/>
    public override void OnTestBatchEnd(int batch, IReadOnlyDictionary<string, double> logs)
    {
        if (FollowsTest) Batch(batch, logs);
    }

    /// <inheritdoc/>
    public override void OnTestEnd(IReadOnlyDictionary<string, double> logs)
    {
        if (FollowsTest) Finish(logs);
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
        // Keras's _finalize_progbar: a pass of unknown length ends as complete ("7/7"), and the passes after it are drawn
        // against that count.
        _steps ??= _seen;
        if (_verbose == 0) return;
        if (_verbose == 1) { Draw(logs, final: true); Out.WriteLine(); }
        else Out.WriteLine(Line(logs, final: true));
        Out.Flush();
    }

    private void Draw(IReadOnlyDictionary<string, double> logs, bool final)
    {
        string line = Line(logs, final);
        string pad = line.Length < _lastLineLength ? new string(' ', _lastLineLength - line.Length) : "";
        Out.Write("\r" + line + pad);
        _lastLineLength = line.Length;
        Out.Flush();
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
            int filled = total > 0 ? (int)((double)BarWidth * _seen / total) : 0; // truncated, as Keras's int(width * progress)
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
