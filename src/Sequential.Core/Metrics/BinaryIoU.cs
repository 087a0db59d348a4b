using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// Keras's <c>keras.metrics.BinaryIoU</c>, string <c>"binary_io_u"</c>: <see cref="IoU"/> with two classes, where a
/// prediction above <see cref="Threshold"/> is class 1, averaged over <c>targetClassIds</c> (both classes by default).
/// </summary>
/// <example>
/// <code>
/// model.Compile(optimizer: "adam", loss: "binary_crossentropy", metrics: [new BinaryIoU(targetClassIds: [1], threshold: 0.5)]);
/// </code>
/// </example>
public sealed class BinaryIoU : IoU
{
    /// <summary>Creates the metric.</summary>
    /// <param name="targetClassIds">The classes (0 and/or 1) whose IoU is averaged; null for both.</param>
    /// <param name="threshold">Predictions above it are class 1.</param>
    /// <param name="name">The key in logs and History.</param>
    /// <exception cref="ArgumentException">A target class id other than 0 or 1.</exception>
    public BinaryIoU(IReadOnlyList<int>? targetClassIds = null, double threshold = 0.5, string name = "binary_io_u")
        : base(2, targetClassIds ?? [0, 1], name) => Threshold = threshold;

    /// <summary>Predictions above it are class 1.</summary>
    public double Threshold { get; }

    /// <inheritdoc/>
    protected override Tensor PredictedClasses(Tensor yPred) => yPred.gt(Threshold).to_type(ScalarType.Int64);
}
