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
}
