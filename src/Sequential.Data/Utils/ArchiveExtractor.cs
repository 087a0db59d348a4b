using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using Sequential.IO;

namespace Sequential.Data;

/// <summary>
/// Extracts a tar, tar.gz or zip archive for <see cref="Utils.GetFile"/>, treating it as hostile, into a temporary
/// folder beside the destination that is renamed into place only when every entry is out: a refused or broken archive
/// leaves nothing, and a destination that exists is complete.
/// </summary>
/// <remarks>
/// <para>Refused, with an <see cref="InvalidDataException"/> naming the archive and the entry (where Keras's
/// <c>filter_safe_tarinfos</c> skips such an entry with a warning and extracts the rest): an absolute path or one with a
/// <c>..</c> component; a symbolic link whose target, followed through the links the archive itself creates, leaves
/// the folder (as Keras's <c>is_link_in_dir</c>, which resolves with <c>realpath</c>); a hard link to anything but a
/// regular file of the same archive; device files and FIFOs (Python's "data" filter refuses them too); more entries or
/// more bytes than the limits allow, judged from each header before anything is written and again from the bytes
/// actually written.</para>
/// <para>Symbolic links are created after every file and folder, so no entry is ever written through one, and then
/// verified all together (a later link cannot turn an earlier one outward). Hard links are extracted as copies: the same
/// bytes, no link to follow, the same on every platform. Both <c>/</c> and <c>\</c> separate folders in entry names, so
/// an archive made on Windows extracts into folders and a <c>..\</c> cannot escape on Windows. File modes follow Python's
/// "data" filter: no setuid/setgid/sticky bits, no write bit for group or others, always readable and writable by the
/// owner.</para>
/// </remarks>
internal static class ArchiveExtractor
{
    /// <summary>The largest tar metadata header (PAX attributes, GNU long name) accepted: real ones take a few hundred bytes.</summary>
    private const long MaxMetadataBytes = 1 << 20;

    /// <summary>How many links a path may go through while it is resolved (Linux's limit is 40).</summary>
    private const int MaxLinkHops = 40;

    /// <summary>The limits of one extraction.</summary>
    /// <param name="MaxBytes">The most bytes all files together may hold.</param>
    /// <param name="MaxEntries">The most entries (files, folders, links) the archive may have.</param>
    internal readonly record struct Limits(long MaxBytes, int MaxEntries);

    /// <summary>
    /// Extracts <paramref name="archive"/> into <paramref name="destination"/>, replacing a folder already there once the
    /// new content is complete.
    /// </summary>
    /// <exception cref="InvalidDataException">The archive is not a tar, tar.gz or zip archive, is damaged, or is refused
    /// (see the class remarks); nothing is left behind.</exception>
    /// <exception cref="IOException"><paramref name="destination"/> is a file, or writing failed (a full disk).</exception>
    internal static void ExtractReplacing(string archive, string destination, Limits limits)
    {
        string full = Path.GetFullPath(destination);
        string parent = Path.GetDirectoryName(full)!;
        string name = Path.GetFileName(full);
        if (File.Exists(full))
            throw new IOException(
                $"Cannot extract '{archive}' into '{full}': a file of that name is there. Delete it, or pass another fname to GetFile.");
        Directory.CreateDirectory(parent);
        AtomicFile.DeleteStaleTemporaries(parent, name);
        string temporary = Path.Combine(parent, AtomicFile.TemporaryName(name, WriterId.Current));
        try
        {
            Directory.CreateDirectory(temporary);
            Extract(archive, temporary, limits);
            if (Directory.Exists(full))
            {
                // No atomic exchange of two folders in the BCL: the old one steps aside for the instant of the rename.
                string old = Path.Combine(parent, AtomicFile.TemporaryName(name, WriterId.Current));
                Directory.Move(full, old);
                try
                {
                    Directory.Move(temporary, full);
                }
                catch
                {
                    Directory.Move(old, full);
                    throw;
                }
                Directory.Delete(old, recursive: true);
            }
            else
            {
                try
                {
                    Directory.Move(temporary, full);
                }
                catch (IOException) when (Directory.Exists(full))
                {
                    // Another process extracted the same archive meanwhile: its complete copy stands.
                    Directory.Delete(temporary, recursive: true);
                }
            }
        }
        catch
        {
            if (Directory.Exists(temporary))
                Directory.Delete(temporary, recursive: true);
            throw;
        }
        if (!OperatingSystem.IsWindows())
            Posix.TryFsyncFolder(parent);
    }

