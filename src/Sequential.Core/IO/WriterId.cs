using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Sequential.IO;

/// <summary>
/// Names a writing process well enough that a later process can tell for certain that it has exited: its id,
/// its start time (a reused id has another), and a scope saying where that id means something.
/// </summary>
/// <param name="Scope">8 hex digits of a hash of the host name and, on Linux, the boot id and the PID namespace:
/// two processes with the same scope see the same process table.</param>
/// <param name="Pid">The process id.</param>
/// <param name="Start">The process start time: clock ticks since boot on Linux (<c>/proc/PID/stat</c> field 22),
/// UTC ticks elsewhere.</param>
internal readonly record struct WriterId(string Scope, int Pid, long Start)
{
    private static readonly Lazy<WriterId> CurrentId = new(() =>
        new WriterId(CurrentScope(), Environment.ProcessId, StartOf(Environment.ProcessId) ?? 0));

    /// <summary>This process.</summary>
    internal static WriterId Current => CurrentId.Value;

    /// <summary><c>scope-pid-start</c>; <see cref="TryParse"/> reads it back.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Scope}-{Pid}-{Start}");

    /// <summary>Reads what <see cref="ToString"/> wrote; false for anything else.</summary>
    internal static bool TryParse(string text, out WriterId id)
    {
        id = default;
        var parts = text.Split('-');
        if (parts.Length != 3 || parts[0].Length != 8 || !parts[0].All(char.IsAsciiHexDigitLower)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out long start))
            return false;
        id = new WriterId(parts[0], pid, start);
        return true;
    }

    /// <summary>
    /// True only when it is certain that this writer has exited: it ran where this process runs (same scope) and
    /// no process with its id and start time runs now. A writer in another scope, or one whose start time cannot be
    /// read, counts as running.
    /// </summary>
    internal bool HasExited => Scope == Current.Scope && !IsRunning(Pid, Start);

    private static bool IsRunning(int pid, long start)
    {
        if (OperatingSystem.IsLinux())
            return StartOf(pid) == start;
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.StartTime.ToUniversalTime().Ticks == start;
        }
        catch (ArgumentException) { return false; }          // no such process
        catch (InvalidOperationException) { return false; }  // it exited meanwhile
        catch (System.ComponentModel.Win32Exception) { return true; } // running, start time not ours to read: keep its file
    }

    /// <summary>The start time of a process in the unit of <see cref="Start"/>; null when no such process runs, or
    /// it is a zombie (killed, not yet reaped by its parent).</summary>
    internal static long? StartOf(int pid)
    {
        if (!OperatingSystem.IsLinux())
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                return process.StartTime.ToUniversalTime().Ticks;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                return null;
            }
        }
        string stat;
        try { stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        // "pid (comm) state ppid ... starttime ...": comm may hold spaces and parentheses, so count from the last ')'.
        int close = stat.LastIndexOf(')');
        if (close < 0 || close + 2 > stat.Length) return null;
        var fields = stat[(close + 2)..].Split(' ');
        if (fields.Length < 20 || fields[0] is "Z" or "X") return null;
        return long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out long ticks) ? ticks : null;
    }

    private static string CurrentScope()
    {
        var text = new StringBuilder(Environment.MachineName);
        if (OperatingSystem.IsLinux())
        {
            text.Append('|').Append(TryRead(() => File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim()));
            text.Append('|').Append(TryRead(() => new FileInfo("/proc/self/ns/pid").LinkTarget ?? ""));
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..8];
    }

    private static string TryRead(Func<string> read)
    {
        try { return read(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ""; }
    }
}
