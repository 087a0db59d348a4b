using System.Globalization;
using Sequential.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Data;

/// <summary>
/// Keras 3's <c>keras.utils</c> functions (<c>get_file</c>, <c>load_img</c>, <c>to_categorical</c>, ...) under their
/// Keras names in PascalCase, so that after <c>using static Sequential.Data.Utils;</c> a Keras line ports as it is.
/// </summary>
/// <example>
/// <code>
/// using static Sequential.Data.Utils;
///
/// Tensor yOneHot = ToCategorical(yTrain, numClasses: 10);   // Keras: keras.utils.to_categorical(y_train, 10)
/// </code>
/// </example>
public static partial class Utils
{
    /// <summary>
    /// Converts integer class labels to one-hot rows (Keras's <c>keras.utils.to_categorical</c>): labels of any shape
    /// <c>S</c> become float32 <c>S + (numClasses,)</c>, with the 1 at each label's index.
    /// </summary>
    /// <param name="y">Class labels from 0 to <c>numClasses - 1</c>: an integer or bool tensor, or a floating-point one
    /// holding whole numbers (labels read from a CSV). As in Keras, a trailing axis of size 1 is dropped first, so
    /// <c>(N, 1)</c> gives <c>(N, numClasses)</c>, not <c>(N, 1, numClasses)</c>; <c>(1,)</c> stays <c>(1, numClasses)</c>.</param>
    /// <param name="numClasses">The number of classes; null infers it as the largest label + 1, as Keras does.</param>
    /// <returns>A new float32 tensor on <paramref name="y"/>'s device; the caller owns it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numClasses"/> is not positive.</exception>
    /// <exception cref="ArgumentException">A label is negative or not below <paramref name="numClasses"/> (the message names
    /// the label and where it is; Keras's NumPy indexing would wrap a negative label to the last class silently), a
    /// floating-point label is not a whole number, the tensor type is not numeric, or <paramref name="y"/> is empty with
    /// no <paramref name="numClasses"/>.</exception>
    /// <example>
    /// Keras's <c>keras.utils.to_categorical([0, 1, 2, 3], num_classes=4)</c> and
    /// <c>y_train = keras.utils.to_categorical(y_train, num_classes)</c> become:
    /// <code>
    /// Tensor a = ToCategorical([0, 1, 2, 3], numClasses: 4);     // [[1, 0, 0, 0], [0, 1, 0, 0], ...]
    /// Tensor yTrainOneHot = ToCategorical(yTrain, numClasses: 10);  // int64 (60000) -> float32 (60000, 10)
    /// </code>
    /// </example>
    public static Tensor ToCategorical(Tensor y, int? numClasses = null)
    {
        ArgumentNullException.ThrowIfNull(y);
        if (numClasses is <= 0)
            throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses,
                $"ToCategorical: numClasses must be positive; got {numClasses}. Pass the number of classes, or null to use the largest label + 1.");

        using var scope = NewDisposeScope();
        Tensor labels = IntegerLabels(y);
        long[] shape = y.shape;
        // Keras: "Shrink the last dimension if the shape is (..., 1)."
        long[] outShape = shape.Length > 1 && shape[^1] == 1 ? shape[..^1] : shape;
        Tensor flat = labels.reshape(-1);
        if (flat.numel() == 0)
        {
            if (numClasses is not { } given)
                throw new ArgumentException(
                    $"ToCategorical: the labels have shape {Shapes.Format(shape)}, no values to infer the number of classes from; pass numClasses.",
                    nameof(y));
            return zeros([.. outShape, given], ScalarType.Float32, device: y.device).MoveToOuterDisposeScope();
        }

