namespace Sequential.Layers.Tests.Preprocessing;

/// <summary>Loads TorchSharp's native library (patched where this OS needs it) before the preprocessing tests touch torch.</summary>
[SetUpFixture]
public sealed class PreprocessingNativeSetUp
{
    /// <summary>Loads the native library.</summary>
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();
}
