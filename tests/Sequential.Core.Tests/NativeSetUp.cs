using Sequential;

/// <summary>Loads TorchSharp's native library (patched where this OS needs it) before any test touches torch.
/// In the global namespace so that it applies to every test in the assembly.</summary>
[SetUpFixture]
public sealed class NativeSetUp
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();
}
