namespace Sequential.Metrics;

/// <summary>
/// Keras's <c>keras.metrics.OneHotIoU</c>: <see cref="IoU"/> for one-hot targets and scores (both arg-maxed along the last axis).
/// </summary>
public sealed class OneHotIoU : IoU
{
    /// <summary>Creates the metric.</summary>
    /// <param name="numClasses">The number of classes.</param>
    /// <param name="targetClassIds">The classes whose IoU is averaged.</param>
    /// <param name="name">The key in logs and History.</param>
    /// <param name="ignoreClass">A target class id that is not counted, or null.</param>
    /// <param name="sparseYPred">Whether predictions are class ids (else arg-maxed).</param>
    /// <param name="axis">The class axis for the arg-max.</param>
    /// <exception cref="ArgumentException"><paramref name="numClasses"/> below 1, or a class id out of range.</exception>
    public OneHotIoU(int numClasses, IReadOnlyList<int> targetClassIds, string name = "one_hot_io_u", int? ignoreClass = null, bool sparseYPred = false, int axis = -1)
        : base(numClasses, targetClassIds, name, ignoreClass, sparseYTrue: false, sparseYPred, axis) { }
}
