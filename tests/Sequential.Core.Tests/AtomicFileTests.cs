using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text;
using Sequential.IO;

namespace Sequential.Core.Tests;

public class AtomicFileTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "sequential-atomicfile-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void Write_CreatesMissingFolderAndWritesContent()
    {
        string path = Path.Combine(_folder, "a", "b", "out.txt");

        AtomicFile.Write(path, stream => stream.Write("hello"u8));

        Assert.That(File.ReadAllText(path), Is.EqualTo("hello"));
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(path)!), Is.EqualTo(new[] { path }));
    }

    [Test]
    public void Write_AccessDenied_SaysReadOnlyForThisUser_ForEveryWriter()
    {
        // Root ignores permission bits, so the denial comes from the writer; every file the library writes (CSV logs,
        // plots, checkpoints) goes through AtomicFile.Write and gets this message, not only model files.
        string path = Path.Combine(_folder, "log.csv");
        var e = Assert.Throws<UnauthorizedAccessException>(() =>
            AtomicFile.Write(path, _ => throw new UnauthorizedAccessException("Access to the path is denied.")))!;
        Assert.That(e.Message, Is.EqualTo($"Could not write '{path}': Access to the path is denied (the folder '{_folder}' " +
            "is read-only for this user; save to a writable folder or change its permissions). The previous file, if any, is unchanged."));
        Assert.That(e.InnerException, Is.TypeOf<UnauthorizedAccessException>());
    }

    [Test]
    public void Write_FolderIsAFile_NamesTheTarget()
    {
        string blocker = Path.Combine(_folder, "plots");
        File.WriteAllText(blocker, "not a folder");
        string path = Path.Combine(blocker, "loss.png");
        var e = Assert.Throws<IOException>(() => AtomicFile.Write(path, stream => stream.Write("x"u8)))!;
        Assert.That(e.Message, Does.StartWith($"Could not write '{path}': "));
        Assert.That(File.ReadAllText(blocker), Is.EqualTo("not a folder"));
    }

    [Test]
    public void Write_ReplacesExistingContentEntirely()
    {
        string path = Path.Combine(_folder, "out.txt");
        File.WriteAllText(path, "a much longer previous content");

        AtomicFile.Write(path, stream => stream.Write("new"u8));

        Assert.That(File.ReadAllText(path), Is.EqualTo("new"));
        Assert.That(Directory.GetFiles(_folder), Is.EqualTo(new[] { path }));
    }

    [Test]
    public void Write_WhenCallbackThrowsMidWrite_KeepsPreviousContentAndLeavesNoTempFile()
    {
        string path = Path.Combine(_folder, "checkpoint.bin");
        File.WriteAllText(path, "previous");
        var failure = new InvalidOperationException("disk full, say");

        var thrown = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(Encoding.UTF8.GetBytes("half of the new con"));
            stream.Flush();
            throw failure;
        }));

        Assert.That(thrown, Is.SameAs(failure));
        Assert.That(File.ReadAllText(path), Is.EqualTo("previous"));
        Assert.That(Directory.GetFiles(_folder), Is.EqualTo(new[] { path }));
    }

    [Test]
    public void Write_WhenCallbackThrowsAndNoPreviousFile_CreatesNothing()
    {
        string path = Path.Combine(_folder, "new.bin");

        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.WriteByte(1);
            throw new IOException("boom");
        }));

        Assert.That(Directory.GetFileSystemEntries(_folder), Is.Empty);
    }

    [Test]
    public void Write_TargetIsAFolderPath_ThrowsArgumentExceptionNamingIt()
    {
        string path = _folder + Path.DirectorySeparatorChar;

        var error = Assert.Throws<ArgumentException>(() => AtomicFile.Write(path, _ => { }));

        Assert.That(error!.Message, Does.Contain(path));
    }

    private const UnixFileMode ReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private string Temporary(string fileName, WriterId writer)
    {
        string path = Path.Combine(_folder, AtomicFile.TemporaryName(fileName, writer));
        File.WriteAllText(path, "left by a writer");
        return path;
    }

    private static int ExitedProcessId()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }

    [Test]
    [Platform("Linux,MacOsX")]
    [UnsupportedOSPlatform("windows")]
    public void Write_DeletesTemporariesOfExitedWriters_AndKeepsThoseOfRunningOnes()
    {
        string path = Path.Combine(_folder, "model.sqm");
        var me = WriterId.Current;
        using var other = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        try
        {
            var running = new WriterId(me.Scope, other.Id, WriterId.StartOf(other.Id)!.Value);
            string[] kept =
            [
                Temporary("model.sqm", me),                                          // a concurrent write in this process
                Temporary("model.sqm", running),                                     // ... and in another one
                Temporary("model.sqm", new WriterId("0badf00d", ExitedProcessId(), 1)), // another machine: cannot tell yet
                Temporary("other.sqm", new WriterId(me.Scope, ExitedProcessId(), 1)), // another target's
                Path.Combine(_folder, $".model.sqm.{Guid.NewGuid():N}.tmp"),          // an older version's naming: cannot tell
            ];
            File.WriteAllText(kept[^1], "old naming");
            string[] deleted =
            [
                Temporary("model.sqm", new WriterId(me.Scope, ExitedProcessId(), 12345)), // killed
                Temporary("model.sqm", me with { Start = me.Start + 1 }),                 // killed; its id is reused by this process
                Temporary("model.sqm", new WriterId("0badf00d", 1, 1)),                   // another machine, a day old
            ];
            File.SetLastWriteTimeUtc(deleted[^1], DateTime.UtcNow - AtomicFile.ForeignTemporaryAge - TimeSpan.FromMinutes(1));

            AtomicFile.Write(path, stream => stream.Write("new"u8));

            Assert.That(File.ReadAllText(path), Is.EqualTo("new"));
            Assert.That(Directory.GetFiles(_folder), Is.EquivalentTo(kept.Append(path)));
        }
        finally
        {
            other.Kill();
        }
    }

    [Test]
    [Platform("Linux,MacOsX")]
    [UnsupportedOSPlatform("windows")]
    public void DeleteStaleTemporaries_RemovesFoldersOfExitedWriters_WithoutFollowingLinks()
    {
        // Sequential.Data extracts archives into a temporary folder named like a temporary file.
        var me = WriterId.Current;
        string outside = Path.Combine(_folder, "outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "keep.txt"), "not ours");
        string dead = Path.Combine(_folder, AtomicFile.TemporaryName("data", new WriterId(me.Scope, ExitedProcessId(), 1)));
        Directory.CreateDirectory(Path.Combine(dead, "half"));
        File.CreateSymbolicLink(Path.Combine(dead, "half", "link"), outside);
        string deadLink = Path.Combine(_folder, AtomicFile.TemporaryName("data", new WriterId(me.Scope, ExitedProcessId(), 2)));
        Directory.CreateSymbolicLink(deadLink, outside);
        string live = Path.Combine(_folder, AtomicFile.TemporaryName("data", me));
        Directory.CreateDirectory(live);

        AtomicFile.DeleteStaleTemporaries(_folder, "data");

        Assert.That(Directory.GetFileSystemEntries(_folder), Is.EquivalentTo(new[] { outside, live }));
        Assert.That(File.ReadAllText(Path.Combine(outside, "keep.txt")), Is.EqualTo("not ours"));
    }

    [Test]
    [Platform("Linux,MacOsX")]
    [UnsupportedOSPlatform("windows")]
    public void Write_OverAPrivateFile_KeepsItPrivate_AlsoWhileWriting()
    {
        string path = Path.Combine(_folder, "secret.bin");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, ReadWrite);
        UnixFileMode? whileWriting = null;

        AtomicFile.Write(path, stream =>
        {
            whileWriting = File.GetUnixFileMode(Directory.GetFiles(_folder, ".secret.bin.*.tmp").Single());
            stream.Write("new"u8);
        });

        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(ReadWrite));
        Assert.That(whileWriting, Is.EqualTo(ReadWrite));
        Assert.That(File.ReadAllText(path), Is.EqualTo("new"));
    }

    [Test]
    [Platform("Linux,MacOsX")]
    [UnsupportedOSPlatform("windows")]
    public void Write_OverAFile_KeepsEvenModeBitsTheUmaskWouldClear()
    {
        string path = Path.Combine(_folder, "shared.csv");
        File.WriteAllText(path, "old");
        var mode = (UnixFileMode)0x1f6; // 0766: group and others may write, which the usual umask 022 removes
        File.SetUnixFileMode(path, mode);

        AtomicFile.Write(path, stream => stream.Write("new"u8));

        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(mode));
    }

    [Test]
    [Platform("Linux,MacOsX")]
    [UnsupportedOSPlatform("windows")]
    public void Write_NewFile_GetsTheUsualMode_AndAGivenModeExactly()
    {
        string usual = Path.Combine(_folder, "usual.txt");
        File.WriteAllText(usual, "made by File.WriteAllText");
        string path = Path.Combine(_folder, "new.txt");
        string given = Path.Combine(_folder, "given.txt");

        AtomicFile.Write(path, stream => stream.Write("x"u8));
        AtomicFile.Write(given, stream => stream.Write("x"u8), ReadWrite);

        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(File.GetUnixFileMode(usual)));
        Assert.That(File.GetUnixFileMode(given), Is.EqualTo(ReadWrite));
    }

    [Test]
    public void DescribeFailure_ReadOnlyFileSystem_SaysReadOnly_NotDiskFull()
    {
        // .NET reports EROFS as IOException with HResult 30 (checked by hand on a read-only tmpfs mount: root, as the
        // tests run here, ignores permission bits, so a test cannot make a folder read-only by chmod).
        var error = new IOException("Read-only file system : '/data/.m.sqm.x.tmp'", 30);

        string message = AtomicFile.DescribeFailure("/data/m.sqm", error);

        Assert.That(message, Is.EqualTo(
            "Could not write '/data/m.sqm': Read-only file system : '/data/.m.sqm.x.tmp' (the folder '/data' is on a read-only " +
            "file system; save to a writable folder). The previous file, if any, is unchanged."));
    }

    [Test]
    public void DescribeFailure_NoPermission_SaysReadOnlyForThisUser()
    {
        var error = new UnauthorizedAccessException("Access to the path '/data/.m.sqm.x.tmp' is denied.");

        Assert.That(AtomicFile.DescribeFailure("/data/m.sqm", error), Is.EqualTo(
            "Could not write '/data/m.sqm': Access to the path '/data/.m.sqm.x.tmp' is denied (the folder '/data' is read-only " +
            "for this user; save to a writable folder or change its permissions). The previous file, if any, is unchanged."));
    }

    [TestCase(28, "the disk is full; free some space")]
    [TestCase(122, "the disk quota is exceeded; free some space")]
    [TestCase(unchecked((int)0x80070070), "the disk is full; free some space")]
    public void DescribeFailure_FullDisk_SaysSo(int hresult, string cause)
    {
        var error = new IOException("No space left on device", hresult);

        Assert.That(AtomicFile.DescribeFailure("/data/m.sqm", error), Is.EqualTo(
            $"Could not write '/data/m.sqm': No space left on device ({cause}). The previous file, if any, is unchanged."));
    }

    [Test]
    public void DescribeFailure_OtherError_GuessesNoCause()
    {
        Assert.That(AtomicFile.DescribeFailure("/data/m.sqm", new IOException("Input/output error", 5)), Is.EqualTo(
            "Could not write '/data/m.sqm': Input/output error. The previous file, if any, is unchanged."));
    }
}
