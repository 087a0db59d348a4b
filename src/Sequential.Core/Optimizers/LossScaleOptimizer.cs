using System.Globalization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sequential.Optimizers;

/// <summary>
/// Dynamic loss scaling for float16 training (Keras's <c>keras.optimizers.LossScaleOptimizer</c>): the training step
/// differentiates the loss times a scale (<see cref="ScaleLoss"/>) so that small float16 gradients do not underflow;
/// <see cref="Apply"/> divides the gradients by the scale and, when they are all finite, lets the inner optimizer take
/// the step and counts it, doubling the scale after <see cref="DynamicGrowthSteps"/> finite steps in a row; when any is
/// infinite or NaN it skips the step and halves the scale.
/// </summary>
/// <remarks>Needed with the <c>"mixed_float16"</c> policy; <c>"mixed_bfloat16"</c> has float32's range and needs none.
/// Each step reads one boolean from the device (all gradients finite), as Keras's does. Saved in model files as Keras
/// saves it: the configuration holds the inner optimizer's (<c>inner_optimizer</c>, its class and configuration),
/// <c>initial_scale</c> and <c>dynamic_growth_steps</c>; the state holds the inner optimizer's slots with the current
/// scale and step counter, so that training resumes exactly where it stopped.</remarks>
/// <example>
/// <code>
/// MixedPrecision.SetGlobalPolicy("mixed_float16");
/// model.Compile(optimizer: new LossScaleOptimizer(new Adam()), loss: "sparse_categorical_crossentropy");
/// </code>
/// </example>
public sealed class LossScaleOptimizer : Optimizer
{
    private long _stepCounter;

    /// <summary>Wraps <paramref name="innerOptimizer"/>.</summary>
    /// <param name="innerOptimizer">The optimizer that takes the steps.</param>
    /// <param name="initialScale">The first scale (Keras: 2**15).</param>
    /// <param name="dynamicGrowthSteps">Finite steps in a row after which the scale doubles (Keras: 2000).</param>
    /// <exception cref="ArgumentException">A scale that is not positive and finite, or growth steps below 1.</exception>
    public LossScaleOptimizer(Optimizer innerOptimizer, double initialScale = 32768.0, int dynamicGrowthSteps = 2000)
        : base("loss_scale_optimizer", 1.0)
    {
        ArgumentNullException.ThrowIfNull(innerOptimizer);
        if (!(initialScale > 0) || double.IsInfinity(initialScale))
            throw new ArgumentException($"initialScale must be a positive finite number; got {initialScale}.", nameof(initialScale));
        if (dynamicGrowthSteps < 1)
            throw new ArgumentException($"dynamicGrowthSteps must be at least 1; got {dynamicGrowthSteps}.", nameof(dynamicGrowthSteps));
        if (innerOptimizer is LossScaleOptimizer)
            throw new ArgumentException("The inner optimizer is already a LossScaleOptimizer; wrap the optimizer itself once.", nameof(innerOptimizer));
        InnerOptimizer = innerOptimizer;
        InitialScale = initialScale;
        DynamicGrowthSteps = dynamicGrowthSteps;
        DynamicScale = initialScale;
    }

    /// <summary>The optimizer that takes the steps.</summary>
    public Optimizer InnerOptimizer { get; }

    /// <summary>The scale the loss started with.</summary>
    public double InitialScale { get; }

    /// <summary>Finite steps in a row after which the scale doubles.</summary>
    public int DynamicGrowthSteps { get; }

    /// <summary>Finite steps in a row since the scale last changed (Keras's <c>step_counter</c>); the scale doubles when
    /// it reaches <see cref="DynamicGrowthSteps"/>.</summary>
    public long StepCounter => _stepCounter;

    /// <summary>The current scale (Keras's <c>dynamic_scale</c>).</summary>
    public double DynamicScale { get; private set; }

    /// <summary>The inner optimizer's learning rate.</summary>
    public override double LearningRate
    {
        get => InnerOptimizer.LearningRate;
        set => InnerOptimizer.LearningRate = value;
    }

    /// <summary>The inner optimizer's updates (skipped steps do not count).</summary>
    public override long Iterations => InnerOptimizer.Iterations;

    /// <summary>The inner optimizer's steps, which the training state records and restores into it.</summary>
    internal override long SavedSteps => InnerOptimizer.SavedSteps;

    /// <summary>The loss times <see cref="DynamicScale"/>.</summary>
    /// <param name="loss">The batch's loss.</param>
    /// <returns>The scaled loss.</returns>
    public override Tensor ScaleLoss(Tensor loss) => loss * DynamicScale;

