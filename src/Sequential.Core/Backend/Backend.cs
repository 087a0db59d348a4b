using TorchSharp;

namespace Sequential;

/// <summary>
/// Device choice and native-library status for Sequential.
/// </summary>
/// <remarks>
/// Models train on CUDA when TorchSharp sees a CUDA device and on the CPU otherwise;
/// <c>model.Compile(..., device: "cpu")</c> overrides that per model.
/// </remarks>
public static class Backend
{
    /// <summary>
    /// Makes sure TorchSharp's native library is loaded, adapting it to an older libstdc++ where needed
    /// (Debian 12, Ubuntu 22.04). Every Sequential entry point calls this; call it yourself only if your
    /// program uses TorchSharp directly before touching any Sequential type.
    /// </summary>
    /// <exception cref="InvalidOperationException">The native library cannot be loaded here; the message
    /// says why and what to install.</exception>
    public static void EnsureNativeLoaded() => NativeLoader.EnsureLoaded();

    /// <summary>
    /// What <see cref="EnsureNativeLoaded"/> did: "not needed ...", "patched copy at PATH ...; cached copy verified"
    /// (or "; written now, the cached copy was missing" and the like, plus "; skipped: ..." for each cache folder
    /// refused as unsafe or unwritable), or "failed: ...".
    /// </summary>
    public static string NativeStatus => NativeLoader.Status;

    /// <summary>True when TorchSharp can use a CUDA device.</summary>
    public static bool IsCudaAvailable
    {
        get
        {
            EnsureNativeLoaded();
            return torch.cuda.is_available();
        }
    }

    /// <summary>The device models use when <c>Compile</c> is given none: <c>cuda</c> if available, else <c>cpu</c>.</summary>
    public static torch.Device DefaultDevice => IsCudaAvailable ? torch.CUDA : torch.CPU;

    /// <summary>
    /// Turns a Keras/PyTorch style device string (<c>"cpu"</c>, <c>"cuda"</c>, <c>"cuda:1"</c>, <c>"gpu"</c>,
    /// <c>"auto"</c>) into a TorchSharp device.
    /// </summary>
    /// <exception cref="ArgumentException">The string is not a device name, or names CUDA where none is available.</exception>
    public static torch.Device ParseDevice(string? device)
    {
        EnsureNativeLoaded();
        string text = (device ?? "auto").Trim().ToLowerInvariant();
        if (text is "auto" or "") return DefaultDevice;
        if (text is "gpu") text = "cuda";
        if (text.StartsWith("gpu:", StringComparison.Ordinal)) text = "cuda" + text[3..];
        if (text.StartsWith("cuda", StringComparison.Ordinal) && !torch.cuda.is_available())
            throw new ArgumentException(
                $"device \"{device}\" was asked for, but TorchSharp sees no CUDA device. Use device: \"cpu\", or build with " +
                "-p:TorchBackend=cuda on a machine with an NVIDIA driver (see README).", nameof(device));
        try
        {
            return torch.device(text);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or System.Runtime.InteropServices.ExternalException)
        {
            throw new ArgumentException(
                $"device \"{device}\" is not a device name. Accepted: \"auto\", \"cpu\", \"cuda\", \"cuda:N\", \"gpu\".", nameof(device), e);
        }
    }
}
