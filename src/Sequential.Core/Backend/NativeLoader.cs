using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Sequential;

/// <summary>
/// Makes TorchSharp's native library loadable before TorchSharp first touches it.
/// </summary>
/// <remarks>
/// TorchSharp 0.107.0 ships <c>libLibTorchSharp.so</c> built with GCC 13; it asks libstdc++ for
/// <c>GLIBCXX_3.4.32</c>, which Debian 12 and Ubuntu 22.04 do not have, so the first TorchSharp call
/// fails there. Where (and only where) that happens, this class patches the library in memory (see
/// <see cref="ElfSymbolVersionPatcher"/>), keeps a copy in a private cache folder that is checked byte for byte
/// against that patch before every load (see <see cref="NativeCache"/>), loads it, and routes TorchSharp's
/// <c>DllImport("LibTorchSharp")</c> to it. The original files are never modified. It runs from the
/// module initializers of the Sequential assemblies, so every consumer gets it without a manual step.
/// </remarks>
internal static class NativeLoader
{
    private const string LibraryFile = "libLibTorchSharp.so";
    private const string StdCxx = "libstdc++.so.6";
    private static readonly object Gate = new();
    private static bool _attempted;
    private static Exception? _failure;

    /// <summary>A description of what was done, for diagnostics ("not needed", "patched copy at ...").</summary>
    internal static string Status { get; private set; } = "not attempted";

    /// <summary>Loads (patching if needed) once; rethrows a clear error if that failed.</summary>
    internal static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (!_attempted)
            {
                _attempted = true;
                try { Status = LoadCore(); }
                catch (Exception e) { _failure = e; Status = "failed: " + e.Message; }
            }
        }
        if (_failure is not null)
            throw new InvalidOperationException(_failure.Message, _failure);
    }

#pragma warning disable CA2255 // A library module initializer is the point: it must run before any TorchSharp call.
    [ModuleInitializer]
    internal static void OnModuleLoad()
