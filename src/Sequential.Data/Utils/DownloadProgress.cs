using System.Diagnostics;
using System.Globalization;

namespace Sequential.Data;

/// <summary>
/// The byte counter <see cref="Utils.GetFile"/> draws while downloading, in the shape of Keras's <c>Progbar</c> for
/// <c>get_file</c>: <c>8192000/228813984 ━━━━━━━━━━━━━━━━━━━━ 3s</c>, redrawn in place at most every 0.1 s, ended with a
/// newline. Drawn only where it can be redrawn in place: GetFile gives it standard error only when that is a terminal.
/// </summary>
internal sealed class DownloadProgress
{
    private const int BarWidth = 20;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(0.1);
    private readonly TextWriter? _output;
    private readonly long? _total;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan? _lastDraw;
    private int _lastLength;

    /// <param name="output">Where to draw; null draws nothing.</param>
    /// <param name="total">The size announced by the server, if any.</param>
    internal DownloadProgress(TextWriter? output, long? total)
    {
        _output = output;
        _total = total;
    }

    /// <summary>Standard error when it is a terminal (a redirected log would fill with redraws), else nothing.</summary>
    internal static TextWriter? ConsoleOutput => Console.IsErrorRedirected ? null : Console.Error;

    /// <summary>Notes that <paramref name="received"/> bytes have arrived; redraws if 0.1 s have passed since the last draw.</summary>
    internal void Update(long received)
    {
        if (_output is null || (_lastDraw is { } last && _clock.Elapsed - last < Interval))
            return;
        Draw(received);
    }

    /// <summary>Draws the final count and ends the line.</summary>
    internal void Finish(long received)
    {
        if (_output is null)
            return;
        Draw(received);
        _output.WriteLine();
        _output.Flush();
    }

    /// <summary>The line for <paramref name="received"/> bytes: count, bar (when the total is known) and elapsed seconds.</summary>
    internal string Line(long received)
    {
        string seconds = ((long)_clock.Elapsed.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";
        if (_total is not { } total || total <= 0)
            return string.Create(CultureInfo.InvariantCulture, $"{received} bytes {seconds}");
        int done = (int)Math.Min(BarWidth, received * BarWidth / total);
        return string.Create(CultureInfo.InvariantCulture,
            $"{received}/{total} {new string('━', done)}{new string(' ', BarWidth - done)} {seconds}");
    }

    private void Draw(long received)
    {
        _lastDraw = _clock.Elapsed;
        string line = Line(received);
        // Pad over a longer previous line, as the console has no "clear to end of line" we can count on.
        _output!.Write("\r" + line.PadRight(_lastLength));
        _lastLength = line.Length;
        _output.Flush();
    }
}
