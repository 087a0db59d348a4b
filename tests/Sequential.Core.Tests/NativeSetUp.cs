using Sequential;

/// <summary>Loads libtorch (with the older-glibc patch where needed) once, before any test of this assembly.</summary>
[SetUpFixture]
public class ModelTestsNativeSetUp
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();
}
