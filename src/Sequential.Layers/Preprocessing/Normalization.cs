using System.Globalization;
using Microsoft.Data.Analysis;
using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// Shifts and scales inputs to mean 0 and standard deviation 1 per feature (Keras's <c>Normalization</c>):
/// <c>(x - mean) / max(sqrt(variance), 1e-7)</c>, with the mean and variance given to the constructor or
/// learned by <see cref="Adapt(Tensor)"/> before training.
/// </summary>
/// <remarks>
/// <para>
/// As in Keras, <see cref="Adapt(Tensor)"/> computes, for each position along <see cref="Axis"/>, the mean and the
/// population variance (divided by N, not N - 1) over every other axis, and the divisor is the standard deviation
/// floored at Keras's <c>epsilon()</c>, 1e-7, so a constant feature gives 0 instead of NaN.
/// </para>
/// <para>
/// Adapted statistics are non-trainable state named <c>mean</c>, <c>variance</c> and <c>count</c> (Keras 3 keeps a
/// <c>count</c> weight "for backwards compatibility"), so <c>Summary</c> shows 2 * features + 1 parameters as Keras
/// does, and they travel with the model's state when it is saved. Here <c>count</c> holds the number of values each
/// statistic was computed from (Keras 3 leaves it 0); a loaded model with a positive count counts as adapted.
/// Statistics given to the constructor are constants, as in Keras: 0 parameters.
/// </para>
/// <para>Unlike Keras, calling the layer before it is adapted (and without mean and variance) throws instead of
/// passing inputs through unchanged.</para>
/// </remarks>
/// <example>
/// <code>
/// var (train, test) = DataFrame.LoadCsv("heart.csv").TrainTestSplit(testFraction: 0.2, seed: 42);
/// var features = train.Columns.Select(c => c.Name).Where(n => n != "target").ToList();
/// var norm = new Normalization();
/// norm.Adapt(train, features);                 // or norm.Adapt(xTrain) on a [N, features] tensor
/// var model = new SequentialModel(norm, new Dense(16, activation: "relu"), new Dense(1, activation: "sigmoid"));
///
/// // Keras: layers.Normalization(mean=3., variance=2.)
/// var fixedNorm = new Normalization(mean: [3.0], variance: [2.0]);
/// </code>
/// </example>
public sealed class Normalization : Layer
{
    /// <summary>True: the input's mask passes on to the output (Keras's <c>supports_masking</c>).</summary>
    public override bool SupportsMasking => true;

    /// <summary>Keras's <c>backend.epsilon()</c>: the smallest standard deviation divided by.</summary>
    public const double Epsilon = 1e-7;

    private readonly double[]? _mean;
    private readonly double[]? _variance;
    private long[] _broadcastShape = [];
    private bool _adapted;