#pragma warning restore CA2255
    {
        // Never throw from a module initializer: the error is kept and thrown, clearly, by EnsureLoaded.
        try { EnsureLoaded(); } catch (InvalidOperationException) { }
    }

    private static string LoadCore()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            return "not needed on this platform";
        if (Environment.GetEnvironmentVariable("SEQUENTIAL_NATIVE_PATCH") == "0")
            return "disabled by SEQUENTIAL_NATIVE_PATCH=0";

        string? original = FindNative(LibraryFile);
        if (original is null)
            return "libLibTorchSharp.so not found beside the application; TorchSharp will search for it itself";

        // Load libtorch's own libraries first, by path, so the copy in the cache folder finds them by name.
        foreach (var dependency in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so", "libtorch_cuda.so" })
        {
            string? path = FindNative(dependency);
            if (path is not null)
                NativeLibrary.Load(path);
        }

        string firstError;
        try
        {
            var handle = NativeLibrary.Load(original);
            Route(handle);
            return "not needed: " + original + " loaded as shipped";
        }
        catch (DllNotFoundException e) { firstError = e.Message; }

        if (!firstError.Contains("GLIBCXX_", StringComparison.Ordinal) && !firstError.Contains("CXXABI_", StringComparison.Ordinal))
            throw new DllNotFoundException(
                $"TorchSharp's native library {original} could not be loaded: {firstError}. " +
                "Check that the TorchSharp-cpu (or -cuda) package restored completely (delete bin/ and obj/ and build again).");

        byte[] image = File.ReadAllBytes(original);
        string hash = Convert.ToHexString(SHA256.HashData(image))[..16].ToLowerInvariant();
        var result = Patch(image, original, firstError);
        using var copy = NativeCache.Open(CacheRoots(), hash, image, Readme(original, result));
        try
        {
            // The verified handle, not the name: what was checked is what gets mapped (see NativeCache).
            Route(NativeLibrary.Load(copy.LoadPath));
        }
        catch (DllNotFoundException e)
        {
            throw new DllNotFoundException(
                $"TorchSharp's native library needs a newer libstdc++ than this system has ({firstError}), and the " +
                $"compatibility copy {copy.Path} did not load either: {e.Message}. Install GCC 13's libstdc++ " +
                "(libstdc++6 >= 13) or use a newer distribution.", e);
        }
        var status = new StringBuilder(copy.IsScratch ? "patched copy loaded from a temporary folder, now deleted: " : "patched copy at ");
        status.Append(copy.Path).Append(" (system libstdc++ lacks GLIBCXX_3.4.32)");
        status.Append(copy.Rewritten is null ? "; cached copy verified" : $"; written now, the cached copy was {copy.Rewritten}");
        foreach (var reason in copy.Skipped)
            status.Append("; skipped: ").Append(reason);
        return status.ToString();
    }

    /// <summary>Points TorchSharp's DllImport("LibTorchSharp") at the loaded handle.</summary>
    private static void Route(IntPtr handle)
    {
        var torchSharp = typeof(TorchSharp.torch).Assembly; // typeof runs no static constructor
        try
        {
            NativeLibrary.SetDllImportResolver(torchSharp, (name, _, _) =>
                name is "LibTorchSharp" or "libLibTorchSharp" or "libLibTorchSharp.so" ? handle : IntPtr.Zero);
        }
        catch (InvalidOperationException)
        {
            // A resolver is already set (by the host or a second loader): the library is in the process under
            // its soname, so the runtime's plain dlopen("libLibTorchSharp.so") finds it anyway.
        }
    }

    /// <summary>Patches <paramref name="image"/> (the bytes of <paramref name="original"/>) in memory for this system's
    /// libstdc++; the cached copy must then equal it byte for byte.</summary>
    private static ElfSymbolVersionPatcher.Result Patch(byte[] image, string original, string loadError)
    {
        IntPtr stdcxx = NativeLibrary.Load(StdCxx);
        byte[]? stdcxxImage = LoadedLibraryImage("libstdc++.so");
        ElfSymbolVersionPatcher.Result result;
        try
        {
            result = ElfSymbolVersionPatcher.Patch(image, StdCxx, (symbol, version) => symbol.Length == 0
                ? stdcxxImage is not null && !Contains(stdcxxImage, version)
                : !HasVersionedSymbol(stdcxx, symbol, version));
        }
        catch (InvalidDataException e)
        {
            throw new DllNotFoundException(
                $"TorchSharp's native library {original} cannot load here ({loadError}) and cannot be adapted: {e.Message}. " +
                "Install GCC 13's libstdc++ (libstdc++6 >= 13) or use a newer distribution.", e);
        }
        if (result.WeakenedVersions.Count == 0)
            throw new DllNotFoundException(
                $"TorchSharp's native library {original} could not be loaded ({loadError}), and no missing libstdc++ " +
                "version was found to adapt. Install GCC 13's libstdc++ (libstdc++6 >= 13).");
        return result;
    }

    private static string Readme(string original, ElfSymbolVersionPatcher.Result result) =>
        $"Patched copy of {original}\nso that it loads with this system's {StdCxx}.\n" +
        $"Weakened versions: {string.Join(", ", result.WeakenedVersions)}\n" +
        $"Redirected symbols: {string.Join(", ", result.RenamedSymbols)}\n" +
        "Written by Sequential (NativeLoader), which checks it byte for byte before each use; safe to delete.\n";

    /// <summary>The cache folders to try, best first: the configured or per-user one, then one in the temporary folder.</summary>
    private static string[] CacheRoots()
    {
        string? configured = Environment.GetEnvironmentVariable("SEQUENTIAL_NATIVE_CACHE");
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string temp = Path.Combine(Path.GetTempPath(), $"sequential-native-{Environment.UserName}");
        string? first = !string.IsNullOrEmpty(configured) ? configured
            : !string.IsNullOrEmpty(xdg) ? Path.Combine(xdg, "sequential", "native")
            : !string.IsNullOrEmpty(home) ? Path.Combine(home, ".cache", "sequential", "native")
            : null;
        return first is null ? [temp] : [first, temp];
    }

    /// <summary>Finds a native file where the .NET host looks for native assets of this application.</summary>
    private static string? FindNative(string file)
    {
        var folders = new List<string>();
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string searchDirs)
            folders.AddRange(searchDirs.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        string baseDir = AppContext.BaseDirectory;
        folders.Add(baseDir);
        folders.Add(Path.Combine(baseDir, "runtimes", "linux-x64", "native"));
        string? torchDir = Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location);
        if (!string.IsNullOrEmpty(torchDir))
        {
            folders.Add(torchDir);
            folders.Add(Path.Combine(torchDir, "runtimes", "linux-x64", "native"));
            // NuGet cache layout: lib/net6.0/TorchSharp.dll beside runtimes/linux-x64/native/.
            folders.Add(Path.GetFullPath(Path.Combine(torchDir, "..", "..", "runtimes", "linux-x64", "native")));
        }
        return folders.Select(f => Path.Combine(f, file)).FirstOrDefault(File.Exists);
    }

    private static byte[]? LoadedLibraryImage(string namePrefix)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                int slash = line.IndexOf('/');
                if (slash < 0) continue;
                string path = line[slash..];
                if (Path.GetFileName(path).StartsWith(namePrefix, StringComparison.Ordinal))
                    return File.ReadAllBytes(path);
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    private static bool Contains(byte[] haystack, string text)
    {
        byte[] needle = Encoding.ASCII.GetBytes(text + "\0");
        return haystack.AsSpan().IndexOf(needle) >= 0;
    }

    private static bool HasVersionedSymbol(IntPtr library, string symbol, string version)
    {
        try { return dlvsym(library, symbol, version) != IntPtr.Zero; }
        catch (EntryPointNotFoundException) { return dlvsym_libdl(library, symbol, version) != IntPtr.Zero; }
    }

    [DllImport("libc", EntryPoint = "dlvsym")]
    private static extern IntPtr dlvsym(IntPtr handle, [MarshalAs(UnmanagedType.LPStr)] string symbol, [MarshalAs(UnmanagedType.LPStr)] string version);

    [DllImport("libdl.so.2", EntryPoint = "dlvsym")]
    private static extern IntPtr dlvsym_libdl(IntPtr handle, [MarshalAs(UnmanagedType.LPStr)] string symbol, [MarshalAs(UnmanagedType.LPStr)] string version);
}
