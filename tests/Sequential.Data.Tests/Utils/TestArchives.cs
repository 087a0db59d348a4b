using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Sequential.Data.Tests;

/// <summary>Small archives written in the test, hostile ones included.</summary>
internal static class TestArchives
{
    /// <summary>One tar entry: a file (content), a folder, a symbolic or hard link (link), or a device/FIFO.</summary>
    public sealed record Entry(string Name, TarEntryType Type = TarEntryType.RegularFile, string? Content = null, string? Link = null,
        UnixFileMode Mode = (UnixFileMode)0b110_100_100);

    public static Entry FileEntry(string name, string content) => new(name, Content: content);
    public static Entry FolderEntry(string name) => new(name, TarEntryType.Directory, Mode: (UnixFileMode)0b111_101_101);
    public static Entry SymlinkEntry(string name, string target) => new(name, TarEntryType.SymbolicLink, Link: target);
    public static Entry HardlinkEntry(string name, string target) => new(name, TarEntryType.HardLink, Link: target);

    /// <summary>Writes a PAX tar (gzipped when <paramref name="gzip"/>) holding <paramref name="entries"/> in order.</summary>
    public static string Tar(string path, bool gzip, params Entry[] entries)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = File.Create(path);
        using Stream stream = gzip ? new GZipStream(file, CompressionLevel.Fastest) : file;
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var e in entries)
            {
                var entry = new PaxTarEntry(e.Type, e.Name) { Mode = e.Mode };
                if (e.Link is not null)
                    entry.LinkName = e.Link;
                if (e.Content is not null)
                    entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(e.Content));
                writer.WriteEntry(entry);
            }
        }
        return path;
    }

    /// <summary>Writes a zip holding the given files (name, content) in order.</summary>
    public static string Zip(string path, params (string Name, string Content)[] files)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, content) in files)
        {
            var entry = zip.CreateEntry(name);
            using var stream = entry.Open();
            stream.Write(Encoding.UTF8.GetBytes(content));
        }
        return path;
    }

    /// <summary>
    /// A tar of one ustar header naming <paramref name="name"/> and claiming <paramref name="size"/> bytes (in GNU base-256
    /// when it does not fit 11 octal digits), followed by 1,024 zero bytes instead of the data: a header-only bomb.
    /// </summary>
    public static string TarClaiming(string path, string name, long size, char type = '0')
    {
        var header = new byte[512];
        Encoding.ASCII.GetBytes(name).CopyTo(header, 0);
        Encoding.ASCII.GetBytes("0000644\0").CopyTo(header, 100);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(header, 108);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(header, 116);
        if (size < 1L << 33)
            Encoding.ASCII.GetBytes(Convert.ToString(size, 8).PadLeft(11, '0') + "\0").CopyTo(header, 124);
        else
        {
            header[124] = 0x80;
            for (int i = 0; i < 8; i++)
                header[135 - i] = (byte)(size >> (8 * i));
        }
        Encoding.ASCII.GetBytes("00000000000\0").CopyTo(header, 136);
        header[156] = (byte)type;
        Encoding.ASCII.GetBytes("ustar\0" + "00").CopyTo(header, 257);
        "        "u8.CopyTo(header.AsSpan(148));
        long sum = header.Sum(b => (long)b);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header, 148);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [.. header, .. new byte[1024]]);
        return path;
    }

    /// <summary>The file:// URI of a local path.</summary>
    public static string Uri(string path) => new Uri(Path.GetFullPath(path)).AbsoluteUri;

    /// <summary>Every file, folder and link under <paramref name="root"/>, as sorted relative paths with '/'.</summary>
    public static string[] Listing(string root) =>
        Directory.Exists(root)
            ? [.. Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
                .Select(p => Path.GetRelativePath(root, p).Replace('\\', '/')).Order(StringComparer.Ordinal)]
            : [];
}