    /// <summary>Creates a Normalization layer.</summary>
    /// <param name="axis">The feature axis, counted with the batch axis as in Keras (-1: the last); each position along it gets
    /// its own mean and variance. Null: one mean and variance over all values (Keras's <c>axis=None</c>).</param>
    /// <param name="mean">Fixed means: one value (for every position) or one per position along <paramref name="axis"/>; give
    /// <paramref name="variance"/> too. Null: learn them with <c>Adapt</c>.</param>
    /// <param name="variance">Fixed variances, shaped like <paramref name="mean"/>.</param>
    /// <param name="invert">Undo a normalization instead: <c>mean + x * max(sqrt(variance), 1e-7)</c>.</param>
    /// <param name="inputShape">Per-sample input shape, for the first layer of a model.</param>
    /// <param name="name">Layer name; default normalization, normalization_1, ...</param>
    /// <exception cref="ArgumentException">Only one of mean and variance is given, their lengths differ, or a variance is negative.</exception>
    public Normalization(int? axis = -1, double[]? mean = null, double[]? variance = null, bool invert = false,
        long[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        if ((mean is null) != (variance is null))
            throw new ArgumentException(
                $"When setting values directly, both mean and variance must be set. Received: mean={Format(mean)} and variance={Format(variance)}.");
        if (mean is not null)
        {
            if (mean.Length == 0 || mean.Length != variance!.Length)
                throw new ArgumentException(
                    $"mean and variance must have the same, non-zero length; got {mean.Length} and {variance!.Length}.", nameof(variance));
            if (variance.Any(v => !(v >= 0)))
                throw new ArgumentException($"variance values must be >= 0; got {Format(variance)}.", nameof(variance));
        }
        Axis = axis;
        _mean = mean is null ? null : (double[])mean.Clone();
        _variance = variance is null ? null : (double[])variance.Clone();
        Invert = invert;
    }

    /// <summary>The feature axis (with the batch axis, Keras style), or null for global statistics.</summary>
    public int? Axis { get; }

    /// <summary>Whether the layer undoes a normalization.</summary>
    public bool Invert { get; }

    /// <summary>Whether the statistics are known: given to the constructor, adapted, or loaded with a positive count.</summary>
    public bool IsAdapted => _mean is not null || _adapted || (Built && CheckLoadedCount());

    /// <summary>The per-position means (the constructor's, or the adapted ones once built), or null before.</summary>
    public double[]? Mean => Built ? ReadBuffer("mean") : _mean is null ? null : (double[])_mean.Clone();

    /// <summary>The per-position population variances, or null before they are known.</summary>
    public double[]? Variance => Built ? ReadBuffer("variance") : _variance is null ? null : (double[])_variance.Clone();

    /// <inheritdoc/>
    /// <remarks>
    /// Adapted statistics are state, saved with the weights; the configuration keeps only a mean and variance given to
    /// the constructor, so a loaded layer is rebuilt the way it was made (and its state then filled from the file).
    /// </remarks>
    public override IReadOnlyDictionary<string, object?> GetConfig()
    {
        var config = new Dictionary<string, object?>(base.GetConfig());
        config["mean"] = _mean is null ? null : (double[])_mean.Clone();
        config["variance"] = _variance is null ? null : (double[])_variance.Clone();
        return config;
    }

    /// <summary>
    /// Computes the mean and variance of <paramref name="data"/> per position along <see cref="Axis"/> (Keras's <c>adapt</c>),
    /// building the layer for its per-sample shape.
    /// </summary>
    /// <param name="data">A batch of samples, <c>[N, ...]</c>, for example <c>[rows, features]</c>; any numeric dtype.</param>
    /// <exception cref="ArgumentException">The data has no samples, no sample axis, NaN values, or a shape the built layer does not take.</exception>
    /// <exception cref="InvalidOperationException">The layer was given fixed mean and variance.</exception>
    public void Adapt(Tensor data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (_mean is not null)
            throw new InvalidOperationException(
                $"Layer \"{Name}\" (Normalization) was given mean and variance in its constructor; create it without them to adapt it.");
        if (data.dim() < 2 || data.shape[0] == 0)
            throw new ArgumentException(
                $"Adapt needs a batch of samples, shape [N, ...] with N > 0; got shape {Shapes.Format(data.shape)}. " +
                "For one feature per sample use data.reshape(-1, 1).", nameof(data));
        EnsureBuilt(data.shape[1..]);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = data.to_type(ScalarType.Float64);
        NonFinite.Check(x, "Adapt data", nameof(data), "remove or fill them first");
        Tensor values;
        if (Axis is null)
        {
            values = x.reshape(-1, 1);
        }
        else
        {
            int keep = KeepAxis(data.dim() - 1);
            values = x.movedim([keep], [-1]).reshape(-1, data.shape[keep]);
        }
        var mean = values.mean([0]);
        var variance = (values - mean).square().mean([0]);
        get_buffer("mean")!.copy_(mean.reshape(get_buffer("mean")!.shape));
        get_buffer("variance")!.copy_(variance.reshape(get_buffer("variance")!.shape));
        get_buffer("count")!.fill_(values.shape[0]);
        _adapted = true;
    }

    /// <summary>
    /// Computes the mean and variance of DataFrame columns, one statistic per column (the layer's axis must be -1).
    /// </summary>
    /// <param name="data">The rows to learn from, usually the training frame only.</param>
    /// <param name="featureColumns">The numeric or bool columns, in the order the model will receive them; default every column.</param>
    /// <param name="nullHandling">Null values: throw (default) or leave those rows out.</param>
    /// <exception cref="ArgumentException">A column is missing, holds strings, or has nulls; or the frame is empty.</exception>
    public void Adapt(DataFrame data, IReadOnlyList<string>? featureColumns = null, NullHandling nullHandling = NullHandling.Error)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var x = data.ToTensor(featureColumns, nullHandling);
        Adapt(x);
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        if (Axis is not null)
        {
            int rank = inputShape.Length + 1;
            if (Axis < -rank || Axis >= rank || KeepAxis(inputShape.Length) == 0)
                throw new ArgumentException(
                    $"Layer \"{Name}\" (Normalization): axis {Axis} does not name a feature axis of inputs with shape {Shapes.FormatBatch(inputShape)}; " +
                    $"use -1 (the last axis) or a value in [1, {rank - 1}]. Axis 0 is the batch axis.");
        }
        return (long[])inputShape.Clone();
    }

