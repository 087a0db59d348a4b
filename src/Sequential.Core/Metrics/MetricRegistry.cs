using Sequential.Losses;
using Sequential.Persistence;

namespace Sequential.Metrics;

/// <summary>
/// Turns Keras metric strings into <see cref="Metric"/> objects (Keras's <c>keras.metrics.get</c> plus the
/// <c>"accuracy"</c> resolution of <c>compile</c>). This is the only place metric strings are matched.
/// </summary>
/// <remarks>
/// <para>Matching ignores case; the metric's <see cref="Metric.Name"/> (its key in logs and History) is the string
/// exactly as given, as in Keras 3: <c>metrics: ["acc"]</c> logs <c>acc</c> and <c>val_acc</c>.</para>
/// <para><c>"accuracy"</c> and <c>"acc"</c> are resolved from the shapes as Keras's
/// <c>is_binary_or_sparse_categorical</c> does: an output whose last dimension is 1 gives
/// <see cref="BinaryAccuracy"/>; targets of lower rank than the output, or targets ending in 1 with an output ending in
/// more than 1, give <see cref="SparseCategoricalAccuracy"/>; anything else gives <see cref="CategoricalAccuracy"/>.
/// Without shapes, the loss decides (binary, sparse or categorical cross-entropy).</para>
/// <para>Improvement over Keras: when the loss is <c>BinaryCrossentropy(fromLogits: true)</c>, binary accuracy
/// thresholds the logits at 0 (probability 0.5). Keras thresholds logits at 0.5, which silently reports a wrong
/// accuracy. Likewise <c>"auc"</c> and the cross-entropy metrics (<c>"binary_crossentropy"</c>, ...) read logits when
/// the compiled loss has <c>fromLogits: true</c>. <c>"precision"</c>, <c>"recall"</c> and the confusion counts keep
/// Keras's 0.5 threshold on the raw output: give a sigmoid output, or a <see cref="Precision"/> object.</para>
/// <para>Keras's strings: the snake_case of every metric class whose arguments all have defaults
/// (<c>"auc"</c>, <c>"precision"</c>, <c>"top_k_categorical_accuracy"</c>, <c>"r2_score"</c>, <c>"binary_io_u"</c>, ...)
/// and the aliases <c>"mse"</c>, <c>"mae"</c>, <c>"mape"</c>, <c>"msle"</c>, <c>"bce"</c>; also <c>"logcosh"</c>,
/// <c>"kld"</c>, <c>"fbeta_score"</c> and <c>"binary_iou"</c>, the names Keras logs them under or its losses accept.</para>
/// </remarks>
/// <example>
/// <code>
/// // labels [N], a 10-unit output: "accuracy" is sparse categorical accuracy, logged as "accuracy"
/// Metric acc = MetricRegistry.Get("accuracy", loss, yTrueShape: [32], yPredShape: [32, 10]);
/// Metric mae = MetricRegistry.Get("MAE");   // logged as "MAE"
/// </code>
/// </example>
public static class MetricRegistry
{
    private static readonly (string[] Names, Type Type, Func<string, Loss?, Metric> Create)[] Known =
    [
        (["binary_accuracy"], typeof(BinaryAccuracy), (n, loss) => new BinaryAccuracy(BinaryThreshold(loss), n)),
        (["categorical_accuracy"], typeof(CategoricalAccuracy), (n, _) => new CategoricalAccuracy(n)),
        (["sparse_categorical_accuracy"], typeof(SparseCategoricalAccuracy), (n, _) => new SparseCategoricalAccuracy(n)),
        (["top_k_categorical_accuracy"], typeof(TopKCategoricalAccuracy), (n, _) => new TopKCategoricalAccuracy(name: n)),
        (["sparse_top_k_categorical_accuracy"], typeof(SparseTopKCategoricalAccuracy), (n, _) => new SparseTopKCategoricalAccuracy(name: n)),
        (["mean_squared_error", "mse"], typeof(MeanSquaredError), (n, _) => new MeanSquaredError(n)),
        (["mean_absolute_error", "mae"], typeof(MeanAbsoluteError), (n, _) => new MeanAbsoluteError(n)),
        (["mean_absolute_percentage_error", "mape"], typeof(MeanAbsolutePercentageError), (n, _) => new MeanAbsolutePercentageError(n)),
        (["mean_squared_logarithmic_error", "msle"], typeof(MeanSquaredLogarithmicError), (n, _) => new MeanSquaredLogarithmicError(n)),
        (["root_mean_squared_error"], typeof(RootMeanSquaredError), (n, _) => new RootMeanSquaredError(n)),
        (["cosine_similarity"], typeof(CosineSimilarity), (n, _) => new CosineSimilarity(n)),
        (["log_cosh_error", "logcosh"], typeof(LogCoshError), (n, _) => new LogCoshError(n)),
        (["r2_score"], typeof(R2Score), (n, _) => new R2Score(name: n)),
        (["auc"], typeof(AUC), (n, loss) => new AUC(name: n, fromLogits: FromLogits(loss))),
        (["precision"], typeof(Precision), (n, _) => new Precision(name: n)),
        (["recall"], typeof(Recall), (n, _) => new Recall(name: n)),
        (["true_positives"], typeof(TruePositives), (n, _) => new TruePositives(name: n)),
        (["false_positives"], typeof(FalsePositives), (n, _) => new FalsePositives(name: n)),
        (["true_negatives"], typeof(TrueNegatives), (n, _) => new TrueNegatives(name: n)),
        (["false_negatives"], typeof(FalseNegatives), (n, _) => new FalseNegatives(name: n)),
        (["f1_score"], typeof(F1Score), (n, _) => new F1Score(name: n)),
        (["f_beta_score", "fbeta_score"], typeof(FBetaScore), (n, _) => new FBetaScore(name: n)),
        (["binary_io_u", "binary_iou"], typeof(BinaryIoU), (n, _) => new BinaryIoU(name: n)),
        (["hinge"], typeof(Hinge), (n, _) => new Hinge(n)),
        (["squared_hinge"], typeof(SquaredHinge), (n, _) => new SquaredHinge(n)),
        (["categorical_hinge"], typeof(CategoricalHinge), (n, _) => new CategoricalHinge(n)),
        (["kl_divergence", "kld"], typeof(KLDivergence), (n, _) => new KLDivergence(n)),
        (["poisson"], typeof(Poisson), (n, _) => new Poisson(n)),
        (["binary_crossentropy", "bce"], typeof(BinaryCrossentropy), (n, loss) => new BinaryCrossentropy(n, FromLogits(loss))),
        (["categorical_crossentropy"], typeof(CategoricalCrossentropy), (n, loss) => new CategoricalCrossentropy(n, FromLogits(loss))),
        (["sparse_categorical_crossentropy"], typeof(SparseCategoricalCrossentropy), (n, loss) => new SparseCategoricalCrossentropy(n, FromLogits(loss))),
        (["sum"], typeof(Sum), (n, _) => new Sum(n)),
        (["mean"], typeof(Mean), (n, _) => new Mean(n)),
    ];

