using System.Security.Cryptography;
using System.Text;
using static Sequential.Data.Tests.TestArchives;
using static Sequential.Data.Utils;

namespace Sequential.Data.Tests;

/// <summary>GetFile with file:// origins: Keras's file_utils_test.py GetFileTest, ported, and the cases Keras leaves out.</summary>
public sealed class UtilsGetFileTests
{
    private const string Butterfly = "Float like a butterfly, sting like a bee.";
    private string _dir = "";
    private string _cache = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "seq-getfile-" + Guid.NewGuid().ToString("N")[..8]);
        _cache = Path.Combine(_dir, "cache");
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string Source(string name, string content)
    {
        string path = Path.Combine(_dir, "origin", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private static string Md5(string path) => Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(path)));

    /// <summary>The cache folder holds exactly these names (no temporary file or folder left over).</summary>
    private void AssertCacheHolds(params string[] names)
    {
        string folder = Path.Combine(_cache, "datasets");
        string[] present = Directory.Exists(folder)
            ? [.. Directory.EnumerateFileSystemEntries(folder).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal)]
            : [];
        Assert.That(present, Is.EqualTo(names.Order(StringComparer.Ordinal).ToArray()));
    }

    [Test]
    public void DownloadsAFileUriIntoCacheDirDatasets()
    {
        string src = Source("test.txt", Butterfly);
        string path = GetFile("test.txt", Uri(src), fileHash: Sha256(src), cacheDir: _cache);
        Assert.That(path, Is.EqualTo(Path.Combine(_cache, "datasets", "test.txt")));
        Assert.That(File.ReadAllText(path), Is.EqualTo(Butterfly));
        AssertCacheHolds("test.txt");
    }

    [Test]
    public void TakesTheFileNameFromTheOriginAndAbsoluteSubdirs()
    {
        string src = Source("named.txt", Butterfly);
        string elsewhere = Path.Combine(_dir, "elsewhere");
        string path = GetFile(origin: Uri(src), cacheSubdir: elsewhere);
        Assert.That(path, Is.EqualTo(Path.Combine(elsewhere, "named.txt")));
        Assert.That(File.ReadAllText(path), Is.EqualTo(Butterfly));
    }

    [Test]
    public void CacheIsUsedWithoutHashAndInvalidatedByANewHash()
    {
        // Keras: test_cache_invalidation.
        string src = Source("test.txt", Butterfly);
        string origHash = Sha256(src);
        string dest = GetFile("test.txt", Uri(src), fileHash: origHash, cacheDir: _cache);
        Assert.That(Sha256(dest), Is.EqualTo(origHash));

        File.WriteAllText(src, "Float like a zeppelin, sting like a jellyfish.");
        string newHash = Sha256(src);
        dest = GetFile("test.txt", Uri(src), cacheDir: _cache);
        Assert.That(Sha256(dest), Is.EqualTo(origHash), "without a hash the cached file is used");
        dest = GetFile("test.txt", Uri(src), fileHash: newHash, cacheDir: _cache);
        Assert.That(Sha256(dest), Is.EqualTo(newHash), "a hash the cached file lacks downloads again");
        AssertCacheHolds("test.txt");
    }

    [Test]
    public void ForceDownloadReplacesTheCachedFile()
    {
        string src = Source("test.txt", Butterfly);
        GetFile("test.txt", Uri(src), cacheDir: _cache);
        File.WriteAllText(src, "new");
        Assert.That(File.ReadAllText(GetFile("test.txt", Uri(src), cacheDir: _cache)), Is.EqualTo(Butterfly));
        Assert.That(File.ReadAllText(GetFile("test.txt", Uri(src), cacheDir: _cache, forceDownload: true)), Is.EqualTo("new"));
    }

    [Test]
    public void AWrongHashIsAnErrorAndSavesNothing()
    {
        // Keras: test_get_file_with_failed_integrity_check (Keras leaves the bad file in the cache; nothing here).
        string src = Source("test.txt", Butterfly);
        var e = Assert.Throws<InvalidDataException>(() => GetFile("test.txt", Uri(src), fileHash: new string('0', 64), cacheDir: _cache))!;
        Assert.That(e.Message, Does.StartWith("Incomplete or corrupted file detected"));
        Assert.That(e.Message, Does.Contain($"sha256 hash of the 41 bytes downloaded from '{Uri(src)}' is {Sha256(src)}"));
        Assert.That(e.Message, Does.Contain("not the expected " + new string('0', 64)));
        AssertCacheHolds();
    }

    [Test]
    public void ACachedFileWithAWrongHashIsRemovedEvenWhenTheNewDownloadFails()
    {
        string src = Source("test.txt", Butterfly);
        GetFile("test.txt", Uri(src), cacheDir: _cache);
        File.Delete(src);
        var e = Assert.Throws<FileNotFoundException>(() => GetFile("test.txt", Uri(src), fileHash: new string('1', 32), cacheDir: _cache))!;
        Assert.That(e.Message, Does.Contain($"origin '{Uri(src)}' names no file"));
        AssertCacheHolds();
    }

    [TestCase("tar.gz")]
    [TestCase("zip")]
    [TestCase(null)]
    public void Md5CheckedDownloadAndExtractionAsKeras(string? archiveType)
    {
        // Keras: _test_file_extraction_and_validation, fname "test" with md5_hash.
        string src = archiveType switch
        {
            "tar.gz" => Tar(Path.Combine(_dir, "origin", "test.tar.gz"), gzip: true, FileEntry("test.txt", Butterfly)),
            "zip" => Zip(Path.Combine(_dir, "origin", "test.zip"), ("test.txt", Butterfly)),
            _ => Source("test.txt", Butterfly),
        };
        bool extract = archiveType is not null;
        string path = GetFile("test", Uri(src), fileHash: Md5(src), extract: extract, cacheSubdir: Path.Combine(_dir, "dest"));
        string archive = extract ? path + "_archive" : path;
        Assert.That(path, Is.EqualTo(Path.Combine(_dir, "dest", "test")));
        Assert.That(Md5(archive), Is.EqualTo(Md5(src)));
        if (extract)
            Assert.That(File.ReadAllText(Path.Combine(path, "test.txt")), Is.EqualTo(Butterfly));
    }

    [Test]
    public void AFileNameWithADotExtractsIntoNameExtracted()
    {
        // Keras: test_get_file_with_tgz_extension ("test.txt.tar.gz" -> "test_extracted").
        string src = Tar(Path.Combine(_dir, "origin", "test.tar.gz"), gzip: true, FileEntry("test.txt", Butterfly));
        string path = GetFile("test.txt.tar.gz", Uri(src), extract: true, cacheDir: _cache);
        Assert.That(path, Is.EqualTo(Path.Combine(_cache, "datasets", "test_extracted")));
        Assert.That(File.ReadAllText(Path.Combine(path, "test.txt")), Is.EqualTo(Butterfly));
        AssertCacheHolds("test.txt.tar.gz", "test_extracted");
    }

    [Test]
    public void WithoutAFileNameTheArchiveIsNameArchiveAndTheFolderTheOriginName()
    {
        // Keras 3: get_file(origin=".../flower_photos.tgz", extract=True) returns ".../flower_photos.tgz" (a folder).
        string src = Tar(Path.Combine(_dir, "origin", "flower_photos.tgz"), gzip: true,
            FolderEntry("flower_photos"), FileEntry("flower_photos/daisy/1.jpg", "jpeg"), FileEntry("flower_photos/LICENSE.txt", "CC-BY"));
        string path = GetFile(origin: Uri(src), extract: true, cacheDir: _cache);
        Assert.That(path, Is.EqualTo(Path.Combine(_cache, "datasets", "flower_photos.tgz")));
        Assert.That(Listing(path), Is.EqualTo(new[] { "flower_photos", "flower_photos/LICENSE.txt", "flower_photos/daisy", "flower_photos/daisy/1.jpg" }));
        AssertCacheHolds("flower_photos.tgz", "flower_photos.tgz_archive");
    }

    [Test]
    public void AnExtractedFolderIsReusedUntilTheArchiveIsDownloadedAgainThenReplacedWhole()
    {
        string src = Tar(Path.Combine(_dir, "origin", "data.tar"), gzip: false, FileEntry("old.txt", "1"));
        string path = GetFile("data", Uri(src), extract: true, cacheDir: _cache);
        File.WriteAllText(Path.Combine(path, "mine.txt"), "kept while cached");
        Tar(src, gzip: false, FileEntry("new.txt", "2"));
        GetFile("data", Uri(src), extract: true, cacheDir: _cache);
        Assert.That(Listing(path), Is.EqualTo(new[] { "mine.txt", "old.txt" }), "cached archive: folder reused");
        GetFile("data", Uri(src), extract: true, cacheDir: _cache, forceDownload: true);
        Assert.That(Listing(path), Is.EqualTo(new[] { "new.txt" }), "new archive: folder replaced, nothing of the old one left");
        AssertCacheHolds("data", "data_archive");
    }

    [Test]
    public void AFileThatIsNoArchiveIsAnErrorAndNoFolderIsMade()
    {
        string src = Source("notes.txt", new string('x', 2000));
        var e = Assert.Throws<InvalidDataException>(() => GetFile("notes", Uri(src), extract: true, cacheDir: _cache))!;
        Assert.That(e.Message, Does.Contain("notes_archive' is not a tar, tar.gz or zip archive"));
        Assert.That(e.Message, Does.Contain("extract: false"));
        AssertCacheHolds("notes_archive");
    }

    [Test]
    public void Bzip2IsNamedAsUnsupported()
    {
        string src = Source("data.tar.bz2", "BZh91AY&SY" + new string('x', 600));
        var e = Assert.Throws<InvalidDataException>(() => GetFile("data.tar.bz2", Uri(src), extract: true, cacheDir: _cache))!;
        Assert.That(e.Message, Does.Contain("is bzip2-compressed, which GetFile cannot extract"));
    }

    [TestCase("/")]
    [TestCase("/.")]
    [TestCase("/..")]
    public void AnOriginWithoutAFileNameNeedsFname(string tail)
    {
        // Keras: test_get_file_with_unusable_origin_file_name.
        string origin = Uri(_dir) + tail;
        var e = Assert.Throws<ArgumentException>(() => GetFile(origin: origin, cacheDir: _cache))!;
        Assert.That(e.Message, Does.Contain($"can't parse the file name from the origin provided: '{origin}'"));
        Assert.That(e.Message, Does.Contain("specify the fname argument"));
    }

    [Test]
    public void BadArgumentsAreRefusedBeforeAnythingIsWritten()
    {
        string src = Uri(Source("a.txt", "a"));
        Assert.That(Assert.Throws<ArgumentException>(() => GetFile("sub/a.txt", src, cacheDir: _cache))!.Message,
            Does.Contain("fname must be a file name, not a path; got \"sub/a.txt\"").And.Contain("cacheDir"));
        Assert.That(Assert.Throws<ArgumentException>(() => GetFile("a.txt", cacheDir: _cache))!.Message, Does.Contain("pass origin"));
        Assert.That(Assert.Throws<ArgumentException>(() => GetFile("a.txt", "data/a.txt", cacheDir: _cache))!.Message,
            Does.Contain("origin 'data/a.txt' is not an absolute URL"));
        Assert.That(Assert.Throws<ArgumentException>(() => GetFile("a.txt", "ftp://example.com/a.txt", cacheDir: _cache))!.Message,
            Does.Contain("uses the scheme \"ftp\""));
        Assert.That(Assert.Throws<ArgumentException>(() => GetFile("a.txt", src, fileHash: "abc", cacheDir: _cache))!.Message,
            Does.Contain("fileHash \"abc\" is not a md5 digest (32 hex digits; with hashAlgorithm \"auto\", 64 digits mean sha256 and 32 md5)"));
        Assert.That(Assert.Throws<ArgumentException>(() => GetFile("a.txt", src, fileHash: new string('0', 32), hashAlgorithm: "sha256", cacheDir: _cache))!.Message,
            Does.Contain("is not a sha256 digest (64 hex digits)"));
        Assert.That(Assert.Throws<ArgumentException>(() => GetFile("a.txt", src, fileHash: new string('0', 40), hashAlgorithm: "sha1", cacheDir: _cache))!.Message,
            Does.Contain("hashAlgorithm \"sha1\" is not supported"));
        Assert.That(Directory.Exists(_cache), Is.False);
    }

    [Test]
    public void HashesCompareWithoutCaseAndMd5IsChosenByLength()
    {
        string src = Source("a.txt", Butterfly);
        Assert.That(File.ReadAllText(GetFile("a.txt", Uri(src), fileHash: Md5(src).ToUpperInvariant(), cacheDir: _cache)), Is.EqualTo(Butterfly));
        Assert.That(FileHash.Parse(Md5(src), "auto")!.Algorithm, Is.EqualTo("md5"));
        Assert.That(FileHash.Parse(Sha256(src), "auto")!.Algorithm, Is.EqualTo("sha256"));
        Assert.That(FileHash.Compute(src, "sha256"), Is.EqualTo(Sha256(src)));
    }

    [Test]
    public void ProgressIsDrawnWhereAskedAndEndsWithTheTotal()
    {
        string src = Source("a.txt", Butterfly);
        var output = new StringWriter();
        GetFileCore("a.txt", Uri(src), null, "datasets", "auto", false, _cache, false,
            new ArchiveExtractor.Limits(DefaultMaxExtractedBytes, DefaultMaxExtractedEntries), output, TimeSpan.FromSeconds(60));
        Assert.That(output.ToString(), Does.Match("\r41/41 ━{20} \\d+s\n$"));
        Assert.That(new DownloadProgress(null, 100).Line(50), Does.Match("^50/100 ━{10} {10} \\d+s$"));
        Assert.That(new DownloadProgress(null, null).Line(50), Does.Match("^50 bytes \\d+s$"));
    }
}
