using System.Runtime.InteropServices;

namespace Sequential.IO;

/// <summary>
/// Loads an optional native library of the system (Open MPI, libjpeg-turbo) from a fixed list of places, and only from
/// a place that root alone can write (<see cref="Posix.RootOwned"/>, the file and the target of its link): no code is
/// loaded from a folder another user controls.
/// </summary>
internal static class SystemLibrary
{
    /// <summary>The first candidate that exists, is root-owned and binds; null when none does (or not on Linux).</summary>
    /// <param name="candidates">Absolute paths, in order of preference.</param>
    /// <param name="bind">Reads the entry points from the loaded library; an <see cref="EntryPointNotFoundException"/>
    /// (another library of that name) moves on to the next candidate.</param>
    internal static T? Load<T>(IEnumerable<string> candidates, Func<IntPtr, string, T> bind) where T : class
    {
        if (!OperatingSystem.IsLinux()) return null;
        foreach (var candidate in candidates)
        {
            try
            {
                if (!File.Exists(candidate)) continue;
                var target = new FileInfo(candidate).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? candidate;
                if (!Posix.RootOwned(candidate) || !Posix.RootOwned(target)) continue;
                var library = NativeLibrary.Load(target);
                try { return bind(library, target); }
                catch (EntryPointNotFoundException) { NativeLibrary.Free(library); }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or BadImageFormatException)
            {
                // Unreadable or not loadable: the next place.
            }
        }
        return null;
    }
}