    // Metrics a model file may name that no string creates: their constructors need arguments (or a function).
    private static readonly Type[] ClassesOnly =
    [
        typeof(Accuracy), typeof(PrecisionAtRecall), typeof(RecallAtPrecision), typeof(SensitivityAtSpecificity),
        typeof(SpecificityAtSensitivity), typeof(IoU), typeof(MeanIoU), typeof(OneHotIoU), typeof(OneHotMeanIoU),
    ];

    private static readonly TypeRegistry<Metric> Classes =
        new("metric", typeof(MetricRegistry).FullName!, [.. Known.Select(k => k.Type), .. ClassesOnly]);

    /// <summary>The accepted metric strings, besides the class names (matching ignores case).</summary>
    public static IReadOnlyList<string> Names { get; } = ["accuracy", "acc", .. Known.SelectMany(k => k.Names)];

    /// <summary>Creates the metric a Keras string names.</summary>
    /// <param name="name">For example <c>"accuracy"</c>, <c>"acc"</c>, <c>"mae"</c>, any case; also the metric's
    /// key in logs and History.</param>
    /// <param name="loss">The compiled loss: decides <c>"accuracy"</c> when no shapes are given, and a logits
    /// <see cref="Losses.BinaryCrossentropy"/> makes binary accuracy threshold at 0.</param>
    /// <param name="yTrueShape">Shape of the targets (with or without the batch axis, like
    /// <paramref name="yPredShape"/>).</param>
    /// <param name="yPredShape">Shape of the model's output.</param>
    /// <returns>A new metric named <paramref name="name"/>.</returns>
    /// <exception cref="ArgumentException">The name is unknown (the message lists the accepted names), or
    /// <c>"accuracy"</c> cannot be resolved because neither shapes nor a cross-entropy loss were given.</exception>
    /// <example>
    /// <code>
    /// var acc = MetricRegistry.Get("acc", new BinaryCrossentropy(fromLogits: true), [20], [20, 1]);
    /// // BinaryAccuracy with Threshold 0, logged as "acc"
    /// </code>
    /// </example>
    public static Metric Get(string name, Loss? loss = null, long[]? yTrueShape = null, long[]? yPredShape = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        Backend.EnsureNativeLoaded();
        string key = name.Trim().ToLowerInvariant();
        if (key is "accuracy" or "acc") return ResolveAccuracy(name, loss, yTrueShape, yPredShape);
        foreach (var (names, type, create) in Known)
            if (names.Contains(key) || key == type.Name.ToLowerInvariant()) return create(name, loss);
        throw new ArgumentException(
            $"Unknown metric '{name}'. Accepted: {string.Join(", ", Names)} (any case), or the class names " +
            $"{string.Join(", ", Known.Select(k => k.Type.Name))}; or pass a Metric object.", nameof(name));
    }

