using System.Globalization;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace Sequential;

/// <summary>
/// A copy of the native library that <see cref="NativeCache"/> has checked and holds open. Load it through
/// <see cref="LoadPath"/> (the open handle, not the name), then dispose it.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class VerifiedCopy : IDisposable
{
    private readonly string? _scratchFolder;

    internal VerifiedCopy(string path, SafeFileHandle handle, string? rewritten, IReadOnlyList<string> skipped, string? scratchFolder)
    {
        Path = path;
        Handle = handle;
        Rewritten = rewritten;
        Skipped = skipped;
        _scratchFolder = scratchFolder;
    }

    /// <summary>Where the copy is.</summary>
    internal string Path { get; }

    /// <summary>The open, verified file.</summary>
    internal SafeFileHandle Handle { get; }

    /// <summary>
    /// <c>/proc/self/fd/N</c> of <see cref="Handle"/>: dlopen of it maps the file the handle holds, whatever the
    /// name <see cref="Path"/> points to by then. Valid until <see cref="Dispose"/>.
    /// </summary>
    internal string LoadPath => "/proc/self/fd/" + Handle.DangerousGetHandle().ToInt64().ToString(CultureInfo.InvariantCulture);

    /// <summary>Why the copy was (re)written just now ("missing", "different from the patched library", ...); null when the cached one was right.</summary>
    internal string? Rewritten { get; }

    /// <summary>Why each cache folder tried before this one was not used.</summary>
    internal IReadOnlyList<string> Skipped { get; }

    /// <summary>True when no cache folder was usable and the copy lives in a fresh folder deleted on <see cref="Dispose"/>.</summary>
    internal bool IsScratch => _scratchFolder is not null;

    /// <summary>Closes the handle (a loaded library stays mapped) and deletes a scratch folder.</summary>
    public void Dispose()
    {
        Handle.Dispose();
        if (_scratchFolder is not null)
            NativeCache.TryDeleteFolder(_scratchFolder);
    }
}
