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
/// fails there. Where (and only where) that happens, this class writes a patched copy of the library
/// into a cache folder (see <see cref="ElfSymbolVersionPatcher"/>), loads it, and routes TorchSharp's
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

        string patched = PatchedCopy(original, firstError);
        try
        {
            Route(NativeLibrary.Load(patched));
        }
        catch (DllNotFoundException e)
        {
            throw new DllNotFoundException(
                $"TorchSharp's native library needs a newer libstdc++ than this system has ({firstError}), and the " +
                $"compatibility copy {patched} did not load either: {e.Message}. Install GCC 13's libstdc++ " +
                "(libstdc++6 >= 13) or use a newer distribution.", e);
        }
        return "patched copy at " + patched + " (system libstdc++ lacks GLIBCXX_3.4.32)";
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

    private static string PatchedCopy(string original, string loadError)
    {
        byte[] image = File.ReadAllBytes(original);
        string hash = Convert.ToHexString(SHA256.HashData(image))[..16].ToLowerInvariant();
        string folder = Path.Combine(CacheRoot(), hash);
        string target = Path.Combine(folder, LibraryFile);
        if (File.Exists(target))
            return target;

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

        try
        {
            WritePatched(folder, target, image, original, result);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only or full home folder: fall back to the temporary folder rather than fail.
            folder = Path.Combine(Path.GetTempPath(), $"sequential-native-{Environment.UserName}", hash);
            target = Path.Combine(folder, LibraryFile);
            if (!File.Exists(target))
                WritePatched(folder, target, image, original, result);
        }
        return target;
    }

    private static void WritePatched(string folder, string target, byte[] image, string original, ElfSymbolVersionPatcher.Result result)
    {
        Directory.CreateDirectory(folder);
        string temporary = Path.Combine(folder, $".{LibraryFile}.{Environment.ProcessId}.tmp");
        File.WriteAllBytes(temporary, image);
        File.Move(temporary, target, overwrite: true); // atomic: a concurrent process sees old-or-new, never half
        File.WriteAllText(Path.Combine(folder, "README.txt"),
            $"Patched copy of {original}\nso that it loads with this system's {StdCxx}.\n" +
            $"Weakened versions: {string.Join(", ", result.WeakenedVersions)}\n" +
            $"Redirected symbols: {string.Join(", ", result.RenamedSymbols)}\n" +
            "Written by Sequential (NativeLoader); safe to delete.\n");
    }

    private static string CacheRoot()
    {
        string? configured = Environment.GetEnvironmentVariable("SEQUENTIAL_NATIVE_CACHE");
        if (!string.IsNullOrEmpty(configured)) return configured;
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string root = !string.IsNullOrEmpty(xdg) ? xdg : !string.IsNullOrEmpty(home) ? Path.Combine(home, ".cache") : Path.GetTempPath();
        return Path.Combine(root, "sequential", "native");
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
