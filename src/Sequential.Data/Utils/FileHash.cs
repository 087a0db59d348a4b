using System.Security.Cryptography;

namespace Sequential.Data;

/// <summary>
/// An expected file hash for <see cref="Utils.GetFile"/>: the algorithm (sha256 or md5, chosen by Keras's rule) and the
/// lower-case hex digest. The digests come from the BCL's <see cref="IncrementalHash"/>.
/// </summary>
/// <param name="Algorithm">"sha256" or "md5".</param>
/// <param name="Hex">The expected digest, lower-case hex.</param>
internal sealed record FileHash(string Algorithm, string Hex)
{
    /// <summary>
    /// Reads <c>fileHash</c> and <c>hashAlgorithm</c> as Keras does ("auto": 64 hex digits are sha256, else md5), but
    /// refuses what Keras would turn into a certain mismatch: an unknown algorithm (Keras silently uses md5), a digest of
    /// the wrong length for its algorithm, a character that is not hex. Case is ignored (certutil prints upper case).
    /// </summary>
    /// <returns>Null when <paramref name="fileHash"/> is null (no check).</returns>
    /// <exception cref="ArgumentException">As above; the message names the value and the fix.</exception>
    internal static FileHash? Parse(string? fileHash, string hashAlgorithm)
    {
        ArgumentNullException.ThrowIfNull(hashAlgorithm);
        string algorithm = hashAlgorithm.ToLowerInvariant();
        if (algorithm is not ("auto" or "sha256" or "md5"))
            throw new ArgumentException(
                $"GetFile: hashAlgorithm \"{hashAlgorithm}\" is not supported; pass \"sha256\", \"md5\" or \"auto\" (64 hex digits are sha256, 32 md5).",
                nameof(hashAlgorithm));
        if (fileHash is null)
            return null;
        string hex = fileHash.Trim().ToLowerInvariant();
        if (algorithm == "auto")
            algorithm = hex.Length == 64 ? "sha256" : "md5";
        int expected = algorithm == "sha256" ? 64 : 32;
        if (hex.Length != expected || !hex.All(char.IsAsciiHexDigit))
            throw new ArgumentException(
                $"GetFile: fileHash \"{fileHash}\" is not a {algorithm} digest ({expected} hex digits" +
                $"{(hashAlgorithm == "auto" ? "; with hashAlgorithm \"auto\", 64 digits mean sha256 and 32 md5" : "")}). " +
                "Copy it from `sha256sum FILE` (or `md5sum FILE`).", nameof(fileHash));
        return new FileHash(algorithm, hex);
    }

    /// <summary>A fresh incremental hasher of <see cref="Algorithm"/>.</summary>
    internal IncrementalHash CreateHasher() => Create(Algorithm);

    /// <summary>Whether the file at <paramref name="path"/> has this digest.</summary>
    internal bool Matches(string path) => Compute(path, Algorithm) == Hex;

    /// <summary>The lower-case hex digest of the file at <paramref name="path"/>, read in chunks.</summary>
    internal static string Compute(string path, string algorithm)
    {
        using var hasher = Create(algorithm);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        var buffer = new byte[1 << 16];
        int n;
        while ((n = file.Read(buffer)) > 0)
            hasher.AppendData(buffer, 0, n);
        return Convert.ToHexStringLower(hasher.GetHashAndReset());
    }

    private static IncrementalHash Create(string algorithm) =>
        IncrementalHash.CreateHash(algorithm == "sha256" ? HashAlgorithmName.SHA256 : HashAlgorithmName.MD5);
}
