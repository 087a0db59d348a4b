using Sequential;

namespace Sequential.Core.Tests.Persistence;

/// <summary>Loads libtorch once before the persistence and checkpoint tests.</summary>
[SetUpFixture]
public sealed class PersistenceNativeSetUp
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();
}
