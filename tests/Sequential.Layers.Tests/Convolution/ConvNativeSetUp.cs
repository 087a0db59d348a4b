namespace Sequential.Layers.Tests;

/// <summary>Loads TorchSharp's native library (patched where this OS needs it) before any test touches torch.</summary>
[SetUpFixture]
public sealed class ConvNativeSetUp
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();
}