        long min = flat.min().item<long>();
        if (min < 0)
            throw new ArgumentException(
                $"ToCategorical: label {min} at {Where(flat < 0, shape)} is negative; class labels run from 0 to numClasses - 1. " +
                "Map the labels to 0..numClasses-1 first (e.g. subtract the smallest label).", nameof(y));
        long max = flat.max().item<long>();
        long classes = numClasses ?? (max == long.MaxValue ? max : max + 1);
        if (classes > long.MaxValue / flat.numel() / sizeof(float))
            throw new ArgumentException(
                $"ToCategorical: {flat.numel()} labels x {classes} classes would not fit in memory; check the largest label ({max}).",
                nameof(y));
        if (max >= classes)
            throw new ArgumentException(
                $"ToCategorical: label {max} at {Where(flat >= classes, shape)} is not below numClasses ({classes}); class labels " +
                $"run from 0 to numClasses - 1. Pass numClasses: {max + 1} (or more), or null to infer it.", nameof(y));
        // float32 zeros and a scatter: one_hot would first build an int64 copy twice the size.
        Tensor oneHot = zeros([flat.numel(), classes], ScalarType.Float32, device: y.device);
        oneHot.scatter_(1, flat.unsqueeze(1), ones([flat.numel(), 1], ScalarType.Float32, device: y.device));
        return oneHot.reshape([.. outShape, classes]).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Converts integer class labels to one-hot rows (Keras's <c>keras.utils.to_categorical</c> on a Python list):
    /// <c>n</c> labels become float32 <c>(n, numClasses)</c>.
    /// </summary>
    /// <param name="y">Class labels from 0 to <c>numClasses - 1</c>.</param>
    /// <param name="numClasses">The number of classes; null infers it as the largest label + 1.</param>
    /// <returns>A new float32 CPU tensor; the caller owns it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numClasses"/> is not positive.</exception>
    /// <exception cref="ArgumentException">As <see cref="ToCategorical(Tensor, int?)"/>.</exception>
    /// <example>
    /// Keras's <c>keras.utils.to_categorical([0, 1, 2, 3], num_classes=4)</c>:
    /// <code>
    /// Tensor a = ToCategorical([0, 1, 2, 3], numClasses: 4);
    /// </code>
    /// </example>
    public static Tensor ToCategorical(int[] y, int? numClasses = null)
    {
        ArgumentNullException.ThrowIfNull(y);
        using var labels = tensor(y, [y.LongLength], ScalarType.Int32);
        return ToCategorical(labels, numClasses);
    }

    /// <summary>
    /// Divides <paramref name="x"/> by its <paramref name="order"/>-norm along <paramref name="axis"/> (Keras's
    /// <c>keras.utils.normalize</c>); a slice whose norm is 0 is left as it is (divided by 1), as Keras does for NumPy
    /// arrays.
    /// </summary>
    /// <param name="x">The values; integer and bool tensors are converted to float32, floating-point ones keep their type.
    /// A scalar is treated as a one-element vector (Keras's <c>ops.normalize</c>).</param>
    /// <param name="axis">The axis along which the norm is taken; negative counts from the end (default -1, the last).</param>
    /// <param name="order">The norm's order: 1 (sum of absolute values), 2 (Euclidean, the default) or any larger integer p
    /// (<c>(Σ|x|^p)^(1/p)</c>). Keras's NumPy path also accepts 0 and negative orders; its tensor path, like this one, does not.</param>
    /// <returns>A new tensor of <paramref name="x"/>'s shape (shape <c>(1,)</c> for a scalar) on its device; the caller owns it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="order"/> is below 1, or <paramref name="axis"/> is not an
    /// axis of <paramref name="x"/> (the message gives the shape).</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> holds complex numbers.</exception>
    /// <remarks>Keras's NumPy path divides by the exact norm, its tensor path by <c>max(norm, 1e-7)</c>; the two agree unless
    /// a norm is nonzero and below 1e-7. This follows the NumPy path, which <c>keras.utils.normalize(x_train, axis=1)</c>
    /// in the tutorials takes.</remarks>
    /// <example>
    /// Keras's <c>x_train = keras.utils.normalize(x_train, axis=1)</c>:
    /// <code>
    /// Tensor xTrainUnit = Normalize(xTrain, axis: 1);
    /// Tensor columns = Normalize(tensor(new float[,] { { 3, 0, 12 }, { 4, 5, 0 } }), axis: 0);  // [[0.6, 0, 1], [0.8, 1, 0]]
    /// </code>
    /// </example>
    public static Tensor Normalize(Tensor x, int axis = -1, int order = 2)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (order < 1)
            throw new ArgumentOutOfRangeException(nameof(order), order,
                $"Normalize: order must be an integer >= 1 (1 for the L1 norm, 2 for the Euclidean); got {order}.");
        if (x.dtype is ScalarType.ComplexFloat32 or ScalarType.ComplexFloat64)
            throw new ArgumentException($"Normalize: x holds complex numbers ({x.dtype}); pass real values.", nameof(x));

        using var scope = NewDisposeScope();
        Tensor values = x.dim() == 0 ? x.unsqueeze(0) : x;
        if (!is_floating_point(values))
            values = values.to(ScalarType.Float32);
        int rank = (int)values.dim();
        int dim = axis < 0 ? axis + rank : axis;
        if (dim < 0 || dim >= rank)
            throw new ArgumentOutOfRangeException(nameof(axis), axis,
                $"Normalize: axis {axis} is not an axis of x, whose shape is {Shapes.Format(values.shape)}; pass -{rank} to {rank - 1}.");
        Tensor norm = linalg.vector_norm(values, order, [dim], keepdim: true);
        norm = norm.masked_fill(norm == 0, 1);
        return (values / norm).MoveToOuterDisposeScope();
    }

    /// <summary>The labels as int64, refusing a floating-point label that is not a whole number.</summary>
    private static Tensor IntegerLabels(Tensor y)
    {
        switch (y.dtype)
        {
            case ScalarType.Byte or ScalarType.Int8 or ScalarType.Int16 or ScalarType.Int32 or ScalarType.Int64 or ScalarType.Bool:
                return y.to(ScalarType.Int64);
            case ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float32 or ScalarType.Float64:
                Tensor fractional = y.isfinite().logical_not().logical_or(y != y.trunc());
                if (fractional.any().item<bool>())
                {
                    double bad = y.reshape(-1)[fractional.reshape(-1).nonzero()[0, 0]].to(ScalarType.Float64).item<double>();
                    throw new ArgumentException(
                        $"ToCategorical: label {bad.ToString(CultureInfo.InvariantCulture)} at {Where(fractional.reshape(-1), y.shape)} " +
                        "is not a whole number; class labels are integers from 0 to numClasses - 1.", nameof(y));
                }
                return y.to(ScalarType.Int64);
            default:
                throw new ArgumentException(
                    $"ToCategorical: labels of type {y.dtype} are not class numbers; pass an integer tensor (or floats holding whole numbers).",
                    nameof(y));
        }
    }

    /// <summary>Where the first true value of the flattened <paramref name="mask"/> is, as an index into <paramref name="shape"/>: "y[2, 1]".</summary>
    private static string Where(Tensor mask, long[] shape)
    {
        long flat = mask.reshape(-1).nonzero()[0, 0].item<long>();
        if (shape.Length == 0)
            return "y";
        var index = new long[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return "y[" + string.Join(", ", index) + "]";
    }
}
