using System.Diagnostics;
using Sequential.IO;

namespace Sequential.Core.Tests;

public class WriterIdTests
{
    [Test]
    public void Current_IsThisProcess()
    {
        var me = WriterId.Current;

        Assert.That(me.Pid, Is.EqualTo(Environment.ProcessId));
        Assert.That(me.Start, Is.EqualTo(WriterId.StartOf(Environment.ProcessId)).And.Not.Zero);
        Assert.That(me.Scope, Does.Match("^[0-9a-f]{8}$"));
        Assert.That(me.HasExited, Is.False);
    }

    [Test]
    public void ToString_ReadsBackWithTryParse()
    {
        var id = new WriterId("0badf00d", 4242, 987654321);

        Assert.That(id.ToString(), Is.EqualTo("0badf00d-4242-987654321"));
        Assert.That(WriterId.TryParse(id.ToString(), out var back), Is.True);
        Assert.That(back, Is.EqualTo(id));
    }

    [TestCase("")]
    [TestCase("0badf00d-4242")]
    [TestCase("0BADF00D-4242-1")]
    [TestCase("0badf00-4242-1")]
    [TestCase("0badf00d--4242-1")]
    [TestCase("0badf00d-+4242-1")]
    [TestCase("0badf00d-4242-1-2")]
    [TestCase("b0c7ff3f9e5c4e2a8a6e0e1b2c3d4e5f")]
    public void TryParse_AnythingElse_IsFalse(string text) => Assert.That(WriterId.TryParse(text, out _), Is.False);

    [Test]
    [Platform("Linux,MacOsX")]
    public void HasExited_IsTrueOnlyForAnExitedProcessOfThisScope()
    {
        var me = WriterId.Current;
        using var child = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        var running = new WriterId(me.Scope, child.Id, WriterId.StartOf(child.Id)!.Value);
        try
        {
            Assert.That(running.HasExited, Is.False, "running");
            Assert.That((me with { Start = me.Start + 1 }).HasExited, Is.True, "same id, another start: the id was reused");
            Assert.That((running with { Scope = "0badf00d" }).HasExited, Is.False, "another machine: cannot tell");
        }
        finally
        {
            child.Kill();
            child.WaitForExit();
        }
        Assert.That(running.HasExited, Is.True, "killed");
        Assert.That((running with { Scope = "0badf00d" }).HasExited, Is.False, "another machine: still cannot tell");
    }
}