    /// <summary>Extracts <paramref name="archive"/> into the existing, empty folder <paramref name="root"/>.</summary>
    internal static void Extract(string archive, string root, Limits limits)
    {
        var format = Detect(archive);
        var state = new State(archive, Path.GetFullPath(root), limits);
        try
        {
            if (format == Format.Zip)
                ExtractZip(state);
            else
                ExtractTar(state, format == Format.TarGz);
            state.CreateLinks();
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or NotSupportedException)
        {
            if (e is InvalidDataException && e.Data.Contains(typeof(ArchiveExtractor)))
                throw;
            string where = state.Entry is null ? "" : $" at entry '{state.Entry}'";
            throw Refused(
                $"'{archive}' is damaged or truncated{where} ({e.Message.TrimEnd('.')}). Nothing was extracted; download it " +
                "again (GetFile with forceDownload: true, or with fileHash to check it).", e);
        }
    }

    private enum Format { Tar, TarGz, Zip }

    /// <summary>The format from the first bytes, as Python's tarfile/zipfile detect it (not from the file name).</summary>
    private static Format Detect(string archive)
    {
        Span<byte> head = stackalloc byte[512];
        int n;
        using (var file = new FileStream(archive, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1))
            n = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        head = head[..n];
        if (head.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]))
            return Format.TarGz;
        if (head.StartsWith("PK\x03\x04"u8) || head.StartsWith("PK\x05\x06"u8) || head.StartsWith("PK\x07\x08"u8))
            return Format.Zip;
        string? other = head.StartsWith("BZh"u8) ? "bzip2"
            : head.StartsWith((ReadOnlySpan<byte>)[0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0]) ? "xz"
            : head.StartsWith((ReadOnlySpan<byte>)[0x28, 0xB5, 0x2F, 0xFD]) ? "zstd"
            : head.StartsWith((ReadOnlySpan<byte>)[(byte)'7', (byte)'z', 0xBC, 0xAF, 0x27, 0x1C]) ? "7-Zip"
            : null;
        if (other is not null)
            throw Refused(
                $"'{archive}' is {other}-compressed, which GetFile cannot extract (tar, tar.gz and zip only). Call GetFile " +
                "with extract: false and extract it yourself (e.g. `tar xf`).", null);
        if (n == 512 && TarHeaderGuard.IsHeader(head))
            return Format.Tar;
        throw Refused($"'{archive}' is not a tar, tar.gz or zip archive. Call GetFile with extract: false to keep it as it is.", null);
    }

    private static void ExtractTar(State state, bool gzip)
    {
        using var file = new FileStream(state.Archive, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var guard = new TarHeaderGuard(stream, state.Refuse, MaxMetadataBytes);
        using var reader = new TarReader(guard);
        TarEntry? entry;
        while ((entry = reader.GetNextEntry(copyData: false)) is not null)
        {
            state.Entry = entry.Name;
            state.Count();
            switch (entry.EntryType)
            {
                case TarEntryType.GlobalExtendedAttributes:
                    break;
                case TarEntryType.Directory:
                    state.CreateFolder(entry.Name);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    state.WriteFile(entry.Name, entry.DataStream, entry.Length, DataMode(entry.Mode));
                    break;
                case TarEntryType.SymbolicLink:
                    state.AddSymbolicLink(entry.Name, entry.LinkName);
                    break;
                case TarEntryType.HardLink:
                    state.AddHardLink(entry.Name, entry.LinkName, DataMode(entry.Mode));
                    break;
                case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                    throw state.Refuse(entry.Name,
                        $"is a {(entry.EntryType == TarEntryType.Fifo ? "FIFO" : entry.EntryType == TarEntryType.BlockDevice ? "block device" : "character device")}; " +
                        "archives with device files are refused");
                default:
                    throw state.Refuse(entry.Name, $"has the tar entry type {entry.EntryType}, which is not extracted");
            }
        }
    }

    private static void ExtractZip(State state)
    {
        using var zip = ZipFile.OpenRead(state.Archive);
        // The central directory lists every entry before any is written: count them all first.
        if (zip.Entries.Count > state.Limits.MaxEntries)
            throw state.Refuse(zip.Entries[state.Limits.MaxEntries].FullName,
                $"is beyond the {state.Limits.MaxEntries:N0} entries maxExtractedEntries allows (the archive has {zip.Entries.Count:N0})");
        foreach (var entry in zip.Entries)
        {
            state.Entry = entry.FullName;
            state.Count();
            if (entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\'))
            {
                state.CreateFolder(entry.FullName);
                continue;
            }
            using var data = entry.Open();
            state.WriteFile(entry.FullName, data, entry.Length, mode: null);
        }
    }

    /// <summary>Python's "data" filter: no setuid/setgid/sticky, no group/other write, owner read and write.</summary>
    private static UnixFileMode DataMode(UnixFileMode mode) =>
        (mode & (UnixFileMode)0b111_101_101) | UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static InvalidDataException Refused(string message, Exception? inner)
    {
        var e = new InvalidDataException(message, inner);
        e.Data[typeof(ArchiveExtractor)] = true;
        return e;
    }

    /// <summary>What one extraction has done so far: counts, bytes, files written, links to create.</summary>
    private sealed class State(string archive, string root, Limits limits)
    {
        private readonly HashSet<string> _files = new(StringComparer.Ordinal);
        private readonly List<(string Name, string[] Path, string Target)> _symbolicLinks = [];
        private readonly List<(string Name, string[] Path, string[] Target, UnixFileMode Mode)> _hardLinks = [];
        private long _bytes;

        public string Archive { get; } = archive;
        public Limits Limits { get; } = limits;
        public string? Entry { get; set; }
        public int Entries { get; private set; }

        public void Count()
        {
            if (++Entries > Limits.MaxEntries)
                throw Refuse(Entry!, $"is beyond the {Limits.MaxEntries:N0} entries maxExtractedEntries allows; pass a larger " +
                    "maxExtractedEntries to GetFile if you trust the archive");
        }

        public void CreateFolder(string name)
        {
            var parts = Split(name, allowEmpty: true);
            if (parts.Length > 0)
                CreateFolders(name, parts, parts.Length);
        }

        public void WriteFile(string name, Stream? data, long declared, UnixFileMode? mode)
        {
            var parts = Split(name, allowEmpty: false);
            if (declared < 0 || declared > Limits.MaxBytes - _bytes)
                throw TooLarge(name, declared);
            CreateFolders(name, parts, parts.Length - 1);
            string path = Combine(parts);
            if (Directory.Exists(path))
                throw Refuse(name, "is a file where the archive also has a folder");
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
            if (mode is { } unix && !OperatingSystem.IsWindows())
                options.UnixCreateMode = unix;
            long written = 0;
            using (var output = new FileStream(path, options))
            {
                if (data is not null)
                {
                    var buffer = new byte[1 << 16];
                    int n;
                    while ((n = data.Read(buffer)) > 0)
                    {
                        written += n;
                        // A zip entry's size is only what its header claims: count what really comes out.
                        if (written > declared)
                            throw Refuse(name, $"holds more than the {declared:N0} bytes its header declares (a zip bomb?)");
                        output.Write(buffer, 0, n);
                    }
                }
            }
            if (written < declared)
                throw new EndOfStreamException($"the entry ends after {written:N0} of its {declared:N0} bytes");
            _bytes += written;
            _files.Add(string.Join('/', parts));
        }

        public void AddSymbolicLink(string name, string target)
        {
            var parts = Split(name, allowEmpty: false);
            target = target.Replace('\\', '/');
            if (target.Length == 0 || target.Contains('\0'))
                throw Refuse(name, "is a symbolic link with an empty target");
            if (IsRooted(target))
                throw Refuse(name, $"is a symbolic link to the absolute path '{target}', outside the extraction folder");
            // The quick check by the names alone; CreateLinks checks again through the links on disk.
            if (Resolve(parts[..^1], target, followLinks: false) is null)
                throw Refuse(name, $"is a symbolic link to '{target}', outside the extraction folder");
            _symbolicLinks.Add((name, parts, target));
        }

        public void AddHardLink(string name, string target, UnixFileMode mode)
        {
            var parts = Split(name, allowEmpty: false);
            if (IsRooted(target))
                throw Refuse(name, $"is a hard link to the absolute path '{target}', outside the extraction folder");
            string[] targetParts;
            try
            {
                targetParts = Split(target, allowEmpty: false);
            }
            catch (InvalidDataException)
            {
                throw Refuse(name, $"is a hard link to '{target}', outside the extraction folder");
            }
            _hardLinks.Add((name, parts, targetParts, mode));
        }

        /// <summary>Hard links as copies, then symbolic links, then every symbolic link checked through the others.</summary>
        public void CreateLinks()
        {
            foreach (var (name, parts, target, mode) in _hardLinks)
            {
                Entry = name;
                string key = string.Join('/', target);
                if (!_files.Contains(key))
                    throw Refuse(name, $"is a hard link to '{key}', which is not a file of this archive");
                using var source = new FileStream(Combine(target), FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
                WriteFile(name, source, source.Length, mode);
            }
            foreach (var (name, parts, target) in _symbolicLinks)
            {
                Entry = name;
                CreateFolders(name, parts, parts.Length - 1);
                string path = Combine(parts);
                if (File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null)
                    throw Refuse(name, "is a symbolic link where the archive also has a file or folder");
                File.CreateSymbolicLink(path, target);
            }
            foreach (var (name, parts, target) in _symbolicLinks)
            {
                Entry = name;
                if (Resolve(parts[..^1], target, followLinks: true) is null)
                    throw Refuse(name, $"is a symbolic link to '{target}', which leads outside the extraction folder through the archive's other links");
            }
        }

        public InvalidDataException Refuse(string name, string why) =>
            Refused($"Refused to extract '{Archive}': entry '{name}' {why}. Nothing was extracted; extract only archives you trust.", null);

        private InvalidDataException TooLarge(string name, long declared) =>
            Refused($"Refused to extract '{Archive}': entry '{name}' declares {declared.ToString("N0", CultureInfo.InvariantCulture)} bytes, " +
                $"which with the {_bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes before it is more than the " +
                $"{Limits.MaxBytes.ToString("N0", CultureInfo.InvariantCulture)} maxExtractedBytes allows. Nothing was extracted; " +
                "pass a larger maxExtractedBytes to GetFile if you trust the archive.", null);

        /// <summary>The entry name's folders and file name, refusing what could leave the folder.</summary>
        private string[] Split(string name, bool allowEmpty)
        {
            if (name.Contains('\0'))
                throw Refuse(name, "has a NUL character in its name");
            if (IsRooted(name))
                throw Refuse(name, "has an absolute path, outside the extraction folder");
            var parts = name.Split('/', '\\').Where(p => p.Length > 0 && p != ".").ToArray();
            if (parts.Contains(".."))
                throw Refuse(name, "has a '..' in its path, which could leave the extraction folder");
            if (OperatingSystem.IsWindows() && parts.Any(p => p.Contains(':')))
                throw Refuse(name, "has a ':' in its path (a drive or an alternate data stream on Windows)");
            if (parts.Length == 0 && !allowEmpty)
                throw Refuse(name, "has no file name");
            return parts;
        }

        private static bool IsRooted(string name) =>
            name.StartsWith('/') || name.StartsWith('\\') || (OperatingSystem.IsWindows() && Path.IsPathRooted(name));

        private string Combine(IEnumerable<string> parts) => Path.Combine([root, .. parts]);

        /// <summary>Creates the first <paramref name="count"/> folders of <paramref name="parts"/>, refusing to go through a file or link.</summary>
        private void CreateFolders(string name, string[] parts, int count)
        {
            string path = root;
            for (int i = 0; i < count; i++)
            {
                path = Path.Combine(path, parts[i]);
                var info = new DirectoryInfo(path);
                if (info.LinkTarget is not null)
                    throw Refuse(name, $"goes through the symbolic link '{string.Join('/', parts[..(i + 1)])}'");
                if (File.Exists(path))
                    throw Refuse(name, $"needs a folder where the archive has the file '{string.Join('/', parts[..(i + 1)])}'");
                if (!info.Exists)
                    Directory.CreateDirectory(path);
            }
        }

        /// <summary>
        /// Where <paramref name="target"/>, read from the folder <paramref name="folder"/>, leads: its components under
        /// the root, or null once it leaves the root. With <paramref name="followLinks"/>, a link met on the way is
        /// replaced by its target, read from the link's folder (what <c>realpath</c> does, within the root).
        /// </summary>
        private List<string>? Resolve(string[] folder, string target, bool followLinks)
        {
            var resolved = new List<string>(folder);
            var pending = new Stack<string>(target.Split('/').Reverse());
            int hops = 0;
            while (pending.TryPop(out string? part))
            {
                if (part.Length == 0 || part == ".")
                    continue;
                if (part == "..")
                {
                    if (resolved.Count == 0)
                        return null;
                    resolved.RemoveAt(resolved.Count - 1);
                    continue;
                }
                string path = Combine([.. resolved, part]);
                string? link = followLinks ? new FileInfo(path).LinkTarget : null;
                if (link is null)
                {
                    resolved.Add(part);
                    continue;
                }
                if (++hops > MaxLinkHops || IsRooted(link))
                    return null;
                foreach (string next in link.Split('/').Reverse())
                    pending.Push(next);
            }
            return resolved;
        }
    }
}
