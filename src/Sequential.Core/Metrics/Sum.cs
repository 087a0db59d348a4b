using Sequential.Losses;
using static TorchSharp.torch;

namespace Sequential.Metrics;

/// <summary>
/// A running (weighted) sum (Keras's <c>keras.metrics.Sum</c>): every value passed to <see cref="UpdateValues"/> since the
/// last reset, summed on the device.
/// </summary>
/// <example>
/// <code>
/// var total = new Sum();
/// total.UpdateValues(tensor(new float[] { 1, 3, 5, 7 }));   // 16
/// </code>
/// </example>
public class Sum : Metric
{
    private Tensor? _total;   // float64 on the device of the first update

    /// <summary>Creates the metric.</summary>
    /// <param name="name">The key in logs and History.</param>
    public Sum(string name = "sum") : base(name) { }

    /// <summary>As <c>compile</c> calls it: sums <paramref name="yPred"/> (the values; <paramref name="yTrue"/> is ignored).</summary>
    /// <param name="yTrue">Ignored.</param>
    /// <param name="yPred">The values.</param>
    /// <param name="sampleWeight">Weights, or null.</param>
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight) => UpdateValues(yPred, sampleWeight);

    /// <summary>Keras's <c>Sum.update_state(values)</c>.</summary>
    /// <param name="values">The values.</param>
    public override void UpdateState(Tensor values) => UpdateValues(values);

    /// <summary>
    /// Adds the values (Keras's <c>update_state(values, sample_weight)</c>): with weights, values are first summed down to
    /// the weights' rank and multiplied by them.
    /// </summary>
    /// <param name="values">The values (detached here).</param>
    /// <param name="sampleWeight">Null, a single number, or weights that broadcast against the values after the trailing
    /// axes the weights lack are summed away.</param>
    /// <exception cref="ArgumentException">The weights do not broadcast against the values.</exception>
    public void UpdateValues(Tensor values, Tensor? sampleWeight = null)
    {
        using var scope = NewDisposeScope();
        var v = values.detach().to_type(ScalarType.Float64);
        if (sampleWeight is not null)
        {
            var w = sampleWeight.detach().to(v.device).to_type(ScalarType.Float64);
            (v, w) = TargetChecks.MatchRank(v, w);
            if (v.dim() > w.dim() && w.dim() > 0) v = v.sum([.. Enumerable.Range((int)w.dim(), (int)(v.dim() - w.dim())).Select(i => (long)i)]);
            try
            {
                v = v * w;
            }
            catch (System.Runtime.InteropServices.ExternalException e)
            {
                throw new ArgumentException(
                    $"Metric '{Name}': sample weights of shape {TargetChecks.Format(sampleWeight.shape)} do not fit values of shape " +
                    $"{TargetChecks.Format(values.shape)}; pass one weight per sample.", nameof(sampleWeight), e);
            }
        }
        _total ??= zeros([], ScalarType.Float64, v.device).DetachFromDisposeScope();
        _total.add_(v.sum().to(_total.device));
    }

    /// <inheritdoc/>
    /// <returns>The sum as a float64 scalar (0 before any update).</returns>
    public override Tensor Result() => _total is null ? tensor(0.0, ScalarType.Float64) : _total.clone();

    /// <inheritdoc/>
    public override void ResetState()
    {
        using var scope = NewDisposeScope();
        _total?.zero_();
    }
}
