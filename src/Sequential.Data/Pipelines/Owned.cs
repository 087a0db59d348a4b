using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Data;

/// <summary>
/// Ownership of the tensors a pipeline makes. Every tensor a dataset creates is taken out of whatever DisposeScope
/// the creating thread has open (a worker's, or the training loop's per-batch scope when the pipeline runs on that
/// thread), so that it lives until the element is consumed; the consumer attaches it to its own scope.
/// </summary>
internal static class Owned
{
    /// <summary>Takes <paramref name="tensor"/> out of every DisposeScope; the caller owns it.</summary>
    public static Tensor Detach(Tensor tensor) => tensor.DetachFromDisposeScope();
}
