using SkiaSharp;

namespace Sequential.Data.Tests;

public sealed class ImageFileTests
{
    private string _root = "";

    [SetUp]
    public void MakeRoot() => _root = TestImages.TempDir();

    [TearDown]
    public void RemoveRoot()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private static string? Read(string path, long maxBytes, out byte[]? bytes)
    {
        string? why = ImageFile.Read(path, maxBytes, out SKData? data);
        using (data)
            bytes = data?.ToArray();
        Assert.That(data is null, Is.EqualTo(why is not null), "data is given exactly when nothing is refused");
        return why;
    }

    [Test]
    public void ReadsARegularFileWholeUpToTheLimit()
    {
        string path = Path.Combine(_root, "a.png");
        var content = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        File.WriteAllBytes(path, content);
        Assert.That(Read(path, 100, out var bytes), Is.Null);
        Assert.That(bytes, Is.EqualTo(content));

        Assert.That(Read(path, 99, out _),
            Is.EqualTo("is 100 bytes, more than maxFileBytes (99 bytes) allows; pass a larger maxFileBytes to FlowFromDirectory if the file is trusted"));
    }

    [Test]
    public void FollowsLinksToRegularFiles()
    {
        string target = Path.Combine(_root, "real.bin");
        File.WriteAllBytes(target, [1, 2, 3]);
        string link = Path.Combine(_root, "link.png");
        File.CreateSymbolicLink(link, target);
        Assert.That(Read(link, 10, out var bytes), Is.Null);
        Assert.That(bytes, Is.EqualTo(new byte[] { 1, 2, 3 }));
    }

    [Test]
    public void EmptyMissingAndDirectoryAreRefused()
    {
        string empty = Path.Combine(_root, "empty.png");
        File.WriteAllBytes(empty, []);
        Assert.That(Read(empty, 10, out _), OperatingSystem.IsLinux() ? Is.EqualTo("empty file (0 bytes)") : Does.StartWith("empty (0 bytes)"));
        Assert.That(Read(Path.Combine(_root, "missing.png"), 10, out _), Does.StartWith("cannot be read: "));
        string dir = Directory.CreateDirectory(Path.Combine(_root, "folder.png")).FullName;
        Assert.That(Read(dir, 10, out _), Is.EqualTo("is not a regular file (it is a directory); only regular files are read"));
    }

    [Test]
    public void FifoIsRefusedWithoutOpeningIt()
    {
        string fifo = Path.Combine(_root, "x.png");
        if (!TestImages.MakeFifo(fifo))
            Assert.Ignore("no FIFOs on this platform");
        // Opening a FIFO for reading blocks until a writer comes: the old File.ReadAllBytes hung here for ever.
        string? why = TestImages.WithoutHanging(fifo, () => Read(fifo, 1 << 20, out _));
        Assert.That(why, Is.EqualTo(OperatingSystem.IsLinux()
            ? "is not a regular file (it is a FIFO); only regular files are read"
            : "empty (0 bytes) or not a regular file (a FIFO, device or socket), so not opened"));
    }

    [Test]
    public void LinkToDevZeroIsRefusedUnread()
    {
        if (!File.Exists("/dev/zero"))
            Assert.Ignore("no /dev/zero on this platform");
        string link = Path.Combine(_root, "x.png");
        File.CreateSymbolicLink(link, "/dev/zero");
        // The old File.ReadAllBytes read /dev/zero until a 2 GB array overflowed (4.3 GB resident, then OutOfMemoryException).
        Assert.That(Read(link, 1 << 20, out _), Is.EqualTo(OperatingSystem.IsLinux()
            ? "is not a regular file (it is a character device); only regular files are read"
            : "empty (0 bytes) or not a regular file (a FIFO, device or socket), so not opened"));
    }

    [Test]
    public void PortablePathRefusesWhatReportsNoSizeWithoutOpeningIt()
    {
        // Where statx is missing: .NET gives no file type, but FIFOs and devices report 0 bytes.
        string file = Path.Combine(_root, "a.png");
        File.WriteAllBytes(file, [7, 8, 9]);
        Assert.That(ImageFile.Read(file, 3, statx: false, out var data), Is.Null);
        using (data)
            Assert.That(data!.ToArray(), Is.EqualTo(new byte[] { 7, 8, 9 }));
        Assert.That(ImageFile.Read(file, 2, statx: false, out _), Does.StartWith("is 3 bytes, more than maxFileBytes (2 bytes)"));

        string fifo = Path.Combine(_root, "x.png");
        if (!TestImages.MakeFifo(fifo))
            Assert.Ignore("no FIFOs on this platform");
        string? why = TestImages.WithoutHanging(fifo, () => ImageFile.Read(fifo, 1 << 20, statx: false, out _));
        Assert.That(why, Is.EqualTo("empty (0 bytes) or not a regular file (a FIFO, device or socket), so not opened"));
    }
}