    /// <summary>Unscales the gradients and steps the inner optimizer when they are all finite; otherwise skips the step
    /// and halves the scale (Keras's <c>LossScaleOptimizer.apply</c>).</summary>
    /// <param name="gradients">Gradients of the scaled loss, one (or null) per variable.</param>
    /// <param name="variables">The variables.</param>
    public override void Apply(IReadOnlyList<Tensor?> gradients, IReadOnlyList<Parameter> variables)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        ArgumentNullException.ThrowIfNull(variables);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var present = gradients.OfType<Tensor>().ToList();
        bool finite = present.Count == 0 || stack(present.Select(g => isfinite(g).all())).all().item<bool>();
        if (!finite)
        {
            _stepCounter = 0;
            DynamicScale *= 0.5;
            return;
        }
        InnerOptimizer.Apply([.. gradients.Select(g => g is null ? null : g / DynamicScale)], variables);
        if (_stepCounter == DynamicGrowthSteps - 1)
        {
            _stepCounter = 0;
            DynamicScale *= 2.0;
        }
        else _stepCounter++;
    }

    /// <inheritdoc/>
    public override void FinalizeVariableValues(IReadOnlyList<Parameter> variables) => InnerOptimizer.FinalizeVariableValues(variables);

    /// <summary>Binds the inner optimizer to the same variables.</summary>
    /// <param name="variables">The variables.</param>
    protected override void Build(IReadOnlyList<Parameter> variables) => InnerOptimizer.Bind(variables);

    /// <summary>Not used: <see cref="Apply"/> hands each step to the inner optimizer.</summary>
    protected override void UpdateStep(Tensor gradient, Tensor variable, int index, double learningRate) =>
        throw new InvalidOperationException("LossScaleOptimizer hands its steps to the inner optimizer.");

    // The state's metadata keys for the scale and the step counter (Keras's variables dynamic_scale and step_counter).
    private const string ScaleKey = "dynamic_scale";
    private const string CounterKey = "step_counter";

    /// <summary>The inner optimizer's state (its slots, bound to the same variables), with the scale and step counter in
    /// the metadata (the scale in round-trip form, so it comes back exactly).</summary>
    internal override byte[]? SaveState(IEnumerable<(string name, Parameter parameter)>? named = null, bool withProgress = false) =>
        IsBound
            ? InnerOptimizer.SaveState(named, withProgress, new Dictionary<string, string>
            {
                ["optimizer"] = Name,
                [ScaleKey] = DynamicScale.ToString("R", CultureInfo.InvariantCulture),
                [CounterKey] = _stepCounter.ToString(CultureInfo.InvariantCulture),
            })
            : null;

    /// <summary>Restores the inner optimizer's state (its checks, and its previous state kept when they fail), then the
    /// scale and step counter; both are checked before anything changes.</summary>
    /// <exception cref="InvalidDataException">The state lacks the scale or counter, or holds values no training reaches
    /// (a scale that is not positive and finite, a counter outside [0, dynamicGrowthSteps)).</exception>
    internal override void RestoreState(byte[] state, IEnumerable<Parameter> parameters, long iterations, double learningRate, string source)
    {
        var metadata = Persistence.SafeTensors.ReadHeader(state, source).Metadata;
        if (!metadata.TryGetValue(ScaleKey, out var scaleText) || !metadata.TryGetValue(CounterKey, out var counterText))
            throw new InvalidDataException(
                $"'{source}': the saved state of the LossScaleOptimizer lacks its {ScaleKey} or {CounterKey}; the file is corrupted.");
        if (!double.TryParse(scaleText, NumberStyles.Float, CultureInfo.InvariantCulture, out double scale) || !(scale > 0) || double.IsInfinity(scale))
            throw new InvalidDataException(
                $"'{source}': the saved {ScaleKey} '{scaleText}' of the LossScaleOptimizer is not a positive finite number; the file is corrupted.");
        if (!long.TryParse(counterText, NumberStyles.None, CultureInfo.InvariantCulture, out long counter) || counter >= DynamicGrowthSteps)
            throw new InvalidDataException(
                $"'{source}': the saved {CounterKey} '{counterText}' of the LossScaleOptimizer is not an integer in [0, {DynamicGrowthSteps}) " +
                $"(dynamic_growth_steps is {DynamicGrowthSteps}); the file is corrupted.");
        var variables = parameters.ToList();
        if (!IsBound) Bind(variables); // binds the inner optimizer too, whose state is restored next
        InnerOptimizer.RestoreState(state, variables, iterations, learningRate, source);
        DynamicScale = scale;
        _stepCounter = counter;
    }
}
