using static TorchSharp.torch;

namespace Sequential.Losses;

/// <summary>
/// Keras's <c>reduce_weighted_values</c> (keras/src/losses/loss.py): weights the values a loss computes and reduces
/// them to what <see cref="Loss.Call(Tensor, Tensor, Tensor?)"/> returns. The one place reduction names are matched.
/// </summary>
internal static class LossReduction
{
    internal const string SumOverBatchSize = "sum_over_batch_size";
    internal const string Sum = "sum";
    internal const string None = "none";
    internal const string Mean = "mean";
    internal const string MeanWithSampleWeight = "mean_with_sample_weight";

    /// <summary>The accepted reduction names, Keras 3.16's set (Keras's <c>None</c> is <c>"none"</c> or null here).</summary>
    internal static readonly string[] Names = [SumOverBatchSize, Sum, None, Mean, MeanWithSampleWeight];

    /// <summary>Checks a <c>reduction</c> argument; any case, null meaning <c>"none"</c> as Keras's <c>None</c> does.</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>; the message lists them.</exception>
    internal static string Standardize(string? reduction)
    {
        if (reduction is null) return None;
        string key = reduction.Trim().ToLowerInvariant();
        return Names.Contains(key)
            ? key
            : throw new ArgumentException(
                $"Unknown reduction '{reduction}'. Accepted: {string.Join(", ", Names)} (any case); " +
                $"\"{SumOverBatchSize}\" is Keras's default.", nameof(reduction));
    }

    /// <summary>
    /// Multiplies <paramref name="values"/> by <paramref name="sampleWeight"/> (broadcast over trailing axes) and reduces:
    /// <c>none</c> keeps the shape, <c>sum</c> sums, <c>sum_over_batch_size</c> and <c>mean</c> divide the sum by the
    /// number of values, <c>mean_with_sample_weight</c> by the sum of the weights (0 when that is 0, Keras's
    /// <c>divide_no_nan</c>).
    /// </summary>
    internal static Tensor Apply(string loss, string reduction, Tensor values, Tensor? sampleWeight)
    {
        Tensor? weights = sampleWeight is null ? null : Broadcastable(loss, values, sampleWeight);
        if (weights is not null) values = values * weights;
        if (reduction == None) return values;
        long count = values.numel();
        if (reduction == Sum || count == 0) return values.sum();
        if (reduction == MeanWithSampleWeight && weights is not null)
        {
            var total = weights.expand(values.shape).sum();
            var zero = total.eq(0);
            // Divided by a 1 where the total is 0, so the branch that where() drops has no infinite gradient either.
            return where(zero, zeros_like(total), values.sum() / where(zero, ones_like(total), total));
        }
        return weights is null ? values.mean() : values.sum() / count;
    }

    /// <summary>
    /// Keras's <c>apply_mask</c>: folds a mask into the sample weights. With the mean reductions a kept value weighs
    /// <c>total / kept</c> (0 when nothing is kept) and a masked one 0, so the mean over all values equals the mean over
    /// the kept ones; with the others a kept value weighs 1. A weight per sample weights every timestep of that sample.
    /// </summary>
    internal static Tensor ApplyMask(Tensor? sampleWeight, Tensor mask, ScalarType dtype, string reduction)
    {
        Tensor floatMask;
        if (reduction is Mean or SumOverBatchSize)
        {
            var keep = mask.to_type(ScalarType.Bool);
            var valid = keep.sum().to_type(dtype);
            var weight = where(valid.eq(0), zeros_like(valid), mask.numel() / where(valid.eq(0), ones_like(valid), valid));
            floatMask = where(keep, weight, zeros_like(weight));
        }
        else floatMask = mask.to_type(dtype);
        if (sampleWeight is null) return floatMask;
        var w = sampleWeight.to_type(dtype);
        if (w.device_type != floatMask.device_type || w.device_index != floatMask.device_index) w = w.to(floatMask.device);
        if (w.dim() == floatMask.dim() + 1 && w.shape[^1] == 1) w = w.squeeze(-1);
        while (w.dim() < floatMask.dim()) w = w.unsqueeze(-1);   // one weight per sample weights each of its timesteps
        return w * floatMask;
    }

    /// <summary>
    /// The weights brought to a shape that broadcasts against <paramref name="values"/>: Keras's rank adjustment
    /// (<c>[N, 1]</c> meets <c>[N]</c>), then trailing axes of size 1, so one weight per sample also weights every
    /// time step of a sample.
    /// </summary>
    private static Tensor Broadcastable(string loss, Tensor values, Tensor sampleWeight)
    {
        var w = sampleWeight.dtype == values.dtype ? sampleWeight : sampleWeight.to_type(values.dtype);
        if (w.device_type != values.device_type || w.device_index != values.device_index) w = w.to(values.device);
        if (w.dim() == values.dim() + 1 && w.shape[^1] == 1) w = w.squeeze(-1);
        // One value for the whole batch (Dice and Tversky sum over every axis by default): Keras broadcasts the weights
        // over it, so "sum_over_batch_size" gives the value times the mean weight.
        if (values.dim() == 0) return w;
        long[] ws = w.shape, vs = values.shape;
        bool fits = ws.Length <= vs.Length;
        for (int i = 0; fits && i < ws.Length; i++) fits = ws[i] == vs[i] || ws[i] == 1;
        if (!fits)
            throw new ArgumentException(
                $"{loss}: sample weights of shape {TargetChecks.Format(sampleWeight.shape)} do not fit the loss values of shape " +
                $"{TargetChecks.Format(vs)}. Pass one weight per sample (shape {TargetChecks.Format(vs.Length == 0 ? [] : [vs[0]])}), " +
                $"one per value (shape {TargetChecks.Format(vs)}), or a single number.", nameof(sampleWeight));
        return ws.Length == vs.Length ? w : w.reshape([.. ws, .. Enumerable.Repeat(1L, vs.Length - ws.Length)]);
    }
}