    /// <inheritdoc/>
    public override void Build(long[] inputShape)
    {
        int rank = inputShape.Length + 1;
        long features = 1;
        _broadcastShape = [.. Enumerable.Repeat(1L, rank)];
        if (Axis is not null)
        {
            int keep = KeepAxis(inputShape.Length);
            features = inputShape[keep - 1];
            _broadcastShape[keep] = features;
        }
        ReserveState("mean", features);
        ReserveState("variance", features);
        if (_mean is null)
        {
            ReserveState("count");
            AddNonTrainableState("mean", zeros([features], ScalarType.Float32).DetachFromDisposeScope());
            AddNonTrainableState("variance", ones([features], ScalarType.Float32).DetachFromDisposeScope());
            AddNonTrainableState("count", zeros([], ScalarType.Int64).DetachFromDisposeScope());
            return;
        }
        if (_mean.Length != 1 && _mean.Length != features)
            throw new ArgumentException(
                $"Layer \"{Name}\" (Normalization) has {_mean.Length} mean values, but inputs of shape {Shapes.FormatBatch(inputShape)} have " +
                $"{features} positions along axis {Axis}; give 1 value or {features}.");
        register_buffer("mean", tensor(_mean.Select(v => (float)v).ToArray()).expand(features).contiguous().DetachFromDisposeScope());
        register_buffer("variance", tensor(_variance!.Select(v => (float)v).ToArray()).expand(features).contiguous().DetachFromDisposeScope());
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor x, bool training)
    {
        if (!IsAdapted)
            throw new InvalidOperationException(
                $"Layer \"{Name}\" (Normalization) has no statistics yet: call Adapt(trainingData) before Fit, Evaluate or Predict, " +
                "or pass mean and variance to its constructor.");
        var mean = get_buffer("mean")!.reshape(_broadcastShape);
        var std = get_buffer("variance")!.reshape(_broadcastShape).sqrt().clamp_min(Epsilon);
        if (x.dtype != ScalarType.Float32) x = x.to_type(ScalarType.Float32);
        return Invert ? mean + x * std : (x - mean) / std;
    }

    /// <summary>The kept axis, with the batch axis counted, for a per-sample rank.</summary>
    private int KeepAxis(long sampleRank) => Axis!.Value < 0 ? (int)(Axis.Value + sampleRank + 1) : Axis.Value;

    private bool CheckLoadedCount()
    {
        if (_mean is not null) return true;
        _adapted = get_buffer("count")!.item<long>() > 0;
        return _adapted;
    }

    private double[] ReadBuffer(string name)
    {
        using var values = get_buffer(name)!.to_type(ScalarType.Float64).cpu();
        return values.data<double>().ToArray();
    }

    private static string Format(double[]? values) =>
        values is null ? "null" : "[" + string.Join(", ", values.Select(v => v.ToString("G", CultureInfo.InvariantCulture))) + "]";
}