    private static Metric ResolveAccuracy(string name, Loss? loss, long[]? yTrueShape, long[]? yPredShape)
    {
        if (yTrueShape is { Length: > 0 } t && yPredShape is { Length: > 0 } p)
        {
            bool isBinary = p[^1] == 1;
            bool isSparse = t.Length < p.Length || (t[^1] == 1 && p[^1] > 1);
            if (isBinary) return new BinaryAccuracy(BinaryThreshold(loss), name);
            if (isSparse) return new SparseCategoricalAccuracy(name);
            return new CategoricalAccuracy(name);
        }
        return loss switch
        {
            Losses.BinaryCrossentropy => new BinaryAccuracy(BinaryThreshold(loss), name),
            Losses.SparseCategoricalCrossentropy => new SparseCategoricalAccuracy(name),
            Losses.CategoricalCrossentropy => new CategoricalAccuracy(name),
            _ => throw new ArgumentException(
                $"Cannot tell which accuracy '{name}' means without the shapes of y and of the model's output " +
                $"(loss: {loss?.Name ?? "none"}). Pass yTrueShape and yPredShape, or name the metric: " +
                "binary_accuracy, categorical_accuracy or sparse_categorical_accuracy.", nameof(name)),
        };
    }

    /// <summary>A cross-entropy metric named by string reads the predictions as the compiled loss does (logits or
    /// probabilities); Keras's string metric assumes probabilities, which reports wrong values for a logits model.</summary>
    private static bool FromLogits(Loss? loss) => loss?.FromLogits ?? false;

    /// <summary>0 for logits (sigmoid(0) = 0.5), Keras's 0.5 for probabilities.</summary>
    private static double BinaryThreshold(Loss? loss) => loss is Losses.BinaryCrossentropy { FromLogits: true } ? 0.0 : 0.5;

    /// <summary>
    /// Makes your own metric class loadable from model files (Keras's <c>register_keras_serializable</c> /
    /// <c>custom_objects</c>). Saving needs nothing: a metric object given to <c>Compile</c> is saved as its class name
    /// and <see cref="Metric.GetConfig"/>.
    /// </summary>
    /// <typeparam name="T">A non-abstract metric whose largest public constructor's parameters each have a same-named
    /// PascalCase public property (or which overrides <see cref="Metric.GetConfig"/>).</typeparam>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is abstract or has no public constructor.</exception>
    /// <example>
    /// <code>
    /// MetricRegistry.Register&lt;WithinTenth&gt;();
    /// var model = SequentialModel.Load("model.seqmodel");
    /// </code>
    /// </example>
    public static void Register<T>() where T : Metric => Classes.Register(typeof(T));

    /// <summary>The class names a model file may name: the built-in metrics and those registered, sorted.</summary>
    public static IReadOnlyList<string> ClassNames => Classes.ClassNames;

    /// <summary>Creates a metric from its class name and the configuration returned by <see cref="Metric.GetConfig"/>.</summary>
    /// <param name="className">The class name as saved in a model file, e.g. <c>BinaryAccuracy</c>.</param>
    /// <param name="config">Constructor argument name -> value (CLR values or parsed JSON).</param>
    /// <returns>A new metric with no state.</returns>
    /// <exception cref="InvalidDataException">The class is neither built in nor registered (the message says how to
    /// register it), or the configuration does not fit its constructor.</exception>
    public static Metric FromConfig(string className, IReadOnlyDictionary<string, object?> config) => Classes.Create(className, config);
}
