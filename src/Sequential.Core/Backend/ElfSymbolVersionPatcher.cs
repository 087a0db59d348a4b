using System.Buffers.Binary;
using System.Text;

namespace Sequential;

/// <summary>
/// Rewrites the symbol-version requirements of a 64-bit little-endian ELF shared library so that it
/// loads against an older libstdc++. Only two edits are made, both in place and size-preserving:
/// a missing version requirement is marked weak, and an undefined symbol that the older library
/// lacks is renamed to a harmless function it has (and made unversioned).
/// </summary>
/// <remarks>
/// TorchSharp 0.107.0's libLibTorchSharp.so was linked by GCC 13 and so references
/// <c>std::ios_base_library_init()</c> at <c>GLIBCXX_3.4.32</c>. That function only exists to make the
/// static linker pull in iostream initialisation; libstdc++ before GCC 13 initialises iostreams
/// unconditionally, so pointing the reference at <c>std::locale::classic()</c> changes nothing.
/// </remarks>
internal static class ElfSymbolVersionPatcher
{
    /// <summary>Undefined symbols known to be safe to redirect, and what they are redirected to.</summary>
    internal static readonly IReadOnlyDictionary<string, string> SafeReplacements = new Dictionary<string, string>
    {
        ["_ZSt21ios_base_library_initv"] = "_ZNSt6locale7classicEv",
    };

    private const uint ShtDynsym = 11;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const uint ShtGnuVersym = 0x6fffffff;
    private const ushort VerFlagWeak = 0x2;
    private const ushort VerNdxGlobal = 1;

    /// <summary>What a patch changed.</summary>
    internal sealed record Result(IReadOnlyList<string> WeakenedVersions, IReadOnlyList<string> RenamedSymbols);

    /// <summary>
    /// Weakens every version that the library in <paramref name="image"/> requires of <paramref name="needed"/> for
    /// which <paramref name="isMissing"/> returns true, and redirects the undefined symbols bound to
    /// those versions through <see cref="SafeReplacements"/>.
    /// </summary>
    /// <param name="image">The whole file; modified in place.</param>
    /// <param name="needed">The DT_NEEDED name whose requirements are examined, e.g. <c>libstdc++.so.6</c>.</param>
    /// <param name="isMissing">(symbol, version) -> true when the running system cannot provide it.</param>
    /// <exception cref="InvalidDataException">The file is not a 64-bit little-endian ELF, or a missing
    /// symbol has no safe replacement.</exception>
    internal static Result Patch(byte[] image, string needed, Func<string, string, bool> isMissing)
    {
        if (image.Length < 64 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file (bad magic)");
        if (image[4] != 2 || image[5] != 1)
            throw new InvalidDataException("only 64-bit little-endian ELF files can be patched");

        ulong shoff = U64(image, 0x28);
        int shentsize = U16(image, 0x3A), shnum = U16(image, 0x3C);
        (ulong Offset, ulong Size, uint Link, uint Info) Section(int i)
        {
            int at = checked((int)shoff + i * shentsize);
            return (U64(image, at + 24), U64(image, at + 32), U32(image, at + 40), U32(image, at + 44));
        }
        uint Type(int i) => U32(image, checked((int)shoff + i * shentsize + 4));

        int dynsym = -1, versym = -1, verneed = -1;
        for (int i = 0; i < shnum; i++)
        {
            switch (Type(i))
            {
                case ShtDynsym: dynsym = i; break;
                case ShtGnuVersym: versym = i; break;
                case ShtGnuVerneed: verneed = i; break;
            }
        }
        if (dynsym < 0 || versym < 0 || verneed < 0)
            return new Result([], []);

        var sym = Section(dynsym);
        int strtab = checked((int)Section((int)sym.Link).Offset);
        string Str(uint offset) => CString(image, strtab + (int)offset);
        int symCount = (int)(sym.Size / 24);
        int versymAt = (int)Section(versym).Offset;

        var weakened = new List<string>();
        var renamed = new List<string>();
        var need = Section(verneed);
        int vn = (int)need.Offset;
        for (uint e = 0; e < need.Info; e++)
        {
            string file = Str(U32(image, vn + 4));
            int aux = vn + (int)U32(image, vn + 8);
            for (int a = 0; a < U16(image, vn + 2); a++)
            {
                string version = Str(U32(image, aux + 8));
                ushort index = U16(image, aux + 6);
                if (file == needed)
                    PatchVersion(version, index, aux);
                aux += (int)U32(image, aux + 12);
            }
            uint next = U32(image, vn + 12);
            if (next == 0) break;
            vn += (int)next;
        }
        return new Result(weakened, renamed);

        void PatchVersion(string version, ushort index, int auxAt)
        {
            bool versionMissing = false;
            for (int s = 1; s < symCount; s++)
            {
                int at = (int)sym.Offset + s * 24;
                ushort shndx = U16(image, at + 6);
                int versymEntry = versymAt + s * 2;
                if (shndx != 0 || (U16(image, versymEntry) & 0x7fff) != index) continue;
                string name = Str(U32(image, at));
                if (!isMissing(name, version)) continue;
                versionMissing = true;
                if (!SafeReplacements.TryGetValue(name, out var replacement))
                    throw new InvalidDataException(
                        $"the library needs {name}@{version} from {needed}, which this system's {needed} does not have, " +
                        "and no safe replacement for it is known");
                int nameAt = strtab + (int)U32(image, at);
                Encoding.ASCII.GetBytes(replacement).CopyTo(image.AsSpan(nameAt));
                image.AsSpan(nameAt + replacement.Length, name.Length - replacement.Length + 1).Clear();
                BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(versymEntry), VerNdxGlobal);
                renamed.Add($"{name}@{version} -> {replacement}");
            }
            if (versionMissing || isMissing("", version))
            {
                BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(auxAt + 4), (ushort)(U16(image, auxAt + 4) | VerFlagWeak));
                weakened.Add(version);
            }
        }
    }

    private static ushort U16(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt16LittleEndian(s[at..]);
    private static uint U32(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt32LittleEndian(s[at..]);
    private static ulong U64(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt64LittleEndian(s[at..]);

    private static string CString(ReadOnlySpan<byte> s, int at)
    {
        int end = s[at..].IndexOf((byte)0);
        return Encoding.ASCII.GetString(s.Slice(at, end < 0 ? s.Length - at : end));
    }
}
