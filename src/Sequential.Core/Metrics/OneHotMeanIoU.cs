namespace Sequential.Metrics;

/// <summary>
/// Keras's <c>keras.metrics.OneHotMeanIoU</c>: <see cref="MeanIoU"/> for one-hot targets and scores (both arg-maxed along the last axis).
/// </summary>
public sealed class OneHotMeanIoU : IoU
{
    /// <summary>Creates the metric.</summary>
    /// <param name="numClasses">The number of classes.</param>
    /// <param name="name">The key in logs and History.</param>
    /// <param name="ignoreClass">A target class id that is not counted, or null.</param>
    /// <param name="sparseYPred">Whether predictions are class ids (else arg-maxed).</param>
    /// <param name="axis">The class axis for the arg-max.</param>
    /// <exception cref="ArgumentException"><paramref name="numClasses"/> below 1, or a class id out of range.</exception>
    public OneHotMeanIoU(int numClasses, string name = "one_hot_mean_io_u", int? ignoreClass = null, bool sparseYPred = false, int axis = -1)
        : base(numClasses, [.. Enumerable.Range(0, numClasses)], name, ignoreClass, sparseYTrue: false, sparseYPred, axis) { }
}
