using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Sequential.IO;

// Not "Sequential.Core.Tests.Backend": that namespace would hide the Sequential.Backend class from the other test files.
namespace Sequential.Core.Tests.NativeBackend;

/// The checks around the patched native library's cache folder, on a small stand-in "library": NativeCache only
/// compares bytes, and the test process has already loaded the real library (NativeSetUp), so nothing is dlopen-ed
/// here. Reading LoadPath (/proc/self/fd/N) shows what dlopen would map.
[Platform("Linux")]
[SupportedOSPlatform("linux")]
public class NativeCacheTests
{
    private const string Name = "0123456789abcdef";
    private const uint Nobody = 65534;
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private string _root = "";
    private byte[] _expected = [];

    [SetUp]
    public void CreateRoot()
    {
        _root = Path.Combine(Path.GetTempPath(), "sequential-nativecache-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
        _expected = new byte[4096];
        new Random(7).NextBytes(_expected);
    }

    [TearDown]
    public void DeleteRoot() => Directory.Delete(_root, recursive: true);

    private string Cache => Path.Combine(_root, "cache");
    private string Folder => Path.Combine(Cache, Name);
    private string Target => Path.Combine(Folder, NativeCache.LibraryFile);

    private VerifiedCopy Open(params string[] roots) => NativeCache.Open(roots, Name, _expected, "readme text");

    /// A cache folder as the loader makes it, with <paramref name="content"/> planted as the library.
    private void Plant(byte[] content, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        Directory.CreateDirectory(Cache, Private);
        Directory.CreateDirectory(Folder, Private);
        File.WriteAllBytes(Target, content);
        File.SetUnixFileMode(Target, mode);
    }

    private static void Chown(string path, uint uid)
    {
        if (Posix.EffectiveUserId != 0) Assert.Ignore("giving a file to another user needs root");
        Assert.That(chown(path, uid, uid), Is.Zero, $"chown {path}");
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int chown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint owner, uint group);

    [Test]
    public void Open_EmptyCache_WritesPrivateFoldersAndFile_AndHandsOutThatFile()
    {
        using var copy = Open(Cache);

        Assert.That(copy.Path, Is.EqualTo(Target));
        Assert.That(copy.Rewritten, Is.EqualTo("missing"));
        Assert.That(copy.Skipped, Is.Empty);
        Assert.That(copy.IsScratch, Is.False);
        Assert.That(File.ReadAllBytes(Target), Is.EqualTo(_expected));
        Assert.That(File.ReadAllBytes(copy.LoadPath), Is.EqualTo(_expected), "what dlopen would map");
        Assert.That(copy.LoadPath, Does.Match(@"^/proc/self/fd/\d+$"));
        Assert.That(File.GetUnixFileMode(Cache), Is.EqualTo(Private));
        Assert.That(File.GetUnixFileMode(Folder), Is.EqualTo(Private));
        Assert.That(File.GetUnixFileMode(Target), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(File.ReadAllText(Path.Combine(Folder, "README.txt")), Is.EqualTo("readme text"));
        Assert.That(Directory.GetFiles(Folder).Select(Path.GetFileName), Is.EquivalentTo(new[] { NativeCache.LibraryFile, "README.txt" }));
    }

    [Test]
    public void Open_RightCachedCopy_IsUsedAsItIs()
    {
        Plant(_expected);
        var written = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(Target, written);

        using var copy = Open(Cache);

        Assert.That(copy.Rewritten, Is.Null);
        Assert.That(File.GetLastWriteTimeUtc(Target), Is.EqualTo(written), "not rewritten");
        Assert.That(File.ReadAllBytes(copy.LoadPath), Is.EqualTo(_expected));
    }

    [Test]
    public void Open_PlantedFileWithOtherBytes_IsRewrittenBeforeUse()
    {
        var planted = (byte[])_expected.Clone();
        planted[1000] ^= 0xff;
        Plant(planted);

        using var copy = Open(Cache);

        Assert.That(copy.Rewritten, Is.EqualTo("different from the patched library"));
        Assert.That(File.ReadAllBytes(Target), Is.EqualTo(_expected));
        Assert.That(File.ReadAllBytes(copy.LoadPath), Is.EqualTo(_expected));
    }

    [Test]
    public void Open_TruncatedCopy_IsRebuiltNotLoaded()
    {
        Plant(_expected[..100]);

        using var copy = Open(Cache);

        Assert.That(copy.Rewritten, Is.EqualTo("100 bytes long where 4096 were expected: truncated or replaced"));
        Assert.That(File.ReadAllBytes(copy.LoadPath), Is.EqualTo(_expected));
    }

    [Test]
    public void Open_LongerCopy_IsRebuilt()
    {
        Plant([.. _expected, 0]);

        using var copy = Open(Cache);

        Assert.That(copy.Rewritten, Does.StartWith("4097 bytes long"));
        Assert.That(File.ReadAllBytes(copy.LoadPath), Is.EqualTo(_expected));
    }

    [Test]
    public void Open_RightBytesInAFileOfAnotherUser_AreReplacedByOurOwnFile()
    {
        Plant(_expected);
        Chown(Target, Nobody);

        using var copy = Open(Cache);

        Assert.That(copy.Rewritten, Is.EqualTo($"owned by uid {Nobody}, not by you (uid {Posix.EffectiveUserId})"));
        Assert.That(Posix.LStat(Target)!.Value.Uid, Is.EqualTo(Posix.EffectiveUserId));
        Assert.That(Posix.FStat(copy.Handle).Uid, Is.EqualTo(Posix.EffectiveUserId));
    }

    [Test]
    public void Open_FileWritableByOthers_IsReplaced()
    {
        Plant(_expected, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite);

        using var copy = Open(Cache);

        Assert.That(copy.Rewritten, Is.EqualTo("writable by other users (mode 0622)"));
        Assert.That(File.GetUnixFileMode(Target), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public void Open_SymbolicLinkInPlaceOfTheFile_IsReplaced_AndItsTargetLeftAlone()
    {
        Plant(_expected);
        string elsewhere = Path.Combine(_root, "elsewhere.so");
        File.Move(Target, elsewhere);
        File.CreateSymbolicLink(Target, elsewhere);

        using var copy = Open(Cache);

        Assert.That(copy.Rewritten, Is.EqualTo("a symbolic link"));
        Assert.That(new FileInfo(Target).LinkTarget, Is.Null);
        Assert.That(File.ReadAllBytes(copy.LoadPath), Is.EqualTo(_expected));
        Assert.That(File.ReadAllBytes(elsewhere), Is.EqualTo(_expected));
    }

    [Test]
    public void Open_CacheFolderWritableByOthers_IsSkippedWithTheReason_AndNothingIsWrittenThere()
    {
        string open = Path.Combine(_root, "open");
        Directory.CreateDirectory(open);
        File.SetUnixFileMode(open, (UnixFileMode)0x1ff); // 0777

        using var copy = Open(open, Cache);

        Assert.That(copy.Skipped, Has.Count.EqualTo(1));
        Assert.That(copy.Skipped[0], Is.EqualTo(
            $"The native library cache folder {open} is writable by other users (mode 0777). Run 'chmod go-w {open}', or: " +
            $"Native code is only loaded from a folder that only you can write: remove {open}, or set SEQUENTIAL_NATIVE_CACHE " +
            "to a folder of your own."));
        Assert.That(Directory.GetFileSystemEntries(open), Is.Empty);
        Assert.That(copy.Path, Is.EqualTo(Target));
    }

    [Test]
    public void Open_PlantedLibraryInAFolderOfAnotherUser_IsNotUsed()
    {
        // The reported attack: the temporary-folder fallback has a predictable name, so another user creates it first.
        string planted = Path.Combine(_root, "sequential-native-victim");
        Directory.CreateDirectory(Path.Combine(planted, Name));
        File.WriteAllBytes(Path.Combine(planted, Name, NativeCache.LibraryFile), _expected[..10]);
        Chown(Path.Combine(planted, Name, NativeCache.LibraryFile), Nobody);
        Chown(Path.Combine(planted, Name), Nobody);
        Chown(planted, Nobody);

        using var copy = Open(planted, Cache);

        Assert.That(copy.Skipped, Has.Count.EqualTo(1));
        Assert.That(copy.Skipped[0], Does.StartWith(
            $"The native library cache folder {planted} belongs to uid {Nobody}, not to you (uid {Posix.EffectiveUserId})."));
        Assert.That(copy.Path, Is.EqualTo(Target));
        Assert.That(File.ReadAllBytes(copy.LoadPath), Is.EqualTo(_expected));
        Assert.That(File.ReadAllBytes(Path.Combine(planted, Name, NativeCache.LibraryFile)), Has.Length.EqualTo(10), "left alone");
    }

    [Test]
    public void Open_VersionFolderOfAnotherUserInOurCache_IsSkipped()
    {
        Directory.CreateDirectory(Cache, Private);
        Directory.CreateDirectory(Folder);
        Chown(Folder, Nobody);
        string fallback = Path.Combine(_root, "fallback");

        using var copy = Open(Cache, fallback);

        Assert.That(copy.Skipped.Single(), Does.StartWith($"The native library cache folder {Folder} belongs to uid {Nobody}"));
        Assert.That(copy.Path, Is.EqualTo(Path.Combine(fallback, Name, NativeCache.LibraryFile)));
        Assert.That(Directory.GetFileSystemEntries(Folder), Is.Empty);
    }

    [Test]
    public void Open_SymbolicLinkInPlaceOfTheCacheFolder_IsSkipped()
    {
        string real = Path.Combine(_root, "real");
        Directory.CreateDirectory(real, Private);
        string link = Path.Combine(_root, "link");
        Directory.CreateSymbolicLink(link, real);

        using var copy = Open(link, Cache);

        Assert.That(copy.Skipped.Single(), Does.StartWith($"The native library cache folder {link} is a symbolic link."));
        Assert.That(Directory.GetFileSystemEntries(real), Is.Empty);
    }

    [Test]
    public void Open_NoUsableCacheFolder_UsesAFreshPrivateFolder_DeletedOnDispose()
    {
        string open = Path.Combine(_root, "open");
        Directory.CreateDirectory(open);
        File.SetUnixFileMode(open, (UnixFileMode)0x1ff);
        string scratch;

        using (var copy = Open(open))
        {
            Assert.That(copy.IsScratch, Is.True);
            Assert.That(copy.Skipped.Single(), Does.Contain("is writable by other users (mode 0777)"));
            scratch = Path.GetDirectoryName(Path.GetDirectoryName(copy.Path))!;
            Assert.That(Path.GetFileName(scratch), Does.StartWith("sequential-native-"));
            Assert.That(File.GetUnixFileMode(scratch), Is.EqualTo(Private));
            Assert.That(File.ReadAllBytes(copy.LoadPath), Is.EqualTo(_expected));
        }

        Assert.That(Directory.Exists(scratch), Is.False);
    }

    [Test]
    public void Open_CacheFolderThatCannotBeCreated_IsSkippedNamingIt()
    {
        string file = Path.Combine(_root, "file");
        File.WriteAllText(file, "not a folder");
        string below = Path.Combine(file, "cache");

        using var copy = Open(below, Cache);

        Assert.That(copy.Skipped.Single(), Does.StartWith($"Could not use the native library cache folder {below}: "));
        Assert.That(copy.Path, Is.EqualTo(Target));
    }

    [Test]
    public void Open_CacheFolderIsAFile_IsSkipped()
    {
        string file = Path.Combine(_root, "file");
        File.WriteAllText(file, "not a folder");

        using var copy = Open(file, Cache);

        Assert.That(copy.Skipped.Single(), Does.StartWith($"The native library cache folder {file} is not a folder."));
        Assert.That(copy.Path, Is.EqualTo(Target));
    }
}
