using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.Versioning;
using static Sequential.Data.Tests.TestArchives;

namespace Sequential.Data.Tests;

/// <summary>Safe extraction: what Keras's filter_safe_tarinfos tests check, and the hostile archives it lets through or skips.</summary>
public sealed class ArchiveExtractorTests
{
    private static readonly ArchiveExtractor.Limits Default = new(Utils.DefaultMaxExtractedBytes, Utils.DefaultMaxExtractedEntries);
    private string _dir = "";
    private string _dest = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "seq-extract-" + Guid.NewGuid().ToString("N")[..8]);
        _dest = Path.Combine(_dir, "out", "dest");
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string ArchivePath(string name) => Path.Combine(_dir, "in", name);

    /// <summary>Extraction of <paramref name="archive"/> is refused with a message containing <paramref name="why"/>, and
    /// nothing is left: no destination, no temporary folder, nothing written beside it.</summary>
    private void AssertRefused(string archive, string why, ArchiveExtractor.Limits? limits = null)
    {
        var e = Assert.Throws<InvalidDataException>(() => ArchiveExtractor.ExtractReplacing(archive, _dest, limits ?? Default))!;
        Assert.That(e.Message, Does.Contain(why));
        Assert.That(e.Message, Does.Contain($"'{archive}'"), "names the archive");
        Assert.That(Listing(Path.Combine(_dir, "out")), Is.Empty, "nothing extracted, no temporary left");
        Assert.That(File.Exists(Path.Combine(_dir, "evil")) || File.Exists(Path.Combine(_dir, "out", "evil")), Is.False, "nothing outside");
    }

    [Test]
    public void ExtractsFilesFoldersAndLinksInside()
    {
        string tar = Tar(ArchivePath("ok.tar.gz"), gzip: true,
            FolderEntry("data"), FileEntry("data/a.txt", "alpha"), FileEntry("./data/sub/b.txt", "beta"),
            SymlinkEntry("data/link.txt", "sub/b.txt"), SymlinkEntry("data/sub/up.txt", "../a.txt"), HardlinkEntry("copy.txt", "data/a.txt"));
        ArchiveExtractor.ExtractReplacing(tar, _dest, Default);
        Assert.That(Listing(_dest), Is.EqualTo(new[]
            { "copy.txt", "data", "data/a.txt", "data/link.txt", "data/sub", "data/sub/b.txt", "data/sub/up.txt" }));
        Assert.That(File.ReadAllText(Path.Combine(_dest, "data", "link.txt")), Is.EqualTo("beta"));
        Assert.That(File.ReadAllText(Path.Combine(_dest, "data", "sub", "up.txt")), Is.EqualTo("alpha"));
        Assert.That(new FileInfo(Path.Combine(_dest, "data", "link.txt")).LinkTarget, Is.EqualTo("sub/b.txt"));
        Assert.That(File.ReadAllText(Path.Combine(_dest, "copy.txt")), Is.EqualTo("alpha"));
        Assert.That(new FileInfo(Path.Combine(_dest, "copy.txt")).LinkTarget, Is.Null, "a hard link is extracted as a copy");
        Assert.That(Listing(Path.Combine(_dir, "out")), Is.EqualTo(new[] { "dest" }.Concat(Listing(_dest).Select(p => "dest/" + p))));
    }

    [Test]
    public void ZipExtractsAndBackslashesAreFolders()
    {
        string zip = Zip(ArchivePath("ok.zip"), ("a/b.txt", "ab"), ("win\\c.txt", "c"), ("empty/", ""));
        ArchiveExtractor.ExtractReplacing(zip, _dest, Default);
        Assert.That(Listing(_dest), Is.EqualTo(new[] { "a", "a/b.txt", "empty", "win", "win/c.txt" }));
        Assert.That(File.ReadAllText(Path.Combine(_dest, "win", "c.txt")), Is.EqualTo("c"));
    }

    [Test]
    public void TarEntryEscapingWithDotDotIsRefused() =>
        AssertRefused(Tar(ArchivePath("evil.tar"), gzip: false, FileEntry("ok.txt", "ok"), FileEntry("../evil", "x")),
            "entry '../evil' has a '..' in its path");

    [Test]
    public void TarEntryWithAnAbsolutePathIsRefused() =>
        AssertRefused(Tar(ArchivePath("abs.tar"), gzip: false, FileEntry(Path.Combine(_dir, "evil"), "x")),
            $"entry '{Path.Combine(_dir, "evil")}' has an absolute path");

    [Test]
    public void ZipEntriesEscapingAreRefused()
    {
        AssertRefused(Zip(ArchivePath("evil.zip"), ("ok.txt", "ok"), ("../evil", "x")), "entry '../evil' has a '..' in its path");
        AssertRefused(Zip(ArchivePath("evil2.zip"), ("..\\evil", "x")), "entry '..\\evil' has a '..' in its path");
        AssertRefused(Zip(ArchivePath("evil3.zip"), ("/tmp/evil", "x")), "entry '/tmp/evil' has an absolute path");
    }

    [Test]
    public void SymlinkToEtcIsRefused() =>
        AssertRefused(Tar(ArchivePath("etc.tar"), gzip: false, SymlinkEntry("etc", "/etc")),
            "entry 'etc' is a symbolic link to the absolute path '/etc'");

    [Test]
    public void SymlinkClimbingOutIsRefused() =>
        // Keras: is_link_in_dir's "symlink_link_out" case.
        AssertRefused(Tar(ArchivePath("up.tar"), gzip: false, SymlinkEntry("folder/foo.txt", "../../file.txt")),
            "entry 'folder/foo.txt' is a symbolic link to '../../file.txt', outside the extraction folder");

    [Test]
    public void SymlinkLeavingThroughAnotherLinkIsRefused() =>
        // "here" -> "." then "out" -> "here/..": by the names "out" stays inside; on disk here/.. is the parent.
        AssertRefused(Tar(ArchivePath("chain.tar"), gzip: false, SymlinkEntry("here", "."), SymlinkEntry("out", "here/..")),
            "entry 'out' is a symbolic link to 'here/..', which leads outside the extraction folder through the archive's other links");

    [Test]
    public void FileUnderASymlinkIsRefused() =>
        // Keras: test_file_routed_through_symlink_is_rejected; a file is never written through a link.
        AssertRefused(Tar(ArchivePath("through.tar"), gzip: false, SymlinkEntry("link", "."), FileEntry("link/x.txt", "x")),
            "entry 'link' is a symbolic link where the archive also has a file or folder");

    [Test]
    public void HardlinkOutsideIsRefused()
    {
        // Keras: is_link_in_dir's "hardlink_target_out" and an absolute target.
        AssertRefused(Tar(ArchivePath("hard.tar"), gzip: false, HardlinkEntry("file.txt", "../file.txt")),
            "entry 'file.txt' is a hard link to '../file.txt', outside the extraction folder");
        AssertRefused(Tar(ArchivePath("hard2.tar"), gzip: false, HardlinkEntry("passwd", "/etc/passwd")),
            "entry 'passwd' is a hard link to the absolute path '/etc/passwd'");
        AssertRefused(Tar(ArchivePath("hard3.tar"), gzip: false, SymlinkEntry("s", "a.txt"), FileEntry("a.txt", "a"), HardlinkEntry("h", "s")),
            "entry 'h' is a hard link to 's', which is not a file of this archive");
    }

    [TestCase(TarEntryType.CharacterDevice, "is a character device")]
    [TestCase(TarEntryType.BlockDevice, "is a block device")]
    [TestCase(TarEntryType.Fifo, "is a FIFO")]
    public void DeviceFilesAreRefused(TarEntryType type, string why) =>
        AssertRefused(Tar(ArchivePath("dev.tar"), gzip: false, new Entry("zero", type)), $"entry 'zero' {why}");

    [Test]
    public void AHugeSizeHeaderIsRefusedBeforeWriting()
    {
        AssertRefused(TarClaiming(ArchivePath("huge.tar"), "huge.bin", 1L << 40),
            "entry 'huge.bin' declares 1,099,511,627,776 bytes, which with the 0 bytes before it is more than the 17,179,869,184 maxExtractedBytes allows");
        AssertRefused(TarClaiming(ArchivePath("big.tar"), "big.bin", 5000), "maxExtractedBytes allows", new(4096, 10));
    }

    [TestCase('x')]
    [TestCase('g')]
    [TestCase('L')]
    public void AHugeMetadataHeaderIsRefusedWithoutAllocatingIt(char type)
    {
        // TarReader would allocate the 1.5 GB this 512-byte header claims before finding the bytes missing.
        string tar = TarClaiming(ArchivePath("meta.tar"), "PaxHeaders/evil", 1_500_000_000, type);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        AssertRefused(tar, "entry 'PaxHeaders/evil' is a tar metadata header claiming 1,500,000,000 bytes, more than the 1,048,576");
        Assert.That(GC.GetTotalAllocatedBytes(precise: true) - before, Is.LessThan(64L << 20));
    }

    [Test]
    public void LongNamesAndPaxRecordsStillExtract()
    {
        string longName = string.Join('/', Enumerable.Repeat("folder-with-a-long-name", 8)) + "/file.txt";
        string tar = Tar(ArchivePath("long.tar.gz"), gzip: true, FileEntry(longName, "deep"), FileEntry("after.txt", "after"));
        ArchiveExtractor.ExtractReplacing(tar, _dest, Default);
        Assert.That(File.ReadAllText(Path.Combine(_dest, longName)), Is.EqualTo("deep"));
        Assert.That(File.ReadAllText(Path.Combine(_dest, "after.txt")), Is.EqualTo("after"));
        var gnu = Path.Combine(_dir, "in", "gnu.tar");
        using (var file = File.Create(gnu))
        using (var writer = new TarWriter(file, TarEntryFormat.Gnu))
        {
            writer.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, longName) { DataStream = new MemoryStream("gnu"u8.ToArray()) });
            writer.WriteEntry(new GnuTarEntry(TarEntryType.SymbolicLink, "link") { LinkName = longName });
        }
        ArchiveExtractor.ExtractReplacing(gnu, _dest, Default);
        Assert.That(File.ReadAllText(Path.Combine(_dest, "link")), Is.EqualTo("gnu"));
    }

    [Test]
    public void ByteAndEntryLimitsCountTheWholeArchive()
    {
        string tar = Tar(ArchivePath("many.tar.gz"), gzip: true,
            FileEntry("1", new string('a', 100)), FileEntry("2", new string('b', 100)), FileEntry("3", new string('c', 100)));
        AssertRefused(tar, "entry '3' declares 100 bytes, which with the 200 bytes before it is more than the 250 maxExtractedBytes allows", new(250, 10));
        AssertRefused(tar, "entry '3' is beyond the 2 entries maxExtractedEntries allows", new(1000, 2));
        string zip = Zip(ArchivePath("many.zip"), ("1", "a"), ("2", "b"), ("3", "c"));
        AssertRefused(zip, "entry '3' is beyond the 2 entries maxExtractedEntries allows (the archive has 3)", new(1000, 2));
    }

    [Test]
    public void AGzipBombIsJudgedByItsUncompressedSize()
    {
        // 4 MiB of zeros compresses to a few KiB: the limit is on what comes out, not on the download.
        string tar = Tar(ArchivePath("bomb.tar.gz"), gzip: true, FileEntry("zeros", new string('\0', 4 << 20)));
        Assert.That(new FileInfo(tar).Length, Is.LessThan(64 << 10));
        AssertRefused(tar, "entry 'zeros' declares 4,194,304 bytes", new(1 << 20, 10));
    }

    [Test]
    public void AZipEntryLongerThanItsHeaderSaysNeverWritesMore()
    {
        // Deflated 64 KiB of 'a' whose local and central headers claim 10 bytes uncompressed: the limits judge the
        // declared size, so no more than that may come out (.NET stops there; the extractor counts as well).
        string zip = ArchivePath("liar.zip");
        Directory.CreateDirectory(Path.GetDirectoryName(zip)!);
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        using (var stream = archive.CreateEntry("liar.txt", CompressionLevel.Optimal).Open())
            stream.Write(System.Text.Encoding.ASCII.GetBytes(new string('a', 64 << 10)));
        byte[] bytes = File.ReadAllBytes(zip);
        PatchUInt32(bytes, "PK\x03\x04"u8, 22, 10);
        PatchUInt32(bytes, "PK\x01\x02"u8, 24, 10);
        File.WriteAllBytes(zip, bytes);
        ArchiveExtractor.ExtractReplacing(zip, _dest, new(100, 10));
        Assert.That(new FileInfo(Path.Combine(_dest, "liar.txt")).Length, Is.LessThanOrEqualTo(10));
    }

    private static void PatchUInt32(byte[] bytes, ReadOnlySpan<byte> signature, int offset, uint value)
    {
        int at = bytes.AsSpan().IndexOf(signature);
        Assert.That(at, Is.GreaterThanOrEqualTo(0));
        BitConverter.TryWriteBytes(bytes.AsSpan(at + offset, 4), value);
    }

    [Test]
    public void ATruncatedArchiveLeavesNothing()
    {
        string tar = Tar(ArchivePath("cut.tar.gz"), gzip: true, FileEntry("a.txt", new string('a', 50_000)), FileEntry("b.txt", "b"));
        byte[] bytes = File.ReadAllBytes(tar);
        File.WriteAllBytes(tar, bytes[..(bytes.Length / 2)]);
        AssertRefused(tar, "is damaged or truncated");
    }

    [Test]
    [UnsupportedOSPlatform("windows")]
    public void ModesLoseSetuidAndOthersWrite()
    {
        string tar = Tar(ArchivePath("modes.tar"), gzip: false,
            new Entry("run.sh", Content: "#!/bin/sh", Mode: (UnixFileMode)0b100_111_111_111), new Entry("ro.txt", Content: "r", Mode: UnixFileMode.UserRead));
        ArchiveExtractor.ExtractReplacing(tar, _dest, Default);
        Assert.That(File.GetUnixFileMode(Path.Combine(_dest, "run.sh")) & (UnixFileMode)0b111_111_111_111,
            Is.EqualTo((UnixFileMode)0b111_101_101 & ~(UnixFileMode)Umask()));
        Assert.That(File.GetUnixFileMode(Path.Combine(_dest, "ro.txt")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public void AFileWhereTheDestinationShouldBeIsNotReplaced()
    {
        string tar = Tar(ArchivePath("ok.tar"), gzip: false, FileEntry("a.txt", "a"));
        Directory.CreateDirectory(Path.GetDirectoryName(_dest)!);
        File.WriteAllText(_dest, "mine");
        var e = Assert.Throws<IOException>(() => ArchiveExtractor.ExtractReplacing(tar, _dest, Default))!;
        Assert.That(e.Message, Does.Contain($"'{_dest}': a file of that name is there"));
        Assert.That(File.ReadAllText(_dest), Is.EqualTo("mine"));
    }

    [Test]
    public void ATemporaryFolderLeftByADeadProcessIsRemoved()
    {
        string tar = Tar(ArchivePath("ok.tar"), gzip: false, FileEntry("a.txt", "a"));
        string parent = Path.GetDirectoryName(_dest)!;
        // AtomicFile's temporary name, from a writer of another machine (scope), not written to for two days.
        string stale = Path.Combine(parent, ".dest.0badf00d-4242-1.0123abcd.tmp");
        Directory.CreateDirectory(Path.Combine(stale, "half"));
        Directory.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddDays(-2));
        ArchiveExtractor.ExtractReplacing(tar, _dest, Default);
        Assert.That(Listing(parent), Is.EqualTo(new[] { "dest", "dest/a.txt" }));
    }

    /// <summary>The process umask, read from the mode of a file created asking for 0777.</summary>
    [UnsupportedOSPlatform("windows")]
    private static int Umask()
    {
        string probe = Path.Combine(Path.GetTempPath(), "seq-umask-" + Guid.NewGuid().ToString("N"));
        using (new FileStream(probe, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = (UnixFileMode)0b111_111_111 }))
        {
        }
        int mode = (int)File.GetUnixFileMode(probe);
        File.Delete(probe);
        return 0b111_111_111 & ~mode;
    }
}
