namespace Sequential.Data.Tests.Datasets;

/// <summary>
/// Points <c>$HOME</c> and <c>$SEQUENTIAL_DATASETS</c> at fresh temporary folders for one test, so the
/// search order is tested without reading or writing the real user's datasets; restores both on dispose.
/// </summary>
internal sealed class DatasetEnvironment : IDisposable
{
    private readonly string? _home = Environment.GetEnvironmentVariable("HOME");
    private readonly string? _userProfile = Environment.GetEnvironmentVariable("USERPROFILE");
    private readonly string? _datasets = Environment.GetEnvironmentVariable("SEQUENTIAL_DATASETS");
    private readonly string? _origin = Environment.GetEnvironmentVariable("SEQUENTIAL_DATASETS_ORIGIN");

    public DatasetEnvironment()
    {
        Root = IdxTestFiles.NewTempFolder();
        Home = Path.Combine(Root, "home");
        Directory.CreateDirectory(Home);
        Environment.SetEnvironmentVariable("HOME", Home);          // where .NET finds the home folder on Unix
        Environment.SetEnvironmentVariable("USERPROFILE", Home);   // and on Windows
        Environment.SetEnvironmentVariable("SEQUENTIAL_DATASETS", null);
        // Loaders download what they do not find: from an empty local mirror here, so no test reaches the network.
        Mirror = Path.Combine(Root, "mirror");
        Directory.CreateDirectory(Mirror);
        Environment.SetEnvironmentVariable("SEQUENTIAL_DATASETS_ORIGIN", new Uri(Mirror + "/").AbsoluteUri);
    }

    /// <summary>The folder <c>$SEQUENTIAL_DATASETS_ORIGIN</c> points at (empty unless a test puts files there).</summary>
    public string Mirror { get; }

    public string Root { get; }

    public string Home { get; }

    /// <summary>Sets <c>$SEQUENTIAL_DATASETS</c> to a folder under <see cref="Root"/> and returns it.</summary>
    public string UseDatasetsVariable()
    {
        string folder = Path.Combine(Root, "datasets");
        Directory.CreateDirectory(folder);
        Environment.SetEnvironmentVariable("SEQUENTIAL_DATASETS", folder);
        return folder;
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("HOME", _home);
        Environment.SetEnvironmentVariable("USERPROFILE", _userProfile);
        Environment.SetEnvironmentVariable("SEQUENTIAL_DATASETS", _datasets);
        Environment.SetEnvironmentVariable("SEQUENTIAL_DATASETS_ORIGIN", _origin);
        Directory.Delete(Root, recursive: true);
    }
}
