namespace Sequential.Core.Tests;

/// <summary>Loads TorchSharp's native library before the callback and training tests touch torch.</summary>
[SetUpFixture]
public sealed class CallbacksNativeSetUp
{
    [OneTimeSetUp]
    public void LoadNative() => Backend.EnsureNativeLoaded();
}
