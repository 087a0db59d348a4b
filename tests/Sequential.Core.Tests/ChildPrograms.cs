using System.Diagnostics;

namespace Sequential.Core.Tests;

/// The small programs the tests start as child processes (tests/Sequential.ResumeChild, tests/Sequential.Distributed.Driver),
/// built alongside this project as project references.
internal static class ChildPrograms
{
    /// The program's dll: beside the tests, or in its own output folder .../tests/NAME/bin/CONFIGURATION/TFM/.
    public static string Dll(string name)
    {
        string here = Path.GetDirectoryName(typeof(ChildPrograms).Assembly.Location)!;
        string beside = Path.Combine(here, name + ".dll");
        if (File.Exists(beside) && File.Exists(Path.Combine(here, name + ".runtimeconfig.json"))) return beside;
        string own = here.Replace(Path.Combine("tests", "Sequential.Core.Tests"), Path.Combine("tests", name));
        string dll = Path.Combine(own, name + ".dll");
        Assert.That(File.Exists(dll), Is.True, $"the child program was not built: looked for {beside} and {dll}");
        return dll;
    }

    /// The dotnet host that runs the tests (the same one runs the child).
    public static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    /// Runs a program to its end (or kills it after <paramref name="timeout"/>); returns its exit code and output.
    public static (int ExitCode, string Output, TimeSpan Took) Run(string program, IEnumerable<string> args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return (-1, $"killed after {timeout.TotalSeconds} s\n{stdout.Result}{stderr.Result}", clock.Elapsed);
        }
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result, clock.Elapsed);
    }
}
