using System.IO.Compression;

namespace Sequential.Data;

/// <summary>
/// Reads named arrays from numpy's <c>.npz</c> archives (<c>np.savez</c> / <c>np.savez_compressed</c>): a zip whose
/// members <c>NAME.npy</c> are <see cref="NpyFile"/> arrays. Only the members asked for are decompressed, each into
/// memory bounded by <see cref="MaxMemberBytes"/> and by the bytes that actually arrive (never by what the zip claims).
/// </summary>
internal static class NpzFile
{
    /// <summary>Largest member read (decompressed). Keras's largest, <c>imdb.npz</c>'s <c>x_train.npy</c>, is far smaller.</summary>
    internal const long MaxMemberBytes = 1L << 30;

    /// <summary>Reads the arrays <paramref name="names"/> (without <c>.npy</c>) from <paramref name="path"/>.</summary>
    /// <param name="path">The <c>.npz</c> file.</param>
    /// <param name="names">Arrays to read, e.g. <c>x_train</c>.</param>
    /// <param name="expected">What the file should be, for the message when it is not (<c>"Keras's imdb.npz"</c>).</param>
    /// <returns>The arrays by name.</returns>
    /// <exception cref="InvalidDataException">Not a zip, truncated, a member missing or damaged; the message names the file.</exception>
    public static Dictionary<string, NumpyArray> Read(string path, IReadOnlyList<string> names, string expected)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(file, ZipArchiveMode.Read);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException(
                $"'{path}' is not a numpy .npz archive (a zip file) or is truncated ({e.Message}); expected {expected}. " +
                "Download it again.", e);
        }
        using (archive)
        {
            var arrays = new Dictionary<string, NumpyArray>();
            foreach (string name in names)
            {
                var entry = archive.GetEntry(name + ".npy") ?? throw new InvalidDataException(
                    $"'{path}' has no array '{name}' (it holds: " +
                    $"{string.Join(", ", archive.Entries.Take(20).Select(e => e.FullName))}); expected {expected}.");
                string member = $"{path}/{entry.FullName}";
                arrays[name] = NpyFile.Read(ReadMember(entry, member), member);
            }
            return arrays;
        }
    }

    private static byte[] ReadMember(ZipArchiveEntry entry, string member)
    {
        if (entry.Length > MaxMemberBytes)
            throw new InvalidDataException(
                $"'{member}' claims {entry.Length} bytes, more than the {MaxMemberBytes} Sequential reads from one array; " +
                "the file is damaged or not a Keras dataset.");
        try
        {
            using var stream = entry.Open();
            // Grow with what arrives instead of trusting the declared size; one byte more than declared is an error.
            using var memory = new MemoryStream((int)Math.Min(entry.Length, 1 << 24));
            var buffer = new byte[1 << 16];
            int read;
            while ((read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, entry.Length + 1 - memory.Length))) > 0)
            {
                memory.Write(buffer, 0, read);
                if (memory.Length > entry.Length) break;
            }
            if (memory.Length != entry.Length)
                throw new InvalidDataException(
                    $"'{member}' decompresses to {(memory.Length > entry.Length ? "more than" : "only")} {Math.Min(memory.Length, entry.Length)} " +
                    $"bytes but the archive declares {entry.Length}; the file is damaged. Download it again.");
            return memory.Length == memory.Capacity ? memory.GetBuffer() : memory.ToArray();
        }
        catch (InvalidDataException e) when (!e.Message.Contains(member, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"'{member}' cannot be decompressed ({e.Message}); the file is damaged. Download it again.", e);
        }
    }
}
