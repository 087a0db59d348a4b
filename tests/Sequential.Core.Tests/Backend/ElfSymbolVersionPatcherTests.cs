using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

// Not "Sequential.Core.Tests.Backend": that namespace would hide the Sequential.Backend class from the other test files.
namespace Sequential.Core.Tests.NativeBackend;

/// The patcher against the real libLibTorchSharp.so that TorchSharp 0.107.0 ships (it needs
/// _ZSt21ios_base_library_initv@GLIBCXX_3.4.32), checked with an independent reader below and with readelf.
public class ElfSymbolVersionPatcherTests
{
    private const string StdCxx = "libstdc++.so.6";
    private const string Missing = "_ZSt21ios_base_library_initv";
    private const string Replacement = "_ZNSt6locale7classicEv";
    private const string Version = "GLIBCXX_3.4.32";

    private static bool OnlyIosBaseInit(string symbol, string version) => symbol == Missing && version == Version;

    private static byte[] Library()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (!File.Exists(path)) Assert.Ignore($"{path} is not in the build output (not a linux-x64 build).");
        return File.ReadAllBytes(path);
    }

    [Test]
    public void Patch_WeakensTheMissingVersion_AndRenamesTheSymbol()
    {
        var original = Library();
        var image = (byte[])original.Clone();

        var result = ElfSymbolVersionPatcher.Patch(image, StdCxx, OnlyIosBaseInit);

        Assert.That(result.WeakenedVersions, Is.EqualTo(new[] { Version }));
        Assert.That(result.RenamedSymbols, Is.EqualTo(new[] { $"{Missing}@{Version} -> {Replacement}" }));
        Assert.That(image, Has.Length.EqualTo(original.Length));

        var before = new Elf(original);
        var after = new Elf(image);
        int index = before.Symbols.FindIndex(s => s.Name == Missing);
        Assert.That(index, Is.GreaterThan(0), "the shipped library references std::ios_base_library_init");
        Assert.That(before.VersionName(before.Symbols[index].Version), Is.EqualTo(Version));

        // The symbol now names std::locale::classic(), where the old name was, and is unversioned (VER_NDX_GLOBAL).
        Assert.That(after.Symbols[index].Name, Is.EqualTo(Replacement));
        Assert.That(after.Symbols[index].NameOffset, Is.EqualTo(before.Symbols[index].NameOffset));
        Assert.That(after.Symbols[index].Version, Is.EqualTo(1));
        Assert.That(Encoding.ASCII.GetString(image, after.Symbols[index].NameAt, Missing.Length + 1),
            Is.EqualTo(Replacement + new string('\0', Missing.Length + 1 - Replacement.Length)));

        // Only GLIBCXX_3.4.32 of libstdc++ gains VER_FLG_WEAK (0x2); every other requirement is untouched.
        foreach (var (b, a) in before.Needs.Zip(after.Needs))
        {
            Assert.That((a.File, a.Version, a.Index), Is.EqualTo((b.File, b.Version, b.Index)));
            if (a.File == StdCxx && a.Version == Version)
                Assert.That(a.Flags, Is.EqualTo(b.Flags | 0x2), "weak flag set");
            else
                Assert.That(a.Flags, Is.EqualTo(b.Flags), $"{a.File} {a.Version}");
        }
        Assert.That(after.Needs.Count(n => (n.Flags & 0x2) != 0), Is.EqualTo(before.Needs.Count(n => (n.Flags & 0x2) != 0) + 1));

        // Every other symbol is unchanged, and no byte outside the three edits moved.
        for (int s = 0; s < before.Symbols.Count; s++)
            if (s != index) Assert.That(after.Symbols[s], Is.EqualTo(before.Symbols[s]));
        var allowed = new HashSet<int>(Enumerable.Range(before.Symbols[index].NameAt, Missing.Length + 1));
        allowed.UnionWith([before.Symbols[index].VersymAt, before.Symbols[index].VersymAt + 1]);
        var aux = before.Needs.Single(n => n.File == StdCxx && n.Version == Version);
        allowed.UnionWith([aux.FlagsAt, aux.FlagsAt + 1]);
        var changed = Enumerable.Range(0, image.Length).Where(i => image[i] != original[i]).ToList();
        Assert.That(changed, Is.Not.Empty.And.All.Matches<int>(allowed.Contains));
    }

    [Test]
    public void Patch_ResultReadsAsExpectedByReadelf()
    {
        var image = Library();
        ElfSymbolVersionPatcher.Patch(image, StdCxx, OnlyIosBaseInit);
        string file = Path.Combine(Path.GetTempPath(), $"patched-{Guid.NewGuid():N}.so");
        File.WriteAllBytes(file, image);
        try
        {
            string versions = Readelf("-V -W", file);
            Assert.That(versions, Does.Match(@"Name: GLIBCXX_3\.4\.32\s+Flags: WEAK"));
            Assert.That(Regex.Matches(versions, @"Flags: WEAK").Count, Is.EqualTo(1));
            string symbols = Readelf("--dyn-syms -W", file);
            Assert.That(symbols, Does.Not.Contain(Missing));
            int index = new Elf(image).Symbols.FindIndex(s => s.Name == Replacement && s.Version == 1);
            Assert.That(symbols, Does.Match($@"(?m)^\s*{index}:.*\bUND {Replacement}\s*$"));
        }
        finally { File.Delete(file); }
    }

    [Test]
    public void Patch_NothingMissing_LeavesTheFileByteIdentical()
    {
        var original = Library();
        var image = (byte[])original.Clone();
        var result = ElfSymbolVersionPatcher.Patch(image, StdCxx, (_, _) => false);
        Assert.That(result.WeakenedVersions, Is.Empty);
        Assert.That(result.RenamedSymbols, Is.Empty);
        Assert.That(image.AsSpan().SequenceEqual(original), Is.True);
    }

    [Test]
    public void Patch_OtherNeededLibrary_IsNotTouched()
    {
        var original = Library();
        var image = (byte[])original.Clone();
        var result = ElfSymbolVersionPatcher.Patch(image, "libnotthere.so.1", (_, _) => true);
        Assert.That(result.WeakenedVersions, Is.Empty);
        Assert.That(image.AsSpan().SequenceEqual(original), Is.True);
    }

    [Test]
    public void Patch_VersionMissingWithoutSymbols_IsWeakenedOnly()
    {
        var original = Library();
        var image = (byte[])original.Clone();
        var result = ElfSymbolVersionPatcher.Patch(image, StdCxx, (symbol, version) => symbol == "" && version == Version);
        Assert.That(result.WeakenedVersions, Is.EqualTo(new[] { Version }));
        Assert.That(result.RenamedSymbols, Is.Empty);
        Assert.That(new Elf(image).Symbols.Count(s => s.Name == Missing), Is.EqualTo(1));
    }

    [Test]
    public void Patch_MissingSymbolWithoutKnownReplacement_ThrowsNamingIt()
    {
        var image = Library();
        string? first = null;
        string? firstVersion = null;
        var ex = Assert.Throws<InvalidDataException>(() => ElfSymbolVersionPatcher.Patch(image, StdCxx, (symbol, version) =>
        {
            if (symbol == "" || symbol == Missing) return false;
            first ??= symbol;
            firstVersion ??= version;
            return true;
        }));
        Assert.That(first, Is.Not.Null);
        Assert.That(ex!.Message, Does.Contain($"{first}@{firstVersion}").And.Contain(StdCxx).And.Contain("no safe replacement"));
    }

    [Test]
    public void Patch_NotElf_Throws()
    {
        var ex = Assert.Throws<InvalidDataException>(() => ElfSymbolVersionPatcher.Patch(new byte[100], StdCxx, (_, _) => true));
        Assert.That(ex!.Message, Does.Contain("not an ELF file"));
        var shortFile = new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1 };
        Assert.That(Assert.Throws<InvalidDataException>(() => ElfSymbolVersionPatcher.Patch(shortFile, StdCxx, (_, _) => true))!.Message,
            Does.Contain("not an ELF file"));
    }

    [Test]
    public void Patch_32BitElf_Throws()
    {
        var header = Library().AsSpan(0, 64).ToArray();
        header[4] = 1;   // ELFCLASS32
        var ex = Assert.Throws<InvalidDataException>(() => ElfSymbolVersionPatcher.Patch(header, StdCxx, (_, _) => true));
        Assert.That(ex!.Message, Does.Contain("64-bit little-endian"));
    }

    [Test]
    public void NativeStatus_AfterEnsureNativeLoaded_IsNotAFailure()
    {
        Sequential.Backend.EnsureNativeLoaded();
        Assert.That(Sequential.Backend.NativeStatus, Does.Not.StartWith("failed").And.Not.EqualTo("not attempted"));
        Assert.That(TorchSharp.torch.ones(2).sum().item<float>(), Is.EqualTo(2f));
    }

    private static string Readelf(string arguments, string file)
    {
        Process? process;
        try
        {
            process = Process.Start(new ProcessStartInfo("readelf", $"{arguments} \"{file}\"")
            { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
        }
        catch (System.ComponentModel.Win32Exception) { Assert.Ignore("readelf is not installed: install the Debian package binutils (`apt install binutils`; .ci/run does)."); return ""; }
        string output = process!.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, process.StandardError.ReadToEnd());
        return output;
    }

    /// A small ELF64 little-endian reader, written apart from the patcher so the two check each other.
    private sealed class Elf
    {
        public record struct Symbol(string Name, uint NameOffset, int NameAt, ushort Section, ushort Version, int VersymAt);
        public record struct Need(string File, string Version, ushort Index, ushort Flags, int FlagsAt);

        public List<Symbol> Symbols { get; } = [];
        public List<Need> Needs { get; } = [];

        public Elf(byte[] b)
        {
            ulong U64(long at) => BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan((int)at));
            uint U32(long at) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan((int)at));
            ushort U16(long at) => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan((int)at));
            string Str(long at) => Encoding.ASCII.GetString(b, (int)at, Array.IndexOf(b, (byte)0, (int)at) - (int)at);

            long shoff = (long)U64(0x28);
            int size = U16(0x3A), count = U16(0x3C);
            var sections = Enumerable.Range(0, count).Select(i => shoff + (long)i * size).ToList();
            long Of(uint type) => sections.Single(s => U32(s + 4) == type);
            long dynsym = Of(11), versym = Of(0x6fffffff), verneed = Of(0x6ffffffe);
            long strtab = (long)U64(sections[(int)U32(dynsym + 40)] + 24);
            long symAt = (long)U64(dynsym + 24), versymAt = (long)U64(versym + 24);
            for (int i = 0; i < (int)(U64(dynsym + 32) / 24); i++)
            {
                long at = symAt + i * 24L;
                uint name = U32(at);
                Symbols.Add(new Symbol(Str(strtab + name), name, (int)(strtab + name), U16(at + 6), U16(versymAt + 2L * i), (int)(versymAt + 2L * i)));
            }
            long vn = (long)U64(verneed + 24);
            for (uint e = 0; e < U32(verneed + 44); e++)
            {
                string file = Str(strtab + U32(vn + 4));
                long aux = vn + U32(vn + 8);
                for (int a = 0; a < U16(vn + 2); a++, aux += U32(aux + 12))
                    Needs.Add(new Need(file, Str(strtab + U32(aux + 8)), U16(aux + 6), U16(aux + 4), (int)(aux + 4)));
                vn += U32(vn + 12);
            }
        }

        public string VersionName(ushort index) => Needs.Single(n => n.Index == (index & 0x7fff)).Version;
    }
}
