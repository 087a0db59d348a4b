using System.Globalization;
using static TorchSharp.torch;

namespace Sequential.Losses;

/// <summary>
/// Shape and value checks shared by the losses and metrics, so every error names both shapes the same way.
/// </summary>
internal static class TargetChecks
{
    /// <summary>Keras's <c>backend.epsilon()</c>: probabilities are clipped to [eps, 1 - eps] before the log.</summary>
    internal const double Epsilon = 1e-7;

    /// <summary>Checks a cross-entropy's <c>labelSmoothing</c> argument, shared by the binary and categorical losses.</summary>
    internal static double LabelSmoothing(double labelSmoothing) =>
        labelSmoothing is >= 0 and <= 1
            ? labelSmoothing
            : throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing,
                "labelSmoothing must be in [0, 1] (0 disables smoothing).");

    /// <summary>Checks an argument that must lie in [0, 1] (a focal loss's <c>alpha</c>).</summary>
    internal static double Fraction(string name, double value) =>
        value is >= 0 and <= 1
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1].");

    /// <summary>Checks a focal loss's <c>gamma</c>: a finite number, at least 0 (0 turns the focal factor off).</summary>
    internal static double Gamma(double gamma) =>
        gamma >= 0 && double.IsFinite(gamma)
            ? gamma
            : throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be a finite number >= 0 (0 disables the focal factor; Keras's default is 2.0).");

    /// <summary>
    /// Keras's per-sample reduction of element-wise losses: the mean over the last axis ([N, C] -> [N],
    /// [N, T, C] -> [N, T]). A tensor of rank 0 or 1 is already one value per sample.
    /// </summary>
    internal static Tensor MeanOverLastAxis(Tensor elementwise) =>
        elementwise.dim() <= 1 ? elementwise : elementwise.mean([-1]);

    /// <summary>
    /// What the element-wise losses (MSE, MAE, Huber, binary cross-entropy) do first: Keras's rank matching, the
    /// per-batch shape check, and float targets in the prediction's dtype.
    /// </summary>
    internal static (Tensor yTrue, Tensor yPred) ElementwisePair(string loss, Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = MatchRank(yTrue, yPred);
        CheckBatchShapes(loss, yTrue, yPred);
        return (AsDtypeOf(yTrue, yPred), yPred);
    }

    /// <summary>
    /// Keras's <c>convert_binary_labels_to_hinge</c>: when every target is 0 or 1 they become -1 and 1, otherwise they
    /// stay as given. Decided on the device (no host read per batch).
    /// </summary>
    internal static Tensor HingeLabels(Tensor yTrue)
    {
        var binary = yTrue.eq(0).logical_or(yTrue.eq(1)).all();
        return where(binary, yTrue * 2.0 - 1.0, yTrue);
    }

    /// <summary>
    /// An <c>axis</c> argument made non-negative for a tensor of rank <paramref name="rank"/> (-1 is the last axis).
    /// </summary>
    /// <exception cref="ArgumentException">The axis is outside [-rank, rank); the message names the loss and both.</exception>
    internal static int Axis(string loss, int axis, long rank) =>
        axis >= -rank && axis < rank
            ? (int)(axis < 0 ? axis + rank : axis)
            : throw new ArgumentException(
                $"{loss}: axis {axis} is outside the {rank} axes of the predictions; use -1 for the last axis or a value in [{-rank}, {rank}).",
                nameof(axis));

    /// <summary>The axes of a Dice or Tversky <c>axis</c> argument, made non-negative; null (every axis) stays null.</summary>
    internal static long[]? Axes(string loss, int[]? axes, long rank) =>
        axes is null ? null : [.. axes.Select(a => (long)Axis(loss, a, rank)).Distinct()];

    /// <summary>A sum over <paramref name="axes"/>, or over everything when they are null.</summary>
    internal static Tensor Sum(Tensor x, long[]? axes) => axes is null ? x.sum() : x.sum(axes);

    /// <summary>Shapes read as everywhere else in the library: Keras's tuples, <c>(2, 10)</c>.</summary>
    internal static string Format(long[] shape) => Layers.Shapes.Format(shape);

    internal static string Format(double value) => value.ToString("G7", CultureInfo.InvariantCulture);

    /// <summary>
    /// Keras's <c>squeeze_or_expand_to_same_rank</c>: when the ranks differ by one and the longer shape ends in 1,
    /// the two are brought to the same rank (so labels [N] meet a Dense(1) output [N, 1] instead of broadcasting
    /// to [N, N]).
    /// </summary>
    internal static (Tensor yTrue, Tensor yPred) MatchRank(Tensor yTrue, Tensor yPred)
    {
        long tr = yTrue.dim(), pr = yPred.dim();
        if (tr == pr + 1 && yTrue.shape[^1] == 1)
            return pr == 1 ? (yTrue, yPred.unsqueeze(-1)) : (yTrue.squeeze(-1), yPred);
        if (pr == tr + 1 && yPred.shape[^1] == 1)
            return tr == 1 ? (yTrue.unsqueeze(-1), yPred) : (yTrue, yPred.squeeze(-1));
        return (yTrue, yPred);
    }

    /// <summary>The shape rule of <see cref="MatchRank"/> applied to shapes only.</summary>
    internal static bool SameShapeAfterRankMatch(long[] yTrue, long[] yPred)
    {
        if (yTrue.Length == yPred.Length + 1 && yTrue[^1] == 1) yTrue = yTrue[..^1];
        else if (yPred.Length == yTrue.Length + 1 && yPred[^1] == 1) yPred = yPred[..^1];
        return yTrue.AsSpan().SequenceEqual(yPred);
    }

    /// <summary>Per-batch check in <c>Call</c>: torch would otherwise broadcast mismatched shapes silently.</summary>
    internal static void CheckBatchShapes(string loss, Tensor yTrue, Tensor yPred)
    {
        long[] t = yTrue.shape, p = yPred.shape;
        if (!t.AsSpan().SequenceEqual(p))
            throw new ArgumentException(
                $"{loss}: targets of shape {Format(t)} do not match the model's output of shape {Format(p)}. " +
                "Targets need one value per output unit.");
    }

    /// <summary>
    /// Checks, before training, that targets of shape [N, ...] fit an output of shape <paramref name="outputShape"/>
    /// per sample (with Keras's rank matching).
    /// </summary>
    internal static void CheckOutputShape(string loss, Tensor yTrue, long[] outputShape, string hint = "")
    {
        long[] t = yTrue.shape;
        if (t.Length == 0)
            throw new ArgumentException($"{loss}: y is a scalar; it needs a batch dimension (one target per sample).");
        long[] p = [t[0], .. outputShape];
        if (!SameShapeAfterRankMatch(t, p))
            throw new ArgumentException(
                $"{loss} needs targets shaped like the model's output: y has shape {Format(t)} " +
                $"(per sample {Format(t[1..])}), but the model's output per sample has shape {Format(outputShape)}." + hint);
    }

    /// <summary>Minimum and maximum of <paramref name="y"/> (one host read; for checks before training only).</summary>
    internal static (double Min, double Max) Range(Tensor y)
    {
        using var scope = NewDisposeScope();
        var d = y.to_type(ScalarType.Float64);
        return (d.min().item<double>(), d.max().item<double>());
    }

    internal static bool IsFloating(ScalarType t) =>
        t is ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float32 or ScalarType.Float64;

    internal static bool IsInteger(ScalarType t) =>
        t is ScalarType.Byte or ScalarType.Int8 or ScalarType.Int16 or ScalarType.Int32 or ScalarType.Int64 or ScalarType.Bool;

    /// <summary>Casts float targets to the prediction's dtype, as Keras casts <c>y_true</c> to <c>y_pred.dtype</c>.</summary>
    internal static Tensor AsDtypeOf(Tensor yTrue, Tensor yPred) =>
        yTrue.dtype == yPred.dtype ? yTrue : yTrue.to_type(yPred.dtype);
}
