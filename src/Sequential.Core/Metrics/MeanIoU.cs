namespace Sequential.Metrics;

/// <summary>
/// Keras's <c>keras.metrics.MeanIoU</c>: <see cref="IoU"/> averaged over every class, for class-id targets and predictions.
/// </summary>
public sealed class MeanIoU : IoU
{
    /// <summary>Creates the metric.</summary>
    /// <param name="numClasses">The number of classes.</param>
    /// <param name="name">The key in logs and History.</param>
    /// <param name="ignoreClass">A target class id that is not counted, or null.</param>
    /// <param name="sparseYTrue">Whether targets are class ids (else arg-maxed along <paramref name="axis"/>).</param>
    /// <param name="sparseYPred">Whether predictions are class ids (else arg-maxed).</param>
    /// <param name="axis">The class axis for the arg-max.</param>
    /// <exception cref="ArgumentException"><paramref name="numClasses"/> below 1, or a class id out of range.</exception>
    public MeanIoU(int numClasses, string name = "mean_io_u", int? ignoreClass = null, bool sparseYTrue = true, bool sparseYPred = true, int axis = -1)
        : base(numClasses, [.. Enumerable.Range(0, numClasses)], name, ignoreClass, sparseYTrue, sparseYPred, axis) { }
}
